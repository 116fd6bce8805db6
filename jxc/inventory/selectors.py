"""Stock figures: on hand, reserved, available to promise, per product, warehouse, location, lot,
now (from the balances) or as of any past date (from the ledger)."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, F, Q, Sum, Value, When
from django.utils.translation import gettext as _

from jxc.core.states import DocumentState
from jxc.inventory.domain.costing import AverageState, Running, money
from jxc.inventory.models import (
    ProductValuation,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockMove,
    WarehouseStock,
)
from jxc.masterdata.models import Currency
from jxc.workflow.domain.rules import DocumentFacts

ZERO = Decimal(0)
COUNT_ORIGIN = "inventory.stockcountline"  # what counts post their moves as


@dataclass(frozen=True)
class Availability:
    on_hand: Decimal
    reserved: Decimal
    frozen: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved - self.frozen


def availability(*, product_id: int, warehouse_id: int) -> Availability:
    """Available to promise at one warehouse: one indexed row read."""
    row = (
        WarehouseStock.objects.filter(product_id=product_id, warehouse_id=warehouse_id)
        .values_list("on_hand", "reserved", "frozen")
        .first()
    )
    return Availability(*row) if row else Availability(ZERO, ZERO, ZERO)


def on_hand(
    *,
    product_id: int,
    warehouse_id: int | None = None,
    location_id: int | None = None,
    lot_id: int | None = None,
    as_of: datetime.date | None = None,
) -> Decimal:
    """On hand now (balances) or at the end of ``as_of`` (ledger: moves in − moves out)."""
    if as_of is None:
        balances = StockBalance.objects.filter(product_id=product_id)
        if warehouse_id:
            balances = balances.filter(warehouse_id=warehouse_id)
        if location_id:
            balances = balances.filter(location_id=location_id)
        if lot_id:
            balances = balances.filter(lot_id=lot_id)
        return balances.aggregate(total=Sum("on_hand"))["total"] or ZERO
    moves = StockMove.objects.filter(product_id=product_id, business_date__lte=as_of)
    if lot_id:
        moves = moves.filter(lot_id=lot_id)
    if location_id:
        inbound, outbound = Q(to_location_id=location_id), Q(from_location_id=location_id)
    elif warehouse_id:
        inbound, outbound = Q(to_warehouse_id=warehouse_id), Q(from_warehouse_id=warehouse_id)
    else:
        inbound = Q(to_location__kind__in=["warehouse", "zone", "bin", "transit"])
        outbound = Q(from_location__kind__in=["warehouse", "zone", "bin", "transit"])
    received = moves.filter(inbound).aggregate(total=Sum("quantity"))["total"] or ZERO
    issued = moves.filter(outbound).aggregate(total=Sum("quantity"))["total"] or ZERO
    return received - issued


# (product_id, warehouse_ids or None) → {warehouse_id: quantity on its way there}
IncomingSource = Callable[[int, list[int] | None], dict[int, Decimal]]
_incoming_sources: list[IncomingSource] = []


def register_incoming_source(source: IncomingSource) -> None:
    """Modules above inventory (purchasing: open purchase orders) add what they expect in."""
    if source not in _incoming_sources:
        _incoming_sources.append(source)


def _transfers_in_transit(product_id: int, warehouse_ids: list[int] | None) -> dict[int, Decimal]:
    lines = StockDocumentLine.objects.filter(
        product_id=product_id,
        document__kind="transfer",
        document__state=DocumentState.IN_TRANSIT,
    )
    if warehouse_ids is not None:
        lines = lines.filter(document__to_warehouse_id__in=warehouse_ids)
    per_warehouse = lines.values("document__to_warehouse_id").annotate(q=Sum("base_quantity"))
    return dict(per_warehouse.values_list("document__to_warehouse_id", "q"))


def incoming(*, product_id: int, warehouse_ids: list[int] | None = None) -> dict[int, Decimal]:
    """Quantity on its way to each warehouse: two-step transfers shipped and not yet received,
    plus every registered source. Projected = available + incoming."""
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for source in [_transfers_in_transit, *_incoming_sources]:
        for warehouse, quantity in source(product_id, warehouse_ids).items():
            totals[warehouse] += Decimal(quantity)
    return dict(totals)


def transfers_in_transit(organization, warehouse_id: int | None = None) -> dict[tuple, Decimal]:
    """Per (product, destination warehouse): shipped by a two-step transfer, not yet received
    (the set-based twin of the transfers counted by :func:`incoming`)."""
    lines = StockDocumentLine.objects.filter(
        document__organization=organization,
        document__kind="transfer",
        document__state=DocumentState.IN_TRANSIT,
    )
    if warehouse_id is not None:
        lines = lines.filter(document__to_warehouse_id=warehouse_id)
    rows = lines.values("product_id", "document__to_warehouse_id").annotate(q=Sum("base_quantity"))
    return {(r["product_id"], r["document__to_warehouse_id"]): r["q"] for r in rows}


# (organization, warehouse_id or None) → {(product_id, warehouse_id): confirmed demand that no
# reservation covers yet}
DemandSource = Callable[[object, int | None], dict[tuple[int, int], Decimal]]
_demand_sources: list[DemandSource] = []


def register_demand_source(source: DemandSource) -> None:
    """Modules above inventory (sales: confirmed orders not reserved, e.g. backorders kept
    without a reservation) add the demand that replenishment must cover on top of the
    reservations, which are already taken out of what is available."""
    if source not in _demand_sources:
        _demand_sources.append(source)


def unreserved_demand(organization, warehouse_id: int | None = None) -> dict[tuple, Decimal]:
    """Per (product, warehouse): the registered sources' confirmed demand not covered by a
    reservation."""
    totals: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for source in _demand_sources:
        for key, quantity in source(organization, warehouse_id).items():
            totals[key] += Decimal(quantity)
    return dict(totals)


def current_unit_cost(product) -> Decimal:
    """What one unit of the product is worth now, by the rule the valuation applies to stock
    that comes in without a cost (a count's gain): the average of the stock on hand, else the
    last cost, else the purchase price. Reads ``product.valuation`` (prefetch it)."""
    try:
        row = product.valuation
    except ProductValuation.DoesNotExist:
        return Running(AverageState(), fallback_cost=product.purchase_price).current_cost
    state = AverageState(row.quantity, row.value)
    return Running(state, row.last_cost, product.purchase_price).current_cost


def stock_document_facts(document: StockDocument) -> DocumentFacts:
    """What approval rules read of a stock document: its value in the base currency, its
    warehouse and its products' categories. A receipt is valued at the unit costs entered (per
    base unit, as posting books them), an issue or transfer at what the goods are worth now;
    a line without a cost counts at the current cost, as posting would value it."""
    lines = list(document.lines.select_related("product__valuation").order_by("position", "pk"))
    amount = Decimal(0)
    for line in lines:
        cost = line.unit_cost if document.kind == StockDocument.Kind.RECEIPT else None
        cost = current_unit_cost(line.product) if cost is None else cost
        amount += line.base_quantity * cost
    currency = Currency.objects.filter(organization_id=document.organization_id, is_base=True)
    return DocumentFacts(
        number=document.number,  # blank until posted: approvers see the type and the id
        summary=_stock_document_summary(document, lines),
        amount=money(amount),
        currency=currency.values_list("code", flat=True).first() or "",
        warehouse=document.warehouse_id,
        categories=frozenset(line.product.category_id for line in lines) - {None},
    )


def _stock_document_summary(document: StockDocument, lines) -> str:
    """What an approver reads first: 报损 · 一号仓 (→ 二号仓) · 螺丝刀 等 3 种商品."""
    parts = [document.get_reason_display(), document.warehouse.name]
    if document.to_warehouse_id:
        parts[-1] += f" → {document.to_warehouse.name}"
    products = list(dict.fromkeys(line.product.name for line in lines))
    if len(products) > 1:
        parts.append(
            _("%(product)s etc. (%(n)d products)") % {"product": products[0], "n": len(products)}
        )
    elif products:
        parts.append(products[0])
    return " · ".join(str(part) for part in parts if part)


def posted_count_values(stock_counts) -> dict[int, tuple[Decimal, Decimal]]:
    """Per line of the posted counts among ``stock_counts``: the quantity and value (gains +,
    losses −) its moves booked, in one query."""
    done = [c for c in stock_counts if c.state == DocumentState.DONE]
    if not done:
        return {}
    locations = {line.pk: line.location_id for c in done for line in c.lines.all()}
    moves = StockMove.objects.filter(
        organization_id__in={c.organization_id for c in done},
        business_date__in={c.business_date for c in done},
        reference__in=[c.number for c in done],
        origin_type=COUNT_ORIGIN,
    ).values_list("origin_id", "to_location_id", "quantity", "value")
    lines: dict[int, tuple[Decimal, Decimal]] = {}
    for line_id, to_location, quantity, value in moves:
        if line_id not in locations:
            continue
        sign = 1 if to_location == locations[line_id] else -1
        before = lines.get(line_id, (ZERO, ZERO))
        lines[line_id] = (before[0] + quantity, before[1] + sign * value)
    return lines


def low_stock(organization):
    """Per product and warehouse, stock at or below the product's reorder point or safety stock
    (what is available: on hand − reserved − frozen), or above its maximum; annotated with
    ``available_quantity`` and ``status`` (below_safety, reorder, above_max), the most urgent first."""
    rows = WarehouseStock.objects.filter(organization=organization).annotate(
        available_quantity=F("on_hand") - F("reserved") - F("frozen")
    )
    below_safety = Q(
        product__safety_stock__gt=0, available_quantity__lte=F("product__safety_stock")
    )
    reorder = Q(product__reorder_point__gt=0, available_quantity__lte=F("product__reorder_point"))
    above_max = Q(product__max_stock__isnull=False, on_hand__gt=F("product__max_stock"))
    return (
        rows.filter(below_safety | reorder | above_max)
        .annotate(
            status=Case(
                When(below_safety, then=Value("below_safety")),
                When(reorder, then=Value("reorder")),
                default=Value("above_max"),
                output_field=CharField(),
            ),
            urgency=Case(
                When(below_safety, then=Value(0)),
                When(reorder, then=Value(1)),
                default=Value(2),
            ),
        )
        .order_by("urgency", "product__code", "warehouse__code")
    )


def expiring_stock(organization, *, within_days: int, today: datetime.date):
    """Lots with stock that expire within ``within_days`` of ``today`` (or have expired), the
    first to expire first."""
    return (
        StockBalance.objects.filter(
            organization=organization,
            on_hand__gt=0,
            lot__expiry_date__lte=today + datetime.timedelta(days=within_days),
        )
        .select_related("product__base_unit", "lot", "location", "warehouse")
        .order_by("lot__expiry_date", "product__code", "location__code")
    )
