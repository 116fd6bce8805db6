"""Printing in a real browser, in the demo company: a confirmed sales order, its posted
invoice and an approved purchase order each open their PDF from the 打印 button (the server
answers a PDF); the purchase order is e-mailed to the supplier's contact from the 发送给供应商
dialog (the server writes e-mails to files in the browser tests; the sending is in the order's
history); the invoice, ticked in the invoices list, is exported for the 数电票 batch import.

Its own warehouse, product, customer and supplier (codes that sort after the demo's)."""

import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

WAREHOUSE = {"code": "ZZ-DY", "name": "打印测试仓"}
CUSTOMER = {"code": "ZZ-DY-C", "name": "打印测试客户有限公司"}
SUPPLIER = {"code": "ZZ-DY-S", "name": "打印测试供应商有限公司"}
PRODUCT = {"code": "ZZ-DY-1", "name": "打印测试商品", "sale_price": "113", "purchase_price": "10"}
CONTACT = "orders@dy-supplier.example"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
SLOW = 20_000


def created(response) -> dict:
    assert response.status in (200, 201), response.text()
    return response.json()


def set_up(page) -> tuple[int, int, dict]:
    """Stock of a product in a warehouse of its own, a confirmed sales order delivered and
    invoiced (posted), and an approved purchase order of it, through the API: answers the two
    orders' ids and the invoice."""
    headers = api_headers(page)
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    rates = page.request.get("/api/v1/tax-rates/", params={"page_size": 100}).json()["results"]
    vat = next(rate["id"] for rate in rates if rate["code"] == "VAT13")
    warehouse = created(page.request.post("/api/v1/warehouses/", headers=headers, data=WAREHOUSE))
    customer = created(page.request.post("/api/v1/partners/", headers=headers,
                                         data={**CUSTOMER, "is_customer": True}))  # fmt: skip
    supplier = created(page.request.post(
        "/api/v1/partners/", headers=headers,
        data={**SUPPLIER, "is_supplier": True,
              "contacts": [{"name": "王经理", "email": CONTACT, "is_primary": True}]},
    ))  # fmt: skip
    product = created(page.request.post("/api/v1/products/", headers=headers,
                                        data={**PRODUCT, "base_unit": piece, "tax_rate": vat}))  # fmt: skip
    post_document(page, {"kind": "receipt", "business_date": TODAY, "reason": "other",
                         "warehouse": warehouse["id"],
                         "lines": [{"product": product["id"], "quantity": "10",
                                    "unit_cost": "50"}]})  # fmt: skip
    order = created(page.request.post("/api/v1/sales-orders/", headers=headers, data={
        "business_date": TODAY, "customer": customer["id"], "warehouse": warehouse["id"],
        "lines": [{"product": product["id"], "quantity": "3"}]}))  # fmt: skip
    confirmed = created(page.request.post(f"/api/v1/sales-orders/{order['id']}/submit/",
                                          headers=headers))  # fmt: skip
    assert confirmed["state"] == "approved", confirmed
    delivery = created(page.request.post("/api/v1/deliveries/", headers=headers, data={
        "business_date": TODAY, "orders": [order["id"]]}))  # fmt: skip
    created(page.request.post(f"/api/v1/deliveries/{delivery['id']}/post/", headers=headers))
    invoice = created(page.request.post("/api/v1/customer-invoices/", headers=headers, data={
        "business_date": TODAY, "deliveries": [delivery["id"]], "invoice_type": "special",
        "invoice_number": ""}))  # fmt: skip
    invoice = created(page.request.post(f"/api/v1/customer-invoices/{invoice['id']}/post/",
                                        headers=headers))  # fmt: skip
    purchase = created(page.request.post("/api/v1/purchase-orders/", headers=headers, data={
        "business_date": TODAY, "supplier": supplier["id"], "warehouse": warehouse["id"],
        "lines": [{"product": product["id"], "quantity": "20", "unit_price": "11.3",
                   "tax_rate": vat}]}))  # fmt: skip
    approved = created(page.request.post(f"/api/v1/purchase-orders/{purchase['id']}/submit/",
                                         headers=headers))  # fmt: skip
    assert approved["state"] == "approved", approved
    return order["id"], purchase["id"], invoice


