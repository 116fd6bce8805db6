"""Supplier quotes and order revisions in a real browser: a request for quotation asks two
suppliers, their quotes are recorded on the comparison page (one with a quantity break that
makes it the cheapest), the cheapest is chosen per line and the order is made from it; the
order, approved, is revised (more quantity) and the revision history shows the change. The
sent request is printed for one of its suppliers (打印) and e-mailed (发送邮件) to one of them:
refused first, naming the supplier without an address, then queued and recorded by the job."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_by_search
from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIERS = [{"code": "ZZ-RFQ-S1", "name": "询价测试供应商甲"},
             {"code": "ZZ-RFQ-S2", "name": "询价测试供应商乙"}]  # fmt: skip
PRODUCT = {"code": "ZZ-RFQ-1", "name": "询价测试商品"}
SLOW = 20_000


def prepare(page) -> None:
    """The two suppliers and the product, through the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    for supplier in SUPPLIERS:
        made = page.request.post(
            "/api/v1/partners/", headers=api_headers(page), data={**supplier, "is_supplier": True}
        )
        assert made.status == 201, made.text()
    product = page.request.post(
        "/api/v1/products/",
        headers=api_headers(page),
        data={**PRODUCT, "base_unit": piece, "purchase_price": "12"},
    )
    assert product.status == 201, product.text()


def choose_suppliers(page) -> None:
    select = page.get_by_test_id("rfq-suppliers")
    for supplier in SUPPLIERS:
        choose_by_search(page, select, supplier["code"], re.compile(supplier["name"]))
        expect(select).to_contain_text(supplier["name"])
        page.keyboard.press("Escape")  # a multiple select stays open: a click would close it


def record_quote(page, code: str, price: str, lead: str, breaks: str = "") -> None:
    page.get_by_test_id(f"quote-supplier-{code}").click()
    dialog = page.get_by_test_id("quote-dialog")
    expect(dialog).to_be_visible()
    number_input(page, "quote-price-0").fill(price)
    number_input(page, "quote-lead-0").fill(lead)
    if breaks:
        number_input(page, "quote-breaks-0").fill(breaks)
    page.get_by_test_id("quote-save").click()
    expect(dialog).to_be_hidden(timeout=SLOW)


def print_and_email_the_request(page, shot) -> None:
    """打印 asks which supplier's request (two were asked) and opens its PDF; 发送邮件 to every
    supplier is refused (neither has a contact with an address), to 乙 at an address typed in
    is queued, and the background job records the send in the request's history."""
    rfq = int(re.search(r"/purchasing/rfqs/(\d+)", page.url).group(1))
    page.get_by_test_id("rfq-print").click()
    expect(page.get_by_test_id("rfq-print-dialog")).to_be_visible()
    choose_from(page, "rfq-print-supplier", SUPPLIERS[1]["name"])
    pdf = re.compile(rf"/api/v1/rfqs/{rfq}/pdf/\?supplier=\d+$")
    with (
        page.expect_response(lambda r: bool(pdf.search(r.url))) as answer,
        page.expect_popup() as opened,
    ):
        page.get_by_test_id("rfq-print-submit").click()
    assert answer.value.status == 200, answer.value.text()
    assert answer.value.headers["content-type"] == "application/pdf"
    assert answer.value.body().startswith(b"%PDF")
    opened.value.close()

    page.get_by_test_id("rfq-email").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("dialog-submit").click()  # to all: no supplier has an address
    expect(dialog.locator(".el-form-item__error")).to_contain_text(
        "没有填写邮箱的联系人", timeout=SLOW
    )
    choose_from(page, "rfq-email-suppliers", SUPPLIERS[1]["name"])
    page.keyboard.press("Escape")  # a multiple select stays open
    page.get_by_test_id("email-to").fill("sales@rfq-b.example")
    page.get_by_test_id("email-message").fill("请于周五前报价。")
    expect(page.get_by_test_id("email-message")).to_have_value("请于周五前报价。")
    settled(page)
    shot(page, "quotes-1b-rfq-email-dialog")
    page.get_by_test_id("dialog-submit").click()
    expect(page.locator(".el-message--success").last).to_contain_text(
        "已加入发送队列", timeout=SLOW
    )
    expect(dialog).to_be_hidden()
    deadline = time.monotonic() + 30
    while True:
        history = page.request.get("/api/v1/audit-log/", params={
            "model": "purchasing.requestforquotation", "object_id": str(rfq)}).json()  # fmt: skip
        sent = [row["changes"]["emailed_to"][1] for row in history["results"]
                if "emailed_to" in row["changes"]]  # fmt: skip
        if sent or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert [(row["supplier_name"], row["to"]) for row in sent] == [
        (SUPPLIERS[1]["name"], ["sales@rfq-b.example"])]  # fmt: skip


