"""Purchase suggestions (采购建议): what to buy, per product and warehouse, from the reorder
rules (补货规则) or, where a product has no rule for a warehouse, from the figures of its
master data. Computed set-based: a handful of queries for all products, then plain Python.

The rule is Odoo's min/max reordering rule (``stock.warehouse.orderpoint``):

- projected = available (on hand − reserved − frozen) + incoming (purchase orders not yet
  received, drafts included so that orders made from suggestions are not suggested again,
  and transfers in transit) − confirmed demand no reservation covers (registered with
  inventory by sales);
- a line is suggested when projected ≤ the reorder point or < the safety stock;
- it orders up to the maximum when there is one (Odoo's ``product_max_qty``), else up to the
  reorder point plus the reorder quantity (so the reorder quantity is what is bought when
  stock just reached the reorder point, more when it fell further); never below the safety
  stock: quantity = target − projected;
- then at least the minimum order quantity, rounded up to a multiple of the pack size
  (Odoo's ``qty_multiple``); expected on today + the lead time.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal

from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.states import DocumentState as S
from jxc.inventory.models import WarehouseStock
from jxc.inventory.selectors import transfers_in_transit, unreserved_demand
from jxc.masterdata.models import Partner, Product, Warehouse
from jxc.purchasing.models import PurchaseOrderLine, ReorderRule
from jxc.purchasing.services.common import plain

ZERO = Decimal(0)
# orders whose open quantity is expected in (drafts too: an order made from a suggestion)
EXPECTED_ORDER_STATES = (S.DRAFT, S.SUBMITTED, S.APPROVED, S.PARTIALLY_DONE)


@dataclass(frozen=True)
class Rule:
    product_id: int
    warehouse_id: int
    safety_stock: Decimal
    reorder_point: Decimal
    reorder_quantity: Decimal
    max_stock: Decimal | None
    lead_time_days: int = 0
    min_order_quantity: Decimal = ZERO
    pack_size: Decimal = Decimal(1)
    supplier_id: int | None = None
    rule_id: int | None = None  # None: the product's master data


@dataclass
class Suggestion:
    product_id: int
    product_code: str
    product_name: str
    unit_name: str
    warehouse_id: int
    warehouse_name: str
    supplier_id: int | None
    supplier_name: str
    rule_id: int | None
    on_hand: Decimal
    available: Decimal
    incoming: Decimal
    demand: Decimal
    projected: Decimal
    safety_stock: Decimal
    reorder_point: Decimal
    max_stock: Decimal | None
    lead_time_days: int
    quantity: Decimal
    expected_date: datetime.date
    reason: str


def suggested_quantity(rule: Rule, projected: Decimal) -> Decimal:
    """What to order for ``projected`` under ``rule``; zero when nothing is needed."""
    if not (projected <= rule.reorder_point or projected < rule.safety_stock):
        return ZERO
    if rule.max_stock is not None:
        target = max(rule.max_stock, rule.reorder_point)
    else:
        target = rule.reorder_point + rule.reorder_quantity
    quantity = max(target, rule.safety_stock) - projected
    if quantity <= 0:
        return ZERO
    quantity = max(quantity, rule.min_order_quantity)
    if rule.pack_size > 0:
        packs = (quantity / rule.pack_size).to_integral_value(rounding=ROUND_CEILING)
        quantity = packs * rule.pack_size
    return quantity.quantize(Decimal("0.0001"), rounding=ROUND_CEILING)


def _rules(organization, warehouse_id: int | None) -> dict[tuple, Rule]:
    """The active rules, then the products' own figures for every warehouse holding a stock
    row of theirs and no rule (a rule switched off means: no suggestion there)."""
    rules: dict[tuple, Rule] = {}
    covered: set[tuple] = set()
    explicit = ReorderRule.objects.filter(
        organization=organization, product__is_active=True, warehouse__is_active=True
    )
    if warehouse_id is not None:
        explicit = explicit.filter(warehouse_id=warehouse_id)
    for r in explicit.values(
        "id", "product_id", "warehouse_id", "safety_stock", "reorder_point", "reorder_quantity",
        "max_stock", "lead_time_days", "min_order_quantity", "pack_size", "supplier_id",
        "is_active", "product__default_supplier_id",
    ):  # fmt: skip
        key = (r["product_id"], r["warehouse_id"])
        covered.add(key)
        if r["is_active"]:
            rules[key] = Rule(
                *key, r["safety_stock"], r["reorder_point"], r["reorder_quantity"],
                r["max_stock"], r["lead_time_days"], r["min_order_quantity"], r["pack_size"],
                r["supplier_id"] or r["product__default_supplier_id"], r["id"],
            )  # fmt: skip
    stocks = WarehouseStock.objects.filter(
        Q(product__safety_stock__gt=0)
        | Q(product__reorder_point__gt=0)
        | Q(product__max_stock__isnull=False),
        organization=organization,
        product__is_active=True,
        warehouse__is_active=True,
    )
    if warehouse_id is not None:
        stocks = stocks.filter(warehouse_id=warehouse_id)
    for r in stocks.values(
        "product_id", "warehouse_id", "product__safety_stock", "product__reorder_point",
        "product__reorder_quantity", "product__max_stock", "product__default_supplier_id",
    ):  # fmt: skip
        key = (r["product_id"], r["warehouse_id"])
        if key not in covered:
            rules[key] = Rule(
                *key, r["product__safety_stock"], r["product__reorder_point"],
                r["product__reorder_quantity"], r["product__max_stock"],
                supplier_id=r["product__default_supplier_id"],
            )  # fmt: skip
    return rules


def _incoming(organization, warehouse_id: int | None) -> dict[tuple, Decimal]:
    lines = PurchaseOrderLine.objects.filter(
        order__organization=organization,
        order__state__in=EXPECTED_ORDER_STATES,
        received_quantity__lt=F("base_quantity"),
    )
    if warehouse_id is not None:
        lines = lines.filter(order__warehouse_id=warehouse_id)
    totals: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for r in lines.values("product_id", "order__warehouse_id").annotate(
        q=Sum(F("base_quantity") - F("received_quantity"))
    ):
        totals[(r["product_id"], r["order__warehouse_id"])] += r["q"]
    for key, quantity in transfers_in_transit(organization, warehouse_id).items():
        totals[key] += quantity
    return totals


def _reason(*, available, incoming, demand, rule: Rule) -> str:
    text = _(
        "available %(available)s, reorder point %(reorder)s, safety stock %(safety)s, "
        "incoming %(incoming)s, open demand %(demand)s, lead time %(days)d days"
    ) % {
        "available": plain(available),
        "reorder": plain(rule.reorder_point),
        "safety": plain(rule.safety_stock),
        "incoming": plain(incoming),
        "demand": plain(demand),
        "days": rule.lead_time_days,
    }
    if rule.max_stock is not None:
        text += _(", maximum %(maximum)s") % {"maximum": plain(rule.max_stock)}
    if rule.min_order_quantity > 0:
        text += _(", minimum order %(moq)s") % {"moq": plain(rule.min_order_quantity)}
    if rule.pack_size != 1:
        text += _(", pack of %(pack)s") % {"pack": plain(rule.pack_size)}
    if rule.rule_id is None:
        text += _(" (product master data)")
    return text


def purchase_suggestions(
    organization, warehouse=None, supplier=None, *, today: datetime.date | None = None
) -> list[dict]:
    """Suggestions grouped by supplier: ``[{"supplier", "supplier_name", "lines"}]``, the
    suppliers by name and the lines without a supplier last, in a group of their own."""
    today = today or timezone.localdate()
    warehouse_id = getattr(warehouse, "pk", warehouse)
    supplier_id = getattr(supplier, "pk", supplier)
    rules = _rules(organization, warehouse_id)
    if supplier_id is not None:
        rules = {k: r for k, r in rules.items() if r.supplier_id == supplier_id}
    if not rules:
        return []
    stock = {
        (r["product_id"], r["warehouse_id"]): r
        for r in WarehouseStock.objects.filter(organization=organization)
        .filter(**({"warehouse_id": warehouse_id} if warehouse_id is not None else {}))
        .values("product_id", "warehouse_id", "on_hand", "reserved", "frozen")
    }
    incoming = _incoming(organization, warehouse_id)
    demand = unreserved_demand(organization, warehouse_id)
    found: list[tuple[Rule, dict]] = []
    for key, rule in rules.items():
        row = stock.get(key)
        on_hand = row["on_hand"] if row else ZERO
        available = on_hand - row["reserved"] - row["frozen"] if row else ZERO
        coming, wanted = incoming.get(key, ZERO), demand.get(key, ZERO)
        projected = available + coming - wanted
        quantity = suggested_quantity(rule, projected)
        if quantity > 0:
            figures = {"on_hand": on_hand, "available": available, "incoming": coming,
                       "demand": wanted, "projected": projected, "quantity": quantity}  # fmt: skip
            found.append((rule, figures))
    return _grouped(organization, found, today)


def _grouped(organization, found, today) -> list[dict]:
    products = {
        p["id"]: p
        for p in Product.objects.filter(id__in={r.product_id for r, _f in found}).values(
            "id", "code", "name", "base_unit__name"
        )
    }
    warehouses = dict(Warehouse.objects.filter(organization=organization).values_list("id", "name"))
    # an inactive supplier (or a partner that is no supplier) cannot be ordered from: such
    # lines go with those without a supplier, for the user to choose one
    suppliers = dict(
        Partner.objects.filter(
            organization=organization,
            id__in={r.supplier_id for r, _f in found} - {None},
            is_active=True,
            is_supplier=True,
        ).values_list("id", "name")
    )
    groups: dict[int | None, list[Suggestion]] = defaultdict(list)
    for rule, f in found:
        product = products[rule.product_id]
        if rule.supplier_id not in suppliers:
            rule = replace(rule, supplier_id=None)
        groups[rule.supplier_id].append(
            Suggestion(
                product_id=rule.product_id,
                product_code=product["code"],
                product_name=product["name"],
                unit_name=product["base_unit__name"],
                warehouse_id=rule.warehouse_id,
                warehouse_name=warehouses.get(rule.warehouse_id, ""),
                supplier_id=rule.supplier_id,
                supplier_name=suppliers.get(rule.supplier_id, ""),
                rule_id=rule.rule_id,
                on_hand=f["on_hand"],
                available=f["available"],
                incoming=f["incoming"],
                demand=f["demand"],
                projected=f["projected"],
                safety_stock=rule.safety_stock,
                reorder_point=rule.reorder_point,
                max_stock=rule.max_stock,
                lead_time_days=rule.lead_time_days,
                quantity=f["quantity"],
                expected_date=today + datetime.timedelta(days=rule.lead_time_days),
                reason=_reason(available=f["available"], incoming=f["incoming"],
                               demand=f["demand"], rule=rule),
            )
        )  # fmt: skip
    order = sorted((k for k in groups if k is not None), key=lambda k: (suppliers.get(k, ""), k))
    if None in groups:
        order.append(None)
    return [
        {
            "supplier": key,
            "supplier_name": suppliers.get(key, "") if key else "",
            "lines": sorted(groups[key], key=lambda s: (s.product_code, s.warehouse_name)),
        }
        for key in order
    ]
