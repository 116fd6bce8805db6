"""The only place that takes row locks on stock rows, always in key order.

Writers that lock the same rows in the same order queue instead of deadlocking. The tables are
locked in one order too (balances, warehouse stock, valuations), each with one
``SELECT … ORDER BY key FOR UPDATE``, all in one round trip; rows that do not exist yet are
created first (a concurrent creator is ignored). On SQLite, whose transactions take the write
lock at BEGIN (``transaction_mode=IMMEDIATE``), writers are serialized anyway.

Written by hand because on this path (every posting) building the statements through the ORM
costs more than running them.
"""

from django.db import connections, router

from jxc.core.batch import (
    column_types,
    insert_statement,
    instances,
    row_source,
    run_statements,
    update_statement,
)
from jxc.inventory.models import ProductValuation, StockBalance, WarehouseStock

BALANCE_KEY = ("product_id", "location_id", "lot_key")
STOCK_KEY = ("product_id", "warehouse_id")
VALUATION_KEY = ("product_id",)


def lock_stock(
    organization, balance_keys=None, stock_keys=None, product_ids=(), *, first=(), after=()
) -> tuple:
    """Lock (creating what is missing) the balances, warehouse stock and valuation rows of a
    posting: ``balance_keys`` (product_id, location_id, lot_key) and ``stock_keys``
    (product_id, warehouse_id) map to the defaults of a new row. Returns the three dicts
    (valuations by product id) and the results of ``first``, statements run before the locks
    in the same round trip (a posting's period check), followed by those of ``after``:
    statements run once the locks are held, in the round trip that takes them (reads of rows
    that only writers holding these locks change, e.g. reservations)."""
    wanted = [
        (StockBalance, BALANCE_KEY, balance_keys or {}),
        (WarehouseStock, STOCK_KEY, stock_keys or {}),
        (ProductValuation, VALUATION_KEY, {(p,): {} for p in sorted(set(product_ids))}),
    ]
    (balances, stocks, valuations), before = _lock(organization, wanted, list(first), list(after))
    return balances, stocks, {key[0]: row for key, row in valuations.items()}, before


def lock_balances(organization, keys: dict[tuple, dict]) -> dict[tuple, StockBalance]:
    """``keys``: (product_id, location_id, lot_key) → defaults for a new row."""
    return lock_stock(organization, balance_keys=keys)[0]


def lock_warehouse_stock(organization, keys: dict[tuple, dict]) -> dict[tuple, WarehouseStock]:
    """``keys``: (product_id, warehouse_id) → defaults for a new row."""
    return lock_stock(organization, stock_keys=keys)[1]


def lock_valuations(organization, product_ids) -> dict[int, ProductValuation]:
    return lock_stock(organization, product_ids=product_ids)[2]


def _lock(organization, wanted: list[tuple], first: list, after: list) -> tuple[list[dict], list]:
    """Lock the rows of each table in key order, creating the missing ones first.

    Most postings touch rows that exist: they lock them with one round trip. When some are
    missing, those are inserted (a concurrent creator is ignored) and the whole set is locked
    again in the same round trip, still in key order, so the lock order never depends on which
    rows were new. The statements ``after`` follow the locks that are kept (read again after
    the second ones when there are inserts)."""
    connection = connections[router.db_for_write(StockBalance)]
    locked, before, later = _select_for_update(connection, wanted, first, after)
    inserts = []
    for (model, key_fields, keys), rows in zip(wanted, locked, strict=True):
        # inserted in key order too: two postings creating the same rows queue on the first
        missing = [
            model(organization=organization, **dict(zip(key_fields, key, strict=True)), **keys[key])
            for key in sorted(keys)
            if key not in rows
        ]
        if missing:
            inserts.append(insert_statement(connection, model, missing, ignore_conflicts=True))
    if inserts:  # and the locks again, in the same round trip
        locked, _inserted, later = _select_for_update(connection, wanted, inserts, after)
    return locked, before + later


def _select_for_update(connection, wanted, first: list, after=()) -> tuple[list[dict], list, list]:
    """Lock the rows of ``wanted``, after the statements ``first`` and before those of ``after``
    (in the same round trip); returns the rows and the results of ``first`` and ``after``."""
    statements, reads = list(first), []
    for model, key_fields, keys in wanted:
        if keys:
            source, params = row_source(
                connection, _key_columns(connection, model, key_fields), list(keys)
            )
            statements.append((_select_sql(connection, model, key_fields, source), params))
    results = run_statements(connection, [*statements, *after])
    later = results[len(statements) :]
    before, results = results[: len(first)], iter(results[len(first) : len(statements)])
    for model, key_fields, keys in wanted:
        rows = instances(connection, model, _names(model), next(results)) if keys else []
        reads.append({tuple(getattr(row, k) for k in key_fields): row for row in rows})
    return reads, before, later


def _names(model) -> tuple[str, ...]:
    return tuple(f.attname for f in model._meta.concrete_fields)


def _key_columns(connection, model, key_fields) -> list[tuple[str, str]]:
    fields = [model._meta.get_field(k) for k in key_fields]
    return column_types(connection, fields)


def _select_sql(connection, model, key_fields, source) -> str:
    quote = connection.ops.quote_name
    meta = model._meta
    key_columns = ", ".join(quote(meta.get_field(k).column) for k in key_fields)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    return (
        f"SELECT {', '.join(quote(f.column) for f in meta.concrete_fields)} "
        f"FROM {quote(meta.db_table)} WHERE ({key_columns}) IN ({source}) "
        f"ORDER BY {key_columns}{lock}"
    )


def write_rows(model, rows, fields: list[str]) -> None:
    """Save ``fields`` of already-locked rows with one statement (on SQLite, one per few
    hundred rows: it takes a bounded number of parameters)."""
    rows = list(rows)
    connection = connections[router.db_for_write(model)]
    size = len(rows) if connection.vendor == "postgresql" else SQLITE_ROWS
    run_statements(
        connection,
        [
            update_statement(connection, model, rows[start : start + size], fields)
            for start in range(0, len(rows), size or 1)
        ],
    )


SQLITE_ROWS = 500
