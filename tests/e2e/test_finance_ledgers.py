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

from tests.e2e.conftest import choose_by_search, choose_option
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
    choose_by_search(page, testid, partner["code"], re.compile(partner["name"]))
    expect(page.get_by_test_id(testid)).to_contain_text(partner["name"])


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


def test_allocate_an_advance_to_an_open_item(page, shot):
    """往来明细 → 核销: a customer's other receivable of 500.00 and an advance receipt of 200.00
    (a posted 收款单 settling nothing); the receivable's 核销 dialog offers the receipt, takes
    200.00 (what both leave open) and leaves 300.00 open; 核销记录 lists the allocation."""
    log_in(page)
    switch_to_branch(page)
    stamp = time.strftime("%m%d%H%M%S")
    customer = find_or_create(
        page,
        "/api/v1/partners/",
        {"code": f"E2E-HX-{stamp}", "name": f"核销测试客户{stamp}", "is_customer": True},
    )
    headers = api_headers(page)
    booked = page.request.post("/api/v1/open-items/", headers=headers, data={
        "kind": "receivable", "partner": customer["id"], "amount": "500.00",
        "counter_account": counter_account(page)["id"], "date": TODAY.isoformat(),
        "summary": "代垫运费",
    })  # fmt: skip
    assert booked.status == 201, booked.text()
    receivable = booked.json()
    accounts = page.request.get("/api/v1/accounts/", params={"search": "1002"}).json()["results"]
    bank = next(a for a in accounts if a["code"] == "1002")
    receipt = page.request.post("/api/v1/payments/", headers=headers, data={
        "kind": "receipt", "date": TODAY.isoformat(), "partner": customer["id"],
        "amount": "200.00", "fee": "0", "discount": "0", "account": bank["id"], "note": "预收",
        "lines": [],
    })  # fmt: skip
    assert receipt.status == 201, receipt.text()
    posted = page.request.post(f"/api/v1/payments/{receipt.json()['id']}/post/", headers=headers)
    assert posted.status == 200, posted.text()

    page.get_by_test_id("nav-finance-open-items").click()
    expect(page.get_by_test_id("page-title")).to_have_text("往来明细")
    page.get_by_test_id("list-search").first.fill(receivable["reference"])
    row = (
        page.get_by_test_id("list-table")
        .first.locator(".el-table__body tr")
        .filter(has_text=receivable["reference"])
    )
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("open-item-open-amount")).to_have_text("500.00")
    row.get_by_test_id("open-item-allocate").click()
    dialog = page.locator(".el-dialog").filter(has=page.get_by_test_id("allocate-counter"))
    expect(dialog).to_be_visible()
    settled(page)  # a dropdown opened while the dialog still slides in is closed by its focus trap
    choose_option(page, dialog.get_by_test_id("allocate-counter"), re.compile(r"-200\.00$"))
    expect(dialog.get_by_test_id("allocate-amount")).to_have_value("200.00")
    settled(page)
    shot(page, "finance-allocate-dialog")
    dialog.get_by_test_id("dialog-submit").click()
    expect(dialog).to_be_hidden()
    expect(row.get_by_test_id("open-item-open-amount")).to_have_text("300.00")

    page.get_by_role("tab", name="核销记录").click()
    allocations = page.get_by_test_id("list-table").last
    allocated = allocations.locator(".el-table__body tr").filter(has_text=receivable["reference"])
    expect(allocated).to_have_count(1)
    expect(allocated).to_contain_text("200.00")
    expect(allocated.get_by_test_id("allocation-undo")).to_be_visible()
    settled(page)
    shot(page, "finance-allocations")
    assert unexpected_errors(page) == []


def test_opening_balances_from_a_workbook(page, shot, tmp_path):
    """期初余额 → 从 Excel 导入: the template downloads with the leaf accounts; a workbook with a
    bad row is previewed with its row, column and reason and cannot be imported; the corrected
    one previews a balanced trial balance and is imported."""
    from openpyxl import Workbook, load_workbook

    log_in(page)
    switch_to_branch(page)
    page.goto("/finance/opening-balances")
    expect(page.get_by_test_id("page-title")).to_have_text("期初余额")
    go_live = f"{TODAY.year}-01-01"
    before = page.request.get(
        "/api/v1/finance/opening-balances/", params={"go_live": go_live}
    ).json()
    with page.expect_download() as download:
        page.get_by_test_id("opening-template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    sheet = load_workbook(template).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert "1002" in codes
    assert "1122" not in codes

    # 利润分配 as the books hold it already (the stock and partner openings), so that it stays
    held = {row["code"]: row for row in before["rows"]}.get("3104")
    retained = []
    if held:
        nonzero = [None if float(held[side]) == 0 else held[side] for side in ("debit", "credit")]
        retained = [["3104", "利润分配", *nonzero]]

    def workbook(rows, name):
        book = Workbook()
        book.active.title = "期初余额"
        book.active.append(["科目编码", "科目名称", "借方", "贷方"])
        for values in rows + retained:
            book.active.append(values)
        path = tmp_path / name
        book.save(path)
        return path

    file_input = page.get_by_test_id("opening-import-file").locator("input[type=file]")
    bad = workbook([["1002", "银行存款", "8,000.00", None], ["3001", "实收资本", None, "8000.005"],
                    ["9999", "不存在", 1, None]], "bad.xlsx")  # fmt: skip
    file_input.set_input_files(str(bad))
    errors = page.get_by_test_id("opening-import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator(".el-table__body tr")).to_have_count(2)
    expect(errors).to_contain_text("贷方")
    expect(errors).to_contain_text("9999")
    expect(page.get_by_test_id("opening-import-apply")).to_be_disabled()
    settled(page)
    shot(page, "finance-opening-import-errors")

    good = workbook([["1002", "银行存款", "8,000.00", None], ["3001", "实收资本", None, 8000]],
                    "good.xlsx")  # fmt: skip
    file_input.set_input_files(str(good))
    expect(page.get_by_test_id("opening-import-errors")).to_have_count(0)
    expect(page.get_by_test_id("opening-import-balanced")).to_have_attribute(
        "data-balanced", "true"
    )
    expect(page.get_by_test_id("opening-import-rows").locator(".el-table__body tr")).to_have_count(
        2 + len(retained)
    )
    expect(page.get_by_test_id("opening-import-trial")).to_contain_text("8000.00")
    settled(page)
    shot(page, "finance-opening-import-preview")
    page.get_by_test_id("opening-import-apply").click()
    expect(page.get_by_test_id("opening-import-trial")).to_have_count(0)
    table = page.get_by_test_id("opening-table")
    expect(table.locator(".el-table__body tr").filter(has_text="1002")).to_contain_text("8000.00")
    expect(page.get_by_test_id("opening-balanced")).to_have_attribute("data-balanced", "true")
    settled(page)
    shot(page, "finance-opening-imported")
    assert unexpected_errors(page) == []
