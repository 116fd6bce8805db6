"""The order-to-cash chain in a real browser, in the demo company: the administrator types an
order and sees, while typing a line, what the chosen warehouse has available (and what the other
warehouses have); submitting confirms it and reserves the stock; the delivery is made by scanning
(three units of a barcoded product, one serial number), shipped in part; the invoice of the
delivery is posted and its receivable is open.

Its own warehouse, products and customer (codes that sort after the demo's), so the other browser
tests see the demo as they expect."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import PASSWORD, confirm, number_input, scan, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-XS", "name": "销售测试仓"}
CUSTOMER = {"code": "ZZ-XS-C", "name": "销售测试客户有限公司"}
PRODUCT = {"code": "ZZ-XS-1", "name": "销售测试商品", "sale_price": "113"}
SERIAL_PRODUCT = {"code": "ZZ-XS-SN", "name": "销售测试序列号商品", "tracking": "serial",
                  "sale_price": "1130"}  # fmt: skip
BARCODE = "6905550000071"  # valid EAN-13, not used by the demo or the other tests
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def set_up(page) -> None:
    """Warehouse, customer, two products (one by serial number), stock received, by the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    headers = api_headers(page)
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    warehouse = page.request.post("/api/v1/warehouses/", headers=headers, data=WAREHOUSE)
    assert warehouse.status == 201, warehouse.text()
    customer = page.request.post(
        "/api/v1/partners/", headers=headers, data={**CUSTOMER, "is_customer": True}
    )
    assert customer.status == 201, customer.text()
    made = {}
    for data, extra in ((PRODUCT, {"barcodes": [{"barcode": BARCODE, "unit": None}]}),
                        (SERIAL_PRODUCT, {})):  # fmt: skip
        response = page.request.post(
            "/api/v1/products/",
            headers=headers,
            data={**data, **extra, "base_unit": piece, "tax_rate": vat},
        )
        assert response.status == 201, response.text()
        made[data["code"]] = response.json()["id"]
    post_document(
        page,
        {
            "kind": "receipt", "business_date": TODAY, "warehouse": warehouse.json()["id"],
            "reason": "other",
            "lines": [
                {"product": made[PRODUCT["code"]], "quantity": "10", "unit_cost": "50"},
                {"product": made[SERIAL_PRODUCT["code"]], "quantity": "1", "unit_cost": "500",
                 "serial": "XS-SN-001"},
                {"product": made[SERIAL_PRODUCT["code"]], "quantity": "1", "unit_cost": "500",
                 "serial": "XS-SN-002"},
            ],
        },
    )  # fmt: skip


def pick_product(page, index: int, code: str) -> None:
    picker = page.get_by_test_id(f"line-product-{index}").locator("input")
    picker.fill(code)
    picker.press("Enter")  # an exact code takes the product
    # taken: the input shows the product's label (code and name), not only the code typed
    expect(picker).to_have_value(re.compile(rf"^{re.escape(code)} \S"))


def test_order_with_live_availability_delivery_by_scanning_and_invoice(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    set_up(page)

    # ---- the order: live availability while typing, then submit (confirmed, reserved) ----
    page.goto("/sales/orders")
    page.get_by_test_id("list-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售订单")
    choose_partner(page, "doc-customer", CUSTOMER)
    choose_option(page, "doc-warehouse", re.compile(WAREHOUSE["name"]))
    pick_product(page, 0, PRODUCT["code"])
    availability = page.get_by_test_id("document-lines").get_by_test_id("line-availability")
    expect(availability.first).to_contain_text("10")
    number_input(page, "line-quantity-0").fill("4")
    number_input(page, "line-quantity-0").press("Enter")
    expect(availability.first).to_contain_text("10")
    availability.first.hover()
    expect(page.get_by_test_id("availability-details")).to_contain_text("在途")
    page.get_by_test_id("document-grid-add").click()
    pick_product(page, 1, SERIAL_PRODUCT["code"])
    number_input(page, "line-quantity-1").fill("2")
    expect(availability.nth(1)).to_contain_text("2")
    settled(page)
    shot(page, "sales-1-order-availability")
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已审核")
    expect(page.get_by_test_id("document-number")).to_contain_text("XS")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("2712.00")
    # 10 on hand, 4 now reserved: 6 available
    expect(availability.first).to_contain_text("6")
    settled(page)
    shot(page, "sales-2-order-confirmed")

    # ---- the delivery: three units scanned, one serial scanned; shipped in part ----
    page.get_by_test_id("document-deliver").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售出库单")
    expect(page.get_by_test_id("document-lines")).to_contain_text(SERIAL_PRODUCT["name"])
    for _ in range(3):
        scan(page, BARCODE)
    expect(page.get_by_test_id("scan-feedback")).to_contain_text("数量 3")
    scan(page, "XS-SN-002")
    expect(page.get_by_test_id("scan-feedback")).to_contain_text("XS-SN-002")
    expect(number_input(page, "line-quantity-0")).to_have_value("3")
    number_input(page, "doc-carrier").fill("顺丰速运")
    number_input(page, "doc-tracking").fill("SF1234567890")
    settled(page)
    shot(page, "sales-3-delivery-scanned")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-number")).to_contain_text("CK")
    expect(page.get_by_test_id("document-lines")).to_contain_text("XS-SN-002")
    settled(page)
    shot(page, "sales-4-delivery-shipped")

    # ---- the invoice of the delivery: revenue, VAT and the receivable ----
    page.get_by_test_id("document-invoice").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售发票")
    expect(page.get_by_test_id("document-lines")).to_contain_text(PRODUCT["name"])
    number_input(page, "doc-invoice-number").fill("24110000000012345678")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    # 3 × 113 + 1 × 1130 = 1469 including 13 % VAT (169.00), all open
    expect(page.get_by_test_id("document-total-tax")).to_contain_text("169.00")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("1469.00")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("1469.00")
    settled(page)
    shot(page, "sales-5-invoice-posted")

    # ---- the order: partially delivered, what is left still reserved ----
    orders = page.request.get("/api/v1/sales-orders/", params={"search": CUSTOMER["name"]})
    order = orders.json()["results"][0]
    assert order["state"] == "partially_done"
    assert [line["delivered_quantity"] for line in order["lines"]] == ["3.0000", "1.0000"]
    stock = page.request.get(
        "/api/v1/stock/availability/", params={"product": order["lines"][0]["product"]}
    )
    here = next(
        row for row in stock.json()["warehouses"] if row["warehouse_name"] == WAREHOUSE["name"]
    )
    assert (here["on_hand"], here["reserved"]) == (
        "7.0000",
        "1.0000",
    )  # the backorder stays reserved
    assert unexpected_errors(page) == []
