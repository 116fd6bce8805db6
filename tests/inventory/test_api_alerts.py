"""Low-stock and expiring-stock lists: what they list, their filters, bad input, isolation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jxc.inventory.models import StockBalance, WarehouseStock
from jxc.inventory.services.lots import get_or_create_lot
from jxc.inventory.services.reservations import reserve_stock
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.inventory.conftest import Stock

pytestmark = pytest.mark.django_db


def test_low_stock_lists_what_is_below_safety_stock_reorder_point_or_above_maximum(api, stock):
    safe = stock.product("OK", safety_stock=Decimal(5), reorder_point=Decimal(10))
    reorder = stock.product("RE", safety_stock=Decimal(5), reorder_point=Decimal(10))
    short = stock.product("SH", safety_stock=Decimal(5), reorder_point=Decimal(10))
    full = stock.product("MX", max_stock=Decimal(20))
    ignored = stock.product("NO")  # no limits: never listed
    stock.receive(safe, 30, 1)
    stock.receive(reorder, 12, 1)
    stock.receive(short, 20, 1)
    stock.receive(full, 25, 1)
    stock.receive(ignored, 1, 1)
    reserve_stock(  # reserved stock is not available: 12 − 4 = 8, at the reorder point
        organization=stock.org,
        product=reorder,
        warehouse=stock.wh1,
        quantity=Decimal(4),
        origin_type="test",
        origin_id=1,
    )
    stock.issue(short, 16)
    rows = api.get("/api/v1/low-stock/").json()["results"]
    assert [(r["product_code"], r["status"], r["available"]) for r in rows] == [
        ("SH", "below_safety", "4.0000"),
        ("RE", "reorder", "8.0000"),
        ("MX", "above_max", "25.0000"),
    ]
    filtered = api.get("/api/v1/low-stock/", {"status": "reorder", "warehouse": stock.wh1.pk})
    assert [r["product_code"] for r in filtered.json()["results"]] == ["RE"]
    assert_error(api.get("/api/v1/low-stock/", {"status": "nonsense"}), 400, field="status")
    exported = api.get("/api/v1/low-stock/export/")
    assert exported.status_code == 200


def test_expiring_stock_lists_lots_with_stock_by_expiry(api, stock):
    product = stock.product("LOT", tracking="lot")
    today = timezone.localdate()
    soon = get_or_create_lot(
        product=product, code="SOON", expiry_date=today + datetime.timedelta(days=10)
    )
    late = get_or_create_lot(
        product=product, code="LATE", expiry_date=today + datetime.timedelta(days=90)
    )
    gone = get_or_create_lot(
        product=product, code="GONE", expiry_date=today - datetime.timedelta(days=1)
    )
    empty = get_or_create_lot(product=product, code="EMPTY", expiry_date=today)
    for lot in (soon, late, gone, empty):
        stock.receive(product, 5, 1, lot=lot)
    stock.issue(product, 5, lot=empty)
    rows = api.get("/api/v1/expiring-stock/").json()["results"]
    assert [(r["lot_code"], r["days_left"]) for r in rows] == [("GONE", -1), ("SOON", 10)]
    wider = api.get("/api/v1/expiring-stock/", {"within_days": 100}).json()["results"]
    assert [r["lot_code"] for r in wider] == ["GONE", "SOON", "LATE"]
    assert_error(api.get("/api/v1/expiring-stock/", {"within_days": "x"}), 400, field="within_days")
    assert_error(api.get("/api/v1/expiring-stock/", {"within_days": -5}), 400, field="within_days")


def test_alerts_of_another_organization_are_hidden(api, other_org):
    other = Stock(other_org)
    product = other.product("X", tracking="lot", safety_stock=Decimal(50))
    lot = get_or_create_lot(product=product, code="L1", expiry_date=timezone.localdate())
    other.receive(product, 5, 1, lot=lot)
    assert_other_organization_hidden(
        api, "/api/v1/low-stock/", WarehouseStock.objects.get(product=product)
    )
    assert_other_organization_hidden(
        api, "/api/v1/expiring-stock/", StockBalance.objects.get(product=product)
    )
