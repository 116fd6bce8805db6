"""Allocating stock to warn-policy backorders while, at the same moment, a new order of the same
product is confirmed and an earlier order is delivered, on PostgreSQL with real threads: no
error, and the warehouse never promises more than it holds (reserved ≤ on hand − frozen), the
open reservations add up to what is reserved, and every warn line still splits its quantity
into reserved and backordered. Stock freed at the same moment (orders cancelled or closed, a
freeze lifted) is given once."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.services.freezes import freeze_stock, release_freeze
from jxc.inventory.verify import verify
from jxc.sales.models import SalesOrderLine, SalesSettings
from jxc.sales.services import deliveries, orders
from jxc.sales.services.backorders import allocate_backorders
from tests.conftest import make_organization
from tests.sales.conftest import Sales

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 3


def _round(index: int) -> None:
    org = make_organization(f"BRACE{index}", f"欠货并发公司{index}")
    # the allocations raced here are the explicit ones: none scheduled by the receipts
    SalesSettings.objects.create(organization=org, availability_policy="warn",
                                 allocate_on_arrival=False)  # fmt: skip
    world = Sales(org, None)
    product = world.product()
    world.receive(product, 2, "3")
    shipped = orders.submit_sales_order(order=world.order([(product, 2)]), user=None)
    waiting = [orders.submit_sales_order(order=world.order([(product, 3)]), user=None)
               for _ in range(4)]  # fmt: skip
    assert all(o.lines.get().backorder_quantity == 3 for o in waiting)
    world.receive(product, 10, "3")  # 10 free now: the backorders want 12, the new order 6
    newcomer = world.order([(product, 6)])
    delivery = deliveries.save_delivery(
        organization=org,
        user=None,
        data={"business_date": shipped.business_date, "customer": world.customer,
              "warehouse": world.wh1,
              "lines": [{"order_line": shipped.lines.get(), "quantity": Decimal(2)}]},
    )  # fmt: skip
    work = [
        lambda: allocate_backorders(organization=org),
        lambda: orders.submit_sales_order(order=newcomer, user=None),
        lambda: deliveries.post_delivery(delivery=delivery),
        lambda: allocate_backorders(organization=org, products=[product]),
    ]
    barrier = threading.Barrier(len(work))
    errors: list[str] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    row = WarehouseStock.objects.get(product=product, warehouse=world.wh1)
    assert row.on_hand == 10
    assert row.reserved <= row.on_hand - row.frozen
    opened = Reservation.objects.filter(product=product, state="open")
    assert sum(r.quantity for r in opened) == row.reserved
    lines = SalesOrderLine.objects.filter(order__organization=org, order__state="approved")
    for line in lines:
        assert line.reserved_quantity + line.backorder_quantity == line.base_quantity
        reserved = sum(r.quantity for r in opened if r.origin_id == line.pk)
        assert reserved == line.reserved_quantity
    # the 10 that came in were all given (to the backorders, or to the newcomer first)
    assert row.reserved == 10
    assert verify(org) == []


def test_allocation_racing_a_confirmation_and_a_delivery_never_overpromises():
    for index in range(ROUNDS):
        _round(index)


def test_receipts_arriving_together_give_their_stock_once(settings):
    """Four receipts of 3 committed at the same moment, each running its allocation job in
    its own thread right after its commit (inline): the backorders (4 orders of 3) get
    exactly the 12 that came in, each line all of its quantity, never more."""
    settings.JXC_JOBS_BACKEND = "inline"
    org = make_organization("BARRIVE", "到货并发公司")
    SalesSettings.objects.create(organization=org, availability_policy="warn")
    world = Sales(org, None)
    product = world.product()
    waiting = [orders.submit_sales_order(order=world.order([(product, 3)]), user=None)
               for _ in range(4)]  # fmt: skip
    barrier = threading.Barrier(4)
    errors: list[str] = []

    def receive():
        try:
            barrier.wait()
            world.receive(product, 3, "5")
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    row = WarehouseStock.objects.get(product=product, warehouse=world.wh1)
    assert (row.on_hand, row.reserved) == (12, 12)
    opened = Reservation.objects.filter(product=product, state="open")
    assert sum(r.quantity for r in opened) == 12
    for order in waiting:
        line = order.lines.get()
        assert (line.reserved_quantity, line.backorder_quantity) == (3, 0)
        assert sum(r.quantity for r in opened if r.origin_id == line.pk) == 3
    assert verify(org) == []


def test_stock_freed_at_the_same_moment_is_given_once(settings):
    """An order cancelled, another closed and a freeze lifted at the same moment, each running
    its allocation job right after its commit (inline): the 9 freed go to the backorders that
    wait (3 orders of 4, confirmed in turn) earliest first, never beyond what is on hand."""
    settings.JXC_JOBS_BACKEND = "inline"
    org = make_organization("BFREED", "释放并发公司")
    SalesSettings.objects.create(organization=org, availability_policy="warn")
    world = Sales(org, None)
    product = world.product()
    world.receive(product, 9, "5")
    cancelled = orders.submit_sales_order(order=world.order([(product, 3)]), user=None)
    closed = orders.submit_sales_order(order=world.order([(product, 3)]), user=None)
    freeze = freeze_stock(organization=org, user=None, product=product, location=world.bin1,
                          quantity=Decimal(3), reason="质检")  # fmt: skip
    waiting = [orders.submit_sales_order(order=world.order([(product, 4)]), user=None)
               for _ in range(3)]  # fmt: skip
    assert all(o.lines.get().backorder_quantity == 4 for o in waiting)
    work = [
        lambda: orders.cancel_sales_order(order=cancelled),
        lambda: orders.close_sales_order(order=closed),
        lambda: release_freeze(freeze=freeze),
    ]
    barrier = threading.Barrier(len(work))
    errors: list[str] = []

    def worker(job):
        try:
            barrier.wait()
            job()
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    row = WarehouseStock.objects.get(product=product, warehouse=world.wh1)
    assert (row.on_hand, row.reserved, row.frozen) == (9, 9, 0)
    opened = Reservation.objects.filter(product=product, state="open")
    assert sum(r.quantity for r in opened) == 9
    got = []
    for order in waiting:
        line = order.lines.get()
        assert line.reserved_quantity + line.backorder_quantity == line.base_quantity
        assert sum(r.quantity for r in opened if r.origin_id == line.pk) == line.reserved_quantity
        got.append(line.reserved_quantity)
    assert got == [4, 4, 1]
    assert verify(org) == []
