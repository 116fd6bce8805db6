"""A delivery and a receipt of the same product into the same bin, posted at the same time on
PostgreSQL, queue on the stock rows instead of deadlocking: every posting takes the balances
before the warehouse stock, the delivery's check of confirmation order included."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.inventory.models import WarehouseStock
from jxc.inventory.verify import verify
from jxc.sales.services import deliveries, orders
from tests.conftest import make_organization
from tests.sales.conftest import Sales

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 25


def _world(code: str, name: str, on_hand: int):
    """An organization with one product received ``on_hand`` times at 3."""
    world = Sales(make_organization(code, name), None)
    product = world.product()
    world.receive(product, on_hand, "3")
    return world, product


def _confirmed_with_draft(world, product, ordered: int):
    """A confirmed order of ``ordered`` units and a draft delivery of one of them."""
    order = orders.submit_sales_order(order=world.order([(product, ordered)]), user=None)
    delivery = deliveries.save_delivery(
        organization=world.org,
        user=None,
        data={
            "business_date": order.business_date,
            "customer": world.customer,
            "warehouse": world.wh1,
            "lines": [{"order_line": order.lines.get(), "quantity": Decimal(1)}],
        },
    )
    return order, delivery


def _run_together(*workers) -> None:
    """Each worker on its own thread (and database connection), all started, all joined."""

    def run(worker):
        try:
            worker()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)


def test_deliveries_and_receipts_of_one_bin_never_deadlock():
    world, product = _world("LOCKORD", "锁顺序公司", ROUNDS)
    drafts = [_confirmed_with_draft(world, product, 1)[1] for _ in range(ROUNDS)]
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def deliver():
        barrier.wait()
        for draft in drafts:
            try:
                deliveries.post_delivery(delivery=draft)
            except Exception as exc:  # a deadlock reaches the caller as an error
                errors.append(f"delivery: {exc!r}")

    def receive():
        barrier.wait()
        for _ in range(ROUNDS):
            try:
                world.receive(product, 1, "3")
            except Exception as exc:
                errors.append(f"receipt: {exc!r}")

    _run_together(deliver, receive)
    assert errors == []
    row = WarehouseStock.objects.get(product=product)
    assert (row.on_hand, row.reserved) == (ROUNDS, 0)
    assert verify(world.org) == []


def test_closing_an_order_while_it_is_delivered_never_deadlocks():
    """Closing takes the order, then the stock its reservations release; posting a delivery
    takes the order before the stock too, so one waits for the other."""
    from jxc.core.errors import ValidationFailed
    from jxc.sales.models import SalesOrder

    world, product = _world("LOCKCLS", "关闭锁顺序公司", 2 * ROUNDS)
    org = world.org
    pairs = [_confirmed_with_draft(world, product, 2) for _ in range(ROUNDS)]
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def deliver():
        for _order, delivery in pairs:
            barrier.wait()
            try:
                deliveries.post_delivery(delivery=delivery)
            except ValidationFailed as exc:
                if exc.code != "order_not_open":  # closed first: refused, fine
                    errors.append(f"delivery: {exc!r}")
            except Exception as exc:
                errors.append(f"delivery: {exc!r}")

    def close():
        for order, _delivery in pairs:
            barrier.wait()
            try:
                orders.close_sales_order(order=order)
            except Exception as exc:
                errors.append(f"close: {exc!r}")

    _run_together(deliver, close)
    assert errors == []
    assert SalesOrder.objects.filter(organization=org).exclude(state="closed").count() == 0
    row = WarehouseStock.objects.get(product=product)
    assert row.reserved == 0
    assert verify(org) == []
