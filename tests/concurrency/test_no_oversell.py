"""No oversell under real concurrency on PostgreSQL: 16 threads reserve the last 100 units."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.services.reservations import reserve_stock
from jxc.inventory.verify import verify
from tests.conftest import make_organization
from tests.inventory.conftest import Stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS, ATTEMPTS = 16, 1000


def test_sixteen_threads_reserve_exactly_the_last_hundred_units():
    org = make_organization("RACE", "并发公司")
    stock = Stock(org)
    product = stock.product()
    stock.receive(product, 100, "3")
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(index: int):
        try:
            barrier.wait()
            for attempt in range(ATTEMPTS // THREADS + (index < ATTEMPTS % THREADS)):
                try:
                    reserve_stock(
                        organization=org,
                        product=product,
                        warehouse=stock.wh1,
                        quantity=Decimal(1),
                        origin_type="race",
                        origin_id=index * 1000 + attempt,
                    )
                    result = "ok"
                except InsufficientStock:
                    result = "refused"
                except Exception as exc:
                    result = f"error: {exc!r}"
                with lock:
                    outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    errors = [o for o in outcomes if o.startswith("error")]
    assert errors == []
    assert len(outcomes) == ATTEMPTS
    assert outcomes.count("ok") == 100
    row = WarehouseStock.objects.get(product=product)
    assert (row.on_hand, row.reserved) == (100, 100)
    assert Reservation.objects.filter(product=product).count() == 100
    assert verify(org) == []


def test_concurrent_issues_never_take_stock_below_zero():
    org = make_organization("RACE2", "并发公司二")
    stock = Stock(org)
    product = stock.product()
    stock.receive(product, 20, "3")
    barrier = threading.Barrier(8)
    delivered, errors = [], []

    def worker():
        try:
            barrier.wait()
            for _ in range(5):
                try:
                    stock.issue(product, 1)
                    delivered.append(1)
                except InsufficientStock:
                    pass
                except Exception as exc:
                    errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert len(delivered) == 20
    assert WarehouseStock.objects.get(product=product).on_hand == 0
    assert verify(org) == []
