"""Master-data figures: product search on 100,000 products, and importing 100,000 products."""

import io
import json
import os
import random
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.run import summarize  # noqa: E402

PRODUCTS = int(os.environ.get("JXC_BENCH_PRODUCTS", "100000"))
WORDS = [
    "可口可乐",
    "雪碧",
    "螺丝刀",
    "扳手",
    "洗衣液",
    "牙膏",
    "复印纸",
    "中性笔",
    "电钻",
    "薯片",
    "矿泉水",
    "纸巾",
    "卷尺",
    "胶带",
    "电池",
    "灯泡",
    "插座",
    "毛巾",
]
SIZES = ["小号", "中号", "大号", "330ml", "500ml", "1L", "10只装", "家庭装"]


def rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(count):
        yield [
            f"B{i:06d}",
            f"{rng.choice(WORDS)}{rng.choice(WORDS)} {rng.choice(SIZES)}",
            rng.choice(SIZES),
            "个",
            f"{rng.uniform(1, 500):.2f}",
        ]


def workbook(count: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["商品编码", "商品名称", "规格型号", "基本单位", "销售价"])
    for row in rows(count):
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def bench_import(org, user) -> dict:
    from jxc.masterdata.services import imports

    content = workbook(PRODUCTS)
    started = time.perf_counter()
    job = imports.create_import(
        organization=org, user=user, target="products", filename="bench.xlsx", content=content
    )
    uploaded = time.perf_counter()
    imports.run_import(job.pk, apply=True)
    done = time.perf_counter()
    job.refresh_from_db()
    assert job.status == "done", (job.status, job.message, job.errors[:3])
    return {
        "rows": PRODUCTS,
        "seconds": round(done - started, 2),
        "read_and_map_s": round(uploaded - started, 2),
        "check_and_write_s": round(done - uploaded, 2),
        "rows_per_second": round(PRODUCTS / (done - started)),
    }


def populate(org) -> None:
    """The same products as the import, written directly (for search-only runs)."""
    from jxc.masterdata.domain.codes import pinyin_initials, search_text
    from jxc.masterdata.models import Product, Unit
    from jxc.masterdata.services.imports import refresh_statistics

    unit = Unit.objects.get(organization=org, code="PCS")
    batch = []
    for code, name, spec, _unit, price in rows(PRODUCTS):
        pinyin = pinyin_initials(name)
        batch.append(
            Product(
                organization=org,
                code=code,
                name=name,
                specification=spec,
                base_unit=unit,
                sale_price=price,
                pinyin=pinyin,
                search_text=search_text(code, name, pinyin, spec),
            )
        )
    Product.objects.bulk_create(batch, batch_size=2000)
    refresh_statistics(Product, len(batch))


def bench_search(org) -> dict:
    from jxc.masterdata.selectors import search_products

    queries = ["kkkl", "螺丝", "b05", "330ml", "B012345", "xyl", "中号", "dz"]
    for query in queries:
        search_products(org, query)
    samples = []
    for _round in range(25):
        for query in queries:
            started = time.perf_counter()
            search_products(org, query)
            samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def main(backend: str) -> None:
    from jxc.core.models import Organization, User
    from jxc.core.services.organizations import create_organization

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        user = User.objects.create(username="bench")
        org = create_organization(code="BENCH", name="基准公司", creator=user)
        org = Organization.objects.get(pk=org.pk)
        if os.environ.get("JXC_BENCH_SKIP_IMPORT"):
            populate(org)
            imported = "skipped"
        else:
            imported = bench_import(org, user)
        result = {
            "benchmark": "masterdata",
            "backend": backend,
            "import_products": imported,
            "search_ms_on_products": PRODUCTS,
            "search_ms": bench_search(org),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connection.close()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1])
