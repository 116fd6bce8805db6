"""The shared workload (WORKLOAD.md of the team's benchmark folder; its JSON files are copied
in ``bench/data/``) through JXC's own services, on the backend of ``DATABASE_URL``:

- W1 purchase-to-receive: each purchase order created, submitted (approved: no rule applies),
  received in full in one click and posted, with its 暂估 voucher;
- W2 order-to-ship: each sales order created, submitted (confirmed, stock reserved), delivered
  in full and posted, with its cost-of-sales voucher; then the same through the REST API (in
  process, through the whole Django stack: middleware, session auth, serializers; no socket);
- W3 stock query: the on-hand of one product, in process and through the API, checked against
  the expected figure (and every product checked after W2);
- W4 oversell: HOT at exactly 20 on hand; 4 (then 16) processes released together, each
  placing one-unit orders and confirming and delivering each.

Prints one JSON line. ``JXC_BENCH_WORKLOAD`` names another workload file.
"""

import json
import multiprocessing
import os
import statistics
import sys
import time
import traceback
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.run import summarize  # noqa: E402

WORKLOAD = Path(
    os.environ.get(
        "JXC_BENCH_WORKLOAD", Path(__file__).resolve().parent / "data" / "workload_default.json"
    )
)
W4_PROCESSES = (4, 16)


class World:
    """The workload's setup: one organization, one warehouse, the products, one supplier and
    one customer, all stock at zero (not timed)."""

    def __init__(self, work: dict):
        from jxc.core.models import User
        from jxc.core.services.organizations import create_organization
        from jxc.masterdata.models import Unit
        from jxc.masterdata.services.locations import save_warehouse
        from jxc.masterdata.services.partners import save_partner

        self.user = User.objects.create(username="bench", is_superuser=True)
        self.org = create_organization(
            code="BENCH", name=work["company"]["name"], creator=self.user
        )
        self.warehouse = save_warehouse(organization=self.org, data={"code": "W", "name": "仓库"})
        self.unit = Unit.objects.get(organization=self.org, code="PCS")
        self.products = {p["code"]: self.product(p) for p in work["products"]}
        self.hot = self.product(work["w4"]["product"])
        self.supplier = save_partner(
            organization=self.org,
            data={"code": "S1", "name": work["supplier"]["name"], "is_supplier": True},
        )
        self.customer = save_partner(
            organization=self.org,
            data={"code": "C1", "name": work["customer"]["name"], "is_customer": True},
        )
        self.today = timezone.localdate()

    def product(self, spec: dict):
        from jxc.masterdata.services.products import save_product

        return save_product(
            organization=self.org,
            data={
                "code": spec["code"],
                "name": spec["name"],
                "base_unit": self.unit,
                "purchase_price": Decimal(spec["cost_price"]),
                "sale_price": Decimal(spec["list_price"]),
            },
        )


def _steps(samples: dict[str, list[float]], count: int, total: float) -> dict:
    return {
        "seconds": round(total, 3),
        "per_second": round(count / total, 1) if total else None,
        "step_ms": {name: summarize([s * 1000 for s in times]) for name, times in samples.items()},
    }


def _timed(samples, name, action):
    started = time.perf_counter()
    result = action()
    samples[name].append(time.perf_counter() - started)
    return result


def w1(world: World, purchases: list[dict]) -> dict:
    from jxc.purchasing.services.orders import save_purchase_order, submit_purchase_order
    from jxc.purchasing.services.receipts import post_goods_receipt, receipt_from_orders

    samples: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for po in purchases:
        lines = [
            {
                "product": world.products[line["product"]],
                "quantity": Decimal(line["quantity"]),
                "unit_price": Decimal(line["unit_price"]),
            }
            for line in po["lines"]
        ]
        data = {"business_date": world.today, "supplier": world.supplier,
                "warehouse": world.warehouse, "note": po["ref"], "lines": lines}  # fmt: skip
        order = _timed(samples, "create", lambda d=data: save_purchase_order(
            organization=world.org, user=world.user, data=d))  # fmt: skip
        order = _timed(samples, "approve", lambda o=order: submit_purchase_order(
            order=o, user=world.user))  # fmt: skip
        receipt = _timed(samples, "receive", lambda o=order: receipt_from_orders(
            organization=world.org, user=world.user, orders=[o]))  # fmt: skip
        _timed(samples, "post_receipt", lambda r=receipt: post_goods_receipt(receipt=r))
        assert order.state == "approved", order.state
    return _steps(samples, len(purchases), time.perf_counter() - started)


