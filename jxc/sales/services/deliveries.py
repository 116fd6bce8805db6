"""Deliveries (销售出库单): goods of confirmed orders of one customer leave one warehouse.

Posting locks the order lines (in key order) before it checks what is still to deliver, so
concurrent deliveries never exceed an order; it moves the goods bin → customer through
inventory's move service, consuming each order line's reservation, and books the cost of goods
sold (Dr 5401 / Cr 1405 by default) through the posting rules, in one transaction. Lots are
picked first-expiry-first-out unless the line names one; a serial names its own location.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.audit import create_statements, update_statements
from jxc.core.batch import (
    Joined,
    column_types,
    fetch,
    insert_statement,
    instances,
    row_source,
    run_statements,
    set_keys,
)
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.core.services.numbering import next_number, read_series, series_statement
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import (
    Lot,
    Reservation,
    SerialNumber,
    StockBalance,
    StockMove,
    WarehouseStock,
)
from jxc.inventory.services.moves import HOLDS_STOCK, MoveRequest, post_moves
from jxc.inventory.services.reservations import allows_negative, release_reservation
from jxc.masterdata.models import Location, Product, Unit, Warehouse
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.masterdata.services.locations import warehouse_root
from jxc.sales.models import Delivery, DeliveryLine, SalesOrder, SalesOrderLine
from jxc.sales.services import prepaid
from jxc.sales.services.common import (
    DELIVERY_LINE,
    MAX_LINES,
    ORDER_LINE,
    ZERO,
    line_updates,
    positive,
)
from jxc.sales.services.orders import OPEN_STATES
from jxc.sales.services.orders import TRANSITIONS as ORDER_TRANSITIONS

TRANSITIONS = {S.DRAFT: {S.DONE, S.CANCELLED}}
DOC_TYPE = "delivery"
SOURCE = "sales.delivery"
HEADER = ("business_date", "customer", "warehouse", "carrier", "tracking_number", "note")


def _check_line(delivery: Delivery, index: int, data: dict) -> DeliveryLine:
    field = f"lines.{index}"
    order_line = data["order_line"]
    order = order_line.order
    if order.organization_id != delivery.organization_id:
        raise ValidationFailed(_("Unknown order line."), field=f"{field}.order_line")
    if order.customer_id != delivery.customer_id:
        raise ValidationFailed(
            _("Order %(number)s is of another customer.") % {"number": order.number},
            field=f"{field}.order_line",
        )
    if order.state not in OPEN_STATES:
        raise ValidationFailed(
            _("Order %(number)s is not confirmed or is already finished.")
            % {"number": order.number or order.pk},
            field=f"{field}.order_line",
        )
    if order.warehouse_id != delivery.warehouse_id:
        raise ValidationFailed(
            _("Order %(number)s ships from another warehouse.") % {"number": order.number},
            field=f"{field}.order_line",
        )
    quantity = positive(data.get("quantity"), f"{field}.quantity")
    serial = (data.get("serial") or "").strip()
    if serial and quantity != 1:
        raise ValidationFailed(
            _("A serial number is one unit: deliver serials one per line."),
            field=f"{field}.quantity",
        )
    location, lot = data.get("location"), data.get("lot")
    if location is not None and location.warehouse_id != delivery.warehouse_id:
        raise ValidationFailed(
            _("This location is not in the delivery's warehouse."), field=f"{field}.location"
        )
    if lot is not None and lot.product_id != order_line.product_id:
        raise ValidationFailed(_("This lot belongs to another product."), field=f"{field}.lot")
    return DeliveryLine(
        delivery=delivery,
        position=index,
        order_line=order_line,
        product_id=order_line.product_id,
        quantity=quantity,
        location=location,
        lot=lot,
        serial=serial,
    )


def _lines_of_orders(organization, orders) -> list[dict]:
    """Everything still to deliver of ``orders``, each line with its order read fresh."""
    connection = connections[router.db_for_write(SalesOrderLine)]
    read = _open_lines_read(connection)
    source, params = row_source(connection, column_types(connection, [SalesOrder._meta.pk]),
                                [(order.pk,) for order in orders])  # fmt: skip
    lines = []
    for row in fetch(connection, read.sql.replace("{source}", source), [organization.pk, *params]):
        parts = read.read(row)
        line = parts["l"]
        line.order = parts["o"]
        if line.open_quantity > 0:
            lines.append({"order_line": line, "quantity": line.open_quantity})
    return lines


def _open_lines_read(connection) -> Joined:
    key = ("open lines", connection.vendor)
    if key not in _reads:
        table = _tables(connection)
        _reads[key] = Joined(
            connection,
            [("l", SalesOrderLine), ("o", SalesOrder)],
            f"SELECT {{columns}} FROM {table[SalesOrderLine]} l "
            f"JOIN {table[SalesOrder]} o ON o.id = l.order_id "
            "WHERE o.organization_id = %s AND l.order_id IN ({source}) "
            "ORDER BY l.order_id, l.position, l.id",
        )
    return _reads[key]


def _check_merged(orders) -> None:
    """Orders delivered together (合并发货): one customer, one warehouse, one address."""
    first = orders[0]
    for other in orders[1:]:
        for name, message in (
            ("customer_id", _("Orders %(a)s and %(b)s are of different customers.")),
            ("warehouse_id", _("Orders %(a)s and %(b)s ship from different warehouses.")),
            ("shipping_address", _("Orders %(a)s and %(b)s ship to different addresses.")),
        ):
            if getattr(other, name) != getattr(first, name):
                raise ValidationFailed(
                    message % {"a": first.number or first.pk, "b": other.number or other.pk},
                    field="orders",
                )


@transaction.atomic
def save_delivery(*, organization, user, data: dict, delivery=None) -> Delivery:
    """Create or update a draft. ``lines`` (order line, base quantity, optional location,
    lot, serial) replace its lines; ``orders`` instead fills in all they still have to
    deliver."""
    data = dict(data)
    lines, orders = data.pop("lines", None), data.pop("orders", None)
    if delivery is not None:
        delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if delivery.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    delivery = delivery or Delivery(organization=organization, created_by=user)
    for name in HEADER:
        if name in data:
            setattr(delivery, name, data[name])
    if orders and lines is None:
        _check_merged(orders)
        first = orders[0]
        if delivery.customer_id is None:
            delivery.customer = first.customer
        if delivery.warehouse_id is None:
            delivery.warehouse = first.warehouse
        lines = _lines_of_orders(organization, orders)
    if delivery.customer.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown customer."), field="customer")
    if delivery.warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown warehouse."), field="warehouse")
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    built = [_check_line(delivery, i, line) for i, line in enumerate(lines or [])]
    if delivery.pk is None:  # a new delivery has no lines to replace
        _insert_delivery(delivery, built)
        return delivery
    delivery.save()
    if lines is not None:
        delivery.lines.all().delete()
        for line in built:
            line.delivery = delivery
        DeliveryLine.objects.bulk_create(built)
    return delivery


def _insert_delivery(delivery: Delivery, lines: list[DeliveryLine]) -> None:
    """A new delivery and its lines, written raw (the ORM's save cost more than the writes),
    with the audit entry its save would have written: the delivery, then the entry and the
    lines in one round trip."""
    connection = connections[router.db_for_write(Delivery)]
    set_keys(connection, [delivery], fetch(connection, *insert_statement(connection, Delivery,
                                                                         [delivery])))  # fmt: skip
    for line in lines:
        line.delivery = delivery
    statements = create_statements(connection, delivery)
    if lines:
        statements.append(insert_statement(connection, DeliveryLine, lines))
    found = run_statements(connection, statements)
    if lines:
        set_keys(connection, lines, found[-1])


def _serial_move(organization, delivery, index, line, target) -> MoveRequest:
    found = (
        SerialNumber.objects.filter(
            organization=organization, product_id=line.product_id, serial=line.serial
        )
        .select_related("location", "lot")
        .first()
    )
    if (
        found is None
        or found.location.kind not in HOLDS_STOCK
        or found.location.warehouse_id != delivery.warehouse_id
    ):
        raise ValidationFailed(
            _("Serial %(serial)s is not in stock in this warehouse.") % {"serial": line.serial},
            field=f"lines.{index}.serial",
        )
    return MoveRequest(
        product=line.product, quantity=line.quantity, from_location=found.location,
        to_location=target, lot=found.lot, serial=line.serial,
        origin_type=DELIVERY_LINE, origin_id=line.pk,
    )  # fmt: skip


def _picked(delivery, line, target, balances) -> list[MoveRequest]:
    """First expiry first out (lots without expiry last), then locations in code order; what
    cannot be found is asked of the warehouse's root, so the posting reports the shortage."""
    candidates = [
        b
        for b in balances.get(line.product_id, [])
        if (line.location_id is None or b.location_id == line.location_id)
        and (line.lot_id is None or b.lot_id == line.lot_id)
    ]
    candidates.sort(
        key=lambda b: (
            b.lot is None or b.lot.expiry_date is None,
            b.lot.expiry_date if b.lot and b.lot.expiry_date else datetime.date.min,
            b.lot.code if b.lot else "",
            b.location.code,
        )
    )
    remaining, moves = line.quantity, []
    for balance in candidates:
        take = min(remaining, balance.on_hand - balance.frozen - balance._taken)
        if take <= 0:
            continue
        balance._taken += take
        moves.append(
            MoveRequest(
                product=line.product, quantity=take, from_location=balance.location,
                to_location=target, lot=balance.lot, origin_type=DELIVERY_LINE, origin_id=line.pk,
            )
        )  # fmt: skip
        remaining -= take
        if remaining <= 0:
            break
    if remaining > 0:
        source = line.location or (candidates[0].location if candidates else None)
        moves.append(
            MoveRequest(
                product=line.product, quantity=remaining,
                from_location=source or warehouse_root(delivery.warehouse), to_location=target,
                lot=line.lot or (candidates[0].lot if candidates else None),
                origin_type=DELIVERY_LINE, origin_id=line.pk,
            )
        )  # fmt: skip
    return moves


def _balances(delivery, lines) -> dict[int, list[StockBalance]]:
    found = defaultdict(list)
    for balance in StockBalance.objects.filter(
        warehouse=delivery.warehouse,
        product_id__in={line.product_id for line in lines},
        on_hand__gt=0,
    ).select_related("location", "lot"):
        balance._taken = ZERO
        found[balance.product_id].append(balance)
    return found


def _check_quantities(lines, order_lines) -> None:
    asked: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(lines):
        order_line = order_lines[line.order_line_id]
        asked[line.order_line_id] += line.quantity
        if order_line.order.state not in OPEN_STATES:
            raise ValidationFailed(
                _("Order %(number)s is not open for delivery.")
                % {"number": order_line.order.number},
                field=f"lines.{index}.order_line",
                code="order_not_open",
            )
        if asked[line.order_line_id] > order_line.open_quantity:
            raise ValidationFailed(
                _(
                    "Line %(n)d: %(product)s, ordered %(ordered)s, delivered %(delivered)s: "
                    "%(asked)s is more than the %(open)s still to deliver."
                )
                % {
                    "n": index + 1,
                    "product": line.product.name,
                    "ordered": order_line.base_quantity.normalize(),
                    "delivered": order_line.delivered_quantity.normalize(),
                    "asked": asked[line.order_line_id].normalize(),
                    "open": order_line.open_quantity.normalize(),
                },
                field=f"lines.{index}.quantity",
                code="over_delivered",
            )


def _held_before(order, product_id, warehouse_id, delivered_ids) -> tuple[Decimal, str]:
    """What the open reservations of orders confirmed before ``order`` still hold of the
    product in the warehouse (lines delivered now excluded), and the first such order."""
    earlier = (
        SalesOrderLine.objects.filter(
            order__organization_id=order.organization_id,
            order__warehouse_id=warehouse_id,
            order__state__in=OPEN_STATES,
            product_id=product_id,
        )
        .filter(
            models.Q(order__confirmed_at__lt=order.confirmed_at)
            | models.Q(order__confirmed_at=order.confirmed_at, order_id__lt=order.pk)
        )
        .exclude(pk__in=delivered_ids)
    )
    held = Reservation.objects.filter(
        origin_type=ORDER_LINE,
        origin_id__in=earlier.values("pk"),
        state=Reservation.State.OPEN,
        warehouse_id=warehouse_id,
    )
    total = sum((r.quantity for r in held), ZERO)
    if not total:
        return ZERO, ""
    first = (
        earlier.filter(pk__in=[r.origin_id for r in held if r.quantity > 0])
        .order_by("order__confirmed_at", "order_id")
        .values_list("order__number", flat=True)
        .first()
    )
    return total, first or ""


def _check_confirmation_order(delivery, lines, order_lines, stocks) -> None:
    """预售 in order of confirmation: stock that orders confirmed earlier still hold (presale
    orders hold it before it arrives) is theirs; a later order may take only what is on hand
    beyond it. Checked after the moves, on the warehouse stock rows the posting has locked (the
    lock order stays balances → warehouse stock: taking them here first deadlocked a receipt),
    lines in their orders' confirmation order; a refusal rolls the posting back. ``stocks``:
    the warehouse stock rows of the lines' products by product, read after the moves."""
    delivered: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        delivered[line.product_id] += line.quantity
    delivered_ids = set(order_lines)
    asked: dict[int, Decimal] = defaultdict(Decimal)

    def rank(item):
        order = order_lines[item[1].order_line_id].order
        return (order.confirmed_at, order.pk, item[0])

    for index, line in sorted(enumerate(lines), key=rank):
        order = order_lines[line.order_line_id].order
        asked[line.product_id] += line.quantity
        if order.confirmed_at is None or allows_negative(line.product, delivery.warehouse):
            continue
        stock = stocks[line.product_id]
        if stock.reserved <= stock.on_hand - stock.frozen:
            # every reservation left is covered by stock on hand: no earlier order was starved
            continue
        usable = stock.on_hand + delivered[line.product_id] - stock.frozen  # before the moves
        held, first = _held_before(order, line.product_id, delivery.warehouse_id, delivered_ids)
        free = usable - held
        if held and asked[line.product_id] > free:
            raise ValidationFailed(
                _(
                    "Line %(n)d: %(product)s: %(held)s on hand is held for order %(order)s, "
                    "confirmed earlier; %(free)s can be delivered now."
                )
                % {
                    "n": index + 1,
                    "product": line.product.name,
                    "held": min(held, max(usable, ZERO)).normalize(),
                    "order": first,
                    "free": max(free - asked[line.product_id] + line.quantity, ZERO).normalize(),
                },
                field=f"lines.{index}.quantity",
                code="held_for_earlier_order",
            )


@transaction.atomic
def post_delivery(*, delivery: Delivery) -> Delivery:
    """Ship the draft: stock leaves, reservations are consumed, cost of goods sold is booked,
    the orders' delivered quantities and states follow."""
    connection = connections[router.db_for_write(Delivery)]
    given = delivery
    delivery, lines, order_lines, picking = _load_for_posting(connection, delivery)
    organization = delivery.organization
    transition(delivery, S.DONE, TRANSITIONS)
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    _check_quantities(lines, order_lines)
    if (delivery.organization_id, delivery.warehouse_id) != (
        given.organization_id,
        given.warehouse_id,
    ):  # the draft changed since the caller read it: read again, for the right warehouse
        picking = run_statements(connection, _picking_reads(connection, delivery))
    reservations, target, balances, series = _picked_from(connection, delivery, picking)
    moves, line_of_move = [], []
    for index, line in enumerate(lines):
        if line.serial:
            found = [_serial_move(organization, delivery, index, line, target)]
        else:
            found = _picked(delivery, line, target, balances)
        for move in found:
            move.reservation = reservations.get(line.order_line_id)
            moves.append(move)
            line_of_move.append(index)
    delivery.number = next_number(
        organization=organization,
        doc_type=DOC_TYPE,
        on_date=delivery.business_date,
        series=series,
    )
    try:
        records = post_moves(
            organization=organization, moves=moves, business_date=delivery.business_date,
            reference=delivery.number, savepoint=False, source=(SOURCE, delivery.pk),
        )  # fmt: skip
    except (InsufficientStock, ValidationFailed) as exc:
        raise _on_line(exc, line_of_move) from None
    # the stock rows (for the order of confirmation) and the orders to advance: one round trip
    stocks, orders, progress = _after_moves_reads(connection, delivery, lines, order_lines)
    _check_confirmation_order(delivery, lines, order_lines, stocks)
    cost: dict[int, Decimal] = defaultdict(Decimal)
    for record in records:
        cost[record.origin_id] += record.value
    for line in lines:
        line.cost_amount = cost[line.pk]
        order_line = order_lines[line.order_line_id]
        order_line.delivered_quantity += line.quantity
        # what is delivered no longer waits: the backorder is at most what is still open
        order_line.backorder_quantity = max(
            min(order_line.backorder_quantity, order_line.open_quantity), ZERO
        )
    prepaid.cover_prepaid(lines, order_lines)
    advanced, done_lines = _advance_orders(connection, organization, order_lines, orders, progress)
    delivery.posted_at = timezone.now()
    statements = [
        *line_updates(connection, DeliveryLine, lines, ["cost_amount", "invoiced_quantity"]),
        *line_updates(
            connection,
            SalesOrderLine,
            list(order_lines.values()),
            ["delivered_quantity", "prepaid_quantity", "backorder_quantity"],
        ),
        *advanced,
        *update_statements(connection, delivery, ["state", "number", "posted_at"]),
    ]
    if done_lines:  # and what is still reserved for an order all delivered, to release
        statements.append(_still_reserved_statement(connection, done_lines))
    # the lines, the orders and the delivery in one round trip, audit entries with them
    found = run_statements(connection, statements)
    if done_lines:
        read = _still_reserved_read(connection)
        still = {}
        for row in found[-1]:
            parts = read.read(row)
            reservation = parts["r"]
            reservation.organization, reservation.product = parts["o"], parts["p"]
            reservation.warehouse = parts["w"]
            still[reservation.origin_id] = reservation
        for reservation in still.values():
            release_reservation(reservation=reservation)
    return delivery


def _still_reserved_statement(connection, line_ids) -> tuple:
    source, params = row_source(connection, column_types(connection, [SalesOrderLine._meta.pk]),
                                [(pk,) for pk in line_ids])  # fmt: skip
    return (
        _still_reserved_read(connection).sql.replace("{source}", source),
        [ORDER_LINE, Reservation.State.OPEN.value, *params],
    )


def _still_reserved_read(connection) -> Joined:
    """The open reservations of order lines, with what releasing them reads."""
    key = ("reserved", connection.vendor)
    if key not in _reads:
        table = _tables(connection)
        _reads[key] = Joined(
            connection,
            [("r", Reservation), ("o", Organization), ("p", Product), ("w", Warehouse)],
            f"SELECT {{columns}} FROM {table[Reservation]} r "
            f"JOIN {table[Organization]} o ON o.id = r.organization_id "
            f"JOIN {table[Product]} p ON p.id = r.product_id "
            f"JOIN {table[Warehouse]} w ON w.id = r.warehouse_id "
            "WHERE r.origin_type = %s AND r.state = %s AND r.origin_id IN ({source}) "
            "ORDER BY r.id",
        )
    return _reads[key]


def _load_for_posting(connection, given: Delivery) -> tuple:
    """The delivery locked with its organization and warehouse, its lines with their products
    (and base units), locations and lots, and the order lines it takes from locked in key
    order with their orders: one round trip, locking the delivery, then the orders, then the
    order lines; with them, what picking reads (:func:`_picking_reads`, no lock) for the
    organization and warehouse of ``given`` (the caller's delivery). Through the ORM, building
    these queries cost more than running them."""
    head, body, taken = _posting_reads(connection)
    statements = [(sql, [given.pk]) for sql in _loading_sql(connection)]
    loaded = run_statements(connection, [*statements, *_picking_reads(connection, given)])
    found = dict(zip(_loading_names(connection), loaded[: len(statements)], strict=True))
    if not found["delivery"]:
        raise Delivery.DoesNotExist
    parts = head.read(found["delivery"][0])
    delivery = parts["d"]
    delivery.organization, delivery.warehouse = parts["o"], parts["w"]
    lines = []
    for row in found["lines"]:
        parts = body.read(row)
        line, product, location = parts["l"], parts["p"], parts["f"]
        product.base_unit = parts["b"]
        if location is not None:
            location.warehouse = parts["fw"]
        line.product, line.location, line.lot = product, location, parts["t"]
        lines.append(line)
    order_lines = {}
    for row in found["order_lines"]:
        parts = taken.read(row)
        order_line = parts["ol"]
        order_line.order = parts["so"]
        order_lines[order_line.pk] = order_line
    return delivery, lines, order_lines, loaded[len(statements) :]


def _loading_names(connection) -> tuple[str, ...]:
    """What :func:`_load_for_posting` runs, in order: the delivery and its lines; on a backend
    that locks, the orders before their lines and before any stock row, in key order (closing
    or cancelling an order holds it while it releases reservations, warehouse stock, and
    taking it only after the moves deadlocked them); then the order lines."""
    if connection.features.has_select_for_update:
        return ("delivery", "lines", "orders", "order_lines")
    return ("delivery", "lines", "order_lines")


def _loading_sql(connection) -> list[str]:
    """The statements of :func:`_load_for_posting`, named by :func:`_loading_names`, each
    taking the delivery's id; built once per backend with the other prepared reads."""
    key = ("loading", connection.vendor)
    if key not in _reads:
        head, body, taken = _posting_reads(connection)
        table = _tables(connection)
        sql = {
            "delivery": head.sql + _lock(connection, "d"),
            "lines": body.sql,
            "orders": (
                f"SELECT so.id FROM {table[SalesOrder]} so WHERE so.id IN "
                f"(SELECT ol.order_id FROM {table[SalesOrderLine]} ol WHERE ol.id IN "
                f"(SELECT order_line_id FROM {table[DeliveryLine]} WHERE delivery_id = %s)) "
                "ORDER BY so.id FOR UPDATE"
            ),
            "order_lines": taken.sql + _lock(connection, "ol"),
        }
        _reads[key] = [sql[name] for name in _loading_names(connection)]
    return _reads[key]


def _lock(connection, alias: str) -> str:
    return f" FOR UPDATE OF {alias}" if connection.features.has_select_for_update else ""


def _picking_reads(connection, delivery) -> list[tuple]:
    """What picking and posting read (statements): the open reservations of the order lines,
    the customers' virtual location, the stock on hand of the lines' products in the
    warehouse, and the number series."""
    reserved, virtual, stock = _picking_statements(connection)
    return [
        (reserved.sql, [ORDER_LINE, Reservation.State.OPEN.value, delivery.pk]),
        (virtual.sql, [delivery.organization_id, Location.Kind.CUSTOMER.value]),
        (stock.sql, [delivery.pk, delivery.warehouse_id]),
        series_statement(connection, delivery.organization_id, [DOC_TYPE]),
    ]


def _picked_from(connection, delivery, found) -> tuple:
    """The rows of :func:`_picking_reads`: the open reservations by order line id, the
    customers' virtual location (made if missing), the stock on hand by product and the
    number series."""
    reserved, virtual, stock = _picking_statements(connection)
    reservations = {r.origin_id: r for r in (reserved.part(row, "r") for row in found[0])}
    target = virtual.part(found[1][0], "v") if found[1] else None
    if target is None:
        target = ensure_virtual_locations(delivery.organization)[Location.Kind.CUSTOMER]
    balances = defaultdict(list)
    for row in found[2]:
        parts = stock.read(row)
        balance, location = parts["b"], parts["l"]
        location.warehouse = parts["w"]
        balance.location, balance.lot, balance._taken = location, parts["t"], ZERO
        balances[balance.product_id].append(balance)
    return reservations, target, balances, read_series(connection, found[3]).get(DOC_TYPE)


def _posting_reads(connection) -> tuple[Joined, Joined, Joined]:
    key = ("posting", connection.vendor)
    if key not in _reads:
        table = _tables(connection)
        head = Joined(
            connection,
            [("d", Delivery), ("o", Organization), ("w", Warehouse)],
            f"SELECT {{columns}} FROM {table[Delivery]} d "
            f"JOIN {table[Organization]} o ON o.id = d.organization_id "
            f"JOIN {table[Warehouse]} w ON w.id = d.warehouse_id WHERE d.id = %s",
        )
        body = Joined(
            connection,
            [("l", DeliveryLine), ("p", Product), ("b", Unit), ("f", Location),
             ("fw", Warehouse), ("t", Lot)],
            f"SELECT {{columns}} FROM {table[DeliveryLine]} l "
            f"JOIN {table[Product]} p ON p.id = l.product_id "
            f"JOIN {table[Unit]} b ON b.id = p.base_unit_id "
            f"LEFT JOIN {table[Location]} f ON f.id = l.location_id "
            f"LEFT JOIN {table[Warehouse]} fw ON fw.id = f.warehouse_id "
            f"LEFT JOIN {table[Lot]} t ON t.id = l.lot_id "
            "WHERE l.delivery_id = %s ORDER BY l.position, l.id",
        )  # fmt: skip
        taken = Joined(
            connection,
            [("ol", SalesOrderLine), ("so", SalesOrder)],
            f"SELECT {{columns}} FROM {table[SalesOrderLine]} ol "
            f"JOIN {table[SalesOrder]} so ON so.id = ol.order_id "
            f"WHERE ol.id IN (SELECT order_line_id FROM {table[DeliveryLine]} "
            "WHERE delivery_id = %s) ORDER BY ol.id",
        )
        _reads[key] = head, body, taken
    return _reads[key]


def _picking_statements(connection) -> tuple[Joined, Joined, Joined]:
    key = ("picking", connection.vendor)
    if key not in _reads:
        table = _tables(connection)
        reserved = Joined(
            connection,
            [("r", Reservation)],
            f"SELECT {{columns}} FROM {table[Reservation]} r "
            "WHERE r.origin_type = %s AND r.state = %s AND r.origin_id IN "
            f"(SELECT order_line_id FROM {table[DeliveryLine]} WHERE delivery_id = %s)",
        )
        virtual = Joined(
            connection,
            [("v", Location)],
            f"SELECT {{columns}} FROM {table[Location]} v "
            "WHERE v.organization_id = %s AND v.kind = %s",
        )
        stock = Joined(
            connection,
            [("b", StockBalance), ("t", Lot), ("l", Location), ("w", Warehouse)],
            f"SELECT {{columns}} FROM {table[StockBalance]} b "
            f"LEFT JOIN {table[Lot]} t ON t.id = b.lot_id "
            f"JOIN {table[Location]} l ON l.id = b.location_id "
            f"LEFT JOIN {table[Warehouse]} w ON w.id = l.warehouse_id "
            f"WHERE b.product_id IN (SELECT product_id FROM {table[DeliveryLine]} "
            "WHERE delivery_id = %s) AND b.warehouse_id = %s AND b.on_hand > 0",
        )
        _reads[key] = reserved, virtual, stock
    return _reads[key]


def _tables(connection) -> dict:
    models = (Delivery, DeliveryLine, Organization, Warehouse, Product, Unit, Location, Lot,
              SalesOrder, SalesOrderLine, Reservation, StockBalance)  # fmt: skip
    return {model: connection.ops.quote_name(model._meta.db_table) for model in models}


def _on_line(exc, line_of_move):
    """The error of a move, named by the delivery line it came from."""
    field = exc.field or ""
    parts = field.split(".")
    if len(parts) >= 3 and parts[0] == "lines" and parts[1].isdigit():
        parts[1] = str(line_of_move[int(parts[1])])
        exc.field = ".".join(parts)
    return exc


def _after_moves_reads(connection, delivery, lines, order_lines: dict) -> tuple:
    """After the moves, in one round trip: the warehouse stock rows of the delivered products
    by product (locked by the moves already), and the orders of ``order_lines`` locked in key
    order (after the posting, as before) with the figures of all their lines (rows)."""
    ids = sorted({line.order_id for line in order_lines.values()})
    products = sorted({line.product_id for line in lines})
    read, stock = _orders_read(connection), _stock_read(connection)
    source, params = row_source(connection, column_types(connection, [SalesOrder._meta.pk]),
                                [(pk,) for pk in ids])  # fmt: skip
    product_source, product_params = row_source(
        connection, column_types(connection, [Product._meta.pk]), [(pk,) for pk in products]
    )
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    stocks, orders, lines = run_statements(
        connection,
        [
            (stock.sql.replace("{source}", product_source),
             [delivery.warehouse_id, *product_params]),
            (read.sql.replace("{source}", source) + lock, params),
            (_lines_sql(connection).replace("{source}", source), params),
        ],
    )  # fmt: skip
    stocks = {row.product_id: row for row in (stock.part(found, "s") for found in stocks)}
    return stocks, orders, lines


def _advance_orders(connection, organization, order_lines: dict, orders, lines) -> tuple:
    """An order all delivered is done; otherwise partially done. ``orders`` and ``lines``: the
    rows :func:`_after_moves_reads` read of the orders of ``order_lines`` and of all their
    lines; the delivered quantities of ``order_lines`` are the new ones, not yet written.
    Returns the statements writing the orders (with their audit entries) and the ids of the
    lines of the orders now done."""
    read = _orders_read(connection)
    of_order = defaultdict(list)
    for line in instances(connection, SalesOrderLine, LINE_FIGURES, lines):
        # a line delivered now has its new figure in memory
        delivered = order_lines.get(line.pk, line).delivered_quantity
        of_order[line.order_id].append((line.pk, delivered >= line.base_quantity))
    statements, done_lines = [], []
    for row in orders:
        order = read.part(row, "o")
        order.organization = organization  # for the audit entry
        done = all(full for _pk, full in of_order[order.pk])
        transition(order, S.DONE if done else S.PARTIALLY_DONE, ORDER_TRANSITIONS)
        statements += update_statements(connection, order, ["state"])
        if done:
            done_lines += [pk for pk, _full in of_order[order.pk]]
    return statements, done_lines


_reads: dict = {}


def _orders_read(connection) -> Joined:
    if ("orders", connection.vendor) not in _reads:
        table = connection.ops.quote_name(SalesOrder._meta.db_table)
        _reads[("orders", connection.vendor)] = Joined(
            connection,
            [("o", SalesOrder)],
            f"SELECT {{columns}} FROM {table} o WHERE o.id IN ({{source}}) ORDER BY o.id",
        )
    return _reads[("orders", connection.vendor)]


def _stock_read(connection) -> Joined:
    key = ("stock", connection.vendor)
    if key not in _reads:
        table = connection.ops.quote_name(WarehouseStock._meta.db_table)
        _reads[key] = Joined(
            connection,
            [("s", WarehouseStock)],
            f"SELECT {{columns}} FROM {table} s "
            "WHERE s.warehouse_id = %s AND s.product_id IN ({source})",
        )
    return _reads[key]


LINE_FIGURES = ("id", "order_id", "base_quantity", "delivered_quantity")


def _lines_sql(connection) -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {', '.join(LINE_FIGURES)} FROM {quote(SalesOrderLine._meta.db_table)} "
        "WHERE order_id IN ({source})"
    )


