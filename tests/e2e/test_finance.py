"""Finance in a real browser, in the demo's branch (演示贸易有限公司上海分公司), whose books and stock
no other browser test touches: a stock receipt is posted first (through the API, which books its
automatic voucher 记-0001), then a manual voucher (Dr 1002 银行存款 / Cr 3001 实收资本 1000.00,
投资款) is entered by keyboard (the account typed by its code and Enter, the second line taking the
summary and the balancing amount), saved, posted (记-0002); the trial balance of the month
balances and shows 1002 with 1000.00; 1405 库存商品 opens its ledger, whose line of the receipt's
voucher opens the stock document; back on the manual voucher, it is reversed in red (红字冲销) and
the reversal links back to it. Then the chart of accounts, and the voucher list and viewer at
phone width."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option, search_options
from tests.e2e.test_inventory import confirm, log_in, log_in_mobile, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

BRANCH = "演示贸易有限公司上海分公司"
WAREHOUSE = {"code": "E2E-FIN", "name": "财务测试仓"}
PRODUCT = {"code": "E2E-FIN-1", "name": "财务测试商品"}
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
VOUCHER_NUMBER = re.compile(r"^记-\d{4}$")


def switch_to_branch(page) -> None:
    """The branch becomes the session's organization (the pages and the API calls below are its)."""
    choose_option(page, "org-switch", BRANCH)
    expect(page.get_by_test_id("org-switch")).to_contain_text("上海分公司")


def find_or_create(page, url: str, body: dict) -> dict:
    found = [row for row in page.request.get(url, params={"search": body["code"]}).json()["results"]
             if row["code"] == body["code"]]  # fmt: skip
    if found:
        return found[0]
    created = page.request.post(url, headers=api_headers(page), data=body)
    assert created.status == 201, created.text()
    return created.json()


