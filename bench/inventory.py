"""Inventory figures: posting stock documents, available-to-promise reads at two ledger sizes,
and 16 concurrent clients reserving the last 100 units."""

import datetime
import json
import os
import sys
import threading
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.run import summarize  # noqa: E402

DOCUMENTS = int(os.environ.get("JXC_BENCH_DOCUMENTS", "500"))
BIG_LEDGER = int(os.environ.get("JXC_BENCH_BIG_LEDGER", "5000000"))


def world():
    from jxc.core.models import User
    from jxc.core.services.organizations import create_organization
    from jxc.masterdata.models import Location, Unit
    from jxc.masterdata.services.locations import save_warehouse, warehouse_root
    from jxc.masterdata.services.products import save_product

    user = User.objects.create(username="bench")
    org = create_organization(code="BENCH", name="基准公司", creator=user)
    warehouse = save_warehouse(organization=org, data={"code": "W", "name": "仓库"})
    unit = Unit.objects.get(organization=org, code="PCS")
    products = [
        save_product(
            organization=org, data={"code": f"P{i}", "name": f"商品{i}", "base_unit": unit}
        )
        for i in range(200)
    ]
    virtual = {
        loc.kind: loc for loc in Location.objects.filter(organization=org, warehouse__isnull=True)
    }
    return org, user, warehouse, warehouse_root(warehouse), products, virtual


def bench_documents(org, user, warehouse, products) -> dict:
    """Posting alone (the drafts saved beforehand), which is what the target names, and saving
    plus posting, which is what a user's click costs."""
    from jxc.inventory.services.documents import post_stock_document, save_stock_document

    def draft(kind, i):
        lines = [
            {
                "product": products[(i * 3 + k) % len(products)],
                "quantity": Decimal(5),
                "unit_cost": Decimal("2.5"),
            }
            for k in range(3)
        ]
        return save_stock_document(
            organization=org,
            user=user,
            data={
                "kind": kind,
                "business_date": django.utils.timezone.localdate(),
                "warehouse": warehouse,
                "reason": "other",
                "lines": lines,
            },
        )

    figures = {}
    for kind in ("receipt", "issue"):
        drafts = [draft(kind, i) for i in range(DOCUMENTS)]
        started = time.perf_counter()
        for doc in drafts:
            post_stock_document(document=doc)
        elapsed = time.perf_counter() - started
        figures[f"{kind}_posted_per_second"] = round(DOCUMENTS / elapsed, 1)
        started = time.perf_counter()
        for i in range(DOCUMENTS):
            post_stock_document(document=draft(kind, i))
        elapsed = time.perf_counter() - started
        figures[f"{kind}_saved_and_posted_per_second"] = round(DOCUMENTS / elapsed, 1)
    figures["documents"] = DOCUMENTS
    figures["lines_per_document"] = 3
    return figures


def bench_atp(product, warehouse) -> dict:
    from jxc.inventory.selectors import availability

    availability(product_id=product.pk, warehouse_id=warehouse.pk)
    samples = []
    for _ in range(2000):
        started = time.perf_counter()
        availability(product_id=product.pk, warehouse_id=warehouse.pk)
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def grow_ledger(org, product, root, supplier, rows: int) -> None:
    """Pad the ledger with ``rows`` moves of other products, straight in SQL."""
    columns = (
        "organization_id, product_id, quantity, from_location_id, to_location_id, "
        "to_warehouse_id, flow, cost_fixed, unit_cost, value, cost_explanation, business_date, "
        "posted_at, origin_type, reference, reason"
    )
    values = (
        f"{org.pk}, {product.pk}, 1, {supplier.pk}, {root.pk}, {root.warehouse_id}, 'in', "
        "TRUE, 0, 0, '[]', '2026-01-01', CURRENT_TIMESTAMP, 'bench', 'PAD', ''"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO inventory_stockmove ({columns}) "
                f"SELECT {values} FROM generate_series(1, {rows})"
            )
            cursor.execute("ANALYZE inventory_stockmove")
        else:
            cursor.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {rows}) INSERT INTO inventory_stockmove ({columns}) "
                f"SELECT {values} FROM n"
            )


