"""Warn-policy backorders get stock when it arrives: allocate_backorders."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import AuditLog
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.services.freezes import freeze_stock
from jxc.inventory.verify import verify
from jxc.masterdata.models import Location
from jxc.sales.models import PolicyOverride, SalesSettings
from jxc.sales.services import orders
from jxc.sales.services.backorders import allocate_backorders, has_open_backorders
from tests.inventory.conftest import Stock

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def warn(sales):
    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    return sales


def stock_row(sales, product):
    return WarehouseStock.objects.get(product=product, warehouse=sales.wh1)


def open_reserved(line):
    return sum(
        r.quantity
        for r in Reservation.objects.filter(origin_type="sales.salesorderline", origin_id=line.pk,
                                            state="open")
    )  # fmt: skip


def test_stock_that_arrives_goes_to_the_backorder_partially(warn):
    product = warn.product()
    warn.receive(product, 4, "5")
    line = warn.confirmed([(product, 10)]).lines.get()
    assert (line.reserved_quantity, line.backorder_quantity) == (4, 6)
    assert has_open_backorders(warn.org)
    warn.receive(product, 3, "5")
    [allocation] = allocate_backorders(organization=warn.org)
    assert (allocation.line_id, allocation.quantity, allocation.backorder) == (line.pk, 3, 3)
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (7, 3)
    assert open_reserved(line) == 7
    # one open reservation per line: a delivery consumes all of it
    assert Reservation.objects.filter(origin_id=line.pk, state="open").count() == 1
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved) == (7, 7)
    assert allocate_backorders(organization=warn.org) == []  # nothing more on hand
    warn.receive(product, 5, "5")
    [allocation] = allocate_backorders(organization=warn.org, products=[product])
    assert (allocation.quantity, allocation.backorder) == (3, 0)
    assert not has_open_backorders(warn.org)
    assert stock_row(warn, product).reserved == 10
    assert verify(warn.org) == []


def test_a_line_whose_reservation_was_delivered_gets_a_new_one(warn):
    product = warn.product()
    warn.receive(product, 4, "5")
    line = warn.confirmed([(product, 6)]).lines.get()
    warn.deliver([(line, 4)])  # the reservation is consumed
    warn.receive(product, 5, "5")
    [allocation] = allocate_backorders(organization=warn.org)
    assert allocation.quantity == 2
    assert open_reserved(line) == 2
    assert stock_row(warn, product).reserved == 2
    warn.deliver([(line, 2)])
    line.order.refresh_from_db()
    assert line.order.state == "done"
    assert stock_row(warn, product).reserved == 0


def test_earlier_confirmed_orders_are_served_first(warn):
    product, other = warn.product("P1"), warn.product("P2")
    first = warn.confirmed([(other, 1), (product, 5)]).lines.get(product=product)
    second = warn.confirmed([(product, 5)]).lines.get()
    # the third order has the highest id but was confirmed first: confirmation time decides
    third = warn.confirmed([(product, 2)])
    third.confirmed_at = first.order.confirmed_at.replace(year=2000)
    third.save(update_fields=["confirmed_at"])
    third_line = third.lines.get()
    warn.receive(product, 6, "5")
    got = {a.line_id: a.quantity for a in allocate_backorders(organization=warn.org)}
    assert got == {third_line.pk: 2, first.pk: 4}
    warn.receive(product, 10, "5")
    got = {a.line_id: a.quantity for a in allocate_backorders(organization=warn.org)}
    assert got == {first.pk: 1, second.pk: 5}


def test_closed_and_cancelled_orders_get_nothing(warn):
    product = warn.product()
    closed = warn.confirmed([(product, 3)])
    cancelled = warn.confirmed([(product, 3)])
    orders.close_sales_order(order=closed)
    orders.cancel_sales_order(order=cancelled)
    assert not has_open_backorders(warn.org)
    warn.receive(product, 10, "5")
    assert allocate_backorders(organization=warn.org) == []
    assert stock_row(warn, product).reserved == 0
    assert not Reservation.objects.filter(state="open").exists()


def test_frozen_stock_is_not_given(warn):
    product = warn.product()
    line = warn.confirmed([(product, 5)]).lines.get()
    warn.receive(product, 4, "5")
    freeze_stock(organization=warn.org, user=warn.user, product=product, location=warn.bin1,
                 quantity=D(3), reason="质检")  # fmt: skip
    [allocation] = allocate_backorders(organization=warn.org)
    assert (allocation.line_id, allocation.quantity, allocation.backorder) == (line.pk, 1, 4)
    row = stock_row(warn, product)
    assert row.on_hand - row.reserved - row.frozen == 0


def test_presale_lines_reserve_nothing_more_and_other_warehouses_and_products_are_left_alone(
    warn,
):
    presale, product = warn.product("P1"), warn.product("P2")
    PolicyOverride.objects.create(organization=warn.org, product=presale,
                                  availability_policy="presale")  # fmt: skip
    ahead = warn.confirmed([(presale, 4)]).lines.get()
    assert (ahead.reserved_quantity, ahead.backorder_quantity) == (4, 4)
    line = warn.confirmed([(product, 2)]).lines.get()
    warn.receive(presale, 10, "5")
    warn.receive(product, 10, "5")
    assert allocate_backorders(organization=warn.org, warehouse=warn.wh2) == []
    # the presale line's stock is on hand now: its backorder goes, its reservation stays
    [served] = allocate_backorders(organization=warn.org, products=[presale])
    assert (served.line_id, served.quantity, served.backorder, served.presale) == (
        ahead.pk,
        4,
        0,
        True,
    )
    ahead.refresh_from_db()
    assert (ahead.reserved_quantity, ahead.backorder_quantity) == (4, 0)
    assert open_reserved(ahead) == 4
    [allocation] = allocate_backorders(organization=warn.org, warehouse=warn.wh1)
    assert (allocation.line_id, allocation.presale) == (line.pk, False)
    assert stock_row(warn, presale).reserved == 4


def test_another_organizations_warehouse_or_product_is_refused(warn, other_org):
    world = Stock(other_org)
    foreign = world.product("X1")
    with pytest.raises(ValidationFailed) as refused:
        allocate_backorders(organization=warn.org, warehouse=world.wh1)
    assert refused.value.field == "warehouse"
    with pytest.raises(ValidationFailed) as refused:
        allocate_backorders(organization=warn.org, products=[foreign])
    assert refused.value.field == "products"


# --- automatically, when stock arrives (the job run inline, after the commit) ---------------


@pytest.fixture
def arriving(warn, settings, django_capture_on_commit_callbacks):
    """``arriving(move)``: post the move, commit, and run what the commit schedules."""
    settings.JXC_JOBS_BACKEND = "inline"

    def post(move):
        waiting = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            move()
        del connection.run_on_commit[waiting:]  # done: a real commit empties the list
        return callbacks

    return post


def allocated_history(order):
    return [
        entry.changes["backorder_allocated"][1]
        for entry in AuditLog.objects.filter(model="sales.salesorder", object_id=str(order.pk))
        if "backorder_allocated" in entry.changes
    ]


@translation.override("zh-hans")  # the history and errors read in Chinese
def test_a_receipt_gives_its_stock_to_the_backorder_and_the_order_records_it(warn, arriving):
    product = warn.product()
    warn.receive(product, 4, "5")
    line = warn.confirmed([(product, 10)]).lines.get()
    arriving(lambda: warn.receive(product, 3, "5"))
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (7, 3)
    assert open_reserved(line) == 7
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved) == (7, 7)
    [entry] = AuditLog.objects.filter(model="sales.salesorder", object_id=str(line.order_id),
                                      changes__has_key="backorder_allocated")  # fmt: skip
    assert entry.user is None  # the system's doing, in the order's organization
    assert entry.organization == warn.org
    assert entry.changes["backorder_allocated"][1] == ["第 1 行 P1：预留 3，仍缺 3"]
    arriving(lambda: warn.receive(product, 5, "5"))  # more than waits: the rest stays free
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (10, 0)
    assert stock_row(warn, product).reserved == 10
    assert len(allocated_history(line.order)) == 2


def customer_location(sales):
    return Location.objects.get(organization=sales.org, kind="customer")


@pytest.mark.parametrize("source", ["transit", "customer", "loss", "bin2"])
def test_any_stock_coming_into_the_warehouse_is_given(warn, arriving, source):
    """A transfer in (from transit), a sales return (from the customer), a count's gain (from
    inventory loss), a move from another warehouse."""
    product = warn.product()
    warn.receive(product, 2, "5", location=warn.bin2)
    line = warn.confirmed([(product, 2)]).lines.get()
    assert line.backorder_quantity == 2
    if source == "transit":  # on its way from the other warehouse
        warn.move(product, 2, warn.bin2, warn.transit)
    origin = customer_location(warn) if source == "customer" else getattr(warn, source)
    cost = {"unit_cost": D(5)} if source in ("customer", "loss") else {}
    arriving(lambda: warn.move(product, 2, origin, warn.bin1, **cost))
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (2, 0)


def test_stock_leaving_or_arriving_elsewhere_allocates_nothing(warn, arriving):
    product, other = warn.product("P1"), warn.product("P2")
    warn.receive(product, 6, "5")
    # nothing arrived: nothing scheduled
    assert arriving(lambda: warn.move(product, 1, warn.bin1, customer_location(warn))) == []
    line = warn.confirmed([(product, 8)]).lines.get()
    assert line.backorder_quantity == 3
    arriving(lambda: warn.receive(product, 4, "5", location=warn.bin2))  # the other warehouse
    arriving(lambda: warn.receive(other, 4, "5"))  # another product
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (5, 3)
    assert allocated_history(line.order) == []


@translation.override("zh-hans")  # the history and errors read in Chinese
def test_switched_off_the_backorder_waits_for_the_manual_allocation(warn, arriving):
    SalesSettings.objects.filter(organization=warn.org).update(allocate_on_arrival=False)
    product = warn.product()
    line = warn.confirmed([(product, 5)]).lines.get()
    arriving(lambda: warn.receive(product, 5, "5"))
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (0, 5)
    assert stock_row(warn, product).reserved == 0
    assert has_open_backorders(warn.org)
    [allocation] = allocate_backorders(organization=warn.org)  # the button still works
    assert allocation.quantity == 5
    assert allocated_history(line.order) == [["第 1 行 P1：预留 5，仍缺 0"]]


def test_a_posting_rolled_back_schedules_nothing(warn, arriving):
    product = warn.product()
    line = warn.confirmed([(product, 5)]).lines.get()

    def posted_then_failed():
        with transaction.atomic():
            warn.receive(product, 5, "5")
            raise RuntimeError("the document's posting failed after its moves")

    def failing():
        with pytest.raises(RuntimeError):
            posted_then_failed()

    assert arriving(failing) == []
    line.refresh_from_db()
    assert line.reserved_quantity == 0
    assert stock_row(warn, product).on_hand == 0


def test_the_job_run_twice_gives_the_stock_once(warn, arriving):
    product = warn.product()
    line = warn.confirmed([(product, 5)]).lines.get()
    warn.receive(product, 3, "5")  # the commit's job is lost: not run here
    kwargs = {"organization_id": warn.org.pk, "warehouse_id": warn.wh1.pk,
              "product_ids": [product.pk]}  # fmt: skip
    jobs.run_now("sales.allocate_backorders", **kwargs)
    jobs.run_now("sales.allocate_backorders", **kwargs)
    line.refresh_from_db()
    assert (line.reserved_quantity, line.backorder_quantity) == (3, 2)
    assert stock_row(warn, product).reserved == 3
    assert len(allocated_history(line.order)) == 1


def test_the_job_with_nothing_waiting_only_asks(warn, arriving):
    product = warn.product()
    with CaptureQueriesContext(connection) as asked:
        jobs.run_now("sales.allocate_backorders", organization_id=warn.org.pk,
                     warehouse_id=warn.wh1.pk, product_ids=[product.pk])  # fmt: skip
    assert len(asked.captured_queries) == 2  # the setting, then one EXISTS
