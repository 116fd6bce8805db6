"""The raw-SQL helpers of the posting path (jxc.core.batch) read and write exactly what the ORM
would, on both databases: decimals to their last place, dates, JSON, booleans and NULLs, keys
in the order of the rows, one row or many."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection, transaction

from jxc.core.batch import (
    Joined,
    fetch,
    insert_statement,
    instances,
    run_statements,
    set_keys,
    update_statement,
)
from jxc.inventory.models import StockBalance, StockMove
from jxc.masterdata.models import Location, Product
from tests.inventory.conftest import Stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(org):
    """Not the ``stock`` fixture: moves written here on purpose have no balances behind them."""
    return Stock(org)


COLUMNS = ("quantity", "unit_cost", "value", "cost_fixed", "cost_explanation", "business_date",
           "lot_id", "entered_quantity", "reason")  # fmt: skip


def _moves(world, product, count):
    return [
        StockMove(
            organization=world.org,
            product=product,
            quantity=Decimal("1.2345") + i,
            unit_cost=Decimal("0.123456"),
            value=Decimal("12345678.91") + i,
            cost_fixed=bool(i % 2),
            cost_explanation=[{"layer": f"新:{i}", "quantity": "1.5"}],
            business_date=datetime.date(2026, 11, 1 + i),
            from_location=world.supplier,
            to_location=world.bin1,
            to_warehouse_id=world.bin1.warehouse_id,
            flow="in",
            entered_quantity=None if i else Decimal("3"),
            reason="样品" if i else "",
        )
        for i in range(count)
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_inserted_rows_read_back_as_the_orm_reads_them(world, count):
    product = world.product()
    moves = _moves(world, product, count)
    with transaction.atomic():
        set_keys(
            connection, moves, fetch(connection, *insert_statement(connection, StockMove, moves))
        )
    assert [m.pk for m in moves] == sorted(m.pk for m in moves)
    stored = {m.pk: m for m in StockMove.objects.filter(pk__in=[m.pk for m in moves])}
    for move in moves:
        assert [getattr(stored[move.pk], c) for c in COLUMNS] == [getattr(move, c) for c in COLUMNS]
        assert stored[move.pk].posted_at is not None  # auto_now_add is applied


@pytest.mark.parametrize("count", [1, 3])
def test_updates_write_only_the_named_fields_of_each_row(world, count):
    product = world.product()
    moves = _moves(world, product, count)
    with transaction.atomic():
        set_keys(
            connection, moves, fetch(connection, *insert_statement(connection, StockMove, moves))
        )
        for i, move in enumerate(moves):
            move.value = Decimal("-0.01") * (i + 1)
            move.cost_explanation = [{"step": i}]
            move.reason = "changed in memory only"
        run_statements(
            connection,
            [update_statement(connection, StockMove, moves, ["value", "cost_explanation"])],
        )
    for i, move in enumerate(moves):
        stored = StockMove.objects.get(pk=move.pk)
        assert stored.value == Decimal("-0.01") * (i + 1)
        assert stored.cost_explanation == [{"step": i}]
        assert stored.reason == ("样品" if i else "")


def test_statements_of_one_call_run_in_order_and_each_returns_its_rows(world):
    product = world.product()
    table = connection.ops.quote_name(StockMove._meta.db_table)
    moves = _moves(world, product, 2)
    with transaction.atomic():
        inserted, changed, counted = run_statements(
            connection,
            [
                insert_statement(connection, StockMove, moves),
                (f"UPDATE {table} SET reason = %s WHERE product_id = %s", ["领用", product.pk]),
                (f"SELECT count(*) FROM {table} WHERE reason = %s", ["领用"]),
            ],
        )
    assert len(inserted) == 2
    assert changed == []  # a statement that returns no rows
    assert counted == [(2,)]  # the third statement saw the second's change


def test_a_failing_statement_raises_the_database_error_and_keeps_nothing(world):
    from django.db import IntegrityError

    product = world.product()
    bad = _moves(world, product, 1)[0]
    bad.to_location = bad.from_location  # move_between_two_locations
    before = StockMove.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        run_statements(
            connection,
            [
                insert_statement(connection, StockMove, _moves(world, product, 1)),
                insert_statement(connection, StockMove, [bad]),
            ],
        )
    assert StockMove.objects.count() == before


def test_a_join_reads_each_table_as_its_model_and_a_missing_outer_row_as_none(world):
    product = world.product()
    world.receive(product, 2, "1.25")
    tables = {m: connection.ops.quote_name(m._meta.db_table)
              for m in (StockBalance, Product, Location)}  # fmt: skip
    read = Joined(
        connection,
        [("b", StockBalance), ("p", Product), ("l", Location)],
        f"SELECT {{columns}} FROM {tables[StockBalance]} b "
        f"JOIN {tables[Product]} p ON p.id = b.product_id "
        f"LEFT JOIN {tables[Location]} l ON l.id = b.lot_id "  # no lot: nothing joins
        "WHERE b.product_id = %s",
    )
    (row,) = fetch(connection, read.sql, [product.pk])
    parts = read.read(row)
    assert parts["b"].on_hand == Decimal(2)
    assert isinstance(parts["b"].on_hand, Decimal)
    assert parts["p"].code == product.code
    assert parts["p"].purchase_price == product.purchase_price
    assert parts["l"] is None


def test_instances_take_the_columns_in_any_order_and_defer_the_rest(world):
    product = world.product()
    world.receive(product, 4, 3)
    table = connection.ops.quote_name(StockMove._meta.db_table)
    rows = fetch(connection, f"SELECT value, business_date, id FROM {table} WHERE product_id = %s",
                 [product.pk])  # fmt: skip
    (move,) = instances(connection, StockMove, ["value", "business_date", "id"], rows)
    assert (move.value, move.business_date) == (Decimal("12.00"), datetime.date(2026, 11, 26))
    assert move.get_deferred_fields() >= {"quantity", "reason"}
    assert move.quantity == Decimal("4")  # a deferred field still loads on access


def test_rows_read_raw_behave_as_rows_the_orm_loaded(world):
    """Instances are built without ``__init__``: they must equal what the ORM loads, save as
    updates, and keep the audit trail's memory of what was loaded."""
    product = world.product(purchase_price=Decimal("9.5"))
    table = connection.ops.quote_name(Product._meta.db_table)
    read = Joined(
        connection, [("p", Product)], f"SELECT {{columns}} FROM {table} p WHERE p.id = %s"
    )
    (row,) = fetch(connection, read.sql, [product.pk])
    raw = read.read(row)["p"]
    loaded = Product.objects.get(pk=product.pk)
    for field in Product._meta.concrete_fields:
        assert getattr(raw, field.attname) == getattr(loaded, field.attname), field.name
    assert (raw._state.adding, raw._state.db) == (False, "default")
    assert raw.get_deferred_fields() == set()
    assert raw._audit_changes() == {}
    raw.name = "改名"
    assert raw._audit_changes() == {"name": [product.name, "改名"]}
    before = Product.objects.count()
    raw.save()  # an update of the row, not a new one
    assert Product.objects.count() == before
    assert Product.objects.get(pk=product.pk).name == "改名"
