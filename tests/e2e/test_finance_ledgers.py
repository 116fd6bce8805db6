"""The partner ledgers in a real browser, in the demo's branch (演示贸易有限公司上海分公司), as
test_finance.py works there: a new customer gets an other receivable (其他应收单) of 1,130.00
(seeded through the API with the page's session); a receipt (收款单) of 1,000.00 is entered in the
payment editor, ticking the receivable with 按到期日顺序核销, saved and posted; 往来明细 then shows
130.00 still open on the receivable; 账龄分析 lists the customer with 130.00 (table and chart); its
statement (对账单) closes at 130.00."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import TODAY, find_or_create, settled, switch_to_branch
from tests.e2e.test_inventory import confirm, log_in, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e


def counter_account(page) -> dict:
    """A revenue leaf account the other receivable is booked against (其他业务收入, else 主营业务收入)."""
    accounts = page.request.get(
        "/api/v1/accounts/", params={"page_size": 500, "ordering": "code"}
    ).json()["results"]
    for prefix in ("5051", "6051", "5001", "6001"):  # 小企业会计准则, 企业会计准则
        for account in accounts:
            if account["code"].startswith(prefix) and account["is_leaf"] and account["is_active"]:
                return account
    raise AssertionError("no revenue account in the chart")


def choose_partner(page, testid: str, partner: dict) -> None:
    """Types the partner's code in a PartnerSelect (a remote search) and takes its option."""
    select = page.get_by_test_id(testid)
    select.click()
    page.keyboard.type(partner["code"])
    controls = select.locator("[aria-controls]").first.get_attribute("aria-controls")
    option = page.locator(f"[id='{controls}']").get_by_role(
        "option", name=re.compile(partner["name"])
    )
    expect(option).to_have_count(1)
    option.click()
    expect(select).to_contain_text(partner["name"])


def test_other_receivable_receipt_ageing_and_statement(page, shot):
    log_in(page)
    switch_to_branch(page)
    stamp = time.strftime("%m%d%H%M%S")
    customer = find_or_create(
        page,
        "/api/v1/partners/",
        {"code": f"E2E-AR-{stamp}", "name": f"对账测试客户{stamp}", "is_customer": True},
    )
    booked = page.request.post(
        "/api/v1/open-items/",
        headers=api_headers(page),
        data={
            "kind": "receivable",
            "partner": customer["id"],
            "amount": "1130.00",
            "counter_account": counter_account(page)["id"],
            "date": TODAY.isoformat(),
            "due_date": TODAY.isoformat(),
            "summary": "代垫运费",
        },
    )
    assert booked.status == 201, booked.text()
    receivable = booked.json()

    # ---- 收款单: 1,000.00 settling the receivable ----
    page.get_by_test_id("nav-finance-payments").click()
    expect(page.get_by_test_id("page-title")).to_have_text("收付款单")
    page.get_by_test_id("payment-new-receipt").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/new\?kind=receipt$"))
    expect(page.get_by_test_id("document-state")).to_have_text("新建")
    expect(page.get_by_test_id("payment-account")).to_contain_text("1002")
    choose_partner(page, "payment-partner", customer)
    expect(page.get_by_test_id("payment-item-reference-0")).to_have_text(receivable["reference"])
    expect(page.get_by_test_id("payment-item-open-0")).to_have_text("1130.00")
    page.get_by_test_id("payment-amount").fill("1000")
    page.get_by_test_id("payment-amount").press("Tab")
    page.get_by_test_id("payment-spread").click()
    expect(page.get_by_test_id("payment-item-amount-0")).to_have_value("1000.00")
    expect(page.get_by_test_id("payment-total-settled")).to_have_text("1000.00")
    expect(page.get_by_test_id("payment-total-advance")).to_have_text("0.00")
    page.get_by_test_id("payment-note").fill("收回代垫运费")
    page.get_by_test_id("payment-save").click()
    expect(page).to_have_url(re.compile(r"/finance/payments/\d+$"))
    expect(page.get_by_test_id("document-state")).to_have_text("草稿")
    expect(page.get_by_test_id("payment-item-amount-0")).to_have_value("1000.00")
    page.get_by_test_id("payment-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已过账")
    expect(page.get_by_test_id("document-number")).not_to_be_empty()
    expect(page.get_by_test_id("payment-voucher-link")).to_be_visible()
    expect(page.get_by_test_id("payment-item-amount-0")).to_have_text("1000.00")
    settled(page)
    shot(page, "finance-payment")

    # ---- 往来明细: 130.00 stays open on the receivable ----
    page.get_by_test_id("nav-finance-open-items").click()
    expect(page.get_by_test_id("page-title")).to_have_text("往来明细")
    page.get_by_test_id("list-search").first.fill(receivable["reference"])
    row = (
        page.get_by_test_id("list-table")
        .first.locator(".el-table__body tr")
        .filter(has_text=receivable["reference"])
    )
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("open-item-open-amount")).to_have_text("130.00")
    expect(row).to_contain_text("其他应收单")

    # ---- 账龄分析: the customer owes 130.00 ----
    page.get_by_test_id("nav-finance-ageing").click()
    expect(page.get_by_test_id("page-title")).to_have_text("账龄分析")
    expect(page.get_by_test_id("ageing-table")).to_contain_text("未到期")
    expect(page.get_by_test_id("ageing-table")).to_contain_text("180天以上")
    aged = (
        page.get_by_test_id("ageing-table")
        .locator(".el-table__body tr")
        .filter(has_text=customer["name"])
    )
    expect(aged).to_have_count(1)
    expect(aged.get_by_test_id("ageing-total")).to_have_text("130.00")
    expect(page.get_by_test_id("ageing-chart").locator("svg")).to_be_visible()
    settled(page)
    shot(page, "finance-ageing")

    # ---- 对账单: the customer's statement, from its row ----
    aged.get_by_test_id("ageing-partner").click()
    expect(page.get_by_test_id("page-title")).to_have_text("对账单")
    expect(page.get_by_test_id("statement-closing")).to_have_text("130.00")
    expect(page.get_by_test_id("statement-row")).to_have_count(2)
    expect(page.get_by_test_id("statement-sheet")).to_contain_text(customer["name"])
    settled(page)
    shot(page, "finance-statement")
    assert unexpected_errors(page) == []
