"""Re-valuing a product's moves from a date on: after a back-dated move, or a month close.

Quantities, locations and dates of done moves never change. Their value is what the valuation
says it is, so when history before them changes (a move dated earlier, a month-end average
fixed), the moves of that product from that date on are replayed through the pure costing code
and the ones whose value changed are rewritten; each replay leaves a :class:`Revaluation`
record with the total change, which finance books.

Only the affected product's moves from the date on are read. The state at the date comes from
two aggregates over the earlier ledger (net quantity and value; for FIFO also the newest
receipts), not from replaying the earlier history.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Sum

from jxc.inventory.domain.costing import AverageState, Fifo, Running, money, quantity4
from jxc.inventory.locks import lock_valuations, write_rows
from jxc.inventory.models import CostLayer, Revaluation, StockMove
from jxc.inventory.services.accounting import BOOKING_COLUMNS, book_revaluation
from jxc.inventory.services.valuation import VALUATION_FIELDS, store_running

ZERO = Decimal(0)
# the value-only move that carries a receipt's settlement of stock issued below zero
SETTLEMENT = "inventory.settlement"
REPLAYED_FIELDS = ["unit_cost", "value", "cost_explanation"]
# what replaying reads of each move, in this order (see :func:`replay_moves`)
REPLAY_COLUMNS = (
    "id",
    "flow",
    "quantity",
    "value",
    "unit_cost",
    "cost_fixed",
    "reversal_of_id",
    "origin_type",
    "origin_id",
    *BOOKING_COLUMNS,
)


def settlement_move(receipt: StockMove, adjustment: Decimal) -> StockMove:
    return StockMove(
        organization_id=receipt.organization_id,
        product_id=receipt.product_id,
        quantity=ZERO,
        from_location=receipt.from_location,
        to_location=receipt.to_location,
        from_warehouse_id=receipt.from_warehouse_id,
        to_warehouse_id=receipt.to_warehouse_id,
        flow=StockMove.Flow.IN,
        value=adjustment,
        cost_explanation=[
            {
                "kind": "adjustment",
                "reason": "settles stock issued below zero",
                "receipt": receipt.pk,
            }
        ],
        business_date=receipt.business_date,
        origin_type=SETTLEMENT,
        origin_id=receipt.pk,
        reference=receipt.reference,
    )


def running_before(product, day: datetime.date) -> Running:
    """The product's valuation at the start of ``day``, from the ledger before it."""
    earlier = StockMove.objects.filter(product=product, business_date__lt=day)
    sums = {
        flow: (quantity4(q), money(Decimal(v)))
        for flow, q, v in earlier.exclude(flow=StockMove.Flow.INTERNAL)
        .values("flow")
        .annotate(q=Sum("quantity"), v=Sum("value"))
        .values_list("flow", "q", "v")
    }
    q_in, v_in = sums.get(StockMove.Flow.IN, (ZERO, ZERO))
    q_out, v_out = sums.get(StockMove.Flow.OUT, (ZERO, ZERO))
    quantity, value = q_in - q_out, v_in - v_out
    receipts = earlier.filter(flow=StockMove.Flow.IN, quantity__gt=0).order_by(
        "-business_date", "-id"
    )
    last_cost = receipts.values_list("unit_cost", flat=True).first() or ZERO
    if product.costing_method == "fifo":
        newest_first = (
            receipts.exclude(reversed_by__business_date__lt=day)
            .values_list("id", "quantity", "value")
            .iterator(chunk_size=50)
        )
        state = Fifo.rebuild(
            ((str(pk), q, v) for pk, q, v in newest_first), quantity, value, last_cost
        )
    else:
        state = AverageState(quantity, value)
    return Running(state, last_cost, product.purchase_price)


class Replay:
    """Collects the moves whose value changes while replaying, then writes them."""

    def __init__(self, reference: str):
        self.reference = reference
        self.changed: list[SimpleNamespace] = []
        self.issued_change = ZERO
        self.replayed = 0
        self.explained: list[SimpleNamespace] = []
        self.booked: list[tuple] = []  # what finance books of the changes

    def change(self, move_id, flow, old_value, movement, note: dict, booking=()) -> None:
        """``booking``: the move's origin type, reversal_of id, quantity and booking columns."""
        if booking and movement.value != old_value:
            self.booked.append((flow, movement.value - old_value, *booking))
        self.changed.append(
            SimpleNamespace(
                pk=move_id,
                unit_cost=movement.unit_cost,
                value=movement.value,
                cost_explanation=[*movement.explanation, note],
            )
        )
        if flow == StockMove.Flow.OUT:
            self.issued_change += movement.value - old_value

    def explain(self, move_id, value, movement, note: dict) -> None:
        """A value-only move keeps its value; its explanation (the cost before and after) is
        rewritten, which is not counted as a change."""
        self.explained.append(
            SimpleNamespace(
                pk=move_id,
                unit_cost=ZERO,
                value=value,
                cost_explanation=[*movement.explanation, note],
            )
        )

    def write(self) -> None:
        write_rows(StockMove, self.changed + self.explained, REPLAYED_FIELDS)


