"""Payment requests in a real browser, in the demo company: three posted invoices of a test
supplier (two due, one due next year; an approval rule sends the supplier's payment requests to
a manager). A new 付款申请 loads the two due invoices at what is open; the first is set to 0 and
then back with 全额, the second to 50 — then the first to 0 again, so it is dropped on save.
Submitted, the manager approves it from the inbox; the administrator pays it (付款): the request
shows the posted payment and the invoice has 63.00 left open."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_stock_approvals import open_as

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-FQ-S", "name": "付款申请测试供应商"}
PRODUCT = {"code": "ZZ-FQ-1", "name": "付款申请测试商品"}
SLOW = 20_000


def _first(page, url: str, **params) -> list:
    return page.request.get(url, params={"page_size": 100, **params}).json()["results"]


def posted_invoices(page) -> list[int]:
    """Supplier, product, the approval rule and three posted invoices of 10 × 10.00 + 13 % VAT
    (113.00 each): INV-1 and INV-2 due in January, INV-3 next year. Returns their ids."""
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
        data={"name": "付款申请审批", "document_type": "payment_request",
              "conditions": [{"field": "partner", "operator": "in", "value": [supplier]}],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": manager}]}]},
    )  # fmt: skip
    assert rule.status == 201, rule.text()
    warehouse = _first(page, "/api/v1/warehouses/")[0]["id"]
    found = []
    for n, due in ((1, "2026-01-15"), (2, "2026-01-20"), (3, "2027-12-31")):
        order = page.request.post(
            "/api/v1/purchase-orders/", headers=headers,
            data={"supplier": supplier, "warehouse": warehouse,
                  "lines": [{"product": product.json()["id"], "quantity": "10",
                             "unit_price": "10", "tax_rate": vat13, "tax_inclusive": False}]},
        )  # fmt: skip
        assert order.status == 201, order.text()
        order = order.json()["id"]
        page.request.post(f"/api/v1/purchase-orders/{order}/submit/", headers=headers)
        receipt = page.request.post(
            "/api/v1/goods-receipts/from-orders/", headers=headers, data={"orders": [order]}
        ).json()["id"]
        page.request.post(f"/api/v1/goods-receipts/{receipt}/post/", headers=headers)
        invoice = page.request.post(
            "/api/v1/supplier-invoices/from-receipts/", headers=headers,
            data={"receipts": [receipt], "invoice_number": f"FQ-INV-{n}",
                  "invoice_type": "special"},
        )  # fmt: skip
        assert invoice.status == 201, invoice.text()
        invoice = invoice.json()["id"]
        dated = page.request.patch(
            f"/api/v1/supplier-invoices/{invoice}/", headers=headers, data={"due_date": due}
        )
        assert dated.status == 200, dated.text()
        posted = page.request.post(f"/api/v1/supplier-invoices/{invoice}/post/", headers=headers)
        assert posted.json()["state"] == "done", posted.text()
        found.append(invoice)
    return found


def amount(page, row: int):
    return number_input(page, f"line-amount-{row}")


def test_request_from_due_invoices_approved_then_paid(page, browser, jxc_server, shot):
    log_in(page)
    first, second, _third = posted_invoices(page)

    # ---- a new request: the supplier, 加载到期发票 fills the two due invoices ----
    page.get_by_test_id("nav-purchasing-payment-requests").click()
    expect(page).to_have_url(f"{jxc_server}/purchasing/payment-requests")
    page.get_by_test_id("list-new").click()
    expect(page).to_have_url(f"{jxc_server}/purchasing/payment-requests/new")
    choose_partner(page, "doc-supplier", SUPPLIER)
    page.get_by_test_id("load-due").click()
    expect(page.get_by_test_id("line-invoice-1")).to_have_text("FQ-INV-2", timeout=SLOW)
    expect(page.get_by_test_id("line-invoice-0")).to_have_text("FQ-INV-1")
    expect(page.get_by_test_id("line-due-0")).to_have_text("2026-01-15")
    expect(page.get_by_test_id("line-invoice-2")).to_have_count(0)  # due next year
    expect(amount(page, 0)).to_have_value("113.00")
    # every row's amount is an input: 0, then 全额 again; the second partly
    amount(page, 0).fill("0")
    amount(page, 0).press("Tab")
    page.get_by_test_id("line-full-0").click()
    expect(amount(page, 0)).to_have_value("113.00")
    amount(page, 1).fill("50")
    amount(page, 1).press("Tab")
    expect(page.get_by_test_id("document-total-amount")).to_contain_text("163")
    amount(page, 0).fill("0")
    amount(page, 0).press("Tab")
    expect(page.get_by_test_id("document-total-amount")).to_contain_text("50")
    page.get_by_test_id("doc-note").fill("一月到期货款")
    settled(page)
    shot(page, "payment-request-1-due-invoices")

    page.get_by_test_id("document-save").click()
    expect(page).to_have_url(
        re.compile(rf"{jxc_server}/purchasing/payment-requests/\d+$"), timeout=SLOW
    )
    expect(page.get_by_test_id("line-invoice-0")).to_have_text("FQ-INV-2")
    expect(page.get_by_test_id("line-invoice-1")).to_have_count(0)  # the row at 0 is dropped
    expect(amount(page, 0)).to_have_value("50.00")
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已提交", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("FQ")
    request_url = page.url
    settled(page)
    shot(page, "payment-request-2-submitted")

    # ---- the manager approves it from the inbox ----
    manager = open_as(browser, jxc_server, "manager")
    manager.get_by_test_id("approvals-badge").click()
    card = manager.get_by_test_id("approval-card").filter(has_text=SUPPLIER["name"])
    expect(card).to_be_visible()
    card.click()
    manager.get_by_test_id("request-approve").click()
    expect(manager.get_by_test_id("approval-state").first).to_have_text("已通过", timeout=SLOW)
    manager.context.close()

    # ---- 付款: the payment is posted and shown; the invoice has 63.00 left ----
    page.goto(request_url)
    expect(page.get_by_test_id("document-state")).to_have_text("已审核", timeout=SLOW)
    page.get_by_test_id("document-pay").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("doc-payment")).to_contain_text("FK")
    settled(page)
    shot(page, "payment-request-3-paid")

    # ---- the invoice page opens a new request with what is left of it ----
    page.goto(f"/purchasing/invoices/{first}")
    page.get_by_test_id("document-payment-request").click()
    expect(page.get_by_test_id("line-invoice-0")).to_have_text("FQ-INV-1", timeout=SLOW)
    expect(page.get_by_test_id("line-invoice-1")).to_have_count(0)
    expect(amount(page, 0)).to_have_value("113.00")
    settled(page)
    shot(page, "payment-request-4-from-invoice")
    left = page.request.get(f"/api/v1/supplier-invoices/{second}/").json()
    assert left["open_amount"] == "63.00"
    assert unexpected_errors(page) == []