def bench_race(org, warehouse, product) -> dict:
    from jxc.inventory.errors import InsufficientStock
    from jxc.inventory.models import WarehouseStock
    from jxc.inventory.services.reservations import reserve_stock

    threads_count, attempts = 16, 1000
    outcomes, lock = [], threading.Lock()
    barrier = threading.Barrier(threads_count)

    def worker(index):
        try:
            barrier.wait()
            for attempt in range(attempts // threads_count + (index < attempts % threads_count)):
                try:
                    reserve_stock(
                        organization=org,
                        product=product,
                        warehouse=warehouse,
                        quantity=Decimal(1),
                        origin_type="bench",
                        origin_id=index * 10_000 + attempt,
                    )
                    result = "ok"
                except InsufficientStock:
                    result = "refused"
                except Exception as exc:
                    result = f"error {type(exc).__name__}"
                with lock:
                    outcomes.append(result)
        finally:
            connections.close_all()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    row = WarehouseStock.objects.get(product=product, warehouse=warehouse)
    return {
        "clients": threads_count,
        "attempts": len(outcomes),
        "reserved": outcomes.count("ok"),
        "refused": outcomes.count("refused"),
        "errors": len([o for o in outcomes if o.startswith("error")]),
        "available_after": str(row.available),
        "seconds": round(elapsed, 2),
        "attempts_per_second": round(len(outcomes) / elapsed),
    }


SUMMARY_MOVES = int(os.environ.get("JXC_BENCH_SUMMARY_MOVES", "1000000"))
SUMMARY_PRODUCTS = 10_000
BACKDATED_LATER = int(os.environ.get("JXC_BENCH_BACKDATED_LATER", "100000"))


def bench_summary(org, root, supplier, customer) -> dict:
    """进销存汇总表 for one month over a year of SUMMARY_MOVES moves on 10,000 products."""
    from jxc.inventory.models import StockMonthClose
    from jxc.inventory.reports import stock_summary
    from jxc.masterdata.models import Product, Unit

    unit = Unit.objects.get(organization=org, code="PCS")
    Product.objects.bulk_create(
        [
            Product(organization=org, code=f"S{i:05d}", name=f"汇总{i}", base_unit=unit)
            for i in range(SUMMARY_PRODUCTS)
        ],
        batch_size=2000,
    )
    first = Product.objects.get(organization=org, code="S00000").pk
    columns = (
        "organization_id, product_id, quantity, from_location_id, to_location_id, "
        "from_warehouse_id, to_warehouse_id, flow, cost_fixed, unit_cost, value, "
        "cost_explanation, business_date, posted_at, origin_type, reference, reason"
    )
    # two of three moves receive, one issues; dates spread over 2025
    body = (
        f"{org.pk}, {first} + (i % {SUMMARY_PRODUCTS}), 1 + i % 5, "
        f"CASE WHEN i % 3 = 2 THEN {root.pk} ELSE {supplier.pk} END, "
        f"CASE WHEN i % 3 = 2 THEN {customer.pk} ELSE {root.pk} END, "
        f"CASE WHEN i % 3 = 2 THEN {root.warehouse_id} ELSE NULL END, "
        f"CASE WHEN i % 3 = 2 THEN NULL ELSE {root.warehouse_id} END, "
        "CASE WHEN i % 3 = 2 THEN 'out' ELSE 'in' END, i % 3 != 2, 2, 2 * (1 + i % 5), "
        "'[]', {date}, CURRENT_TIMESTAMP, 'bench', 'SUM', ''"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            date = "DATE '2025-01-01' + (i % 365)"
            cursor.execute(
                f"INSERT INTO inventory_stockmove ({columns}) SELECT "
                + body.format(date=date)
                + f" FROM generate_series(0, {SUMMARY_MOVES - 1}) AS i"
            )
            cursor.execute("ANALYZE inventory_stockmove")
        else:
            date = "date('2025-01-01', '+' || (i % 365) || ' days')"
            cursor.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {SUMMARY_MOVES - 1}) INSERT INTO inventory_stockmove "
                f"({columns}) SELECT " + body.format(date=date) + " FROM n"
            )
    month = (datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    StockMonthClose.objects.filter(organization=org).delete()
    started = time.perf_counter()
    rows = stock_summary(org, date_from=month[0], date_to=month[1])
    cold = time.perf_counter() - started
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        rows = stock_summary(org, date_from=month[0], date_to=month[1])
        samples.append(time.perf_counter() - started)
    assert all(
        r["opening_quantity"] + r["in_quantity"] - r["out_quantity"] == r["closing_quantity"]
        for r in rows
    )
    return {
        "moves": SUMMARY_MOVES,
        "products": SUMMARY_PRODUCTS,
        "rows": len(rows),
        "first_run_building_month_closes_s": round(cold, 2),
        "seconds": summarize(samples),
    }


def bench_backdated(org, root, supplier, customer) -> dict:
    """A receipt dated before BACKDATED_LATER moves of its product re-values all of them."""
    from jxc.inventory.models import ProductValuation, Revaluation
    from jxc.inventory.services.moves import MoveRequest, post_moves
    from jxc.masterdata.models import Product, Unit

    unit = Unit.objects.get(organization=org, code="PCS")
    product = Product.objects.create(organization=org, code="BACK", name="回溯", base_unit=unit)
    columns = (
        "organization_id, product_id, quantity, from_location_id, to_location_id, "
        "from_warehouse_id, to_warehouse_id, flow, cost_fixed, unit_cost, value, "
        "cost_explanation, business_date, posted_at, origin_type, reference, reason"
    )
    # even rows receive 10 at 2, odd rows issue 5 (valued at the average 2), 1,000 a day; as
    # moves without a document ("inventory.move"), which the default posting rules book when
    # the back-dated receipt re-values them
    body = (
        f"{org.pk}, {product.pk}, CASE WHEN i % 2 = 0 THEN 10 ELSE 5 END, "
        f"CASE WHEN i % 2 = 0 THEN {supplier.pk} ELSE {root.pk} END, "
        f"CASE WHEN i % 2 = 0 THEN {root.pk} ELSE {customer.pk} END, "
        f"CASE WHEN i % 2 = 0 THEN NULL ELSE {root.warehouse_id} END, "
        f"CASE WHEN i % 2 = 0 THEN {root.warehouse_id} ELSE NULL END, "
        "CASE WHEN i % 2 = 0 THEN 'in' ELSE 'out' END, i % 2 = 0, 2, "
        "CASE WHEN i % 2 = 0 THEN 20 ELSE 10 END, '[]', {date}, CURRENT_TIMESTAMP, 'inventory.move', 'BACK', ''"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            date = "DATE '2026-02-01' + (i / 1000)"
            cursor.execute(
                f"INSERT INTO inventory_stockmove ({columns}) SELECT "
                + body.format(date=date)
                + f" FROM generate_series(0, {BACKDATED_LATER - 1}) AS i"
            )
            cursor.execute("ANALYZE inventory_stockmove")
        else:
            date = "date('2026-02-01', '+' || (i / 1000) || ' days')"
            cursor.execute(
                f"WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {BACKDATED_LATER - 1}) INSERT INTO inventory_stockmove "
                f"({columns}) SELECT " + body.format(date=date) + " FROM n"
            )
    half = BACKDATED_LATER // 2
    ProductValuation.objects.create(
        organization=org,
        product=product,
        quantity=Decimal(5 * half),
        value=Decimal(10 * half),
        last_cost=Decimal(2),
        valued_through=datetime.date(2026, 2, 1) + datetime.timedelta(days=BACKDATED_LATER // 1000),
    )
    started = time.perf_counter()
    with transaction.atomic():
        post_moves(
            organization=org,
            business_date=datetime.date(2026, 1, 15),
            moves=[
                MoveRequest(  # large enough to change the cost of every later issue
                    product=product,
                    quantity=Decimal(1_000_000),
                    from_location=supplier,
                    to_location=root,
                    unit_cost=Decimal(5),
                )
            ],
        )
    elapsed = time.perf_counter() - started
    record = Revaluation.objects.get(product=product)
    return {
        "later_moves": BACKDATED_LATER,
        "moves_replayed": record.moves_replayed,
        "moves_changed": record.moves_changed,
        "seconds": round(elapsed, 2),
    }


def main(backend: str) -> None:
    from jxc.inventory.services.moves import MoveRequest, post_moves

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        org, user, warehouse, root, products, virtual = world()
        result = {
            "benchmark": "inventory",
            "backend": backend,
            "post_documents": bench_documents(org, user, warehouse, products),
        }
        probe = products[0]
        from jxc.inventory.models import StockMove

        result["atp_ms_small_ledger"] = {
            "moves": StockMove.objects.count(),
            **bench_atp(probe, warehouse),
        }
        grow_ledger(org, products[-1], root, virtual["supplier"], BIG_LEDGER)
        result["atp_ms_big_ledger"] = {
            "moves": StockMove.objects.count(),
            **bench_atp(probe, warehouse),
        }
        hot = products[1]
        with transaction.atomic():
            from jxc.inventory.models import WarehouseStock

            on_hand = WarehouseStock.objects.get(product=hot, warehouse=warehouse).on_hand
            post_moves(
                organization=org,
                business_date=django.utils.timezone.localdate(),
                moves=[
                    MoveRequest(
                        product=hot,
                        quantity=on_hand,
                        from_location=root,
                        to_location=virtual["customer"],
                    )
                ]
                if on_hand
                else [
                    MoveRequest(
                        product=hot,
                        quantity=Decimal(100),
                        from_location=virtual["supplier"],
                        to_location=root,
                    )
                ],
            )
            if on_hand:
                post_moves(
                    organization=org,
                    business_date=django.utils.timezone.localdate(),
                    moves=[
                        MoveRequest(
                            product=hot,
                            quantity=Decimal(100),
                            from_location=virtual["supplier"],
                            to_location=root,
                            unit_cost=Decimal(1),
                        )
                    ],
                )
        result["reserve_last_100_units"] = bench_race(org, warehouse, hot)
        result["backdated_receipt"] = bench_backdated(
            org, root, virtual["supplier"], virtual["customer"]
        )
        result["stock_summary_one_month"] = bench_summary(
            org, root, virtual["supplier"], virtual["customer"]
        )
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1])