def receive_goods(page) -> dict:
    """An other receipt of 4 × 12.50 into the branch's warehouse, posted: its voucher books
    Dr 1405 库存商品 / Cr 220202 暂估应付款 50.00. Answers the posted document."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = find_or_create(page, "/api/v1/warehouses/", WAREHOUSE)
    product = find_or_create(page, "/api/v1/products/", {**PRODUCT, "base_unit": piece})
    return post_document(
        page,
        {
            "kind": "receipt",
            "business_date": TODAY.isoformat(),
            "warehouse": warehouse["id"],
            "reason": "other",
            "lines": [{"product": product["id"], "quantity": "4", "unit_cost": "12.5"}],
        },
    )


def settled(page) -> None:
    """Before a screenshot: no loading mask, no tag zooming in or dialog fading in any more."""
    expect(page.locator(".el-loading-mask:visible")).to_have_count(0)
    page.wait_for_function(
        "document.getAnimations().every((animation) => animation.playState !== 'running')"
    )


def choose_account(page, row: int, code: str) -> None:
    """Types the account's code in the line's account picker and takes the first match with Enter."""
    picker = page.get_by_test_id(f"line-account-{row}")
    # the options of this picker's own dropdown (another line's may still be in the page, hidden)
    expect(search_options(page, picker, code, re.compile(code)).first).to_contain_text(code)
    page.keyboard.press("Enter")
    expect(picker).to_contain_text(code)


def test_manual_voucher_trial_balance_ledger_and_reversal(page, shot):
    log_in(page)
    switch_to_branch(page)
    receipt = receive_goods(page)

    # ---- 凭证: a new manual voucher, entered by keyboard ----
    page.get_by_test_id("nav-finance-vouchers").click()
    expect(page.get_by_test_id("page-title")).to_have_text("凭证")
    # the receipt's automatic voucher is listed with its source document
    listed = (
        page.get_by_test_id("list-table")
        .locator(".el-table__body tr")
        .filter(has_text=receipt["number"])
    )
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("已过账")
    page.get_by_test_id("list-new").click()
    expect(page).to_have_url(re.compile(r"/finance/vouchers/new$"))
    expect(page.get_by_test_id("document-state")).to_have_text("新建")
    expect(page.get_by_test_id("voucher-word")).to_contain_text("记")
    expect(page.get_by_test_id("voucher-date").locator("input")).to_have_value(TODAY.isoformat())
    balanced = page.get_by_test_id("voucher-balanced")
    expect(balanced).to_have_attribute("data-state", "empty")

    page.get_by_test_id("line-summary-0").fill("投资款")
    choose_account(page, 0, "1002")
    expect(page.get_by_test_id("line-account-0")).to_contain_text("1002 银行存款")
    expect(page.get_by_test_id("line-debit-0")).to_be_focused()  # Enter moved on to the amount
    page.keyboard.type("1000")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("line-debit-0")).to_have_value("1000.00")
    expect(balanced).to_have_attribute("data-balanced", "false")
    expect(balanced).to_contain_text("借贷不平")
    expect(page.get_by_test_id("voucher-total-debit")).to_have_text("1000.00")

    # the second line takes the summary above and the amount that balances the voucher
    choose_account(page, 1, "3001")
    expect(page.get_by_test_id("line-summary-1")).to_have_value("投资款")
    expect(page.get_by_test_id("line-credit-1")).to_have_value("1000.00")
    expect(page.get_by_test_id("voucher-total-credit")).to_have_text("1000.00")
    expect(balanced).to_have_attribute("data-balanced", "true")
    expect(balanced).to_have_text("借贷平衡")
    expect(page.get_by_test_id("voucher-capital")).to_have_text("壹仟元整")
    page.get_by_test_id("voucher-note").fill("股东投资")

    page.get_by_test_id("voucher-save").click()
    expect(page).to_have_url(re.compile(r"/finance/vouchers/\d+$"))
    expect(page.get_by_test_id("document-state")).to_have_text("草稿")
    expect(page.get_by_test_id("voucher-delete")).to_be_visible()
    voucher_url = page.url

    page.get_by_test_id("voucher-post").click()
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已过账")
    number = page.get_by_test_id("document-number")
    expect(number).to_have_text(VOUCHER_NUMBER)
    manual_number = number.inner_text()
    assert page.url == voucher_url
    expect(page.get_by_test_id("voucher-period")).to_contain_text(TODAY.strftime("%Y-%m"))
    expect(page.get_by_test_id("voucher-posted-by")).to_contain_text("系统管理员")
    # posted: read-only, reversible, printable
    expect(page.get_by_test_id("line-debit-0")).to_have_text("1000.00")
    expect(page.get_by_test_id("document-lines").locator("input")).to_have_count(0)
    for gone in ("voucher-save", "voucher-post", "voucher-delete"):
        expect(page.get_by_test_id(gone)).to_have_count(0)
    expect(page.get_by_test_id("voucher-reverse")).to_be_visible()
    # 打印: the voucher's PDF opens in a new tab
    with page.expect_popup() as opened:
        page.get_by_test_id("voucher-print").click()
    expect(opened.value).to_have_url(re.compile(r"^blob:"))
    opened.value.close()
    settled(page)
    shot(page, "finance-voucher")

    # ---- 科目余额表 of the month: balanced, 1002 with the 1000.00 ----
    page.get_by_test_id("nav-finance-trial-balance").click()
    expect(page.get_by_test_id("page-title")).to_have_text("科目余额表")
    expect(page.get_by_test_id("tb-balanced")).to_have_attribute("data-balanced", "true")
    expect(page.get_by_test_id("tb-balanced")).to_have_text("试算平衡")
    table = page.get_by_test_id("tb-table")
    bank = table.locator(".el-table__body tr").filter(has=page.locator("[data-code='1002']"))
    expect(bank).to_contain_text("银行存款")
    expect(bank.locator("td.tb__cell--period-debit")).to_have_text("1000.00")
    expect(bank.locator("td.tb__cell--closing-debit")).to_have_text("1000.00")
    capital = table.locator(".el-table__body tr").filter(has=page.locator("[data-code='3001']"))
    expect(capital.locator("td.tb__cell--closing-credit")).to_have_text("1000.00")
    settled(page)
    shot(page, "finance-trial-balance")

    # ---- 1405 库存商品 → its ledger → the receipt's voucher line → the stock document ----
    table.locator("[data-testid='tb-account'][data-code='1405']").click()
    expect(page).to_have_url(re.compile(r"/finance/account-ledger\?account=\d+"))
    expect(page.get_by_test_id("page-title")).to_have_text("明细账")
    expect(page.get_by_test_id("account-ledger-title")).to_have_text("1405 库存商品")
    line = (
        page.get_by_test_id("account-ledger-table")
        .locator(".el-table__body tr")
        .filter(has_text=receipt["number"])
    )
    expect(line).to_have_count(1)
    expect(line).to_contain_text("50.00")
    expect(line.get_by_test_id("account-ledger-voucher")).to_have_text(VOUCHER_NUMBER)
    settled(page)
    shot(page, "finance-account-ledger")
    line.get_by_test_id("account-ledger-origin").click()
    expect(page).to_have_url(re.compile(rf"/inventory/receipts/{receipt['id']}$"))
    expect(page.get_by_test_id("document-number")).to_have_text(receipt["number"])
    page.go_back()
    expect(page.get_by_test_id("account-ledger-title")).to_have_text("1405 库存商品")

    # ---- 红字冲销 of the manual voucher ----
    page.goto(voucher_url)
    expect(page.get_by_test_id("document-number")).to_have_text(manual_number)
    page.get_by_test_id("voucher-reverse").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_contain_text(f"红字冲销 {manual_number}")
    expect(dialog.get_by_test_id("voucher-reverse-date").locator("input")).to_have_value(
        TODAY.isoformat()
    )
    dialog.get_by_test_id("dialog-submit").click()
    expect(page).not_to_have_url(voucher_url)
    expect(page).to_have_url(re.compile(r"/finance/vouchers/\d+$"))
    expect(page.get_by_test_id("document-number")).to_have_text(VOUCHER_NUMBER)
    expect(page.get_by_test_id("document-number")).not_to_have_text(manual_number)
    expect(page.get_by_test_id("voucher-reversal-of")).to_contain_text(manual_number)
    red = page.get_by_test_id("line-debit-0")
    expect(red).to_have_text("-1000.00")
    expect(red).to_have_class(re.compile(r"\bis-negative\b"))
    expect(red).to_have_css("color", "rgb(245, 108, 108)")  # the danger red
    expect(page.get_by_test_id("voucher-capital")).to_have_text("负壹仟元整")
    expect(page.get_by_test_id("voucher-reverse")).to_have_count(0)  # a reversal is not reversed
    settled(page)
    shot(page, "finance-voucher-reversal")
    page.get_by_test_id("voucher-reversal-of").click()
    expect(page).to_have_url(voucher_url)
    expect(page.get_by_test_id("voucher-reversed-by")).to_be_visible()
    expect(page.get_by_test_id("voucher-reverse")).to_have_count(0)

    # ---- 会计期间: this month is open; its month-end checks do not all pass yet (it has not ended) ----
    page.get_by_test_id("nav-finance-periods").click()
    expect(page.get_by_test_id("page-title")).to_have_text("会计期间")
    month = (
        page.get_by_test_id("list-table")
        .locator(".el-table__body tr")
        .filter(has_text=TODAY.strftime("%Y-%m"))
    )
    expect(month.get_by_test_id("accounting-period-state")).to_have_attribute("data-state", "open")
    expect(month.get_by_test_id("accounting-period-reopen")).to_have_count(0)
    month.get_by_test_id("accounting-period-checklist").click()
    checks = page.get_by_test_id("accounting-period-checks")
    expect(checks.get_by_test_id("accounting-period-check").first).to_be_visible()
    expect(
        checks.locator("[data-testid='accounting-period-check'][data-ok='false']").first
    ).to_be_visible()
    settled(page)
    shot(page, "finance-periods-checklist")
    checks.get_by_role("button", name="关闭", exact=True).click()
    expect(checks).to_be_hidden()

    # ---- 会计科目: the tree, the roles ----
    page.get_by_test_id("nav-finance-accounts").click()
    expect(page.get_by_test_id("page-title")).to_have_text("会计科目")
    rows = page.get_by_test_id("list-table").locator(".el-table__body tr")
    expect(rows.filter(has_text="1405").first).to_contain_text("库存商品")
    expect(rows.filter(has_text="222101").first).to_contain_text(
        "应交增值税"
    )  # a sub-account in the tree
    settled(page)
    shot(page, "finance-accounts")
    page.get_by_role("tab", name="科目角色").click()
    expect(page.get_by_test_id("account-role-inventory")).to_contain_text("1405 库存商品")

    # ---- 仓库存货科目: the receipt's warehouse gets 1403 of its own, then the rules' again ----
    page.get_by_role("tab", name="仓库存货科目").click()
    picker = page.get_by_test_id(f"warehouse-account-{WAREHOUSE['code']}")
    expect(search_options(page, picker, "1403", re.compile("1403")).first).to_contain_text("1403")
    page.keyboard.press("Enter")
    confirm(page)
    expect(
        page.get_by_text(f"{WAREHOUSE['code']} {WAREHOUSE['name']} 的存货科目已改为")
    ).to_be_visible()
    expect(picker).to_contain_text("1403 原材料")
    moved = page.request.get(
        "/api/v1/vouchers/", params={"origin_type": "finance.warehouseaccount"}
    ).json()["results"]
    assert [v["total"] for v in moved] == ["50.00"]  # what it held moved from 1405 to 1403
    settled(page)
    shot(page, "finance-warehouse-accounts")
    picker.hover()
    picker.locator(".el-select__clear").click()
    confirm(page)
    expect(picker).to_contain_text("按凭证模板的科目")

    assert unexpected_errors(page) == []


def test_vouchers_at_phone_width(page, shot):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_mobile(page)
    switch_to_branch(page)
    receipt = receive_goods(page)  # at least this voucher is listed
    page.goto("/finance/vouchers")
    expect(page.get_by_test_id("page-title")).to_have_text("凭证")
    row = (
        page.get_by_test_id("list-table")
        .locator(".el-table__body tr")
        .filter(has_text=receipt["number"])
    )
    expect(row).to_have_count(1)
    settled(page)
    shot(page, "finance-vouchers-phone")
    row.get_by_test_id("voucher-open").click()
    expect(page).to_have_url(re.compile(r"/finance/vouchers/\d+$"))
    expect(page.get_by_test_id("document-number")).to_have_text(VOUCHER_NUMBER)
    expect(page.get_by_test_id("voucher-balanced")).to_have_attribute("data-balanced", "true")
    expect(page.get_by_test_id("voucher-capital")).to_have_text("伍拾元整")
    expect(page.get_by_test_id("voucher-origin")).to_contain_text(receipt["number"])
    # nothing wider than the phone but the lines' own scrolling table
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    settled(page)
    shot(page, "finance-voucher-phone")
    assert unexpected_errors(page) == []
