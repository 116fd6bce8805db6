"""分配库存 in a real browser: an order of 5 confirmed under the warn policy with nothing on
hand is backordered; 3 arrive (a purchase order received, through the API); the administrator
opens 缺货订单, presses 分配库存, sees the order's line got 3 with 2 still backordered, and
the report, reloaded, shows 3 reserved and 2 short.

Its own warehouse (warn policy by override), partners and product, so the other browser tests
see the demo as they expect."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_reports import post

pytestmark = pytest.mark.e2e

CODE = "ZZ-BO-1"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def backordered_then_received(page) -> str:
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = post(page, "/api/v1/warehouses/", {"code": "ZZ-BO", "name": "欠货测试仓"})["id"]
    post(page, "/api/v1/sales-policy-overrides/",
         {"warehouse": warehouse, "availability_policy": "warn"})  # fmt: skip
    supplier = post(page, "/api/v1/partners/",
                    {"code": "ZZ-BO-S", "name": "欠货测试供应商", "is_supplier": True})["id"]  # fmt: skip
    customer = post(page, "/api/v1/partners/",
                    {"code": "ZZ-BO-C", "name": "欠货测试客户", "is_customer": True})["id"]  # fmt: skip
    product = post(page, "/api/v1/products/",
                   {"code": CODE, "name": "欠货测试商品", "base_unit": piece,
                    "sale_price": "113", "purchase_price": "10"})["id"]  # fmt: skip
    sale = post(page, "/api/v1/sales-orders/",
                {"business_date": TODAY, "customer": customer, "warehouse": warehouse,
                 "lines": [{"product": product, "quantity": "5"}]})  # fmt: skip
    confirmed = post(page, f"/api/v1/sales-orders/{sale['id']}/submit/")
    assert confirmed["state"] == "approved"
    assert confirmed["lines"][0]["backorder_quantity"] == "5.0000"
    order = post(page, "/api/v1/purchase-orders/",
                 {"business_date": TODAY, "supplier": supplier, "warehouse": warehouse,
                  "lines": [{"product": product, "quantity": "3", "unit_price": "10"}]})  # fmt: skip
    assert post(page, f"/api/v1/purchase-orders/{order['id']}/submit/")["state"] == "approved"
    receipt = post(page, "/api/v1/goods-receipts/from-orders/", {"orders": [order["id"]]})
    post(page, f"/api/v1/goods-receipts/{receipt['id']}/post/")
    return confirmed["number"]


def test_allocate_stock_to_backorders_from_the_report(page, shot):
    log_in(page)
    number = backordered_then_received(page)

    page.goto("/sales/reports/backorders")
    expect(page.get_by_test_id("page-title")).to_have_text("缺货订单")
    row = page.get_by_test_id("report-table").locator("tr", has_text=CODE)
    expect(row).to_contain_text(number)
    page.get_by_test_id("backorders-allocate").click()
    dialog = page.get_by_test_id("backorders-allocated")
    expect(dialog).to_contain_text("库存分配结果")
    line = dialog.locator("tr", has_text=CODE)
    expect(line).to_contain_text(number)
    expect(line).to_contain_text("欠货测试商品")
    expect(line.locator("td").nth(3)).to_have_text("3")
    expect(line.locator("td").nth(4)).to_have_text("2")
    shot(page, "sales-backorders-allocated")
    dialog.get_by_role("button", name="关闭", exact=True).click()
    # the report, reloaded: 3 reserved, 2 still short
    expect(row.locator("td").nth(9)).to_have_text("3")
    expect(row.locator("td").nth(10)).to_have_text("2")
    # pressed again: nothing more on hand to give
    page.get_by_test_id("backorders-allocate").click()
    expect(page.get_by_test_id("backorders-none")).to_be_visible()
    assert unexpected_errors(page) == []
