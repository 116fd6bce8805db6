"""Purchasing figures: purchase suggestions (采购建议) for 10,000 products with reorder rules
(target: under 3 s), with stock rows, open purchase orders and a supplier for each."""

import json
import os
import sys
import time
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.run import summarize  # noqa: E402

PRODUCTS = int(os.environ.get("JXC_BENCH_SUGGESTION_PRODUCTS", "10000"))
ORDER_LINES = PRODUCTS // 5
REPEAT = 5


def populate(org) -> None:
    """Products with a rule each at one warehouse (half of them below the reorder point), a
    stock row each, and one in five on an approved open purchase order."""
    from jxc.core.states import DocumentState
    from jxc.inventory.models import WarehouseStock
    from jxc.masterdata.models import Currency, Product, Unit
    from jxc.masterdata.services.locations import save_warehouse
    from jxc.masterdata.services.partners import save_partner
    from jxc.purchasing.models import PurchaseOrder, PurchaseOrderLine, ReorderRule

    warehouse = save_warehouse(organization=org, data={"code": "W", "name": "仓库"})
    unit = Unit.objects.get(organization=org, code="PCS")
    suppliers = [
        save_partner(organization=org, data={"code": f"S{i}", "name": f"供应商{i}",
                                             "is_supplier": True})
        for i in range(20)
    ]  # fmt: skip
    Product.objects.bulk_create(
        Product(organization=org, code=f"P{i:05d}", name=f"商品{i}", base_unit=unit)
        for i in range(PRODUCTS)
    )
    products = list(Product.objects.filter(organization=org).order_by("code"))
    WarehouseStock.objects.bulk_create(
        WarehouseStock(organization=org, product=p, warehouse=warehouse,
                       on_hand=Decimal(10 + (i % 2) * 100), reserved=Decimal(i % 3))
        for i, p in enumerate(products)
    )  # fmt: skip
    ReorderRule.objects.bulk_create(
        ReorderRule(organization=org, product=p, warehouse=warehouse, safety_stock=Decimal(5),
                    reorder_point=Decimal(30), reorder_quantity=Decimal(50),
                    max_stock=Decimal(200) if i % 4 == 0 else None, lead_time_days=i % 14,
                    min_order_quantity=Decimal(i % 7), pack_size=Decimal(1 + i % 6),
                    supplier=suppliers[i % len(suppliers)])
        for i, p in enumerate(products)
    )  # fmt: skip
    cny = Currency.objects.get(organization=org, is_base=True)
    orders = PurchaseOrder.objects.bulk_create(
        PurchaseOrder(organization=org, supplier=s, currency=cny, warehouse=warehouse,
                      business_date=timezone.localdate(), state=DocumentState.APPROVED,
                      number=f"CG{i}")
        for i, s in enumerate(suppliers)
    )  # fmt: skip
    PurchaseOrderLine.objects.bulk_create(
        PurchaseOrderLine(order=orders[i % len(orders)], position=i, product=products[i * 5],
                          unit=unit, quantity=Decimal(20), base_quantity=Decimal(20),
                          unit_price=Decimal(1), tax_percent=Decimal(13))
        for i in range(ORDER_LINES)
    )  # fmt: skip


def bench_suggestions(org) -> tuple[dict, int]:
    from jxc.purchasing.suggestions import purchase_suggestions

    samples, lines = [], 0
    for _ in range(REPEAT):
        started = time.perf_counter()
        groups = purchase_suggestions(org)
        samples.append(time.perf_counter() - started)
        lines = sum(len(g["lines"]) for g in groups)
    return summarize(samples), lines


def main(backend: str) -> None:
    from jxc.core.models import User
    from jxc.core.services.organizations import create_organization

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        user = User.objects.create(username="bench")
        org = create_organization(code="BENCH", name="基准公司", creator=user)
        populate(org)
        seconds, lines = bench_suggestions(org)
        result = {
            "benchmark": "purchasing",
            "backend": backend,
            "suggestion_products": PRODUCTS,
            "suggestion_lines": lines,
            "suggestions_s": seconds,
            "target_s": 3,
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1])
