"""Posting stock moves: the one way any module changes stock.

:func:`post_moves` checks a batch of moves, locks the balance, warehouse and valuation rows they
touch (in key order), values them, writes the moves and updates the balances, all in one
transaction. It raises :class:`InsufficientStock` or :class:`ValidationFailed` (naming the line
and field) and then writes nothing. Once the transaction commits, the listeners registered in
:mod:`jxc.inventory.arrivals` hear which products came into which warehouse.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router, transaction
from django.utils.translation import gettext as _

from jxc.core.batch import (
    column_types,
    insert_statement,
    instances,
    row_source,
    run_statements,
    set_keys,
    update_statement,
)
from jxc.core.errors import ValidationFailed
from jxc.finance.services.posting import entry_reads
from jxc.inventory.arrivals import announce_arrivals, arrivals_of
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.locks import lock_stock
from jxc.inventory.models import (
    Lot,
    Reservation,
    Revaluation,
    SerialNumber,
    StockBalance,
    StockMove,
    WarehouseStock,
)
from jxc.inventory.reports import forget_month_closes_statement
from jxc.inventory.services.accounting import book_moves, stock_entries
from jxc.inventory.services.periods import period_check
from jxc.inventory.services.revaluation import revalue_later_moves, settlement_move
from jxc.inventory.services.valuation import Valuer
from jxc.masterdata.models import Location, Product, Unit, Warehouse

ZERO = Decimal(0)
# locations whose stock the organization owns and values; "transit" has no warehouse
HOLDS_STOCK = {"warehouse", "zone", "bin", "transit"}


@dataclass
class MoveRequest:
    product: Product
    quantity: Decimal  # in the product's base unit
    from_location: Location
    to_location: Location
    lot: Lot | None = None
    serial: str = ""
    unit_cost: Decimal | None = None  # for stock coming in from outside; default: current cost
    entered_unit: Unit | None = None
    entered_quantity: Decimal | None = None
    origin_type: str = ""
    origin_id: int | None = None
    reservation: Reservation | None = None  # the reservation this move consumes
    reversal_of: StockMove | None = None
    # a move of value only (quantity 0): ``value`` is added to the stock it goes into
    value_only: bool = False
    value: Decimal | None = None
    reason: str = ""  # the document's reason, which the posting rules book by


def _check(organization, index: int, move: MoveRequest, prefix: str) -> None:
    def fail(message, field):
        raise ValidationFailed(message, field=f"{prefix}.{index}.{field}")

    product = move.product
    if product.organization_id != organization.pk:
        fail(_("Unknown product."), "product")
    for field in ("from_location", "to_location"):
        if getattr(move, field).organization_id != organization.pk:
            fail(_("Unknown location."), field)
    if move.from_location.pk == move.to_location.pk:
        fail(_("The source and destination locations are the same."), "to_location")
    if move.from_location.kind not in HOLDS_STOCK and move.to_location.kind not in HOLDS_STOCK:
        fail(_("A move between two virtual locations changes no stock."), "to_location")
    quantity = move.quantity
    if move.value_only:
        if quantity != 0 or move.value is None or move.to_location.kind not in HOLDS_STOCK:
            fail(_("A value adjustment moves no quantity into stock."), "quantity")
        return
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        fail(_("The quantity must be greater than zero."), "quantity")
    places = product.base_unit.decimal_places
    if quantity != quantity.quantize(Decimal(1).scaleb(-places)):
        fail(
            _("%(unit)s allows %(places)d decimal places.")
            % {"unit": product.base_unit.name, "places": places},
            "quantity",
        )
    if move.unit_cost is not None and move.unit_cost < 0:
        fail(_("The unit cost cannot be negative."), "unit_cost")
    if product.tracking == "lot" and move.lot is None:
        fail(_("This product is tracked by lot: enter the lot."), "lot")
    if move.lot is not None and move.lot.product_id != product.pk:
        fail(_("This lot belongs to another product."), "lot")
    if product.tracking == "serial":
        if not move.serial:
            fail(_("This product is tracked by serial number: enter the serial."), "serial")
        if quantity != 1:
            fail(_("A serial number is one unit: move serials one per line."), "quantity")


def _allow_negative(product: Product, location: Location) -> bool:
    warehouse = location.warehouse
    return product.tracking == "none" and (
        product.allow_negative_stock or bool(warehouse and warehouse.allow_negative_stock)
    )


def _load_warehouses(locations) -> None:
    """Give the locations their warehouse (``_allow_negative`` asks), read in one query."""
    missing = [
        loc for loc in locations if loc.warehouse_id and not Location.warehouse.is_cached(loc)
    ]
    if missing:
        found = Warehouse.objects.in_bulk({loc.warehouse_id for loc in missing})
        for loc in missing:
            loc.warehouse = found[loc.warehouse_id]


def _serials(organization, moves, prefix) -> dict[int, SerialNumber]:
    """Find or create each line's serial and check it is where the move takes it from."""
    wanted = [(i, m) for i, m in enumerate(moves) if m.serial]
    if not wanted:
        return {}
    existing = {
        (s.product_id, s.serial): s
        for s in SerialNumber.objects.select_for_update().filter(
            organization=organization, serial__in=[m.serial for _i, m in wanted]
        )
    }
    found, seen = {}, set()
    for index, move in wanted:
        key = (move.product.pk, move.serial)
        if key in seen:
            raise ValidationFailed(
                _("Serial %(serial)s appears twice.") % {"serial": move.serial},
                field=f"{prefix}.{index}.serial",
            )
        seen.add(key)
        serial = existing.get(key)
        if serial is None:
            if move.from_location.kind in HOLDS_STOCK:
                raise ValidationFailed(
                    _("Serial %(serial)s is not in stock.") % {"serial": move.serial},
                    field=f"{prefix}.{index}.serial",
                )
            serial = SerialNumber(
                organization=organization,
                product=move.product,
                serial=move.serial,
                lot=move.lot,
                location=move.from_location,
            )
        elif serial.location_id != move.from_location.pk and (
            serial.location.kind in HOLDS_STOCK or move.from_location.kind in HOLDS_STOCK
        ):
            raise ValidationFailed(
                _("Serial %(serial)s is at %(location)s, not here.")
                % {"serial": move.serial, "location": serial.location.name},
                field=f"{prefix}.{index}.serial",
            )
        serial.location = move.to_location
        found[index] = serial
    return found