def choose_from(page, testid: str, name: str) -> None:
    select = page.get_by_test_id(testid)
    select.click()
    controls = select.locator("[aria-controls]").first.get_attribute("aria-controls")
    page.locator(f"[id='{controls}']").get_by_role("option", name=name).click()
    expect(select).to_contain_text(name)


def cell(page, code: str):
    return page.locator(f"[data-testid^='cell-'][data-testid$='-{code}']")


def test_rfq_compare_order_and_revise(page, shot):
    log_in(page)
    prepare(page)

    # ---- 询价单: two suppliers asked for 100 of the product, sent ----
    page.goto("/purchasing/rfqs/new")
    choose_suppliers(page)
    picker = page.get_by_test_id("line-product-0").locator("input")
    picker.fill(PRODUCT["code"])
    picker.press("Enter")
    expect(picker).to_have_value(f"{PRODUCT['code']} {PRODUCT['name']}")
    number_input(page, "line-quantity-0").fill("100")
    number_input(page, "line-quantity-0").press("Tab")
    page.get_by_test_id("document-send").click()
    expect(page.get_by_test_id("document-number")).to_contain_text("XJ", timeout=SLOW)
    settled(page)
    shot(page, "quotes-1-rfq-sent")
    print_and_email_the_request(page, shot)

    # ---- 比价: 甲 quotes 10 (8 from 50 up), 乙 quotes 9; at 100, 甲 is the cheapest ----
    page.get_by_test_id("document-compare").click()
    expect(page.get_by_test_id("compare-table")).to_be_visible(timeout=SLOW)
    record_quote(page, "ZZ-RFQ-S1", "10", "7", "50:8")
    record_quote(page, "ZZ-RFQ-S2", "9", "3")
    first, second = cell(page, "ZZ-RFQ-S1"), cell(page, "ZZ-RFQ-S2")
    expect(first).to_contain_text("8")
    expect(first.get_by_test_id("cheapest")).to_be_visible()
    expect(second.get_by_test_id("cheapest")).to_have_count(0)
    expect(second).to_contain_text("9")
    page.get_by_test_id("pick-cheapest").click()
    settled(page)
    shot(page, "quotes-2-compared")
    page.get_by_test_id("create-orders").click()
    created = page.get_by_test_id("compare-created-order")
    expect(created).to_have_count(1, timeout=SLOW)
    expect(created).to_contain_text(SUPPLIERS[0]["name"])
    created.click()

    # ---- the order: at the quote's price, linked to the request; submitted (no rule) ----
    expect(page.get_by_test_id("document-state")).to_have_text("草稿", timeout=SLOW)
    expect(number_input(page, "line-price-0")).to_have_value("8")
    expect(page.get_by_test_id("line-rfq-0")).to_contain_text("XJ")
    page.get_by_test_id("document-submit").click()
    expect(page.get_by_test_id("document-state")).to_have_text("已审核", timeout=SLOW)
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("800.00")

    # ---- 修订: 120 instead of 100, with the reason; approved at once without a rule ----
    page.get_by_test_id("document-revise").click()
    quantity = number_input(page, "line-quantity-0")
    quantity.fill("120")
    quantity.press("Tab")
    number_input(page, "revision-reason").fill("客户追加订货")
    page.get_by_test_id("document-submit-revision").click()
    history = page.get_by_test_id("revision-history")
    expect(history).to_be_visible(timeout=SLOW)
    expect(history.get_by_test_id("revision-1")).to_contain_text("客户追加订货")
    expect(history.get_by_test_id("revision-1")).to_contain_text("100 × 8 → 120 × 8")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("960.00")
    expect(page.get_by_test_id("document-state")).to_have_text("已审核")
    settled(page)
    shot(page, "quotes-3-order-revised")
    assert unexpected_errors(page) == []
