"""Channel orders in a real browser: the administrator sets up a channel (its default customer
and warehouse, confirm on arrival, the Chinese headers of its files), uploads a file with a bad
row (the error table names the row and column, nothing is imported), then the corrected file
(two orders, confirmed), finds them by the channel filter and delivers the two orders of one
address together (合并发货).

Its own warehouse, product, customer and channel (codes after the demo's)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import PASSWORD, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_sales import TODAY
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-QD", "name": "渠道测试仓"}
CUSTOMER = {"code": "ZZ-QD-C", "name": "渠道测试客户"}
PRODUCT = {"code": "ZZ-QD-1", "name": "渠道测试商品", "sale_price": "59"}
CHANNEL = {"code": "ZZ-SHOP", "name": "测试网店"}
HEADER = "订单编号,货号,件数,收货地址\n"
GOOD = HEADER + ("QD-9001,ZZ-QD-1,2,杭州市西湖区文三路1号\n"
                 "QD-9002,ZZ-QD-1,1,杭州市西湖区文三路1号\n")  # fmt: skip
BAD = GOOD + "QD-9003,ZZ-QD-NOPE,1,宁波\n"


def set_up(page) -> None:
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    headers = api_headers(page)
    warehouse = page.request.post("/api/v1/warehouses/", headers=headers, data=WAREHOUSE)
    assert warehouse.status == 201, warehouse.text()
    customer = page.request.post(
        "/api/v1/partners/", headers=headers, data={**CUSTOMER, "is_customer": True}
    )
    assert customer.status == 201, customer.text()
    product = page.request.post(
        "/api/v1/products/", headers=headers, data={**PRODUCT, "base_unit": piece}
    )
    assert product.status == 201, product.text()
    post_document(
        page,
        {"kind": "receipt", "business_date": TODAY, "warehouse": warehouse.json()["id"],
         "reason": "other",
         "lines": [{"product": product.json()["id"], "quantity": "10", "unit_cost": "30"}]},
    )  # fmt: skip


def upload(page, content: str) -> None:
    page.get_by_test_id("upload-file").locator("input[type=file]").set_input_files(
        files=[{"name": "orders.csv", "mimeType": "text/csv", "buffer": content.encode()}]
    )
    page.get_by_test_id("upload-submit").click()


def test_channel_setup_upload_with_errors_then_merged_delivery(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    set_up(page)

    # ---- the channel: defaults, confirm on arrival, the headers of its files ----
    page.goto("/sales/channels")
    page.get_by_test_id("channel-new").click()
    number_input(page, "channel-code").fill(CHANNEL["code"])
    number_input(page, "channel-name").fill(CHANNEL["name"])
    choose_partner(page, "channel-customer", CUSTOMER)
    choose_option(page, "channel-warehouse", re.compile(WAREHOUSE["name"]))
    page.get_by_test_id("channel-auto-confirm").click()
    for field, header in (("channel_order_id", "订单编号"), ("product_code", "货号"),
                          ("quantity", "件数"), ("shipping_address", "收货地址")):  # fmt: skip
        number_input(page, f"mapping-{field}").fill(header)
    settled(page)
    shot(page, "channels-1-setup")
    page.get_by_test_id("dialog-submit").click()
    expect(page.get_by_test_id("channel-table")).to_contain_text(CHANNEL["name"])

    # ---- a file with a bad row: the table names it, nothing imported ----
    page.goto("/sales/orders")
    page.get_by_test_id("channel-upload-open").click()
    choose_option(page, "upload-channel", re.compile(CHANNEL["name"]))
    upload(page, BAD)
    errors = page.get_by_test_id("upload-errors")
    expect(errors).to_contain_text("货号")
    expect(errors).to_contain_text("ZZ-QD-NOPE")
    expect(errors.locator(".el-table__row")).to_have_count(1)
    expect(errors.locator(".el-table__row").first).to_contain_text("4")
    settled(page)
    shot(page, "channels-2-upload-refused")
    found = page.request.get("/api/v1/sales-orders/", params={"search": "QD-900"}).json()
    assert found["count"] == 0

    # ---- the corrected file: two orders, confirmed on arrival ----
    upload(page, GOOD)
    expect(page.get_by_test_id("upload-done")).to_contain_text("2")
    settled(page)
    shot(page, "channels-3-uploaded")
    page.get_by_test_id("channel-upload").get_by_role("button", name="关闭").first.click()

    # ---- the orders by the channel filter; delivered together ----
    choose_option(page, "filter-channel", CHANNEL["name"])
    table = page.get_by_test_id("list-table")
    expect(table.locator(".el-table__body tr")).to_have_count(2)
    expect(table).to_contain_text("QD-9001")
    expect(table).to_contain_text(CHANNEL["name"])
    for row in range(2):
        table.locator(".el-table__body tr").nth(row).locator(".el-checkbox").first.click()
    settled(page)
    shot(page, "channels-4-orders")
    page.get_by_test_id("merge-delivery").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售出库单")
    expect(page.get_by_test_id("document-lines").locator(".el-table__row")).to_have_count(2)
    settled(page)
    shot(page, "channels-5-merged-delivery")
    orders = page.request.get("/api/v1/sales-orders/", params={"search": "QD-900"}).json()
    assert sorted((o["channel_order_id"], o["state"]) for o in orders["results"]) == [
        ("QD-9001", "approved"), ("QD-9002", "approved")]  # fmt: skip
    assert unexpected_errors(page) == []
