"""Procure-to-pay in a real browser, in the demo company: the administrator orders from a test
supplier (a rule sends that supplier's orders to a manager), the manager approves it from the
inbox, the administrator receives it in one click and counts the goods by scanning their barcode
(a keyboard-wedge scanner: the code typed fast, then Enter), posts the receipt, enters the
supplier's invoice from the receipt at a higher price (the price variance shows) and opens the
payment page for the supplier from the invoice; one unit then goes back to the supplier."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option  # noqa: F401  (the helpers other tests share)
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, scan, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_stock_approvals import open_as

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-PO-S", "name": "采购测试供应商"}
PRODUCT = {"code": "ZZ-PO-1", "name": "采购测试商品"}
BARCODE = "6905550000033"  # valid EAN-13, not used by the demo or the other tests
SLOW = 20_000  # a server action on a busy machine (posting books stock and vouchers)


def prepare(page) -> None:
    """The supplier, the product (with a barcode) and the rule: this supplier's orders need a
    manager (the other tests' documents are not touched), through the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat13 = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    supplier = page.request.post(
        "/api/v1/partners/", headers=api_headers(page), data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    product = page.request.post(
        "/api/v1/products/",
        headers=api_headers(page),
        data={**PRODUCT, "base_unit": piece, "purchase_price": "10", "tax_rate": vat13,
              "barcodes": [{"barcode": BARCODE, "unit": None}]},
    )  # fmt: skip
    assert product.status == 201, product.text()
    roles = page.request.get("/api/v1/roles/", params={"page_size": 100}).json()["results"]
    manager = next(role["id"] for role in roles if role["code"] == "manager")
    rule = page.request.post(
        "/api/v1/approval-rules/",
        headers=api_headers(page),
        data={
            "name": "测试供应商采购审批",
            "document_type": "purchase_order",
            "conditions": [
                {"field": "partner", "operator": "in", "value": [supplier.json()["id"]]}
            ],
            "levels": [{"name": "经理", "mode": "any",
                        "approvers": [{"type": "role", "id": manager}]}],
        },
    )  # fmt: skip
    assert rule.status == 201, rule.text()


def test_order_approve_receive_by_scanning_invoice_and_pay(page, browser, jxc_server, shot):
    log_in(page)
    prepare(page)

    # ---- 采购订单: supplier, a line of 10 at 11.30 (tax included), submitted for approval ----
    page.goto("/purchasing/orders/new")
    choose_partner(page, "doc-supplier", SUPPLIER)
    picker = page.get_by_test_id("line-product-0").locator("input")
    picker.fill(PRODUCT["code"])
    picker.press("Enter")  # an exact code takes the product
    expect(picker).to_have_value(f"{PRODUCT['code']} {PRODUCT['name']}")
    number_input(page, "line-quantity-0").fill("10")
    number_input(page, "line-price-0").fill("11.3")  # with 13 % VAT: 10.00 without
    number_input(page, "line-price-0").press("Tab")
    expect(page.get_by_test_id("line-stock-0")).to_have_text("0 / 0 / 0")
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已提交", timeout=SLOW)
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("113.00")
    order_url = page.url
    settled(page)
    shot(page, "purchasing-1-order-submitted")

    # ---- the manager approves it from the inbox ----
    manager = open_as(browser, jxc_server, "manager")
    manager.get_by_test_id("approvals-badge").click()
    card = manager.get_by_test_id("approval-card").filter(has_text=SUPPLIER["name"])
    expect(card).to_be_visible()
    card.click()
    manager.get_by_test_id("request-approve").click()
    expect(manager.get_by_test_id("approval-state").first).to_have_text("已通过", timeout=SLOW)
    settled(manager)
    shot(manager, "purchasing-2-approved")
    manager.context.close()

    # ---- one click to a receipt, then the goods are counted by scanning ----
    page.goto(order_url)
    expect(page.get_by_test_id("document-state")).to_have_text("已审核", timeout=SLOW)
    expect(page.get_by_test_id("line-stock-0")).to_have_text("0 / 0 / 10")  # 10 incoming
    page.get_by_test_id("document-receive").click()
    expect(page.get_by_test_id("document-state")).to_have_text("草稿", timeout=SLOW)
    expect(number_input(page, "line-quantity-0")).to_have_value("10")  # what is open on the order
    page.get_by_test_id("scan-input").click()
    for _ in range(3):
        scan(page, BARCODE)
    feedback = page.get_by_test_id("scan-feedback")
    expect(feedback).to_contain_text("数量 3")
    expect(number_input(page, "line-quantity-0")).to_have_value("3")
    scan(page, "0000000000000")
    expect(feedback).to_contain_text("未识别")
    settled(page)
    shot(page, "purchasing-3-receipt-scanned")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("RK")
    expect(page.get_by_test_id("line-stock-0")).to_have_text("3 / 3 / 7")
    receipt_url = page.url
    settled(page)
    shot(page, "purchasing-4-receipt-posted")

    # ---- the supplier's invoice, from the receipt, at 11.00 instead of 10.00 ----
    page.get_by_test_id("document-invoice").click()
    expect(page.get_by_test_id("doc-receipts")).to_contain_text("RK")
    number_input(page, "doc-invoice-number").fill("E2E00001")
    page.get_by_test_id("document-create").click()
    expect(page.get_by_test_id("document-state")).to_have_text("草稿", timeout=SLOW)
    price = number_input(page, "line-price-0")
    price.fill("11")
    price.press("Tab")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("line-variance-0")).to_have_text("3.00")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("37.29")
    settled(page)
    shot(page, "purchasing-5-invoice-posted")

    # ---- pay: the payments page opens for the supplier, its invoice among the open items ----
    page.get_by_test_id("document-pay").click()
    expect(page.get_by_test_id("payment-partner")).to_contain_text(SUPPLIER["name"])
    expect(page.get_by_text("E2E00001").or_(page.get_by_text("JP")).first).to_be_visible()
    settled(page)
    shot(page, "purchasing-6-pay")

    # ---- one of the three goes back to the supplier: a credit against the invoice ----
    page.goto(receipt_url)
    page.get_by_test_id("document-return").click()
    expect(page.get_by_test_id("line-stock-0")).to_have_text("3 / 3 / 7")
    number_input(page, "line-quantity-0").fill("1")
    number_input(page, "line-quantity-0").press("Tab")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("CT")
    expect(page.get_by_test_id("line-stock-0")).to_have_text("2 / 2 / 7")
    settled(page)
    shot(page, "purchasing-7-returned")
    assert unexpected_errors(page) == []
