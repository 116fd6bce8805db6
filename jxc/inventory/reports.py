"""Stock reports: the ledger of one product (库存台账) and the period summary (进销存汇总表).

The summary reads month-end snapshots (:class:`StockMonthClose`) for the opening figures and
only the moves inside the period, so it stays fast however long the history grows. Snapshots
are built on demand, month after month from the previous one, and dropped from the month of any
back-dated move on (see :func:`forget_month_closes`).
"""

import datetime
import json
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Max, Min, Q, Sum, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from jxc.core.batch import fetch
from jxc.inventory.domain.costing import money, quantity4
from jxc.inventory.models import StockMonthClose, StockMove

ZERO = Decimal(0)
LEDGER_LIMIT = 5000
FLOW_FIELDS = ("in_quantity", "in_value", "out_quantity", "out_value")
NO_FLOW = (ZERO, ZERO, ZERO, ZERO)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


# the kinds of move the summary splits its flows by, with their labels; modules register theirs
# (purchasing: goods receipts and returns; sales: deliveries and returns)
MOVE_KINDS: dict[str, object] = {}


def register_move_kind(code: str, label) -> None:
    MOVE_KINDS[code] = label


def flow_kind(origin_type: str, flow: str) -> str:
    """The column of the summary a move falls in: a transfer between warehouses, or what made
    it (its origin: a document line type such as ``inventory.stockcountline``)."""
    return "transfer" if flow == StockMove.Flow.INTERNAL else (origin_type or "other")


def _flows(moves) -> tuple[dict[tuple, list], dict[tuple, dict]]:
    """(product, warehouse) → [quantity in, value in, quantity out, value out], and the same
    per kind of move (:func:`flow_kind`), leaving out moves within one warehouse."""
    totals = defaultdict(lambda: [ZERO, ZERO, ZERO, ZERO])
    kinds: dict[tuple, dict] = defaultdict(dict)
    crossing = moves.exclude(from_warehouse_id=F("to_warehouse_id"))
    for side, offset in (("to_warehouse_id", 0), ("from_warehouse_id", 2)):
        rows = (
            crossing.filter(**{f"{side}__isnull": False})
            .values("product_id", side, "origin_type", "flow")
            .annotate(q=Sum("quantity"), v=Sum("value"))
            .values_list("product_id", side, "origin_type", "flow", "q", "v")
        )
        for product_id, warehouse_id, origin_type, flow, q, v in rows:
            quantity, value = quantity4(q), money(Decimal(v))
            key = (product_id, warehouse_id)
            entry = totals[key]
            entry[offset] += quantity
            entry[offset + 1] += value
            kind = kinds[key].setdefault(flow_kind(origin_type, flow), [ZERO, ZERO, ZERO, ZERO])
            kind[offset] += quantity
            kind[offset + 1] += value
    return totals, kinds


def _moves_between(organization, first: datetime.date, last: datetime.date):
    return StockMove.objects.filter(
        organization=organization, business_date__gte=first, business_date__lte=last
    )


@transaction.atomic
def ensure_month_closes(organization, before: datetime.date) -> None:
    """Build the missing month-end snapshots for every month that ends before ``before``."""
    target = month_start(before)
    last = StockMonthClose.objects.filter(organization=organization).aggregate(m=Max("month"))["m"]
    if last is None:
        first_move = StockMove.objects.filter(organization=organization).aggregate(
            d=Min("business_date")
        )["d"]
        if first_move is None:
            return
        month, closing = month_start(first_move), {}
    else:
        month = next_month(last)
        if month >= target:
            return  # every snapshot asked for is there
        closing = {
            (p, w): [q, v]
            for p, w, q, v in StockMonthClose.objects.filter(
                organization=organization, month=last
            ).values_list("product_id", "warehouse_id", "quantity", "value")
        }
    while month < target:
        month_end = next_month(month) - datetime.timedelta(days=1)
        flows, kinds = _flows(_moves_between(organization, month, month_end))
        for key, (q_in, v_in, q_out, v_out) in flows.items():
            entry = closing.setdefault(key, [ZERO, ZERO])
            entry[0] += q_in - q_out
            entry[1] += v_in - v_out
        StockMonthClose.objects.bulk_create(
            [
                StockMonthClose(
                    organization=organization,
                    product_id=p,
                    warehouse_id=w,
                    month=month,
                    quantity=q,
                    value=v,
                    **dict(zip(FLOW_FIELDS, flows.get((p, w), NO_FLOW), strict=True)),
                    flows_by_kind=_as_json(kinds.get((p, w), {})),
                )
                for (p, w), (q, v) in closing.items()
                if q or v or (p, w) in flows
            ],
            batch_size=2000,
        )
        closing = {k: v for k, v in closing.items() if v[0] or v[1]}
        month = next_month(month)


