"""Landed costs in a real browser: from a posted receipt of 10 units at 10.00 (made through the
API), the administrator opens 分摊费用, enters the carrier's freight bill (50.00 + 9 % VAT, by
value), saves the draft and sees the allocation, posts it and sees the 50.00 go into the stock;
the product's stock moves then add up to 150.00."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-LC-S", "name": "到岸成本测试供应商"}
CARRIER = {"code": "ZZ-LC-C", "name": "到岸成本测试物流"}
PRODUCT = {"code": "ZZ-LC-1", "name": "到岸成本测试商品"}
SLOW = 20_000


def received(page) -> dict:
    """A posted receipt of 10 units at 10.00 from the test supplier, through the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat13 = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    warehouses = page.request.get("/api/v1/warehouses/", params={"page_size": 100}).json()
    warehouse = warehouses["results"][0]["id"]
    headers = api_headers(page)
    partners = {}
    for partner in (SUPPLIER, CARRIER):
        made = page.request.post(
            "/api/v1/partners/", headers=headers, data={**partner, "is_supplier": True}
        )
        assert made.status == 201, made.text()
        partners[partner["code"]] = made.json()["id"]
    product = page.request.post(
        "/api/v1/products/",
        headers=headers,
        data={**PRODUCT, "base_unit": piece, "purchase_price": "10", "tax_rate": vat13},
    )
    assert product.status == 201, product.text()
    order = page.request.post(
        "/api/v1/purchase-orders/",
        headers=headers,
        data={"supplier": partners[SUPPLIER["code"]], "warehouse": warehouse,
              "lines": [{"product": product.json()["id"], "quantity": "10", "unit_price": "10",
                         "tax_rate": vat13, "tax_inclusive": False}]},
    )  # fmt: skip
    assert order.status == 201, order.text()
    order = order.json()
    submitted = page.request.post(f"/api/v1/purchase-orders/{order['id']}/submit/", headers=headers)
    assert submitted.json()["state"] == "approved", submitted.text()
    receipt = page.request.post(
        "/api/v1/goods-receipts/from-orders/", headers=headers, data={"orders": [order["id"]]}
    )
    assert receipt.status == 201, receipt.text()
    posted = page.request.post(
        f"/api/v1/goods-receipts/{receipt.json()['id']}/post/", headers=headers
    )
    assert posted.status == 200, posted.text()
    return {"receipt": posted.json(), "product": product.json()}


def test_allocate_freight_onto_a_receipt_and_see_the_value(page, shot):
    log_in(page)
    made = received(page)
    receipt = made["receipt"]

    page.goto(f"/purchasing/receipts/{receipt['id']}")
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    page.get_by_test_id("document-landed").click()
    expect(page.get_by_test_id("doc-receipts")).to_contain_text(receipt["number"])
    allocations = page.get_by_test_id("landed-allocations")
    expect(allocations).to_contain_text(PRODUCT["code"])  # the receipt's line, before saving
    choose_partner(page, "doc-supplier", CARRIER)
    number_input(page, "doc-invoice-number").fill("LC-E2E-1")
    number_input(page, "line-amount-0").fill("50")
    number_input(page, "line-amount-0").press("Tab")
    expect(page.get_by_test_id("line-gross-0")).to_have_text("54.50")
    page.get_by_test_id("document-save").click()
    expect(page.get_by_test_id("document-state")).to_have_text("草稿", timeout=SLOW)
    expect(page.get_by_test_id("allocation-amount-0")).to_have_text("50.00")
    settled(page)
    shot(page, "landed-1-draft-allocated")

    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("FY")
    expect(page.get_by_test_id("allocation-stock-0")).to_have_text("50.00")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("54.50")
    settled(page)
    shot(page, "landed-2-posted")
    assert unexpected_errors(page) == []

    moves = page.request.get(
        "/api/v1/stock-moves/", params={"product": made["product"]["id"], "page_size": 100}
    ).json()["results"]
    assert sum(Decimal(move["value"]) for move in moves) == Decimal("150.00")
