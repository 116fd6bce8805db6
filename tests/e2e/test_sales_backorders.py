"""Backorders in a real browser.

分配库存: with 到货自动分配 switched off on the 销售设置 page, an order of 5 confirmed under the
warn policy with nothing on hand is backordered; 3 arrive (a purchase order received, through
the API); the administrator opens 缺货订单, presses 分配库存, sees the order's line got 3 with
2 still backordered, and the report, reloaded, shows 3 reserved and 2 short.

Automatically (the default): the same, and the receipt's stock is on the backorder without
pressing anything — the report shows it reserved and the order's history records it.

Each test has its own warehouse (warn policy by override), partners and product, so the other
browser tests see the demo as they expect; the setting is switched back on at the end."""

import re
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_reports import post

pytestmark = pytest.mark.e2e

CODE = "ZZ-BO-1"
AUTO = "ZZ-BA"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def backordered_then_received(page, prefix: str = "ZZ-BO", name: str = "欠货测试") -> dict:
    """An order of 5 backordered, then a receipt of 3; answers the confirmed order."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = post(page, "/api/v1/warehouses/", {"code": prefix, "name": f"{name}仓"})["id"]
    post(page, "/api/v1/sales-policy-overrides/",
         {"warehouse": warehouse, "availability_policy": "warn"})  # fmt: skip
    supplier = post(page, "/api/v1/partners/",
                    {"code": f"{prefix}-S", "name": f"{name}供应商", "is_supplier": True})["id"]  # fmt: skip
    customer = post(page, "/api/v1/partners/",
                    {"code": f"{prefix}-C", "name": f"{name}客户", "is_customer": True})["id"]  # fmt: skip
    product = post(page, "/api/v1/products/",
                   {"code": f"{prefix}-1", "name": f"{name}商品", "base_unit": piece,
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
    return confirmed


def allocate_on_arrival(page, on: bool) -> None:
    response = page.request.patch("/api/v1/sales/settings/", headers=api_headers(page),
                                  data={"allocate_on_arrival": on})  # fmt: skip
    assert response.ok, response.text()


def test_allocate_stock_to_backorders_from_the_report(page, shot):
    log_in(page)
    # 销售设置: 到货自动分配 switched off, so the receipt's stock waits for the button
    page.goto("/sales/settings")
    page.wait_for_load_state("networkidle")  # the settings read, not the form's defaults
    switch = page.get_by_test_id("settings-allocate-on-arrival")
    expect(switch).to_have_class(re.compile("is-checked"))
    switch.click()
    expect(switch).not_to_have_class(re.compile("is-checked"))
    page.get_by_test_id("settings-save").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    shot(page, "sales-settings-allocate-off")
    saved = page.request.get("/api/v1/sales/settings/").json()
    assert saved["allocate_on_arrival"] is False
    try:
        number = backordered_then_received(page)["number"]
        allocate_by_hand(page, number, shot)
    finally:
        allocate_on_arrival(page, True)


def allocate_by_hand(page, number, shot):

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


def test_stock_arriving_goes_to_the_backorders_by_itself(page, shot):
    log_in(page)
    confirmed = backordered_then_received(page, AUTO, "自动分配测试")
    # the job runs after the receipt's commit, in the background: give it a moment
    url = f"/api/v1/sales-orders/{confirmed['id']}/"
    for _attempt in range(50):
        line = page.request.get(url).json()["lines"][0]
        if line["reserved_quantity"] == "3.0000":
            break
        time.sleep(0.2)
    assert (line["reserved_quantity"], line["backorder_quantity"]) == ("3.0000", "2.0000")

    page.goto("/sales/reports/backorders")
    row = page.get_by_test_id("report-table").locator("tr", has_text=f"{AUTO}-1")
    expect(row).to_contain_text(confirmed["number"])
    expect(row.locator("td").nth(9)).to_have_text("3")  # reserved, without pressing 分配库存
    expect(row.locator("td").nth(10)).to_have_text("2")
    shot(page, "sales-backorders-allocated-on-arrival")
    # the order's history says what the arriving stock gave it
    page.goto(f"/sales/orders/{confirmed['id']}")
    page.get_by_test_id("record-history").click()
    history = page.get_by_test_id("record-history-list")
    expect(history).to_contain_text("缺货已分配库存")
    expect(history).to_contain_text(f"第 1 行 {AUTO}-1：预留 3，仍缺 2")
    shot(page, "sales-order-history-allocated")
    assert unexpected_errors(page) == []


def test_sales_reports_filter_by_channel(page, shot):
    """销售订单执行表 and 缺货订单 narrowed to one sales channel: its order only, not the direct
    one of the same product."""
    log_in(page)
    direct = backordered_then_received(page, "ZZ-BC", "渠道筛选测试")
    headers = api_headers(page)

    def found(url, code):
        rows = page.request.get(url, params={"search": code}).json()["results"]
        return next(row["id"] for row in rows if row["code"] == code)

    channel = post(page, "/api/v1/sales-channels/",
                   {"code": "ZZ-BC-SHOP", "name": "报表筛选渠道", "is_active": True,
                    "default_customer": found("/api/v1/partners/", "ZZ-BC-C"),
                    "default_warehouse": found("/api/v1/warehouses/", "ZZ-BC")})  # fmt: skip
    made = page.request.post("/api/v1/sales/channel-orders/", headers=headers, data={
        "channel": channel["code"], "channel_order_id": "BC-1", "confirm": True,
        "lines": [{"product_code": "ZZ-BC-1", "quantity": "4"}]})  # fmt: skip
    assert made.ok, made.text()
    online = made.json()["number"]

    page.goto("/sales/reports/execution")
    expect(page.get_by_test_id("page-title")).to_have_text("销售订单执行表")
    rows = page.get_by_test_id("report-table").locator("tbody tr", has_text="ZZ-BC-1")
    expect(rows).to_have_count(2)
    choose_option(page, "report-channel", "报表筛选渠道")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(online)
    expect(page.get_by_test_id("report-table").locator("tbody")).not_to_contain_text(
        direct["number"]
    )
    shot(page, "sales-execution-by-channel")
    # the backorders of that channel: its order of 4 waits for stock (the direct one got the 3)
    page.goto("/sales/reports/backorders")
    choose_option(page, "report-channel", "报表筛选渠道")
    rows = page.get_by_test_id("report-table").locator("tbody tr", has_text="ZZ-BC-1")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(online)
    assert unexpected_errors(page) == []