def post_moves(
    *,
    organization,
    moves: list[MoveRequest],
    business_date: datetime.date,
    reference: str = "",
    prefix: str = "lines",
    savepoint: bool = True,
    source: tuple[str, int] | None = None,
    then=(),
    number: tuple | None = None,
) -> list[StockMove]:
    """Post a batch of moves atomically, and their voucher; see the module docstring.

    ``source``: the document (type, id) the voucher links to. A caller whose own transaction
    ends with any error this raises (a document's posting) passes ``savepoint=False``: the
    savepoint would cost two round trips for nothing. ``then``: the caller's own writes (the
    document's new state), run in the round trip that writes the voucher; or a function of the
    moves (with their final values) giving those writes. ``number``: the document's number yet
    to take (what :func:`jxc.core.services.numbering.number_statement` returns), taken in the
    round trip that locks the stock: the moves' reference.
    """
    with transaction.atomic(savepoint=savepoint):
        return _post(organization, moves, business_date, reference, prefix, source, then, number)


def _post(organization, moves, business_date, reference, prefix, source, then, number) -> list:
    if not moves:
        raise ValidationFailed(_("Add at least one line."), field=prefix)
    for index, move in enumerate(moves):
        _check(organization, index, move, prefix)
    products = {m.product.pk: m.product for m in moves}
    _load_warehouses([loc for m in moves for loc in (m.from_location, m.to_location)])
    balance_keys, stock_keys = {}, {}
    for move in moves:
        for location in (move.from_location, move.to_location):
            if location.kind in HOLDS_STOCK:
                allow = _allow_negative(move.product, location)
                balance_keys[(move.product.pk, location.pk, move.lot.pk if move.lot else 0)] = {
                    "warehouse_id": location.warehouse_id,
                    "allow_negative": allow,
                    "lot_id": move.lot.pk if move.lot else None,
                }
                if location.warehouse_id:
                    stock_keys[(move.product.pk, location.warehouse_id)] = {"allow_negative": allow}
    period_statements, judge_period = period_check(organization, business_date)
    # the document's number first: it was taken before the stock's locks when taken alone
    first = [number[0]] if number else []
    # the reservations the moves consume, read again once their warehouse rows are locked
    reload = _reservations_statement(moves)
    balances, stocks, valuations, before = lock_stock(
        organization, balance_keys, stock_keys, products, first=first + period_statements,
        after=[reload] if reload else [],
    )  # fmt: skip
    if reload:
        _reload_reservations(moves, before.pop())
    if number:
        reference = number[1](before[0])
    judge_period(before[len(first) :])
    for key, row in [*balances.items(), *stocks.items()]:  # flags follow product and warehouse
        row.allow_negative = (balance_keys.get(key) or stock_keys.get(key))["allow_negative"]
    for row in stocks.values():
        row._available_before = row.available
    valuer = Valuer(valuations, products)
    serials = _serials(organization, moves, prefix)
    records, settlements = [], []
    for index, move in enumerate(moves):
        record, adjustment = _apply(
            organization,
            index,
            move,
            balances,
            stocks,
            valuer,
            business_date,
            reference,
            serials.get(index),
        )
        records.append(record)
        if adjustment:
            settlements.append((index, adjustment))
    _check_availability(moves, balances, stocks, prefix)
    backdated = _mark_valued_through(valuer, products, business_date)
    connection = connections[router.db_for_write(StockMove)]
    # month-ends from this month on change: forgotten with the posting's other writes
    forget = forget_month_closes_statement(connection, organization, business_date)
    # what the voucher reads (its rules, period and accounts) too, unless settlements add moves
    entries = None if settlements else stock_entries(records, products)
    reads = [] if entries is None else entry_reads(connection, organization, business_date, entries)
    read = _save(connection, records, (balances, stocks, valuer), serials, moves, [forget, *reads])
    settled = _save_settlements(records, settlements)
    later = then if callable(then) and backdated else ()
    if callable(then) and not backdated:
        then = then(records)
    # at the values posted: a re-valuation below books its own changes
    book_moves(
        organization,
        records + settled,
        products,
        business_date,
        reference,
        source,
        also=() if later else then,
        entries=entries,
        read=read[1:] if reads else None,
    )
    for product_id in backdated:
        revalue_later_moves(
            organization,
            products[product_id],
            since=business_date,
            cause=Revaluation.Cause.BACKDATED,
            reference=reference,
        )
    if backdated:  # hand back the values the replay gave the new moves
        fresh = StockMove.objects.in_bulk([r.pk for r in records if r.product_id in backdated])
        for record in records:
            if record.pk in fresh:
                record.value, record.unit_cost = fresh[record.pk].value, fresh[record.pk].unit_cost
                record.cost_explanation = fresh[record.pk].cost_explanation
    if later:  # the caller's writes, with those values
        run_statements(connection, list(later(records)))
    # stock that came into a warehouse: its listeners hear of it once this commits
    announce_arrivals(organization.pk, arrivals_of(records))
    return records


