"""Sixteen salespeople confirm orders for the last units at once, on PostgreSQL: exactly the
available quantity is confirmed, every other order is refused with the insufficient-stock
error, nothing else fails, and stock never goes negative."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.verify import verify
from jxc.sales.models import SalesOrder
from jxc.sales.services import orders
from tests.conftest import make_organization
from tests.sales.conftest import Sales

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, PER_THREAD = 16, 3


def test_sixteen_clients_race_for_the_last_units():
    org = make_organization("SRACE", "销售并发公司")
    world = Sales(org, None)
    product = world.product()
    world.receive(product, 20, "3")
    drafts = [[world.order([(product, 1)]) for _j in range(PER_THREAD)] for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple[str, Decimal]] = []
    lock = threading.Lock()

    def worker(index: int):
        try:
            barrier.wait()
            for order in drafts[index]:
                wanted = order.lines.get().base_quantity
                try:
                    orders.submit_sales_order(order=order, user=None)
                    result = "ok"
                except InsufficientStock:
                    result = "refused"
                except Exception as exc:  # any other error fails the test below
                    result = f"error: {exc!r}"
                with lock:
                    outcomes.append((result, wanted))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert [o for o in outcomes if o[0].startswith("error")] == []
    assert len(outcomes) == THREADS * PER_THREAD
    confirmed = sum(q for result, q in outcomes if result == "ok")
    row = WarehouseStock.objects.get(product=product)
    assert confirmed == row.reserved == 20  # exactly what was available, never more
    assert row.on_hand == 20
    assert SalesOrder.objects.filter(organization=org, state="approved").count() == sum(
        1 for result, _q in outcomes if result == "ok"
    )
    assert SalesOrder.objects.filter(organization=org, state="draft").count() == sum(
        1 for result, _q in outcomes if result == "refused"
    )
    opened = Reservation.objects.filter(product=product, state="open")
    assert sum(r.quantity for r in opened) == confirmed
    assert verify(org) == []


def test_concurrent_deliveries_never_exceed_the_order():
    from jxc.core.errors import ValidationFailed
    from jxc.sales.models import SalesOrderLine
    from jxc.sales.services import deliveries

    org = make_organization("SRACE2", "销售并发公司二")
    world = Sales(org, None)
    product = world.product()
    world.receive(product, 20, "3")
    order = orders.submit_sales_order(order=world.order([(product, 5)]), user=None)
    line = order.lines.get()
    drafts = [
        deliveries.save_delivery(
            organization=org,
            user=None,
            data={
                "business_date": order.business_date,
                "customer": world.customer,
                "warehouse": world.wh1,
                "lines": [{"order_line": line, "quantity": Decimal(1)}],
            },
        )  # fmt: skip
        for _ in range(8)
    ]
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def worker(draft):
        try:
            barrier.wait()
            try:
                deliveries.post_delivery(delivery=draft)
                outcomes.append("ok")
            except ValidationFailed as exc:
                outcomes.append(exc.code)
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    # the later ones find the order short of open quantity, or already delivered in full
    assert outcomes.count("ok") == 5
    assert set(outcomes) <= {"ok", "over_delivered", "order_not_open"}, outcomes
    line = SalesOrderLine.objects.get(pk=line.pk)
    assert line.delivered_quantity == 5
    row = WarehouseStock.objects.get(product=product)
    assert (row.on_hand, row.reserved) == (15, 0)
    assert verify(org) == []
