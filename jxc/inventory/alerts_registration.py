"""Inventory's alert kinds, registered with workflow when Django starts: low stock (at or
below safety stock or the reorder point), stock above its maximum, and lots expiring within N
days (30 unless the organization sets another). They read the same selectors as the low-stock
and expiring-stock lists, so an alert and its list always agree."""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.inventory.selectors import expiring_stock, low_stock
from jxc.workflow.alert_kinds import AlertKind, Occurrence, register_alert_kind

LOW_STOCK = "inventory.low_stock"
ABOVE_MAXIMUM = "inventory.above_maximum"
EXPIRING_LOTS = "inventory.expiring_lots"
EXPIRING_DAYS = 30


def _quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def low_stock_occurrences(organization, *, threshold=None) -> list[Occurrence]:
    rows = low_stock(organization).filter(status__in=("below_safety", "reorder"))
    return [
        Occurrence(
            key=f"{row.product_id}:{row.warehouse_id}",
            title=_("Low stock: %(product)s in %(warehouse)s")
            % {"product": f"{row.product.code} {row.product.name}",
               "warehouse": row.warehouse.name},
            detail=_("Available %(available)s; safety stock %(safety)s, reorder point "
                     "%(reorder)s, reorder quantity %(quantity)s.")
            % {"available": _quantity(row.available_quantity),
               "safety": _quantity(row.product.safety_stock),
               "reorder": _quantity(row.product.reorder_point),
               "quantity": _quantity(row.product.reorder_quantity)},
            link=f"/inventory/low-stock?product={row.product_id}&warehouse={row.warehouse_id}",
        )
        for row in rows.select_related("product", "warehouse")
    ]  # fmt: skip


def above_maximum_occurrences(organization, *, threshold=None) -> list[Occurrence]:
    rows = low_stock(organization).filter(status="above_max")
    return [
        Occurrence(
            key=f"{row.product_id}:{row.warehouse_id}",
            title=_("Above maximum: %(product)s in %(warehouse)s")
            % {"product": f"{row.product.code} {row.product.name}",
               "warehouse": row.warehouse.name},
            detail=_("On hand %(on_hand)s; maximum %(maximum)s.")
            % {"on_hand": _quantity(row.on_hand), "maximum": _quantity(row.product.max_stock)},
            link=f"/inventory/low-stock?status=above_max&product={row.product_id}",
        )
        for row in rows.select_related("product", "warehouse")
    ]  # fmt: skip


def expiring_lot_occurrences(organization, *, threshold=None) -> list[Occurrence]:
    """One alert per lot and warehouse, however many bins hold it."""
    days = EXPIRING_DAYS if threshold is None else threshold
    today = timezone.localdate()
    lots: dict[tuple, list] = defaultdict(list)
    for balance in expiring_stock(organization, within_days=days, today=today):
        lots[(balance.lot_id, balance.warehouse_id)].append(balance)
    occurrences = []
    for (lot_id, warehouse_id), balances in lots.items():
        first = balances[0]
        left = (first.lot.expiry_date - today).days
        occurrences.append(
            Occurrence(
                key=f"{lot_id}:{warehouse_id}",
                title=_("Lot %(lot)s of %(product)s expires on %(date)s")
                % {"lot": first.lot.code, "product": f"{first.product.code} {first.product.name}",
                   "date": first.lot.expiry_date.isoformat()},
                detail=_("%(days)d days left; on hand %(on_hand)s.")
                % {"days": left,
                   "on_hand": _quantity(sum((b.on_hand for b in balances), Decimal(0)))},
                link=f"/inventory/expiring?product={first.product_id}",
            )
        )  # fmt: skip
    return occurrences


def register_inventory_alerts() -> None:
    for kind in (
        AlertKind(LOW_STOCK, gettext_lazy("Low stock"), scan=low_stock_occurrences,
                  view_permission="inventory.view", link="/inventory/low-stock"),
        AlertKind(ABOVE_MAXIMUM, gettext_lazy("Stock above maximum"),
                  scan=above_maximum_occurrences, view_permission="inventory.view",
                  link="/inventory/low-stock"),
        AlertKind(EXPIRING_LOTS, gettext_lazy("Lots expiring soon"),
                  scan=expiring_lot_occurrences, view_permission="inventory.view",
                  threshold_label=gettext_lazy("days before expiry"),
                  default_threshold=EXPIRING_DAYS, link="/inventory/expiring"),
    ):  # fmt: skip
        register_alert_kind(kind)