def forget_month_closes(organization, since: datetime.date) -> None:
    """A move dated ``since`` changes every month-end from its month on."""
    connection = transaction.get_connection()
    fetch(connection, *forget_month_closes_statement(connection, organization, since))


def forget_month_closes_statement(connection, organization, since: datetime.date) -> tuple:
    """:func:`forget_month_closes` as a statement, for a posting to run with its writes."""
    return (
        f"DELETE FROM {connection.ops.quote_name(StockMonthClose._meta.db_table)} "
        "WHERE organization_id = %s AND month >= %s",
        [organization.pk, month_start(since)],
    )


def _opening(organization, day: datetime.date, warehouse_id=None) -> dict[tuple, list]:
    """Quantity and value per (product, warehouse) at the start of ``day``."""
    ensure_month_closes(organization, day)
    previous = month_start(day) - datetime.timedelta(days=1)
    closes = StockMonthClose.objects.filter(organization=organization, month=month_start(previous))
    if warehouse_id:
        closes = closes.filter(warehouse_id=warehouse_id)
    opening = {
        (p, w): [q, v]
        for p, w, q, v in closes.values_list("product_id", "warehouse_id", "quantity", "value")
    }
    if day > month_start(day):
        moves = _moves_between(organization, month_start(day), day - datetime.timedelta(days=1))
        for key, (q_in, v_in, q_out, v_out) in _flows(moves)[0].items():
            if warehouse_id and key[1] != warehouse_id:
                continue
            entry = opening.setdefault(key, [ZERO, ZERO])
            entry[0] += q_in - q_out
            entry[1] += v_in - v_out
    return opening


def _whole_past_months(date_from: datetime.date, date_to: datetime.date) -> bool:
    return (
        date_from.day == 1
        and next_month(date_to) - datetime.timedelta(days=1) == date_to
        and month_start(date_to) < month_start(timezone.localdate())
    )


def _snapshot_flows(organization, date_from, date_to, warehouse_id) -> tuple[dict, dict]:
    ensure_month_closes(organization, date_to + datetime.timedelta(days=1))
    closes = StockMonthClose.objects.filter(
        organization=organization, month__gte=date_from, month__lte=date_to
    )
    if warehouse_id:
        closes = closes.filter(warehouse_id=warehouse_id)
    flows: dict[tuple, list] = {}
    kinds: dict[tuple, dict] = {}
    one_month = month_start(date_from) == month_start(date_to)
    # the kinds come as JSON text: a one-month summary hands it on unparsed, so only the rows
    # shown (a page) pay for parsing it
    for product_id, warehouse, by_kind, *figures in closes.values_list(
        "product_id", "warehouse_id", Cast("flows_by_kind", TextField()), *FLOW_FIELDS
    ):
        key = (product_id, warehouse)
        if one_month:  # one snapshot per key: nothing to add up
            flows[key], kinds[key] = figures, by_kind
            continue
        _add(flows.setdefault(key, [ZERO, ZERO, ZERO, ZERO]), figures)
        entry = kinds.setdefault(key, {})
        for kind, figures_of_kind in json.loads(by_kind).items():
            _add(entry.setdefault(kind, [ZERO, ZERO, ZERO, ZERO]), map(Decimal, figures_of_kind))
    if not one_month:
        kinds = {key: _as_json(by_kind) for key, by_kind in kinds.items()}
    return flows, kinds


