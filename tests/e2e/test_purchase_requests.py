"""Purchase requests in a real browser, in the demo company: a request of the 生产部 for a test
product with a suggested supplier, submitted (no rule: approved at once), converted with 转采购订单
(the dialog takes the line's supplier, 6 of 10), and the draft order made from it opens with the
request's number on its line; the request is then partially ordered."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-QG-S", "name": "请购测试供应商"}
PRODUCT = {"code": "ZZ-QG-1", "name": "请购测试商品"}
SLOW = 20_000


def prepare(page) -> None:
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    supplier = page.request.post(
        "/api/v1/partners/", headers=api_headers(page), data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    product = page.request.post(
        "/api/v1/products/", headers=api_headers(page),
        data={**PRODUCT, "base_unit": piece, "purchase_price": "5"},
    )  # fmt: skip
    assert product.status == 201, product.text()


def test_request_submit_convert_and_the_order_opens(page, jxc_server, shot):
    log_in(page)
    prepare(page)
    page.get_by_test_id("nav-purchasing-requests").click()
    expect(page).to_have_url(f"{jxc_server}/purchasing/requests")
    page.get_by_test_id("list-new").click()
    expect(page).to_have_url(f"{jxc_server}/purchasing/requests/new")
    page.get_by_test_id("doc-department").fill("生产部")
    picker = page.get_by_test_id("line-product-0").locator("input")
    picker.fill(PRODUCT["code"])
    picker.press("Enter")
    expect(picker).to_have_value(f"{PRODUCT['code']} {PRODUCT['name']}")
    number_input(page, "line-quantity-0").fill("10")
    number_input(page, "line-quantity-0").press("Tab")
    choose_partner(page, "line-supplier-0", SUPPLIER)
    expect(page.get_by_test_id("line-stock-0")).to_have_text("0 / 0 / 0")
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已审核", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("QG")
    request_url = page.url
    settled(page)
    shot(page, "purchase-request-1-approved")

    page.get_by_test_id("document-convert").click()
    dialog = page.get_by_test_id("convert-dialog")
    expect(number_input(dialog, "convert-quantity-0")).to_have_value("10")
    expect(dialog.get_by_test_id("convert-supplier-0")).to_contain_text(SUPPLIER["name"])
    number_input(dialog, "convert-quantity-0").fill("6")
    number_input(dialog, "convert-quantity-0").press("Tab")
    settled(page)
    shot(page, "purchase-request-2-convert-dialog")
    dialog.get_by_test_id("convert-confirm").click()
    expect(page.get_by_test_id("doc-supplier")).to_contain_text(SUPPLIER["name"], timeout=SLOW)
    assert "/purchasing/orders/" in page.url
    expect(page.get_by_test_id("document-state")).to_have_text("草稿")
    expect(page.get_by_test_id("line-product-0").locator("input")).to_have_value(
        f"{PRODUCT['code']} {PRODUCT['name']}"
    )
    expect(number_input(page, "line-quantity-0")).to_have_value("6")
    expect(page.get_by_test_id("line-request-0")).to_contain_text("QG")
    expect(page.get_by_test_id("doc-note")).to_have_value(
        re.compile(r"^由请购单 QG\d{8}-\d{4} 生成$")
    )
    settled(page)
    shot(page, "purchase-request-3-order")

    page.goto(request_url)
    expect(page.get_by_test_id("document-state")).to_have_text("部分完成", timeout=SLOW)
    expect(page.get_by_test_id("line-ordered-0")).to_contain_text("6")
    settled(page)
    shot(page, "purchase-request-4-partially-ordered")
    assert unexpected_errors(page) == []
