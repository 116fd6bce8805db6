"""The sales and purchasing reports in a real browser: goods bought (a purchase order received)
and sold (a sales order delivered) through the API; the administrator opens 销售汇总表 from the
sales menu's 报表 heading, groups it by product, sees the product's line and the totals row, and
exports it; then 采购订单执行表 from the purchasing menu, and exports that too.

Its own warehouse, partners and product (codes after the demo's), so the other browser tests
see the demo as they expect."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

CODE = "ZZ-BB-1"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()


def post(page, url: str, data: dict | None = None) -> dict:
    response = page.request.post(url, headers=api_headers(page), data=data or {})
    assert response.ok, response.text()
    return response.json()


def bought_and_sold(page) -> None:
    """10 bought at 10.00 before tax and received; 4 sold at 113 (100 before tax) and delivered."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    warehouse = post(page, "/api/v1/warehouses/", {"code": "ZZ-BB", "name": "报表测试仓"})["id"]
    supplier = post(page, "/api/v1/partners/",
                    {"code": "ZZ-BB-S", "name": "报表测试供应商", "is_supplier": True})["id"]  # fmt: skip
    customer = post(page, "/api/v1/partners/",
                    {"code": "ZZ-BB-C", "name": "报表测试客户", "is_customer": True})["id"]  # fmt: skip
    product = post(page, "/api/v1/products/",
                   {"code": CODE, "name": "报表测试商品", "base_unit": piece, "tax_rate": vat,
                    "sale_price": "113", "purchase_price": "10"})["id"]  # fmt: skip
    order = post(page, "/api/v1/purchase-orders/",
                 {"business_date": TODAY, "supplier": supplier, "warehouse": warehouse,
                  "lines": [{"product": product, "quantity": "10", "unit_price": "10",
                             "tax_rate": vat, "tax_inclusive": False}]})  # fmt: skip
    assert post(page, f"/api/v1/purchase-orders/{order['id']}/submit/")["state"] == "approved"
    receipt = post(page, "/api/v1/goods-receipts/from-orders/", {"orders": [order["id"]]})
    post(page, f"/api/v1/goods-receipts/{receipt['id']}/post/")
    sale = post(page, "/api/v1/sales-orders/",
                {"business_date": TODAY, "customer": customer, "warehouse": warehouse,
                 "lines": [{"product": product, "quantity": "4"}]})  # fmt: skip
    assert post(page, f"/api/v1/sales-orders/{sale['id']}/submit/")["state"] == "approved"
    delivery = post(page, "/api/v1/deliveries/", {"business_date": TODAY, "orders": [sale["id"]]})
    post(page, f"/api/v1/deliveries/{delivery['id']}/post/")


def exported_rows(page, tmp_path, name: str) -> list[tuple]:
    with page.expect_download() as download:
        page.get_by_test_id("report-export").click()
    path = tmp_path / f"{name}.xlsx"
    download.value.save_as(path)
    return list(load_workbook(path).active.iter_rows(values_only=True))


def test_sales_summary_and_purchase_order_execution(page, shot, tmp_path):
    log_in(page)
    bought_and_sold(page)

    page.get_by_test_id("nav-sales-report-summary").click()
    expect(page.get_by_test_id("page-title")).to_have_text("销售汇总表")
    expect(page.get_by_test_id("nav-reports-sales")).to_be_visible()
    expect(page.get_by_test_id("nav-sales-report-profit")).to_be_visible()  # the admin sees costs
    choose_option(page, "report-group-by", "按商品")
    table = page.get_by_test_id("report-table")
    row = table.locator("tr", has_text=CODE)
    expect(row).to_contain_text("报表测试商品")
    expect(row).to_contain_text("400.00")  # 4 × 100 before tax
    expect(row).to_contain_text("452.00")  # with 13 % VAT
    expect(table.locator(".el-table__footer")).to_contain_text("合计")
    expect(page.get_by_test_id("report-chart")).to_be_visible()
    shot(page, "reports-sales-summary")
    rows = exported_rows(page, tmp_path, "sales-summary")
    assert rows[0][:2] == ("编码", "名称")  # the group's code and name lead; the key is no use
    mine = next(r for r in rows if CODE in r)
    assert "400.00" in mine
    assert "452.00" in mine

    page.get_by_test_id("nav-purchasing-report-execution").click()
    expect(page.get_by_test_id("page-title")).to_have_text("采购订单执行表")
    row = page.get_by_test_id("report-table").locator("tr", has_text=CODE)
    expect(row).to_contain_text("报表测试供应商")
    expect(row).to_contain_text("113.00")  # 10 × 10 + 13 % VAT
    shot(page, "reports-purchase-execution")
    rows = exported_rows(page, tmp_path, "purchase-order-execution")
    mine = next(r for r in rows if CODE in r)
    assert "10.0000" in mine  # ordered and received
    assert "113.00" in mine
    assert unexpected_errors(page) == []
