"""Raw SQL for the few hot paths where the ORM's own work is what costs: posting stock runs
two dozen statements per document, and building each through the ORM costs more than running
it.

On PostgreSQL the statements here are prepared once per connection (planning a join of seven
tables takes longer than running it) and the statements of one :func:`run_statements` call
travel together in pipeline mode, one round trip; each still runs with its own snapshot under
READ COMMITTED, in order. Django's own queries are not prepared (its cursors bind on the
client); see ``prepare_threshold`` in the settings. SQLite runs in-process, where neither a
round trip nor planning costs much, so there the statements simply run one by one.

Rows come back as tuples; :func:`instances` turns them into model instances with the values
Django would have read (SQLite returns decimals as numbers and dates as text).
"""

from collections.abc import Iterable, Sequence

import psycopg
from django.db.models import Model
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from psycopg import pq

TUPLES_OK = pq.ExecStatus.TUPLES_OK

# PostgreSQL's name of the type each placeholder of a row source stands for
Column = tuple[str, str]


def run_statements(connection, statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """Run ``statements`` (SQL, parameters) in order; return the rows each one returned
    (an empty list for statements that return none)."""
    if connection.vendor != "postgresql":
        results = []
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else [])
        return results
    connection.ensure_connection()
    raw = connection.connection
    with connection.wrap_database_errors:
        if len(statements) == 1:
            return [_fetch(_execute(raw, *statements[0]))]
        with raw.pipeline():
            cursors = [_execute(raw, sql, params) for sql, params in statements]
        return [_fetch(cursor) for cursor in cursors]


def fetch(connection, sql: str, params: Sequence = ()) -> list[tuple]:
    """One statement's rows."""
    return run_statements(connection, [(sql, params)])[0]


def _execute(raw, sql, params):
    cursor = psycopg.Cursor(raw)  # binds on the server, so the statement can be prepared
    cursor.execute(sql, params, prepare=True)
    return cursor


def _fetch(cursor) -> list[tuple]:
    # not ``cursor.description``: it builds an object per column, which for a wide join costs
    # more than reading the rows
    result = cursor.pgresult
    rows = cursor.fetchall() if result is not None and result.status == TUPLES_OK else []
    cursor.close()
    return rows


def row_source(connection, columns: Sequence[Column], rows: Sequence[Sequence]) -> tuple:
    """``SELECT`` text and parameters yielding ``rows``, to join or insert from: on PostgreSQL
    one array per column (so the statement's text, and its prepared plan, is the same for any
    number of rows; one row goes as plain values), elsewhere a ``VALUES`` list. Use it as ``WITH v(a, b) AS (<source>)``."""
    if connection.vendor == "postgresql" and len(rows) == 1:  # dumping arrays costs more
        return "VALUES (" + ", ".join(f"%s::{kind}" for _name, kind in columns) + ")", list(rows[0])
    if connection.vendor == "postgresql":
        text = ", ".join(f"%s::{kind}[]" for _name, kind in columns)
        return f"SELECT * FROM unnest({text})", [
            list(column) for column in zip(*rows, strict=True)
        ] or [[] for _ in columns]
    one_row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return "VALUES " + ", ".join([one_row] * len(rows)), [value for row in rows for value in row]


def instances(connection, model, field_names: Sequence[str], rows: Iterable[Sequence]) -> list:
    """Model instances of ``rows`` (the values of ``field_names``, attribute names, in order),
    as the ORM would have loaded them; fields not named are deferred."""
    read = _reader(connection, model, tuple(field_names))
    return [read(values, connection) for values in rows]


class Joined:
    """A ``SELECT`` over several joined tables, each row read as one instance per table: the
    ORM's ``select_related`` without building the query every time. ``parts`` are (alias,
    model); a part whose primary key is NULL (an outer join that found nothing) reads as None.
    """

    def __init__(self, connection, parts: Sequence[tuple[str, type]], sql: str):
        """``sql``: the statement, with ``{columns}`` where the select list goes."""
        self.connection = connection
        quote = connection.ops.quote_name
        self.parts, columns, start = [], [], 0
        for alias, model in parts:
            fields = model._meta.concrete_fields
            columns += [f"{alias}.{quote(f.column)}" for f in fields]
            names = tuple(f.attname for f in fields)
            self.parts.append(
                (alias, start, start + len(fields), _reader(connection, model, names))
            )
            start += len(fields)
        self.sql = sql.replace("{columns}", ", ".join(columns))

    def read(self, row: Sequence) -> dict[str, object]:
        return {
            alias: None if row[begin] is None else read(row[begin:end], self.connection)
            for alias, begin, end, read in self.parts
        }

    def part(self, row: Sequence, alias: str):
        """One table's instance of ``row`` (when the others are known already)."""
        for name, begin, end, read in self.parts:
            if name == alias:
                return None if row[begin] is None else read(row[begin:end], self.connection)
        raise KeyError(alias)


_readers: dict[tuple, object] = {}


