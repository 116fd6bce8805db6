"""The only place that takes row locks on stock rows, always in key order.

Writers that lock the same rows in the same order queue instead of deadlocking. Rows that do
not exist yet are created first (a concurrent creator is ignored), then everything is locked in
one ``SELECT … ORDER BY key FOR UPDATE`` per table. On SQLite, whose transactions take the
write lock at BEGIN (``transaction_mode=IMMEDIATE``), writers are serialized anyway.
"""

from django.db.models import Q

from jxc.inventory.models import ProductValuation, StockBalance, WarehouseStock


def lock_balances(organization, keys: dict[tuple, dict]) -> dict[tuple, StockBalance]:
    """``keys``: (product_id, location_id, lot_key) → defaults for a new row."""
    if not keys:
        return {}
    StockBalance.objects.bulk_create(
        [
            StockBalance(
                organization=organization, product_id=p, location_id=loc, lot_key=lot, **defaults
            )
            for (p, loc, lot), defaults in keys.items()
        ],
        ignore_conflicts=True,
    )
    where = Q()
    for product_id, location_id, lot_key in keys:
        where |= Q(product_id=product_id, location_id=location_id, lot_key=lot_key)
    rows = (
        StockBalance.objects.select_for_update()
        .filter(where)
        .order_by("product_id", "location_id", "lot_key")
    )
    return {(b.product_id, b.location_id, b.lot_key): b for b in rows}


def lock_warehouse_stock(organization, keys: dict[tuple, dict]) -> dict[tuple, WarehouseStock]:
    """``keys``: (product_id, warehouse_id) → defaults for a new row."""
    if not keys:
        return {}
    WarehouseStock.objects.bulk_create(
        [
            WarehouseStock(organization=organization, product_id=p, warehouse_id=w, **defaults)
            for (p, w), defaults in keys.items()
        ],
        ignore_conflicts=True,
    )
    where = Q()
    for product_id, warehouse_id in keys:
        where |= Q(product_id=product_id, warehouse_id=warehouse_id)
    rows = (
        WarehouseStock.objects.select_for_update()
        .filter(where)
        .order_by("product_id", "warehouse_id")
    )
    return {(s.product_id, s.warehouse_id): s for s in rows}


def lock_valuations(organization, product_ids) -> dict[int, ProductValuation]:
    product_ids = sorted(set(product_ids))
    if not product_ids:
        return {}
    ProductValuation.objects.bulk_create(
        [ProductValuation(organization=organization, product_id=p) for p in product_ids],
        ignore_conflicts=True,
    )
    rows = (
        ProductValuation.objects.select_for_update()
        .filter(product_id__in=product_ids)
        .order_by("product_id")
    )
    return {v.product_id: v for v in rows}
