"""A sales quotation in a real browser: typed with live availability, sent with a soft
reservation (what the warehouse has available drops), converted in one step, and the new draft
order opens, showing the quotation it came from.

Its own warehouse, product and customer (codes that sort after the demo's)."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import PASSWORD, confirm, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_sales import TODAY, pick_product
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-BJ", "name": "报价测试仓"}
CUSTOMER = {"code": "ZZ-BJ-C", "name": "报价测试客户有限公司"}
PRODUCT = {"code": "ZZ-BJ-1", "name": "报价测试商品", "sale_price": "113"}


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
         "lines": [{"product": product.json()["id"], "quantity": "10", "unit_cost": "50"}]},
    )  # fmt: skip


def test_quotation_send_and_convert_to_an_order(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    set_up(page)

    page.goto("/sales/quotations")
    page.get_by_test_id("list-new").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售报价单")
    choose_partner(page, "doc-customer", CUSTOMER)
    choose_option(page, "doc-warehouse", re.compile(WAREHOUSE["name"]))
    page.get_by_test_id("doc-reserve-stock").click()
    pick_product(page, 0, PRODUCT["code"])
    availability = page.get_by_test_id("document-lines").get_by_test_id("line-availability")
    expect(availability.first).to_contain_text("10")
    number_input(page, "line-quantity-0").fill("3")
    number_input(page, "line-quantity-0").press("Enter")

    page.get_by_test_id("document-send").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已提交")
    expect(page.get_by_test_id("document-number")).to_contain_text("BJ")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("339.00")
    # 10 on hand, 3 softly reserved by the quotation: 7 available
    expect(availability.first).to_contain_text("7")
    number = page.get_by_test_id("document-number").inner_text()
    settled(page)
    shot(page, "quotation-1-sent")

    page.get_by_test_id("document-convert").click()
    confirm(page)
    expect(page.get_by_test_id("page-title")).to_have_text("销售订单")
    expect(page).to_have_url(re.compile(r"/sales/orders/\d+$"))
    expect(page.get_by_test_id("document-state")).to_have_text("草稿")
    expect(page.get_by_test_id("order-quotation")).to_have_text(
        re.compile(re.escape(number.strip()))
    )
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("339.00")
    # the quotation's reservation is released: all 10 are available again
    expect(availability.first).to_contain_text("10")
    settled(page)
    shot(page, "quotation-2-order")
    assert unexpected_errors(page) == []
