"""The only place that takes row locks on stock rows, always in key order.

Writers that lock the same rows in the same order queue instead of deadlocking. Rows that do
not exist yet are created first (a concurrent creator is ignored), then everything is locked in
one ``SELECT … ORDER BY key FOR UPDATE`` per table. On SQLite, whose transactions take the
write lock at BEGIN (``transaction_mode=IMMEDIATE``), writers are serialized anyway.
"""

from django.db import connections, router
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


def write_rows(model, rows, fields: list[str]) -> None:
    """Save ``fields`` of already-locked rows with one prepared statement per table.

    ``bulk_update`` builds a ``CASE WHEN id = … THEN …`` per field and row, which costs more
    Python than the write itself on this hot path; a parameterized UPDATE run for each row
    (``executemany``) sends the same values with one statement.
    """
    rows = list(rows)
    if not rows:
        return
    meta = model._meta
    columns = [meta.get_field(name) for name in fields]
    connection = connections[router.db_for_write(model)]
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        connection.ops.quote_name(meta.db_table),
        ", ".join(f"{connection.ops.quote_name(c.column)} = %s" for c in columns),
        connection.ops.quote_name(meta.pk.column),
    )
    params = [
        [c.get_db_prep_save(getattr(row, c.attname), connection) for c in columns] + [row.pk]
        for row in rows
    ]
    if connection.vendor == "postgresql" and len(params) > BATCH:
        _update_from_values(connection, meta, columns, params)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


BATCH = 1000


def _update_from_values(connection, meta, columns, params) -> None:
    """Many rows on PostgreSQL (a re-valuation): one ``UPDATE … FROM (VALUES …)`` per thousand
    rows instead of a round trip per row."""
    quote = connection.ops.quote_name
    casts = [c.db_type(connection) for c in columns] + [meta.pk.rel_db_type(connection)]
    names = [quote(c.column) for c in columns]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(params), BATCH):
            chunk = params[start : start + BATCH]
            cursor.execute(
                "UPDATE {table} AS t SET {sets} FROM (VALUES {rows}) AS v({names}, jxc_pk) "
                "WHERE t.{pk} = v.jxc_pk".format(
                    table=quote(meta.db_table),
                    sets=", ".join(f"{name} = v.{name}" for name in names),
                    rows=", ".join([row_sql] * len(chunk)),
                    names=", ".join(names),
                    pk=quote(meta.pk.column),
                ),
                [value for row in chunk for value in row],
            )