def replay_moves(running: Running, rows, replay: Replay, note: dict) -> list[StockMove]:
    """Feed ``rows`` (moves in valuation order) to ``running``; returns the settlement moves
    that must be created for receipts that now settle stock issued below zero."""
    settled: dict[int, Decimal] = {}
    for row in rows:
        move_id, flow, quantity, value, cost, fixed, reversal_of, origin_type, origin_id = row[:9]
        booking = (origin_type, reversal_of, quantity, row[9:])
        replay.replayed += 1
        if origin_type == SETTLEMENT:  # its receipt, replayed just before, says what it is now
            new = settled.pop(origin_id, ZERO)
            if new != value:
                replay.change(move_id, flow, value, _value_only(new), note, booking)
            continue
        if quantity == 0 and running.quantity <= 0 and value:
            # a value adjustment that finds nothing on hand any more (a move dated before it
            # took the stock): it can revalue nothing, so it no longer carries a value
            replay.change(move_id, flow, value, _value_only(ZERO), note, booking)
            continue
        if quantity == 0:  # its value stands; how it changed the cost is told anew
            movement = running.revalue(value if flow == StockMove.Flow.IN else -value, strict=False)
            replay.explain(move_id, value, movement, note)
            continue
        if flow == StockMove.Flow.IN:
            movement = running.receive(
                quantity, cost if fixed else None, value if fixed else None, source=str(move_id)
            )
            if movement.adjustment:
                settled[move_id] = movement.adjustment
        elif flow == StockMove.Flow.OUT:
            prefer = str(reversal_of) if fixed and reversal_of else None
            movement = running.issue(quantity, value if fixed else None, prefer)
        else:
            movement = running.carry(quantity)
        if movement.value != value or movement.unit_cost != cost:
            replay.change(move_id, flow, value, movement, note, booking)
    missing = {pk: adjustment for pk, adjustment in settled.items() if adjustment}
    return [
        settlement_move(receipt, missing[receipt.pk])
        for receipt in StockMove.objects.filter(pk__in=missing).select_related(
            "from_location", "to_location"
        )
    ]


def _booking(move: StockMove) -> tuple:
    """A new value-only move, as :func:`book_revaluation` takes it."""
    detail = (
        move.business_date,
        move.reason,
        move.from_location.kind,
        move.to_location.kind,
        move.from_warehouse_id,
        move.to_warehouse_id,
    )
    return (move.flow, move.value, move.origin_type, None, move.quantity, detail)


def _value_only(value: Decimal):
    return SimpleNamespace(
        unit_cost=ZERO, value=value, explanation=({"kind": "adjustment", "value": str(value)},)
    )


def revalue_later_moves(
    organization,
    product,
    *,
    since: datetime.date,
    cause: str,
    reference: str = "",
    start: Running | None = None,
    replay: Replay | None = None,
    recorded_from: datetime.date | None = None,
) -> Revaluation | None:
    """Replay every move of ``product`` dated ``since`` or later and store the final valuation.

    ``start``: the valuation at the start of ``since`` when the caller knows it better than the
    ledger (a month close that has just fixed the month's cost).
    """
    row = lock_valuations(organization, [product.pk])[product.pk]
    old_value = row.value
    running = start or running_before(product, since)
    replay = replay or Replay(reference)
    rows = (
        StockMove.objects.filter(product=product, business_date__gte=since)
        .order_by("business_date", "id")
        .values_list(*REPLAY_COLUMNS)
    )
    note = {"kind": "revalued", "cause": cause, "reference": reference}
    settlements = replay_moves(running, rows.iterator(chunk_size=2000), replay, note)
    replay.write()
    StockMove.objects.bulk_create(settlements)
    book_revaluation(
        organization, product, replay.booked + [_booking(m) for m in settlements], reference
    )
    store_running(row, running)
    write_rows(type(row), [row], VALUATION_FIELDS)
    if running.fifo:
        _replace_layers(organization, product, running)
    if not replay.changed and not settlements:
        return None
    return Revaluation.objects.create(
        organization=organization,
        product=product,
        cause=cause,
        reference=reference,
        date_from=recorded_from or since,
        moves_replayed=replay.replayed,
        moves_changed=len(replay.changed) + len(settlements),
        issued_value_change=replay.issued_change,
        stock_value_change=running.value - old_value,
    )


def _replace_layers(organization, product, running: Running) -> None:
    CostLayer.objects.filter(product=product).delete()
    CostLayer.objects.bulk_create(
        [
            CostLayer(
                organization=organization,
                product=product,
                move_id=int(layer.source),
                quantity=layer.quantity,
                value=layer.value,
            )
            for layer in running.state.layers
            if layer.source.isdigit() and layer.quantity > 0
        ]
    )
