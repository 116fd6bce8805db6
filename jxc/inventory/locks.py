"""The only place that takes row locks on stock rows, always in key order.

Writers that lock the same rows in the same order queue instead of deadlocking. Everything is
locked with one ``SELECT … ORDER BY key FOR UPDATE`` per table; rows that do not exist yet are
created first (a concurrent creator is ignored). On SQLite, whose transactions take the
write lock at BEGIN (``transaction_mode=IMMEDIATE``), writers are serialized anyway.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router
from django.db.models import JSONField

from jxc.inventory.models import ProductValuation, StockBalance, WarehouseStock


def lock_balances(organization, keys: dict[tuple, dict]) -> dict[tuple, StockBalance]:
    """``keys``: (product_id, location_id, lot_key) → defaults for a new row."""
    return _lock(StockBalance, organization, ("product_id", "location_id", "lot_key"), keys)


def lock_warehouse_stock(organization, keys: dict[tuple, dict]) -> dict[tuple, WarehouseStock]:
    """``keys``: (product_id, warehouse_id) → defaults for a new row."""
    return _lock(WarehouseStock, organization, ("product_id", "warehouse_id"), keys)


def lock_valuations(organization, product_ids) -> dict[int, ProductValuation]:
    keys = {(p,): {} for p in sorted(set(product_ids))}
    rows = _lock(ProductValuation, organization, ("product_id",), keys)
    return {key[0]: row for key, row in rows.items()}


def _lock(model, organization, key_fields: tuple, keys: dict[tuple, dict]) -> dict:
    """Lock the rows in key order, creating the missing ones first.

    Most postings touch rows that exist: they lock them with one statement. When some are
    missing, those are inserted (a concurrent creator is ignored) and the whole set is locked
    again, still in key order, so the lock order never depends on which rows were new. Written
    by hand because on this path (every posting) building the statements through the ORM costs
    more than running them."""
    if not keys:
        return {}
    connection = connections[router.db_for_write(model)]
    locked = _select_for_update(connection, model, key_fields, keys)
    # inserted in key order too: two postings creating the same rows queue on the first
    missing = {key: keys[key] for key in sorted(keys) if key not in locked}
    if missing:
        _insert_missing(connection, model, organization, key_fields, missing)
        locked = _select_for_update(connection, model, key_fields, keys)
    return locked


def _insert_missing(connection, model, organization, key_fields, missing: dict) -> None:
    quote = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    new_rows = [
        model(organization=organization, **dict(zip(key_fields, key, strict=True)), **defaults)
        for key, defaults in missing.items()
    ]
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(model._meta.db_table)} "
            f"({', '.join(quote(f.column) for f in fields)}) "
            f"VALUES {', '.join([one_row] * len(new_rows))} ON CONFLICT DO NOTHING",
            [
                f.get_db_prep_save(getattr(row, f.attname), connection)
                for row in new_rows
                for f in fields
            ],
        )


def _select_for_update(connection, model, key_fields, keys) -> dict:
    quote = connection.ops.quote_name
    meta = model._meta
    select = [meta.pk, *(f for f in meta.concrete_fields if not f.primary_key)]
    key_columns = ", ".join(quote(meta.get_field(k).column) for k in key_fields)
    one_key = "(" + ", ".join(["%s"] * len(key_fields)) + ")"
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quote(f.column) for f in select)} FROM {quote(meta.db_table)} "
            f"WHERE ({key_columns}) IN (VALUES {', '.join([one_key] * len(keys))}) "
            f"ORDER BY {key_columns}{lock}",
            [part for key in keys for part in key],
        )
        fetched = cursor.fetchall()
    columns_read = [f.get_col(meta.db_table) for f in select]
    converters = [
        (i, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
        for i, col in enumerate(columns_read)
    ]
    names = [f.attname for f in select]
    locked = {}
    for values in fetched:
        values = list(values)
        for i, functions in converters:
            for convert in functions:
                values[i] = convert(values[i], columns_read[i], connection)
        row = model.from_db(connection.alias, names, values)
        locked[tuple(getattr(row, k) for k in key_fields)] = row
    return locked


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
    if connection.vendor == "postgresql" and len(rows) > MANY:
        _update_from_json(connection, meta, columns, rows)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


MANY = 100


def _as_json(field, value):
    if value is None or isinstance(field, JSONField) or isinstance(value, bool | int):
        return value
    return str(value)  # decimals and dates: their text is what PostgreSQL reads back


def _update_from_json(connection, meta, columns, rows) -> None:
    """Many rows on PostgreSQL (a re-valuation): one ``UPDATE … FROM jsonb_to_recordset``, the
    rows travelling as one JSON parameter, instead of a round trip per row."""
    quote = connection.ops.quote_name
    names = [quote(c.column) for c in columns]
    records = [
        {
            **{c.column: _as_json(c, getattr(row, c.attname)) for c in columns},
            "jxc_pk": row.pk,
        }
        for row in rows
    ]
    encoder = DjangoJSONEncoder
    sql = (
        "UPDATE {table} AS t SET {sets} FROM jsonb_to_recordset(%s::jsonb) AS v({types}, "
        "jxc_pk bigint) WHERE t.{pk} = v.jxc_pk"
    ).format(
        table=quote(meta.db_table),
        sets=", ".join(f"{name} = v.{name}" for name in names),
        types=", ".join(
            f"{name} {c.db_type(connection)}" for name, c in zip(names, columns, strict=True)
        ),
        pk=quote(meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [json.dumps(records, cls=encoder)])