def _add(into: list, figures) -> None:
    for i, figure in enumerate(figures):
        into[i] += figure


def _as_json(kinds: dict) -> dict:
    return {kind: [str(f) for f in figures] for kind, figures in kinds.items()}


def kinds_of(row: dict) -> dict:
    """A summary row's flows per kind of move, parsed if they came as JSON text."""
    by_kind = row["by_kind"]
    return json.loads(by_kind) if isinstance(by_kind, str) else by_kind


def stock_summary(
    organization,
    *,
    date_from: datetime.date,
    date_to: datetime.date,
    warehouse_id: int | None = None,
) -> list[dict]:
    """进销存汇总表: opening + in − out = closing, per product and warehouse.

    Whole months that have ended are read from the month-end snapshots alone; any other range
    sums the moves inside it.
    """
    opening = _opening(organization, date_from, warehouse_id)
    if _whole_past_months(date_from, date_to):
        flows, kinds = _snapshot_flows(organization, date_from, date_to, warehouse_id)
    else:
        moves = _moves_between(organization, date_from, date_to)
        if warehouse_id:
            moves = moves.filter(
                Q(from_warehouse_id=warehouse_id) | Q(to_warehouse_id=warehouse_id)
            )
        flows, kinds = _flows(moves)
        kinds = {key: _as_json(by_kind) for key, by_kind in kinds.items()}
    rows = []
    for key in sorted(set(opening) | set(flows)):
        if warehouse_id and key[1] != warehouse_id:
            continue
        o_q, o_v = opening.get(key, [ZERO, ZERO])
        q_in, v_in, q_out, v_out = flows.get(key, [ZERO, ZERO, ZERO, ZERO])
        if not (o_q or o_v or q_in or q_out):
            continue
        rows.append(
            {
                "product_id": key[0],
                "warehouse_id": key[1],
                "opening_quantity": o_q,
                "opening_value": o_v,
                "in_quantity": q_in,
                "in_value": v_in,
                "out_quantity": q_out,
                "out_value": v_out,
                "closing_quantity": o_q + q_in - q_out,
                "closing_value": o_v + v_in - v_out,
                # per kind of move: [q in, v in, q out, v out] as exact decimal text, or the
                # JSON text of that (see :func:`kinds_of`)
                "by_kind": kinds.get(key, {}),
            }
        )
    return rows


def stock_ledger(
    organization,
    *,
    product_id: int,
    warehouse_id: int | None,
    date_from: datetime.date,
    date_to: datetime.date,
) -> dict:
    """库存台账: the moves of one product (at one warehouse) with a running balance."""
    opening = _opening(organization, date_from, warehouse_id)
    opening_quantity = sum((v[0] for k, v in opening.items() if k[0] == product_id), ZERO)
    moves = _moves_between(organization, date_from, date_to).filter(product_id=product_id)
    if warehouse_id:
        moves = moves.filter(Q(from_warehouse_id=warehouse_id) | Q(to_warehouse_id=warehouse_id))
    moves = moves.exclude(from_warehouse_id=F("to_warehouse_id")).order_by("business_date", "id")[
        :LEDGER_LIMIT
    ]
    balance, rows = opening_quantity, []
    for move in moves:
        entering = (
            (move.to_warehouse_id == warehouse_id)
            if warehouse_id
            else (move.to_warehouse_id is not None)
        )
        quantity_in = move.quantity if entering else ZERO
        quantity_out = ZERO if entering else move.quantity
        balance += quantity_in - quantity_out
        rows.append(
            {
                "id": move.pk,
                "business_date": move.business_date,
                "reference": move.reference,
                "origin_type": move.origin_type,
                "quantity_in": quantity_in,
                "quantity_out": quantity_out,
                "balance": balance,
                "value_in": move.value if entering else ZERO,
                "value_out": ZERO if entering else move.value,
            }
        )
    return {
        "opening": opening_quantity,
        "closing": balance,
        "rows": rows,
        "truncated": len(rows) == LEDGER_LIMIT,
    }
