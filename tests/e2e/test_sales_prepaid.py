"""Prepaid sales in a real browser: from a confirmed order, 预开发票 opens an invoice of what is
neither delivered nor invoiced, marked 预开票; posting it books the receivable, and the order line
then shows the quantity invoiced before delivery. 红冲预开票 on the posted invoice: crediting more
than is billed ahead and undelivered is refused on the line; 2 credited open the red credit
note (226.00), the invoice's open amount goes down and the order line is billed ahead 4."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import PASSWORD, confirm, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-YS", "name": "预收测试仓"}
CUSTOMER = {"code": "ZZ-YS-C", "name": "预收测试客户有限公司"}
PRODUCT = {"code": "ZZ-YS-1", "name": "预收测试商品", "sale_price": "113"}
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def confirmed_order(page) -> dict:
    """Warehouse, customer, product with 10 in stock, and an order of 6 confirmed, by the API."""
    headers = api_headers(page)
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    warehouse = page.request.post("/api/v1/warehouses/", headers=headers, data=WAREHOUSE).json()
    customer = page.request.post(
        "/api/v1/partners/", headers=headers, data={**CUSTOMER, "is_customer": True}
    ).json()
    product = page.request.post(
        "/api/v1/products/", headers=headers,
        data={**PRODUCT, "base_unit": next(u["id"] for u in units if u["code"] == "PCS"),
              "tax_rate": next(r["id"] for r in rates if r["code"] == "VAT13")},
    ).json()  # fmt: skip
    post_document(
        page,
        {"kind": "receipt", "business_date": TODAY, "warehouse": warehouse["id"],
         "reason": "other",
         "lines": [{"product": product["id"], "quantity": "10", "unit_cost": "50"}]},
    )  # fmt: skip
    order = page.request.post(
        "/api/v1/sales-orders/", headers=headers,
        data={"business_date": TODAY, "customer": customer["id"], "warehouse": warehouse["id"],
              "lines": [{"product": product["id"], "quantity": "6"}]},
    )  # fmt: skip
    assert order.status == 201, order.text()
    submitted = page.request.post(
        f"/api/v1/sales-orders/{order.json()['id']}/submit/", headers=headers
    )
    assert submitted.ok, submitted.text()
    assert submitted.json()["state"] == "approved"
    return submitted.json()


def test_invoice_from_a_confirmed_order_before_delivery(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    order = confirmed_order(page)

    page.goto(f"/sales/orders/{order['id']}")
    expect(page.get_by_test_id("document-state")).to_have_text("已审核")
    page.get_by_test_id("order-prepaid-invoice").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售发票")
    lines = page.get_by_test_id("document-lines")
    expect(lines).to_contain_text(PRODUCT["name"])
    expect(lines).to_contain_text(order["number"])
    expect(lines).to_contain_text("预开票")
    settled(page)
    shot(page, "sales-prepaid-1-invoice-draft")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-number")).to_contain_text("KP")
    # 6 × 113 including 13 % VAT (78.00), all open
    expect(page.get_by_test_id("document-total-tax")).to_contain_text("78.00")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("678.00")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("678.00")
    settled(page)
    shot(page, "sales-prepaid-2-invoice-posted")
    line = page.request.get(f"/api/v1/sales-orders/{order['id']}/").json()["lines"][0]
    assert line["prepaid_quantity"] == "6.0000"
    invoice_url = page.url

    # 红冲预开票: 2 of the 6 will not be delivered
    page.get_by_test_id("invoice-credit").click()
    dialog = page.get_by_test_id("credit-prepaid")
    row = dialog.get_by_test_id("credit-prepaid-lines").locator("tbody tr").first
    expect(row).to_contain_text(order["number"])
    expect(row.locator("td").nth(2)).to_have_text("6")
    quantity = dialog.get_by_test_id("credit-quantity-0").locator("input")
    quantity.fill("7")
    dialog.get_by_test_id("credit-prepaid-submit").click()
    expect(dialog).to_contain_text("超过已预开票且未出库的 6")
    quantity.fill("2")
    dialog.get_by_test_id("credit-prepaid-note").fill("客户取消 2 件")
    settled(page)
    shot(page, "sales-prepaid-3-credit-dialog")
    dialog.get_by_test_id("credit-prepaid-submit").click()
    expect(page.get_by_test_id("page-title")).to_have_text("红字发票")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("226.00")
    expect(page.get_by_test_id("document-lines")).to_contain_text(PRODUCT["name"])
    settled(page)
    shot(page, "sales-prepaid-4-credit-note")
    line = page.request.get(f"/api/v1/sales-orders/{order['id']}/").json()["lines"][0]
    assert line["prepaid_quantity"] == "4.0000"
    page.goto(invoice_url)
    expect(page.get_by_test_id("document-total-open")).to_contain_text("452.00")
    assert unexpected_errors(page) == []
