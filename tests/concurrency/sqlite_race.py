"""Run by test_no_oversell_sqlite: 16 threads reserve the last 100 units on a SQLite *file*
(WAL, IMMEDIATE transactions), the way the embedded default runs. Prints a JSON verdict."""

import json
import os
import sys
import threading
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.db import connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main() -> None:
    from jxc.inventory.errors import InsufficientStock
    from jxc.inventory.models import WarehouseStock
    from jxc.inventory.services.reservations import reserve_stock
    from jxc.inventory.verify import verify
    from tests.conftest import make_organization
    from tests.inventory.conftest import Stock

    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        org = make_organization("RACE", "并发公司")
        stock = Stock(org)
        product = stock.product()
        stock.receive(product, 100, "3")
        outcomes, lock, barrier = [], threading.Lock(), threading.Barrier(16)

        def worker(index):
            try:
                barrier.wait()
                for attempt in range(1000 // 16 + (index < 1000 % 16)):
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
                connections.close_all()

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        row = WarehouseStock.objects.get(product=product)
        print(
            json.dumps(
                {
                    "attempts": len(outcomes),
                    "ok": outcomes.count("ok"),
                    "errors": [o for o in outcomes if o.startswith("error")][:5],
                    "reserved": str(row.reserved),
                    "problems": verify(org),
                }
            )
        )
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
