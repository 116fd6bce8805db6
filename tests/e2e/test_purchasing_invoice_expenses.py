"""A supplier invoice entered by hand in a real browser, in the demo company: freight and a
repair billed by a test supplier, never received into stock. From the invoice list 手工录入
opens an empty invoice; the clerk picks the supplier, adds two expense lines (添加费用行) on
管理费用 and 销售费用 by searching the account, saves and posts; the invoice is done, its open
amount is what the supplier is owed, and the voucher books the expenses and the input VAT."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_by_search
from tests.e2e.test_finance import settled
from tests.e2e.test_finance_ledgers import choose_partner
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-EX-S", "name": "费用发票测试供应商"}
SLOW = 20_000


def choose_expense_account(page, row: int, name: str) -> None:
    """Types part of the account's name in the line's account picker and takes its option."""
    picker = page.get_by_test_id(f"line-account-{row}")
    choose_by_search(page, picker, name, re.compile(name))
    expect(picker).to_contain_text(name)


def fill_expense(page, row: int, account: str, description: str, price: str, tax: str) -> None:
    choose_expense_account(page, row, account)
    number_input(page, f"line-description-{row}").fill(description)
    number_input(page, f"line-price-{row}").fill(price)
    tax_input = number_input(page, f"line-tax-{row}")
    tax_input.fill(tax)
    tax_input.press("Tab")


def test_hand_entered_expense_invoice_is_posted(page, shot):
    log_in(page)
    supplier = page.request.post(
        "/api/v1/partners/", headers=api_headers(page), data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()

    # ---- 采购发票 → 手工录入: no receipts, the supplier and the supplier's invoice number ----
    page.goto("/purchasing/invoices")
    page.get_by_test_id("invoice-manual").click()
    expect(page.get_by_test_id("doc-supplier")).to_be_visible()
    choose_partner(page, "doc-supplier", SUPPLIER)
    number_input(page, "doc-invoice-number").fill("EX-0001")

    # ---- two expense lines: freight 100 + 9 % VAT, a repair 200 + 13 % VAT ----
    page.get_by_test_id("document-grid-add").click()
    fill_expense(page, 0, "管理费用", "运费", "100", "9")
    page.get_by_test_id("document-grid-add").click()
    fill_expense(page, 1, "销售费用", "展柜维修费", "200", "13")
    expect(page.get_by_test_id("line-amount-0")).to_have_text("109.00")
    expect(page.get_by_test_id("line-amount-1")).to_have_text("226.00")
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("335.00")  # preview
    page.locator(".el-table__body-wrapper .el-scrollbar__wrap").first.evaluate(
        "(el) => el.scrollTo(0, 0)"
    )
    settled(page)
    shot(page, "invoice-expenses-1-entered")
    page.get_by_test_id("document-create").click()
    expect(page.get_by_test_id("document-state")).to_have_text("草稿", timeout=SLOW)
    expect(page.get_by_test_id("document-total-gross")).to_contain_text("335.00")

    # ---- posted: AP 335.00 open, the expenses and the input VAT booked ----
    page.get_by_test_id("document-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-number")).to_contain_text("JP")
    expect(page.get_by_test_id("document-total-open")).to_contain_text("335.00")
    expect(page.get_by_test_id("line-account-0")).to_contain_text("管理费用")
    expect(page.get_by_test_id("line-description-1")).to_contain_text("展柜维修费")
    settled(page)
    shot(page, "invoice-expenses-2-posted")

    invoice_id = int(page.url.rstrip("/").split("/")[-1])
    vouchers = page.request.get(
        "/api/v1/vouchers/",
        params={"origin_type": "purchasing.supplierinvoice", "origin_id": invoice_id},
    ).json()
    rows = vouchers["results"] if isinstance(vouchers, dict) else vouchers
    assert len(rows) == 1, vouchers
    assert unexpected_errors(page) == []
