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


def test_deliveries_and_receipts_of_one_bin_never_deadlock():
    org = make_organization("LOCKORD", "锁顺序公司")
    world = Sales(org, None)
    product = world.product()
    world.receive(product, ROUNDS, "3")
    drafts = []
    for _ in range(ROUNDS):
        order = orders.submit_sales_order(order=world.order([(product, 1)]), user=None)
        drafts.append(
            deliveries.save_delivery(
                organization=org,
                user=None,
                data={
                    "business_date": order.business_date,
                    "customer": world.customer,
                    "warehouse": world.wh1,
                    "lines": [{"order_line": order.lines.get(), "quantity": Decimal(1)}],
                },
            )
        )
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def deliver():
        try:
            barrier.wait()
            for draft in drafts:
                try:
                    deliveries.post_delivery(delivery=draft)
                except Exception as exc:  # a deadlock reaches the caller as an error
                    errors.append(f"delivery: {exc!r}")
        finally:
            connection.close()

    def receive():
        try:
            barrier.wait()
            for _ in range(ROUNDS):
                try:
                    world.receive(product, 1, "3")
                except Exception as exc:
                    errors.append(f"receipt: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver), threading.Thread(target=receive)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    row = WarehouseStock.objects.get(product=product)
    assert (row.on_hand, row.reserved) == (ROUNDS, 0)
    assert verify(org) == []


def test_closing_an_order_while_it_is_delivered_never_deadlocks():
    """Closing takes the order, then the stock its reservations release; posting a delivery
    takes the order before the stock too, so one waits for the other."""
    from jxc.core.errors import ValidationFailed
    from jxc.sales.models import SalesOrder

    org = make_organization("LOCKCLS", "关闭锁顺序公司")
    world = Sales(org, None)
    product = world.product()
    world.receive(product, 2 * ROUNDS, "3")
    pairs = []
    for _ in range(ROUNDS):
        order = orders.submit_sales_order(order=world.order([(product, 2)]), user=None)
        delivery = deliveries.save_delivery(
            organization=org,
            user=None,
            data={
                "business_date": order.business_date,
                "customer": world.customer,
                "warehouse": world.wh1,
                "lines": [{"order_line": order.lines.get(), "quantity": Decimal(1)}],
            },
        )
        pairs.append((order, delivery))
    barrier = threading.Barrier(2)
    errors: list[str] = []

    def deliver():
        try:
            for _order, delivery in pairs:
                barrier.wait()
                try:
                    deliveries.post_delivery(delivery=delivery)
                except ValidationFailed as exc:
                    if exc.code != "order_not_open":  # closed first: refused, fine
                        errors.append(f"delivery: {exc!r}")
                except Exception as exc:
                    errors.append(f"delivery: {exc!r}")
        finally:
            connection.close()

    def close():
        try:
            for order, _delivery in pairs:
                barrier.wait()
                try:
                    orders.close_sales_order(order=order)
                except Exception as exc:
                    errors.append(f"close: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert SalesOrder.objects.filter(organization=org).exclude(state="closed").count() == 0
    row = WarehouseStock.objects.get(product=product)
    assert row.reserved == 0
    assert verify(org) == []