def _reader(connection, model, field_names: tuple[str, ...]):
    key = (connection.vendor, model, field_names)
    if key not in _readers:
        _readers[key] = _make_reader(connection, model, field_names)
    return _readers[key]


def _make_reader(connection, model, field_names):
    meta = model._meta
    # from_db takes the values in the model's field order
    order = [i for f in meta.concrete_fields for i, n in enumerate(field_names) if n == f.attname]
    if len(order) != len(field_names):
        raise ValueError(f"not attribute names of {meta.label}: {field_names}")
    names = [field_names[i] for i in order]
    columns = [meta.get_field(name).get_col(meta.db_table) for name in names]
    converters = [
        (i, functions)
        for i, column in enumerate(columns)
        if (
            functions := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]

    build = _loaded if _plain_loading(model) else None

    def read(values, connection):
        values = [values[i] for i in order]
        for i, functions in converters:
            for convert in functions:
                values[i] = convert(values[i], columns[i], connection)
        if build is None:
            return model.from_db(connection.alias, names, values)
        return build(model, connection.alias, names, values)

    return read


def _plain_loading(model) -> bool:
    """Whether an instance of ``model`` may be built without ``__init__``: nothing listens to
    its init signals and it loads the way Django's and the audit trail's ``from_db`` do."""
    from jxc.core.audit import AuditedModel

    if pre_init.has_listeners(model) or post_init.has_listeners(model):
        return False
    loader = model.from_db.__func__
    return loader in (Model.from_db.__func__, AuditedModel.from_db.__func__)


def _loaded(model, alias: str, names: list[str], values: list):
    """What ``from_db`` makes, without ``__init__``: setting each field through its descriptor
    costs more than the rest of reading a row (a posting reads some fifty). Fields not named
    stay deferred, as with ``only()``."""
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = instance._state = ModelState()
    state.adding, state.db = False, alias
    if hasattr(model, "_audit_plain"):  # an audited row remembers what it was loaded with
        instance._audit_loaded = (names, values)
    return instance


_types: dict[tuple, list] = {}


def column_types(connection, fields) -> list[Column]:
    """(column, database type) of ``fields``, for :func:`row_source`; asking a field for its
    type is slow (a foreign key builds a field of the target's key type each time)."""
    key = (connection.vendor, *fields)
    if key not in _types:
        _types[key] = [(f.column, f.db_type(connection)) for f in fields]
    return _types[key]


def insert_statement(
    connection, model, objs: Sequence, *, ignore_conflicts=False, computed=None
) -> tuple:
    """An ``INSERT`` of ``objs`` (all their fields but the primary key) for
    :func:`run_statements`, returning the new keys in order (hand them to :func:`set_keys`),
    or, ignoring conflicts, nothing. Like ``bulk_create`` it sends no signal.

    ``computed``: field name → (SQL, parameters) of a scalar subquery that gives the field's
    value, the same for every row, in the database: e.g. a counter, or the key of a row, that
    an earlier statement of the same round trip has just written."""
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    computed = computed or {}
    given = [f for f in fields if f.name not in computed]
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in given] for obj in objs]
    source, params = row_source(connection, column_types(connection, given), rows)
    tail = "ON CONFLICT DO NOTHING" if ignore_conflicts else f"RETURNING {quote(meta.pk.column)}"
    if computed:
        ahead = [f for f in fields if f.name in computed]
        names = ", ".join(quote(f.column) for f in ahead + given)
        values = ", ".join(f"({computed[f.name][0]})" for f in ahead)
        before = [value for f in ahead for value in computed[f.name][1]]
        return (
            f"INSERT INTO {quote(meta.db_table)} ({names}) "
            f"SELECT {values}, s.* FROM ({source}) AS s {tail}",
            before + params,
        )
    names = ", ".join(quote(f.column) for f in given)
    return f"INSERT INTO {quote(meta.db_table)} ({names}) {source} {tail}", params


def set_keys(connection, objs: Sequence, rows: Sequence[tuple]) -> None:
    """Give ``objs`` the keys an :func:`insert_statement` returned: they are saved now."""
    for obj, (pk,) in zip(objs, rows, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias


def update_statement(connection, model, objs: Sequence, field_names: Sequence[str]) -> tuple:
    """One ``UPDATE`` writing ``field_names`` of ``objs`` (rows already locked, or anything
    with a ``pk`` and those attributes), for :func:`run_statements`."""
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in field_names)]
    quote = connection.ops.quote_name
    names = [quote(f.column) for f in fields]
    source, params = row_source(
        connection,
        column_types(connection, fields),
        [
            [obj.pk, *(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields[1:])]
            for obj in objs
        ],
    )
    table = quote(meta.db_table)
    sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    return (
        f"WITH v({', '.join(names)}) AS ({source}) "
        f"UPDATE {table} SET {sets} FROM v WHERE {table}.{names[0]} = v.{names[0]}",
        params,
    )