def _sales_lines(world: World, so: dict) -> list[dict]:
    return [
        {
            "product": world.products[line["product"]],
            "quantity": Decimal(line["quantity"]),
            "unit_price": Decimal(line["unit_price"]),
        }
        for line in so["lines"]
    ]


def w2(world: World, sales: list[dict]) -> dict:
    from jxc.sales.services.deliveries import post_delivery, save_delivery
    from jxc.sales.services.orders import save_sales_order, submit_sales_order

    samples: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for so in sales:
        data = {"business_date": world.today, "customer": world.customer,
                "warehouse": world.warehouse, "lines": _sales_lines(world, so)}  # fmt: skip
        order = _timed(samples, "create", lambda d=data: save_sales_order(
            organization=world.org, user=world.user, data=d))  # fmt: skip
        order = _timed(samples, "confirm", lambda o=order: submit_sales_order(
            order=o, user=world.user))  # fmt: skip
        delivery = _timed(samples, "deliver", lambda o=order: save_delivery(
            organization=world.org, user=world.user,
            data={"business_date": world.today, "orders": [o]}))  # fmt: skip
        _timed(samples, "post_delivery", lambda d=delivery: post_delivery(delivery=d))
    return _steps(samples, len(sales), time.perf_counter() - started)


def _client(world: World):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(world.user)
    client.credentials(HTTP_X_ORGANIZATION=str(world.org.pk))
    return client


def _ok(response, status=(200, 201)):
    if response.status_code not in status:
        raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
    return response.json() if response.content else None


def w2_api(world: World, sales: list[dict]) -> dict:
    client = _client(world)
    samples: dict[str, list[float]] = defaultdict(list)
    started = time.perf_counter()
    for so in sales:
        body = {
            "business_date": world.today.isoformat(),
            "customer": world.customer.pk,
            "warehouse": world.warehouse.pk,
            "lines": [
                {
                    "product": world.products[line["product"]].pk,
                    "quantity": str(line["quantity"]),
                    "unit_price": line["unit_price"],
                }  # fmt: skip
                for line in so["lines"]
            ],
        }
        order = _timed(samples, "create", lambda b=body: _ok(
            client.post("/api/v1/sales-orders/", b, format="json")))  # fmt: skip
        _timed(samples, "confirm", lambda o=order: _ok(
            client.post(f"/api/v1/sales-orders/{o['id']}/submit/")))  # fmt: skip
        delivery = _timed(samples, "deliver", lambda o=order: _ok(
            client.post("/api/v1/deliveries/", {"business_date": world.today.isoformat(),
                                               "orders": [o["id"]]}, format="json")))  # fmt: skip
        _timed(samples, "post_delivery", lambda d=delivery: _ok(
            client.post(f"/api/v1/deliveries/{d['id']}/post/")))  # fmt: skip
    return _steps(samples, len(sales), time.perf_counter() - started)


def w3(world: World, work: dict) -> dict:
    from jxc.inventory.models import WarehouseStock
    from jxc.inventory.selectors import availability

    spec = work["w3"]
    product, lookups = world.products[spec["product"]], work["params"]["w3_lookups"]
    expected = Decimal(spec["expected_on_hand"])

    def in_process():
        return availability(product_id=product.pk, warehouse_id=world.warehouse.pk).on_hand

    client = _client(world)
    url = f"/api/v1/stock/availability/?product={product.pk}&warehouse={world.warehouse.pk}"

    def over_api():
        return Decimal(_ok(client.get(url))["warehouses"][0]["on_hand"])

    figures = {}
    for name, lookup in (("in_process", in_process), ("api", over_api)):
        assert lookup() == expected, (name, lookup(), expected)  # the warm-up, checked
        samples = []
        for _ in range(lookups):
            started = time.perf_counter()
            lookup()
            samples.append((time.perf_counter() - started) * 1000)
        figures[f"{name}_ms"] = {
            "median": round(statistics.median(samples), 3),
            "p95": round(sorted(samples)[int(len(samples) * 0.95) - 1], 3),
        }
    on_hand = dict(
        WarehouseStock.objects.filter(warehouse=world.warehouse).values_list(
            "product__code", "on_hand"
        )
    )
    wrong = {
        code: str(on_hand.get(code, 0))
        for code, want in work["expected_on_hand_after_w2"].items()
        if on_hand.get(code, 0) != want
    }
    return {**figures, "expected": str(expected), "every_product_as_expected": not wrong}