def _mark_valued_through(valuer, products, business_date) -> list[int]:
    """Products already valued after ``business_date``: their later moves need re-valuing."""
    backdated = []
    for product_id, row in valuer.valuations.items():
        if row.valued_through and row.valued_through > business_date:
            backdated.append(product_id)
        else:
            row.valued_through = business_date
    return backdated


def _save_settlements(records, settlements) -> list[StockMove]:
    """A receipt that settles stock issued below zero carries the correction of the value those
    issues took as a value-only move of its own, so the ledger's value equals the valuation."""
    if not settlements:
        return []
    return StockMove.objects.bulk_create(
        [settlement_move(records[index], adjustment) for index, adjustment in settlements]
    )


def _apply(organization, index, move, balances, stocks, valuer, business_date, reference, serial):
    product_id, quantity, lot_key = move.product.pk, move.quantity, (move.lot.pk if move.lot else 0)
    source, target = move.from_location, move.to_location
    inside_from, inside_to = source.kind in HOLDS_STOCK, target.kind in HOLDS_STOCK
    if inside_from:
        balances[(product_id, source.pk, lot_key)].on_hand -= quantity
        if source.warehouse_id:
            stock = stocks[(product_id, source.warehouse_id)]
            stock.on_hand -= quantity
            if move.reservation is not None:
                _consume(move.reservation, stock, quantity)
    if inside_to:
        balances[(product_id, target.pk, lot_key)].on_hand += quantity
        if target.warehouse_id:
            stocks[(product_id, target.warehouse_id)].on_hand += quantity
    flow, movement, fixed = _value(index, move, valuer, inside_from, inside_to)
    record = StockMove(
        organization=organization,
        product=move.product,
        quantity=quantity,
        entered_unit=move.entered_unit,
        entered_quantity=move.entered_quantity,
        lot=move.lot,
        serial=serial,
        from_location=source,
        to_location=target,
        from_warehouse_id=source.warehouse_id,
        to_warehouse_id=target.warehouse_id,
        flow=flow,
        unit_cost=movement.unit_cost,
        value=movement.value,
        cost_fixed=fixed,
        cost_explanation=list(movement.explanation),
        business_date=business_date,
        origin_type=move.origin_type,
        origin_id=move.origin_id,
        reference=reference,
        reason=move.reason,
        reversal_of=move.reversal_of,
    )
    return record, movement.adjustment