def print_opens_the_pdf(page, url_part: str) -> None:
    """打印: a new tab opens on the PDF the server made for this document."""
    pdf = re.compile(re.escape(url_part) + r"pdf/$")
    with (
        page.expect_response(lambda r: bool(pdf.search(r.url))) as answer,
        page.expect_popup() as opened,
    ):
        page.get_by_test_id("doc-print").click()
    response = answer.value
    assert response.status == 200, response.text()
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    expect(opened.value).to_have_url(re.compile(r"^blob:"))
    opened.value.close()


def test_print_orders_and_email_the_purchase_order(page, jxc_server, shot):
    log_in(page)
    sales_order, purchase_order, invoice = set_up(page)

    # ---- 销售订单 → 打印: 销售订单确认书 ----
    page.goto(f"/sales/orders/{sales_order}")
    expect(page.get_by_test_id("document-number")).to_have_text(re.compile(r"\S+"), timeout=SLOW)
    print_opens_the_pdf(page, f"/api/v1/sales-orders/{sales_order}/")

    # ---- 销售发票 → 打印; in the invoices list, ticked → 导出数电票 ----
    page.goto(f"/sales/invoices/{invoice['id']}")
    expect(page.get_by_test_id("document-number")).to_have_text(invoice["number"], timeout=SLOW)
    print_opens_the_pdf(page, f"/api/v1/customer-invoices/{invoice['id']}/")
    page.goto("/sales/invoices")
    page.get_by_test_id("list-search").fill(invoice["number"])
    table = page.get_by_test_id("list-table")
    expect(table.locator(".el-table__body tr")).to_have_count(1, timeout=SLOW)
    table.locator(".el-table__body .el-checkbox").first.click()
    with page.expect_download() as download_info:
        page.get_by_test_id("invoices-einvoice-export").click()
    content = Path(download_info.value.path()).read_bytes()
    book = load_workbook(io.BytesIO(content))
    lines = list(book["2-发票明细信息"].iter_rows(values_only=True))
    assert lines[0][:2] == ("发票流水号", "项目名称")
    assert [line[:2] for line in lines[1:]] == [(invoice["number"], PRODUCT["name"])]
    assert lines[1][5:] == (3, 100, 300, 0.13, 39)

    # ---- 采购订单 → 打印, then 发送给供应商 with the contact's address filled in ----
    page.goto(f"/purchasing/orders/{purchase_order}")
    expect(page.get_by_test_id("document-state")).to_have_text("已审核", timeout=SLOW)
    print_opens_the_pdf(page, f"/api/v1/purchase-orders/{purchase_order}/")
    page.get_by_test_id("order-email").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("email-to")).to_have_value(CONTACT)
    page.get_by_test_id("email-cc").fill("not-an-address")
    page.get_by_test_id("dialog-submit").click()
    expect(dialog.locator(".el-form-item__error")).to_have_text("请输入合法的邮件地址。")  # cc.0
    page.get_by_test_id("email-cc").fill("boss@dy-buyer.example")
    page.get_by_test_id("email-message").fill("请确认交期。")
    expect(page.get_by_test_id("email-message")).to_have_value("请确认交期。")
    settled(page)
    shot(page, "printing-email-dialog")
    page.get_by_test_id("dialog-submit").click()
    expect(page.locator(".el-message--success")).to_contain_text(CONTACT, timeout=SLOW)
    expect(dialog).to_be_hidden()
    history = page.request.get("/api/v1/audit-log/", params={
        "model": "purchasing.purchaseorder", "object_id": str(purchase_order)}).json()  # fmt: skip
    sent = [row["changes"]["emailed_to"] for row in history["results"]
            if "emailed_to" in row["changes"]]  # fmt: skip
    assert sent == [[None, {"to": [CONTACT], "cc": ["boss@dy-buyer.example"]}]]
    assert unexpected_errors(page) == []
