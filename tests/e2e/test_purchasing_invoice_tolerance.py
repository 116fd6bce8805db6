"""Invoice tolerances in a real browser, in the demo company: the administrator sets a 5 %
price tolerance for a test supplier on the 发票容差 page (a rule sends that supplier's invoices
beyond tolerance to a manager); an invoice at 10 % above the order price shows its line as
beyond the price tolerance, posting submits it for approval, the manager approves it from the
inbox and the invoice is posted with its price variance."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_stock_approvals import open_as

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-IT-S", "name": "发票容差测试供应商"}
PRODUCT = {"code": "ZZ-IT-1", "name": "发票容差测试商品"}
SLOW = 20_000


def _first(page, url: str, **params) -> dict:
    return page.request.get(url, params={"page_size": 100, **params}).json()["results"]


def received_invoice(page) -> int:
    """Supplier, product and the approval rule; an order of 10 at 10.00 received in full and
    a draft invoice of it, through the API. Returns the invoice's id."""
    headers = api_headers(page)
    piece = next(u["id"] for u in _first(page, "/api/v1/units/") if u["code"] == "PCS")
    vat13 = next(r["id"] for r in _first(page, "/api/v1/tax-rates/") if r["code"] == "VAT13")
    supplier = page.request.post(
        "/api/v1/partners/", headers=headers, data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    supplier = supplier.json()["id"]
    product = page.request.post(
        "/api/v1/products/", headers=headers,
        data={**PRODUCT, "base_unit": piece, "purchase_price": "10", "tax_rate": vat13},
    )  # fmt: skip
    assert product.status == 201, product.text()
    manager = next(r["id"] for r in _first(page, "/api/v1/roles/") if r["code"] == "manager")
    rule = page.request.post(
        "/api/v1/approval-rules/", headers=headers,
        data={"name": "发票超差审批", "document_type": "supplier_invoice",
              "conditions": [{"field": "partner", "operator": "in", "value": [supplier]}],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": manager}]}]},
    )  # fmt: skip
    assert rule.status == 201, rule.text()
    warehouse = _first(page, "/api/v1/warehouses/")[0]["id"]
    order = page.request.post(
        "/api/v1/purchase-orders/", headers=headers,
        data={"supplier": supplier, "warehouse": warehouse,
              "lines": [{"product": product.json()["id"], "quantity": "10", "unit_price": "10",
                         "tax_rate": vat13, "tax_inclusive": False}]},
    )  # fmt: skip
    assert order.status == 201, order.text()
    order = order.json()["id"]
    submitted = page.request.post(f"/api/v1/purchase-orders/{order}/submit/", headers=headers)
    assert submitted.json()["state"] == "approved", submitted.text()
    receipt = page.request.post(
        "/api/v1/goods-receipts/from-orders/", headers=headers, data={"orders": [order]}
    )
    assert receipt.status == 201, receipt.text()
    receipt = receipt.json()["id"]
    posted = page.request.post(f"/api/v1/goods-receipts/{receipt}/post/", headers=headers)
    assert posted.json()["state"] == "done", posted.text()
    invoice = page.request.post(
        "/api/v1/supplier-invoices/from-receipts/", headers=headers,
        data={"receipts": [receipt], "invoice_number": "E2E-TOL-1", "invoice_type": "special"},
    )  # fmt: skip
    assert invoice.status == 201, invoice.text()
    return invoice.json()["id"]


def test_invoice_beyond_the_price_tolerance_is_approved_then_posted(
    page, browser, jxc_server, shot
):
    log_in(page)
    invoice = received_invoice(page)

    # ---- 发票容差: 5 % on price for the test supplier ----
    page.goto("/purchasing/invoice-tolerances")
    choose_partner(page, "invoice-tolerance-supplier", SUPPLIER)
    number_input(page, "invoice-tolerance-price").fill("5")
    page.get_by_test_id("invoice-tolerance-add").click()
    row = page.get_by_test_id("invoice-tolerances").locator("tr").filter(has_text=SUPPLIER["name"])
    expect(row).to_contain_text("5.00")
    expect(row).to_contain_text("不检查")  # the quantity left blank
    settled(page)
    shot(page, "invoice-tolerance-1-settings")

    # ---- 超收容差, the same table: the supplier shows by its name, not its id; removed again ----
    page.goto("/purchasing/tolerances")
    choose_partner(page, "tolerance-supplier", SUPPLIER)
    number_input(page, "tolerance-percent").fill("10")
    page.get_by_test_id("tolerance-add").click()
    receipt_row = page.get_by_test_id("tolerances").locator("tr").filter(has_text=SUPPLIER["name"])
    expect(receipt_row).to_contain_text("10.00", timeout=SLOW)
    expect(receipt_row).to_contain_text("禁止入库")
    settled(page)
    shot(page, "invoice-tolerance-1b-receipt-tolerances")
    receipt_row.get_by_role("button", name="删除").click()
    expect(receipt_row).to_have_count(0, timeout=SLOW)

    # ---- the invoice at 11.00 against 10.00 ordered: the line is beyond the price tolerance ----
    page.goto(f"/purchasing/invoices/{invoice}")
    expect(page.get_by_test_id("line-tolerance-0")).to_have_text("—", timeout=SLOW)
    price = number_input(page, "line-price-0")
    price.fill("11")
    price.press("Tab")
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("line-tolerance-0")).to_contain_text("单价超差", timeout=SLOW)
    expect(page.get_by_test_id("invoice-beyond-tolerance")).to_be_visible()
    settled(page)
    shot(page, "invoice-tolerance-2-beyond")
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已提交", timeout=SLOW)
    expect(page.get_by_test_id("invoice-awaiting-approval")).to_be_visible()
    invoice_url = page.url
    settled(page)
    shot(page, "invoice-tolerance-3-submitted")

    # ---- the manager approves it from the inbox: the invoice posts ----
    manager = open_as(browser, jxc_server, "manager")
    manager.get_by_test_id("approvals-badge").click()
    card = manager.get_by_test_id("approval-card").filter(has_text=SUPPLIER["name"])
    expect(card).to_be_visible()
    card.click()
    manager.get_by_test_id("request-approve").click()
    expect(manager.get_by_test_id("approval-state").first).to_have_text("已通过", timeout=SLOW)
    manager.context.close()

    page.goto(invoice_url)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("JP")
    expect(page.get_by_test_id("line-variance-0")).to_have_text("10.00")
    settled(page)
    shot(page, "invoice-tolerance-4-posted")
    assert unexpected_errors(page) == []
