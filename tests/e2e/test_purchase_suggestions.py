"""Purchase suggestions in a real browser, in the demo company: a reorder rule for a product of
a test supplier, the low-stock page's button opens 采购建议, the line is there with its reason,
its quantity is changed and 生成采购订单 makes a draft order, opened from its link."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-SG-S", "name": "建议测试供应商"}
PRODUCT = {"code": "ZZ-SG-1", "name": "建议测试商品"}
SLOW = 20_000


def prepare(page) -> None:
    """The supplier, the product and its reorder rule at the first warehouse, through the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = page.request.get("/api/v1/warehouses/", params={"page_size": 1}).json()
    supplier = page.request.post(
        "/api/v1/partners/", headers=api_headers(page), data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    product = page.request.post(
        "/api/v1/products/", headers=api_headers(page),
        data={**PRODUCT, "base_unit": piece, "purchase_price": "8"},
    )  # fmt: skip
    assert product.status == 201, product.text()
    rule = page.request.post(
        "/api/v1/reorder-rules/", headers=api_headers(page),
        data={"product": product.json()["id"], "warehouse": warehouse["results"][0]["id"],
              "supplier": supplier.json()["id"], "reorder_point": "30", "reorder_quantity": "50",
              "lead_time_days": 7, "pack_size": "10"},
    )  # fmt: skip
    assert rule.status == 201, rule.text()


def test_suggestion_from_low_stock_to_a_draft_order(page, jxc_server, shot):
    log_in(page)
    prepare(page)
    page.goto("/purchasing/reorder-rules")
    rule = page.locator(".el-table__body tr", has_text=PRODUCT["code"])
    expect(rule).to_contain_text(SUPPLIER["name"])
    rule.get_by_test_id("rule-edit").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(number_input(dialog, "rule-pack_size")).to_have_value("10.0000")
    shot(page, "reorder-rule-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.goto("/inventory/low-stock")
    page.get_by_test_id("low-stock-suggest").click()
    expect(page).to_have_url(f"{jxc_server}/purchasing/suggestions")
    choose_partner(page, "suggestion-supplier", SUPPLIER)
    group = page.get_by_test_id("suggestion-group")
    expect(group).to_have_count(1, timeout=SLOW)
    expect(group.get_by_test_id("suggestion-group-name")).to_have_text(SUPPLIER["name"])
    row = group.locator(".el-table__body tr", has_text=PRODUCT["code"])
    # nothing in stock: up to 30 + 50, in packs of 10
    expect(number_input(row, "suggestion-quantity")).to_have_value("80.0000")
    expect(row.get_by_test_id("suggestion-reason")).to_contain_text("再订货点 30")
    expect(row.get_by_test_id("suggestion-reason")).to_contain_text("采购周期 7 天")
    shot(page, "purchase-suggestions")

    number_input(row, "suggestion-quantity").fill("90")
    number_input(row, "suggestion-quantity").press("Tab")
    row.get_by_test_id("suggestion-choose").click()
    page.get_by_test_id("suggestion-create").click()
    link = page.get_by_test_id("suggestion-created-order")
    expect(link).to_have_count(1, timeout=SLOW)
    expect(link).to_contain_text(SUPPLIER["name"])
    # the draft is expected in: nothing more is suggested for the product
    expect(page.get_by_test_id("suggestion-group")).to_have_count(0, timeout=SLOW)
    shot(page, "purchase-suggestions-created")
    link.click()
    expect(page.get_by_test_id("line-product-0").locator("input")).to_have_value(
        f"{PRODUCT['code']} {PRODUCT['name']}", timeout=SLOW
    )
    expect(number_input(page, "line-quantity-0")).to_have_value("90")
    expect(page.get_by_test_id("document-state")).to_contain_text("草稿")
    expect(page.locator(".el-loading-mask:visible")).to_have_count(0, timeout=SLOW)
    shot(page, "purchase-suggestions-order")
    assert unexpected_errors(page) == []
