"""Stock freed in a warehouse goes to the backorders waiting there, as stock that arrives does
(with ``allocate_on_arrival`` on): an order cancelled or closed, a reservation released by
hand, a freeze or a count's freeze lifted; a sales return is stock that arrives. Presale lines
lose their backorder as the stock they hold comes in, when they are delivered and when their
order ends."""

from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from jxc.core.models import AuditLog
from jxc.inventory import arrivals
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.services import counts
from jxc.inventory.services.freezes import freeze_stock, release_freeze
from jxc.inventory.services.reservations import release_reservation
from jxc.sales import reports
from jxc.sales.models import PolicyOverride, SalesSettings
from jxc.sales.reports import Filters
from jxc.sales.services import orders, returns
from jxc.sales.services.backorders import allocate_backorders, has_open_backorders
from tests.inventory.conftest import DAY
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def warn(sales):
    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    sales.other = make_partner(sales.org, "C2", "上海客户有限公司", is_customer=True,
                               is_supplier=False)  # fmt: skip
    return sales


@pytest.fixture
def committing(warn, settings, django_capture_on_commit_callbacks):
    """``committing(change)``: run the change, commit, and run what the commit schedules (the
    allocation job inline)."""
    settings.JXC_JOBS_BACKEND = "inline"

    def run(change):
        waiting = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = change()
        del connection.run_on_commit[waiting:]  # done: a real commit empties the list
        return result, callbacks

    return run


def switched_off(sales):
    SalesSettings.objects.filter(organization=sales.org).update(allocate_on_arrival=False)


def stock_row(sales, product):
    return WarehouseStock.objects.get(product=product, warehouse=sales.wh1)


def open_reserved(line):
    return sum(
        r.quantity
        for r in Reservation.objects.filter(origin_type="sales.salesorderline", origin_id=line.pk,
                                            state="open")
    )  # fmt: skip


def figures(line):
    line.refresh_from_db()
    return line.reserved_quantity, line.backorder_quantity


def allocated_history(order):
    return [
        entry.changes["backorder_allocated"][1]
        for entry in AuditLog.objects.filter(model="sales.salesorder", object_id=str(order.pk))
        if "backorder_allocated" in entry.changes
    ]


def held_and_waiting(warn, quantity=5):
    """The first customer's order holds all 5 on hand; the other customer's waits for 3."""
    product = warn.product()
    warn.receive(product, 5, "5")
    holding = warn.confirmed([(product, quantity)])
    waiting = warn.confirmed([(product, 3)], customer=warn.other).lines.get()
    assert figures(waiting) == (0, 3)
    return product, holding, waiting


# --- each way stock is freed ------------------------------------------------------------------


@translation.override("zh-hans")  # the history reads in Chinese
def test_cancelling_an_order_gives_its_stock_to_another_customers_backorder(warn, committing):
    product, holding, waiting = held_and_waiting(warn)
    committing(lambda: orders.cancel_sales_order(order=holding))
    assert figures(waiting) == (3, 0)
    assert open_reserved(waiting) == 3
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved) == (5, 3)
    assert allocated_history(waiting.order) == [["第 1 行 P1：预留 3，仍缺 0"]]


def announced(callbacks) -> list[dict]:
    """What the "stock arrived or freed" hook was told, per commit callback."""
    return [c.args[1] for c in callbacks if c.func is arrivals._notify]


def test_an_order_of_several_lines_announces_its_freed_stock_once(warn, committing):
    p1, p2, p3 = warn.product("P1"), warn.product("P2"), warn.product("P3")
    for product in (p1, p2, p3):
        warn.receive(product, 5, "5")
    holding = warn.confirmed([(p1, 2), (p2, 2), (p1, 1), (p3, 5)])
    waiting = warn.confirmed([(p3, 2)], customer=warn.other).lines.get()
    _order, callbacks = committing(lambda: orders.cancel_sales_order(order=holding))
    assert announced(callbacks) == [{warn.wh1.pk: frozenset({p1.pk, p2.pk, p3.pk})}]
    assert figures(waiting) == (2, 0)
    assert [stock_row(warn, p).reserved for p in (p1, p2, p3)] == [0, 0, 2]


def test_switched_off_a_cancellation_gives_nothing_until_the_manual_allocation(warn, committing):
    switched_off(warn)
    product, holding, waiting = held_and_waiting(warn)
    committing(lambda: orders.cancel_sales_order(order=holding))
    assert figures(waiting) == (0, 3)
    assert stock_row(warn, product).reserved == 0
    assert allocated_history(waiting.order) == []
    [allocation] = allocate_backorders(organization=warn.org)  # the button still works
    assert allocation.quantity == 3


