"""The whole order-to-cash chain in a real browser, then its way back: a quotation is sent and
converted; the order is submitted (confirmed) and a deposit (订金) of 100.00 is received on it;
the delivery is made by scanning; the invoice of the delivery posts with the deposit already
settling 100.00 of it; 收款 opens the receipts page for the customer, where the rest is received;
one unit comes back (销售退货) and its red credit note (红字发票) credits 113.00; then two units
come back without a delivery (无原单退货) at a cost typed in, credited at the price typed in.

Its own warehouse, product and customer (codes that sort after the demo's)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import PASSWORD, confirm, number_input, scan, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_sales import TODAY, pick_product
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-QL", "name": "全链测试仓"}
CUSTOMER = {"code": "ZZ-QL-C", "name": "全链测试客户有限公司"}
PRODUCT = {"code": "ZZ-QL-1", "name": "全链测试商品", "sale_price": "113"}
BARCODE = "6905550000088"  # valid EAN-13, not used by the demo or the other tests


def set_up(page) -> None:
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    headers = api_headers(page)
    warehouse = page.request.post("/api/v1/warehouses/", headers=headers, data=WAREHOUSE)
    assert warehouse.status == 201, warehouse.text()
    customer = page.request.post(
        "/api/v1/partners/", headers=headers, data={**CUSTOMER, "is_customer": True}
    )
    assert customer.status == 201, customer.text()
    product = page.request.post(
        "/api/v1/products/", headers=headers,
        data={**PRODUCT, "base_unit": piece, "tax_rate": vat,
              "barcodes": [{"barcode": BARCODE, "unit": None}]},
    )  # fmt: skip
    assert product.status == 201, product.text()
    post_document(
        page,
        {"kind": "receipt", "business_date": TODAY, "warehouse": warehouse.json()["id"],
         "reason": "other",
         "lines": [{"product": product.json()["id"], "quantity": "10", "unit_cost": "50"}]},
    )  # fmt: skip


def test_quotation_to_credit_note(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    set_up(page)

    # ---- quotation: 4 units, sent, converted to a draft order ----
    page.goto("/sales/quotations")
    page.get_by_test_id("list-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售报价单")
    choose_partner(page, "doc-customer", CUSTOMER)
    choose_option(page, "doc-warehouse", re.compile(WAREHOUSE["name"]))
    pick_product(page, 0, PRODUCT["code"])
    number_input(page, "line-quantity-0").fill("4")
    number_input(page, "line-quantity-0").press("Enter")
    page.get_by_test_id("document-send").click()
    expect(page.get_by_test_id("document-number")).to_contain_text("BJ")
    page.get_by_test_id("document-convert").click()
    confirm(page)
    expect(page.get_by_test_id("page-title")).to_have_text("销售订单")
    expect(page.get_by_test_id("document-state")).to_have_text("草稿")

    # ---- order: submitted (confirmed at once), a deposit of 100.00 received ----
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已审核")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("452.00")
    page.get_by_test_id("order-receive-deposit").click()
    number_input(page, "deposit-amount").fill("100")
    expect(page.get_by_test_id("deposit-account")).to_contain_text("1002")
    page.get_by_test_id("deposit-confirm").click()
    deposits = page.get_by_test_id("order-deposits")
    expect(deposits).to_contain_text("已收订金 100.00")
    expect(page.get_by_test_id("order-deposit-rows")).to_contain_text("SK")
    expect(page.get_by_test_id("order-deposit-rows")).to_contain_text("未使用")
    expect(page.get_by_test_id("order-deposit-rows").locator("tbody")).to_contain_text("100.00")
    settled(page)
    shot(page, "chain-1-order-deposit")

    # ---- delivery: four units scanned, shipped ----
    page.get_by_test_id("document-deliver").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售出库单")
    for count in range(1, 5):  # each scan counted before the next
        scan(page, BARCODE)
        expect(page.get_by_test_id("scan-feedback")).to_contain_text(f"数量 {count}")
    expect(number_input(page, "line-quantity-0")).to_have_value("4")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-number")).to_contain_text("CK")
    delivery_url = page.url
    settled(page)
    shot(page, "chain-2-delivery")

    # ---- invoice: 452.00, of which the deposit settled 100.00 ----
    page.get_by_test_id("document-invoice").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售发票")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("452.00")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("352.00")
    settled(page)
    shot(page, "chain-3-invoice")

    # ---- 收款: the receipts page for the customer, the invoice's 352.00 received ----
    page.get_by_test_id("document-receive").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/new\?"))
    expect(page.get_by_test_id("payment-partner")).to_contain_text(CUSTOMER["name"])
    expect(page.get_by_test_id("payment-item-open-0")).to_have_text("352.00")
    page.get_by_test_id("payment-amount").fill("352")
    page.get_by_test_id("payment-amount").press("Tab")
    page.get_by_test_id("payment-spread").click()
    expect(page.get_by_test_id("payment-item-amount-0")).to_have_value("352.00")
    page.get_by_test_id("payment-save").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/\d+$"))
    page.get_by_test_id("payment-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已过账")
    settled(page)
    shot(page, "chain-4-receipt")

    # ---- return of one unit: back into the warehouse, credited in red ----
    page.goto(delivery_url)
    page.get_by_test_id("document-return").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售退货单")
    number_input(page, "line-quantity-0").fill("1")
    number_input(page, "line-quantity-0").press("Tab")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-number")).to_contain_text("XT")
    settled(page)
    shot(page, "chain-5-return")
    page.get_by_test_id("document-credit").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售发票")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("113.00")
    settled(page)
    shot(page, "chain-6-credit-note")

    # the customer: nothing owed, 113.00 of credit held on 预收
    orders = page.request.get("/api/v1/sales-orders/", params={"search": CUSTOMER["name"]})
    order = orders.json()["results"][0]
    assert order["state"] == "done"
    assert order["deposit_received"] == "100.00"
    items = page.request.get(
        "/api/v1/open-items/", params={"partner": order["customer"], "open": "true"}
    ).json()["results"]
    assert sorted(item["open_amount"] for item in items) == ["-113.00"]

    # ---- a free-standing return (无原单退货): two units at a cost of 45, credited at 113 ----
    page.goto("/sales/returns")
    page.get_by_test_id("list-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售退货单")
    page.get_by_test_id("return-kind-free").click()
    choose_partner(page, "doc-customer", CUSTOMER)
    choose_option(page, "doc-warehouse", re.compile(WAREHOUSE["name"]))
    pick_product(page, 0, PRODUCT["code"])
    number_input(page, "line-quantity-0").fill("2")
    number_input(page, "line-cost-0").fill("45")
    number_input(page, "line-price-0").fill("113")
    number_input(page, "line-price-0").press("Tab")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    expect(page.get_by_test_id("document-number")).to_contain_text("XT")
    expect(page.get_by_test_id("document-credit")).to_contain_text("KP")
    settled(page)
    shot(page, "chain-7-free-return")
    items = page.request.get(
        "/api/v1/open-items/", params={"partner": order["customer"], "open": "true"}
    ).json()["results"]
    assert sorted(item["open_amount"] for item in items) == ["-113.00", "-226.00"]
    stock = page.request.get(
        "/api/v1/stock/availability/", params={"product": order["lines"][0]["product"]}
    )
    here = next(
        row for row in stock.json()["warehouses"] if row["warehouse_name"] == WAREHOUSE["name"]
    )
    assert here["on_hand"] == "9.0000"  # 10 − 4 delivered + 1 returned + 2 returned
    assert unexpected_errors(page) == []