def _value(index, move, valuer, inside_from, inside_to):
    """The move's flow, its valuation and whether its cost was given rather than computed."""
    product_id, quantity, original = move.product.pk, move.quantity, move.reversal_of
    if move.value_only:
        return StockMove.Flow.IN, valuer.revalue(product_id, move.value), True  # checked by caller
    if inside_from and inside_to:
        return StockMove.Flow.INTERNAL, valuer.carry(product_id, quantity), False
    if inside_to:
        if original is not None and original.quantity == quantity:  # an issue undone
            movement = valuer.receive(product_id, quantity, None, index, value=original.value)
            return StockMove.Flow.IN, movement, True
        movement = valuer.receive(product_id, quantity, move.unit_cost, index)
        return StockMove.Flow.IN, movement, move.unit_cost is not None
    if original is not None and original.flow == StockMove.Flow.IN:  # a receipt sent back
        value = original.value if original.quantity == quantity else None
        movement = valuer.issue(product_id, quantity, value=value, prefer=original.pk)
        return StockMove.Flow.OUT, movement, value is not None
    return StockMove.Flow.OUT, valuer.issue(product_id, quantity), False


def _reservations_statement(moves) -> tuple | None:
    """The read of the reservations ``moves`` consume, for the round trip that locks their
    warehouse rows (their writers hold those locks: read after them, the rows are current)."""
    ids = sorted({m.reservation.pk for m in moves if m.reservation is not None})
    if not ids:
        return None
    connection = connections[router.db_for_write(Reservation)]
    quote, meta = connection.ops.quote_name, Reservation._meta
    source, params = row_source(connection, column_types(connection, [meta.pk]), [[i] for i in ids])
    columns = ", ".join(quote(f.column) for f in meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({source})",
        params,
    )


def _reload_reservations(moves, rows) -> None:
    """Give the moves the reservations :func:`_reservations_statement` read."""
    connection = connections[router.db_for_write(Reservation)]
    names = [f.attname for f in Reservation._meta.concrete_fields]
    fresh = {r.pk: r for r in instances(connection, Reservation, names, rows)}
    for move in moves:
        if move.reservation is not None:
            move.reservation = fresh[move.reservation.pk]


def _consume(reservation: Reservation, stock, quantity: Decimal) -> None:
    """Delivering reserved stock: the reservation shrinks by what leaves (not below zero)."""
    if reservation.state != Reservation.State.OPEN:
        return
    used = min(reservation.quantity, quantity)
    reservation.quantity -= used
    stock.reserved -= used
    if reservation.quantity == 0:
        reservation.state = Reservation.State.CONSUMED
    reservation._touched = True


def _check_availability(moves, balances, stocks, prefix) -> None:
    """After all moves are applied: no location or warehouse below zero where not allowed.

    The error reports, per location (then per warehouse), everything this batch takes from it
    against what was there before. A warehouse whose reservations already exceed what it holds
    (presale orders confirmed ahead of stock) may still deliver against those reservations: it
    is refused only when the batch lowers its availability below zero further.
    """
    taken: dict[tuple, list] = {}
    for index, move in enumerate(moves):
        source = move.from_location
        if source.kind not in HOLDS_STOCK:
            continue
        lot_key = move.lot.pk if move.lot else 0
        for key in ((move.product.pk, source.pk, lot_key), (move.product.pk, source.warehouse_id)):
            if len(key) == 2 and key[1] is None:
                continue
            entry = taken.setdefault(key, [index, ZERO, move.product])
            entry[1] += move.quantity
    for key, (index, requested, product) in taken.items():
        row = balances[key] if len(key) == 3 else stocks[key]
        if row.allow_negative:
            continue
        if len(key) == 3:
            left = row.on_hand - row.frozen
        else:
            left = row.available
            if left >= min(getattr(row, "_available_before", ZERO), ZERO) and (
                row.on_hand - row.frozen >= 0
            ):
                continue
        if left < 0:
            raise InsufficientStock(
                product=product,
                requested=requested,
                available=max(left + requested, ZERO),
                field=f"{prefix}.{index}.quantity",
            )


def _save(connection, records, rows, serials, moves, also) -> list:
    """The moves, and the ``rows`` they change (balances, warehouse stock, valuations), written
    in one round trip with the statements ``also``; returns what those returned."""
    balances, stocks, valuer = rows
    for serial in serials.values():
        serial.save()
    for index, serial in serials.items():
        records[index].serial = serial
    statements = [insert_statement(connection, StockMove, records)]
    for model, changed, fields in (
        (StockBalance, balances, ["on_hand", "allow_negative"]),
        (WarehouseStock, stocks, ["on_hand", "reserved", "allow_negative"]),
    ):
        if changed:
            statements.append(update_statement(connection, model, list(changed.values()), fields))
    if valuer.valuations:
        statements.append(valuer.statement(connection))
    touched = {  # the consumed reservations, each once (two lines may consume one)
        m.reservation.pk: m.reservation
        for m in moves
        if m.reservation is not None and getattr(m.reservation, "_touched", False)
    }
    if touched:
        statements.append(
            update_statement(connection, Reservation, list(touched.values()), ["quantity", "state"])
        )
    results = run_statements(connection, [*statements, *also])
    set_keys(connection, records, results[0])
    valuer.save_layers(records)
    return results[len(statements) :]