def test_closing_a_partly_delivered_order_gives_what_it_still_held(warn, committing):
    product, holding, waiting = held_and_waiting(warn)
    warn.deliver([(holding.lines.get(), 1)])
    committing(lambda: orders.close_sales_order(order=holding))
    assert figures(waiting) == (3, 0)
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved) == (4, 3)


def test_only_as_much_as_was_freed_is_given(warn, committing):
    product = warn.product()
    warn.receive(product, 5, "5")
    holding = warn.confirmed([(product, 2)])
    others = warn.confirmed([(product, 3)])
    first = warn.confirmed([(product, 4)], customer=warn.other).lines.get()
    second = warn.confirmed([(product, 4)], customer=warn.other).lines.get()
    assert figures(first) == (0, 4)
    committing(lambda: orders.cancel_sales_order(order=holding))
    assert figures(first) == (2, 2)  # the earlier confirmed first
    assert figures(second) == (0, 4)
    committing(lambda: orders.cancel_sales_order(order=others))
    assert figures(first) == (4, 0)
    assert figures(second) == (1, 3)
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved) == (5, 5)


def test_a_reservation_released_by_hand_is_given(warn, committing):
    product, holding, waiting = held_and_waiting(warn)
    held = Reservation.objects.get(origin_id=holding.lines.get().pk, state="open")
    committing(lambda: release_reservation(reservation=held, quantity=D(2)))
    assert figures(waiting) == (2, 1)
    assert stock_row(warn, product).reserved == 5


def test_a_lifted_freeze_is_given(warn, committing):
    product = warn.product()
    warn.receive(product, 4, "5")
    freeze = freeze_stock(organization=warn.org, user=warn.user, product=product,
                          location=warn.bin1, quantity=D(3), reason="质检")  # fmt: skip
    waiting = warn.confirmed([(product, 3)]).lines.get()
    assert figures(waiting) == (1, 2)
    committing(lambda: release_freeze(freeze=freeze))
    assert figures(waiting) == (3, 0)
    row = stock_row(warn, product)
    assert (row.on_hand, row.reserved, row.frozen) == (4, 3, 0)


def test_a_counts_freeze_lifted_is_given(warn, committing):
    product = warn.product()
    warn.receive(product, 4, "5")
    count = counts.create_count(organization=warn.org, user=warn.user, warehouse=warn.wh1,
                                business_date=DAY, freeze=True)  # fmt: skip
    counts.start_count(count=count)
    waiting = warn.confirmed([(product, 3)]).lines.get()
    assert figures(waiting) == (0, 3)  # everything is frozen while it is counted
    committing(lambda: counts.cancel_count(count=count))
    assert figures(waiting) == (3, 0)


def test_a_sales_return_is_stock_that_arrives(warn, committing):
    product = warn.product()
    warn.receive(product, 2, "5")
    delivered = warn.deliver([(warn.confirmed([(product, 2)]).lines.get(), 2)])
    waiting = warn.confirmed([(product, 2)], customer=warn.other).lines.get()
    assert figures(waiting) == (0, 2)
    draft = returns.save_sales_return(
        organization=warn.org, user=warn.user,
        data={"business_date": DAY, "delivery": delivered, "location": warn.bin1,
              "lines": [{"delivery_line": delivered.lines.get(), "quantity": D(2)}]},
    )  # fmt: skip
    committing(lambda: returns.post_sales_return(sales_return=draft, user=warn.user))
    assert figures(waiting) == (2, 0)


def test_freeing_stock_of_a_product_nobody_waits_for_schedules_no_job(warn, committing):
    product = warn.product()
    warn.receive(product, 5, "5")
    holding = warn.confirmed([(product, 5)])
    _order, callbacks = committing(lambda: orders.cancel_sales_order(order=holding))
    # the hook heard of it, asked, found no backorder and scheduled nothing
    assert announced(callbacks) == [{warn.wh1.pk: frozenset({product.pk})}]
    assert len(callbacks) == 1
    assert not has_open_backorders(warn.org)
    assert stock_row(warn, product).reserved == 0


# --- presale lines ----------------------------------------------------------------------------


@pytest.fixture
def presale(warn):
    PolicyOverride.objects.create(organization=warn.org, warehouse=warn.wh1,
                                  availability_policy="presale")  # fmt: skip
    return warn