@transaction.atomic
def cancel_delivery(*, delivery: Delivery) -> Delivery:
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    transition(delivery, S.CANCELLED, TRANSITIONS)
    delivery.save(update_fields=["state"])
    return delivery


def picks(delivery: Delivery) -> list[tuple[DeliveryLine, MoveRequest]]:
    """Where each line's goods are taken from, line by line (a line may take from several bins
    or lots): for a posted delivery, the moves it made; for a draft, the moves posting would
    make now (first expiry first out, bins in code order), so a pick list printed before
    shipping sends the picker where the posting takes the stock from."""
    lines = list(
        delivery.lines.select_related("product", "location", "lot").order_by("position", "pk")
    )
    if delivery.state == S.DONE:
        return _posted_picks(lines)
    balances = _balances(delivery, lines)
    found = []
    for index, line in enumerate(lines):
        try:
            if line.serial:
                moves = [_serial_move(delivery.organization, delivery, index, line, None)]
            else:
                moves = _picked(delivery, line, None, balances)
        except ValidationFailed:  # the serial is not in stock: print the line as entered
            moves = [MoveRequest(product=line.product, quantity=line.quantity,
                                 from_location=line.location, to_location=None, lot=line.lot,
                                 serial=line.serial)]  # fmt: skip
        found.extend((line, move) for move in moves)
    return found


def _posted_picks(lines) -> list[tuple[DeliveryLine, MoveRequest]]:
    by_id = {line.pk: line for line in lines}
    moves = (
        StockMove.objects.filter(origin_type=DELIVERY_LINE, origin_id__in=list(by_id))
        .filter(from_location__warehouse__isnull=False)  # not a reversal coming back
        .select_related("from_location", "lot", "serial")
        .order_by("pk")
    )
    return [
        (by_id[move.origin_id], MoveRequest(
            product=by_id[move.origin_id].product, quantity=move.quantity,
            from_location=move.from_location, to_location=None, lot=move.lot,
            serial=move.serial.serial if move.serial else "",
        ))
        for move in moves
    ]  # fmt: skip