# --- W4 -------------------------------------------------------------------------------------


def _set_on_hand(world: World, product, quantity: Decimal) -> None:
    """A stock adjustment to exactly ``quantity`` on hand (an other receipt or issue)."""
    from jxc.inventory.models import WarehouseStock
    from jxc.inventory.services.documents import post_stock_document, save_stock_document

    row = WarehouseStock.objects.filter(product=product, warehouse=world.warehouse).first()
    now = row.on_hand if row else Decimal(0)
    if now == quantity:
        return
    kind = "receipt" if quantity > now else "issue"
    line = {"product": product, "quantity": abs(quantity - now)}
    if kind == "receipt":
        line["unit_cost"] = product.purchase_price
    document = save_stock_document(
        organization=world.org,
        user=world.user,
        data={
            "kind": kind,
            "business_date": world.today,
            "warehouse": world.warehouse,
            "reason": "other",
            "lines": [line],
        },  # fmt: skip
    )
    post_stock_document(document=document)


def _w4_worker(world: World, barrier, orders: int, results) -> None:
    """One client: ``orders`` one-unit orders of HOT, each confirmed and delivered."""
    from jxc.inventory.errors import InsufficientStock
    from jxc.sales.services.deliveries import post_delivery, save_delivery
    from jxc.sales.services.orders import save_sales_order, submit_sales_order

    connections.close_all()  # the parent's connections are not this process's
    counts: Counter = Counter()
    barrier.wait()
    for _ in range(orders):
        counts["tries"] += 1
        try:
            order = save_sales_order(
                organization=world.org,
                user=world.user,
                data={
                    "business_date": world.today,
                    "customer": world.customer,
                    "warehouse": world.warehouse,
                    "lines": [{"product": world.hot, "quantity": Decimal(1)}],
                },  # fmt: skip
            )
            submit_sales_order(order=order, user=world.user)
            counts["confirmed"] += 1
            delivery = save_delivery(
                organization=world.org,
                user=world.user,
                data={"business_date": world.today, "orders": [order]},
            )
            post_delivery(delivery=delivery)
            counts["delivered"] += 1
        except InsufficientStock:
            counts["refused_insufficient_stock"] += 1
        except Exception as error:
            counts["errors"] += 1
            counts[f"error:{type(error).__name__}"] += 1
            if counts["errors"] == 1:
                traceback.print_exc(file=sys.stderr)
    connections.close_all()
    results.put(dict(counts))


def w4(world: World, work: dict, processes: int) -> dict:
    from jxc.inventory.models import StockBalance, WarehouseStock

    spec = work["w4"]
    _set_on_hand(world, world.hot, Decimal(spec["on_hand"]))
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    connections.close_all()
    workers = [
        context.Process(target=_w4_worker, args=(world, barrier, spec["orders_per_proc"], results))
        for _ in range(processes)
    ]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    totals: Counter = Counter()
    for _ in workers:
        totals.update(results.get(timeout=600))
    for worker in workers:
        worker.join()
    seconds = time.perf_counter() - started
    on_hand = WarehouseStock.objects.get(product=world.hot, warehouse=world.warehouse).on_hand
    negative = StockBalance.objects.filter(product=world.hot, on_hand__lt=0).exists()
    delivered = totals["delivered"]
    correct = (
        delivered == spec["on_hand"]
        and totals["errors"] == 0
        and on_hand == 0
        and not negative
        and totals["refused_insufficient_stock"] == totals["tries"] - delivered
    )
    return {
        "processes": processes,
        **{key: totals[key] for key in sorted(totals)},
        "on_hand_after": str(on_hand),
        "oversold": max(0, delivered - spec["on_hand"]),
        "went_negative": negative,
        "correct": correct,
        "seconds": round(seconds, 3),
    }


def main(backend: str) -> None:
    work = json.loads(WORKLOAD.read_text())
    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        world = World(work)
        result = {
            "benchmark": "workload",
            "backend": backend,
            "workload": WORKLOAD.name,
            "sizes": {k: work["params"][k] for k in ("products", "purchases", "sales")},
            "w1": w1(world, work["purchases"]),
            "w2": w2(world, work["sales"]),
        }
        result["w3"] = w3(world, work)
        w1(world, work["purchases"])  # stock again for the API's turn (not reported)
        result["w2_api"] = w2_api(world, work["sales"])
        result["w4"] = [w4(world, work, processes) for processes in W4_PROCESSES]
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "unknown")