def backorder_report(sales, product):
    rows = reports.backorders(sales.org, Filters(product_id=product.pk))
    return {row["line_id"]: (row["reserved"], row["backorder"]) for row in rows}


@translation.override("zh-hans")  # the history reads in Chinese
def test_a_presale_backorder_falls_as_its_stock_arrives(presale, committing):
    product = presale.product()
    first = presale.confirmed([(product, 5)]).lines.get()
    second = presale.confirmed([(product, 3)]).lines.get()
    assert figures(first) == (5, 5)
    assert backorder_report(presale, product) == {first.pk: (5, 5), second.pk: (3, 3)}
    committing(lambda: presale.receive(product, 4, "10"))
    # the 4 that came in are the first order's (confirmed first), as a delivery counts them
    assert figures(first) == (5, 1)
    assert figures(second) == (3, 3)
    assert open_reserved(first) == 5  # nothing more reserved: it was already
    assert stock_row(presale, product).reserved == 8
    assert backorder_report(presale, product) == {first.pk: (5, 1), second.pk: (3, 3)}
    assert allocated_history(first.order) == [["第 1 行 P1：预售到货 4，仍缺 1"]]
    assert allocated_history(second.order) == []
    committing(lambda: presale.receive(product, 3, "10"))
    assert figures(first) == (5, 0)
    assert figures(second) == (3, 1)
    committing(lambda: presale.receive(product, 5, "10"))
    assert figures(second) == (3, 0)
    assert backorder_report(presale, product) == {}
    assert stock_row(presale, product).reserved == 8  # the rest stays free


def test_a_presale_backorder_falls_when_an_earlier_order_frees_its_stock(presale, committing):
    product = presale.product()
    first = presale.confirmed([(product, 4)])
    second = presale.confirmed([(product, 3)]).lines.get()
    presale.receive(product, 4, "10")  # the first's: the job is not run here
    assert figures(second) == (3, 3)
    committing(lambda: orders.cancel_sales_order(order=first))
    assert figures(second) == (3, 0)
    assert first.lines.get().backorder_quantity == 0  # nothing waits for a cancelled order


def test_switched_off_a_presale_backorder_waits_for_the_manual_allocation(presale, committing):
    switched_off(presale)
    product = presale.product()
    line = presale.confirmed([(product, 5)]).lines.get()
    committing(lambda: presale.receive(product, 2, "10"))
    assert figures(line) == (5, 5)
    [served] = allocate_backorders(organization=presale.org)
    assert (served.line_id, served.quantity, served.backorder, served.presale) == (
        line.pk, 2, 3, True)  # fmt: skip
    assert figures(line) == (5, 3)
    assert allocate_backorders(organization=presale.org) == []  # nothing more came in


def test_delivering_a_line_leaves_no_more_backorder_than_it_has_open(presale):
    switched_off(presale)  # the backorders stay as confirmed: the delivery corrects them
    product = presale.product()
    line = presale.confirmed([(product, 5)]).lines.get()
    presale.receive(product, 3, "10")
    presale.deliver([(line, 3)])
    assert figures(line) == (5, 2)
    presale.receive(product, 2, "10")
    presale.deliver([(line, 2)])
    assert figures(line) == (5, 0)
    line.order.refresh_from_db()
    assert line.order.state == "done"
    assert backorder_report(presale, product) == {}


def test_delivering_a_warn_line_beyond_its_reservation_lowers_its_backorder(warn):
    switched_off(warn)
    product = warn.product()
    warn.receive(product, 2, "5")
    line = warn.confirmed([(product, 6)]).lines.get()
    warn.receive(product, 3, "5")  # free stock, not allocated
    warn.deliver([(line, 5)])  # the 2 reserved and 3 free
    assert figures(line) == (2, 1)
    assert backorder_report(warn, product) == {line.pk: (0, 1)}


def test_closing_or_cancelling_an_order_ends_its_backorders(presale):
    product = presale.product()
    closed = presale.confirmed([(product, 3)])
    cancelled = presale.confirmed([(product, 2)])
    orders.close_sales_order(order=closed)
    orders.cancel_sales_order(order=cancelled)
    assert [line.backorder_quantity for line in closed.lines.all()] == [0]
    assert [line.backorder_quantity for line in cancelled.lines.all()] == [0]
    assert not has_open_backorders(presale.org)
    assert stock_row(presale, product).reserved == 0
