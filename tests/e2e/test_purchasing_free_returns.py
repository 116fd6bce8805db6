"""A free-standing purchase return (无来源退货) in a real browser, then its credit offset against
the supplier's next invoice: from 10 units received at 10.00 (+13 % VAT) and invoiced (through
the API), the administrator opens a new purchase return, chooses the supplier and warehouse,
picks the product (its on-hand stock shows next to the line and its bin is taken), returns 4 at
a credited 12.00, posts and sees the open credit of 54.24; the supplier's next invoice (33.90,
through the API) offers 抵扣退货, which settles it; the 20.34 of credit left is then refunded
(退款) into the bank account from the return's page."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_sales import pick_product

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-FR-S", "name": "无来源退货测试供应商"}
PRODUCT = {"code": "ZZ-FR-1", "name": "无来源退货测试商品"}
SLOW = 20_000


def bought(page, supplier: int, product: int, warehouse: int, quantity: str, number: str):
    """Received and invoiced at 10.00 excluding 13 % VAT, through the API."""
    headers = api_headers(page)
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat13 = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    order = page.request.post(
        "/api/v1/purchase-orders/",
        headers=headers,
        data={"supplier": supplier, "warehouse": warehouse,
              "lines": [{"product": product, "quantity": quantity, "unit_price": "10",
                         "tax_rate": vat13, "tax_inclusive": False}]},
    )  # fmt: skip
    assert order.status == 201, order.text()
    order_id = order.json()["id"]
    submitted = page.request.post(f"/api/v1/purchase-orders/{order_id}/submit/", headers=headers)
    assert submitted.json()["state"] == "approved", submitted.text()
    receipt = page.request.post(
        "/api/v1/goods-receipts/from-orders/", headers=headers, data={"orders": [order_id]}
    )
    receipt_id = receipt.json()["id"]
    posted = page.request.post(f"/api/v1/goods-receipts/{receipt_id}/post/", headers=headers)
    assert posted.status == 200, posted.text()
    invoice = page.request.post(
        "/api/v1/supplier-invoices/from-receipts/",
        headers=headers,
        data={"receipts": [receipt_id], "invoice_number": number, "invoice_type": "special"},
    )
    assert invoice.status == 201, invoice.text()
    done = page.request.post(
        f"/api/v1/supplier-invoices/{invoice.json()['id']}/post/", headers=headers
    )
    assert done.json()["state"] == "done", done.text()
    return done.json()


def set_up(page) -> dict:
    headers = api_headers(page)
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = page.request.get("/api/v1/warehouses/", params={"page_size": 100}).json()
    warehouse = warehouse["results"][0]
    supplier = page.request.post(
        "/api/v1/partners/", headers=headers, data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    product = page.request.post(
        "/api/v1/products/", headers=headers,
        data={**PRODUCT, "base_unit": piece, "purchase_price": "10"},
    )  # fmt: skip
    assert product.status == 201, product.text()
    ids = (supplier.json()["id"], product.json()["id"], warehouse["id"])
    bought(page, *ids, "10", "FR-E2E-1")
    return {"ids": ids, "warehouse": warehouse}


def test_free_standing_return_then_offset_against_the_next_invoice(page, shot):
    log_in(page)
    made = set_up(page)

    page.goto("/purchasing/returns")
    page.get_by_test_id("list-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("采购退货单")
    page.get_by_test_id("return-kind-free").click()
    choose_partner(page, "doc-supplier", SUPPLIER)
    choose_option(page, "doc-warehouse", re.compile(made["warehouse"]["name"]))
    pick_product(page, 0, PRODUCT["code"])
    expect(page.get_by_test_id("line-stock-0")).to_have_text("10")  # on hand in the warehouse
    expect(page.get_by_test_id("line-source-0")).to_contain_text("现存 10")  # its one bin taken
    number_input(page, "line-quantity-0").fill("4")
    number_input(page, "line-price-0").fill("12")
    number_input(page, "line-tax-0").fill("13")
    number_input(page, "line-tax-0").press("Tab")
    expect(page.get_by_test_id("line-amount-0")).to_have_text("54.24")
    settled(page)
    shot(page, "free-return-1-draft")

    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("CT")
    expect(page.get_by_test_id("return-open-credit")).to_contain_text("54.24")
    expect(page.get_by_test_id("return-offset")).to_be_visible()
    expect(page.get_by_test_id("return-refund")).to_be_visible()
    settled(page)
    shot(page, "free-return-2-posted")

    # the supplier's next invoice: 3 at 10.00 + 13 % = 33.90, offset by the return's credit
    invoice = bought(page, *made["ids"], "3", "FR-E2E-2")
    page.goto(f"/purchasing/invoices/{invoice['id']}")
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("invoice-return-credits")).to_contain_text("54.24")
    settled(page)
    shot(page, "free-return-3-invoice-credits")
    page.get_by_test_id("invoice-offset-returns").click()
    confirm(page)
    expect(page.get_by_test_id("document-total-open")).to_contain_text("0.00", timeout=SLOW)
    expect(page.get_by_test_id("invoice-offset-returns")).to_be_hidden()
    settled(page)
    shot(page, "free-return-4-invoice-offset")

    items = page.request.get(
        "/api/v1/open-items/", params={"partner": made["ids"][0], "open": "true"}
    ).json()["results"]
    assert sorted(item["open_amount"] for item in items) == ["-20.34", "113.00"]

    # the rest is refunded: the supplier pays 20.34 back into the bank account
    page.go_back()
    expect(page.get_by_test_id("return-open-credit")).to_contain_text("20.34", timeout=SLOW)
    page.get_by_test_id("return-refund").click()
    dialog = page.get_by_test_id("refund-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("refund-account")).to_contain_text("1002")
    expect(number_input(page, "refund-amount")).to_have_value("20.34")
    settled(page)
    shot(page, "free-return-5-refund")
    page.get_by_test_id("refund-submit").click()
    expect(page.get_by_test_id("return-open-credit")).to_be_hidden(timeout=SLOW)
    expect(page.get_by_test_id("return-refund")).to_be_hidden()
    payments = page.request.get("/api/v1/payments/", params={"kind": "refund"}).json()["results"]
    assert [(p["amount"], p["state"]) for p in payments] == [("20.34", "posted")]
    assert unexpected_errors(page) == []
