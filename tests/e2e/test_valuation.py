"""Inventory accounting in a real browser: stock of a demo product is received last month and
partly issued today (through the API); a cost adjustment (出入库成本调整单) dated last month is made
in the UI with a new unit cost (a line without a figure is refused first, the server's message on
that line's amount), posted, and shows the stock it found and the value it changed, and the later
issue it re-valued. Then last month is closed on the 库存月结 page (closing this month is refused
by the server: it has not ended), a posting dated in the closed month is refused, the month is
reopened, and the 成本重算记录 list shows the re-valuation; the 出入库明细 explains the issue's cost
(成本构成: the moving average, re-valued after the back-dated adjustment); then the pages at phone
width."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers, find

pytestmark = pytest.mark.e2e

# a demo product no other browser test uses (SP0001…SP0004 are taken)
PRODUCT_CODE = "SP0010"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
LAST_MONTH = (TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
RECEIVED_ON = LAST_MONTH.replace(day=5)
ADJUSTED_ON = LAST_MONTH.replace(day=20)
REASON = "采购发票价差"


def post_document(page, body: dict) -> dict:
    """A stock document created and posted through the API with the page's session."""
    created = page.request.post("/api/v1/stock-documents/", headers=api_headers(page), data=body)
    assert created.status == 201, created.text()
    posted = page.request.post(
        f"/api/v1/stock-documents/{created.json()['id']}/post/", headers=api_headers(page)
    )
    assert posted.ok, posted.text()
    return posted.json()


def stock_last_month_and_issue_today(page) -> dict:
    """10 received at 5.00 on the 5th of last month, 4 issued today: answers the product."""
    product = find(page, "/api/v1/products/", PRODUCT_CODE)
    warehouse = find(page, "/api/v1/warehouses/", "WH-SH")
    post_document(
        page,
        {
            "kind": "receipt",
            "business_date": RECEIVED_ON.isoformat(),
            "warehouse": warehouse["id"],
            "reason": "opening",
            "lines": [{"product": product["id"], "quantity": "10", "unit_cost": "5"}],
        },
    )
    post_document(
        page,
        {
            "kind": "issue",
            "business_date": TODAY.isoformat(),
            "warehouse": warehouse["id"],
            "reason": "consumption",
            "lines": [{"product": product["id"], "quantity": "4"}],
        },
    )
    return product


def message(page, text):
    return page.locator(".el-message").filter(has_text=text)


def test_cost_adjustment_period_close_and_revaluations(page, shot):
    log_in(page)
    product = stock_last_month_and_issue_today(page)
    label = f"{PRODUCT_CODE} {product['name']}"

    # ---- 出入库成本调整单: a new unit cost of 6 for what was on hand on the 20th of last month ----
    expect(page.get_by_test_id("nav-inventory-cost-adjustments")).to_be_visible()
    page.get_by_test_id("nav-inventory-cost-adjustments").click()
    expect(page.get_by_test_id("page-title")).to_have_text("出入库成本调整单")
    page.get_by_test_id("list-new").click()
    expect(page).to_have_url(re.compile(r"/inventory/cost-adjustments/new$"))
    expect(page.get_by_test_id("document-state")).to_have_text("新建")
    date = number_input(page, "doc-date")
    date.fill(ADJUSTED_ON.isoformat())
    date.press("Tab")
    expect(date).to_have_value(ADJUSTED_ON.isoformat())
    expect(page.get_by_test_id("doc-warehouse")).to_contain_text("上海总仓")
    page.get_by_test_id("doc-reason").fill(REASON)
    expect(page.get_by_test_id("cost-adjustment-hint")).to_contain_text("新单位成本")

    picker = page.get_by_test_id("line-product-0").locator("input")
    picker.fill(PRODUCT_CODE)
    picker.press("Enter")  # an exact code takes the product
    expect(picker).to_have_value(label)
    expect(page.get_by_test_id("line-on-hand-0")).to_have_text("6")  # 10 in, 4 out

    # a line with neither figure: the server refuses it, its message next to the line's amount
    page.get_by_test_id("document-save").click()
    amount_cell = page.locator("td:has([data-cell='0:amount'])")
    expect(amount_cell.get_by_test_id("grid-error")).to_be_visible()
    expect(page.get_by_test_id("document-lines").get_by_test_id("grid-error")).to_have_count(1)
    expect(page.get_by_test_id("document-state")).to_have_text("新建")
    shot(page, "valuation-adjustment-refused")

    # one figure or the other: entering the new unit cost empties the amount
    amount = number_input(page, "line-amount-0")
    amount.fill("3")
    amount.press("Tab")
    cost = number_input(page, "line-new-unit-cost-0")
    cost.fill("6")
    cost.press("Tab")
    expect(amount).to_have_value("")
    expect(cost).to_have_value("6")
    shot(page, "valuation-adjustment-draft")

    page.get_by_test_id("document-post").click()
    box = page.locator(".el-message-box")
    expect(box).to_contain_text("出库成本将重算")
    confirm(page)
    expect(page.get_by_test_id("document-state")).to_have_text("已完成")
    number = page.get_by_test_id("document-number")
    expect(number).to_have_text(re.compile(r"^TZ\d{8}-\d{4}$"))
    expect(page).to_have_url(re.compile(r"/inventory/cost-adjustments/\d+$"))
    reference = number.inner_text()
    # what it found at the end of the 20th (10 at 5.00) and what it changed (to 6.00 each)
    expect(page.get_by_test_id("line-quantity-0")).to_have_text("10")
    expect(page.get_by_test_id("line-value-before-0")).to_have_text("50.00")
    expect(page.get_by_test_id("line-value-change-0")).to_have_text("+10.00")
    expect(page.get_by_test_id("line-value-after-0")).to_have_text("60.00")
    expect(page.get_by_test_id("document-total-change")).to_contain_text("10.00")
    expect(page.get_by_test_id("document-lines")).to_contain_text(label)
    expect(page.get_by_test_id("line-new-unit-cost-0")).to_have_count(0)  # read-only now
    expect(page.get_by_test_id("document-save")).to_have_count(0)
    expect(page.get_by_test_id("document-moves")).to_contain_text(PRODUCT_CODE)
    # 成本构成 of its value-only move: a cost adjustment of the unit cost (the figures the
    # valuation wrote when posting)
    page.get_by_test_id("document-moves").get_by_test_id("move-cost").first.click()
    explanation = page.get_by_test_id("cost-explanation")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("只调整金额（数量不变）：10.00")
    expect(explanation.get_by_test_id("cost-step")).to_have_text(
        [re.compile(r"^成本调整：单位成本 [\d.]+ → [\d.]+$")]
    )
    page.get_by_test_id("page-title").click()  # a click elsewhere closes it
    expect(explanation).to_be_hidden()
    # today's issue of 4 was costed at 5.00; it is re-valued at 6.00
    revalued = page.get_by_test_id("cost-adjustment-revaluations")
    expect(revalued).to_contain_text(PRODUCT_CODE)
    expect(revalued).to_contain_text("+4.00")
    shot(page, "valuation-adjustment-posted")

    page.get_by_test_id("document-back").click()
    rows = page.get_by_test_id("list-table").locator(".el-table__body tr")
    posted_row = rows.filter(has_text=reference)
    expect(posted_row).to_have_count(1)
    expect(posted_row).to_contain_text("已完成")
    expect(posted_row).to_contain_text("10.00")
    expect(posted_row).to_contain_text(REASON)
    expect(posted_row.get_by_test_id("document-state")).to_have_css("opacity", "1")  # zoomed in
    shot(page, "valuation-adjustments")

    # ---- 库存月结: last month is next to close (the first month with moves) ----
    page.get_by_test_id("nav-inventory-periods").click()
    expect(page.get_by_test_id("page-title")).to_have_text("库存月结")
    last_month = LAST_MONTH.strftime("%Y-%m")
    this_month = TODAY.strftime("%Y-%m")
    expect(page.get_by_test_id("period-last-closed")).to_have_text("无")
    expect(page.get_by_test_id("period-next-to-close")).to_have_text(last_month)
    close = page.get_by_test_id("period-close")
    expect(close).to_have_text(f"结账 {last_month}")
    shot(page, "valuation-periods-open")
    close.click()
    expect(box).to_contain_text("全月一次加权平均")
    expect(box).to_contain_text("不能再过账")
    confirm(page)
    expect(message(page, f"{last_month} 已结账")).to_be_visible()
    expect(page.get_by_test_id("period-last-closed")).to_have_text(last_month)
    expect(page.get_by_test_id("period-next-to-close")).to_have_text(this_month)
    expect(page.get_by_test_id("period-hint")).to_contain_text("尚未结束")
    closed_rows = page.get_by_test_id("list-table").locator(".el-table__body tr")
    expect(closed_rows).to_have_count(1)
    expect(closed_rows.first).to_contain_text(last_month)
    expect(closed_rows.first).to_contain_text("系统管理员")
    expect(closed_rows.first.get_by_test_id("period-reopen")).to_be_visible()

    # this month has not ended: the server refuses to close it, its message shown
    expect(close).to_have_text(f"结账 {this_month}")
    close.click()
    confirm(page)
    refusal = page.locator(".el-message--error")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text(re.compile(r"ended|结束"))
    expect(closed_rows).to_have_count(1)
    shot(page, "valuation-periods-closed")

    # a posting dated in the closed month is refused
    warehouse = find(page, "/api/v1/warehouses/", "WH-SH")
    draft = page.request.post(
        "/api/v1/stock-documents/",
        headers=api_headers(page),
        data={
            "kind": "receipt",
            "business_date": ADJUSTED_ON.isoformat(),
            "warehouse": warehouse["id"],
            "reason": "opening",
            "lines": [{"product": product["id"], "quantity": "1", "unit_cost": "5"}],
        },
    )
    if draft.status == 201:  # refused when saved or when posted
        refused = page.request.post(
            f"/api/v1/stock-documents/{draft.json()['id']}/post/", headers=api_headers(page)
        )
        assert refused.status == 400, refused.text()
        assert "business_date" in refused.json()["fields"]
    else:
        assert draft.status == 400, draft.text()

    # 反结账: the latest closed month only
    closed_rows.first.get_by_test_id("period-reopen").click()
    expect(box).to_contain_text("反结账")
    confirm(page)
    expect(message(page, f"{last_month} 已反结账")).to_be_visible()
    expect(closed_rows).to_have_count(0)
    expect(page.get_by_test_id("period-last-closed")).to_have_text("无")
    expect(page.get_by_test_id("period-next-to-close")).to_have_text(last_month)

    # ---- 成本重算记录: the issue re-valued by the back-dated adjustment ----
    page.get_by_test_id("nav-inventory-revaluations").click()
    expect(page.get_by_test_id("page-title")).to_have_text("成本重算记录")
    filter_picker = page.get_by_test_id("filter-product").locator("input")
    filter_picker.fill(PRODUCT_CODE)
    filter_picker.press("Enter")
    expect(filter_picker).to_have_value(label)
    revaluation = page.get_by_test_id("list-table").locator(".el-table__body tr")
    expect(revaluation).to_have_count(1)
    expect(revaluation.first).to_contain_text(reference)
    expect(revaluation.first).to_contain_text("补录单据")
    expect(revaluation.first).to_contain_text(ADJUSTED_ON.isoformat())
    expect(revaluation.first).to_contain_text("+4.00")
    shot(page, "valuation-revaluations")
    choose_option(page, "filter-cause", "月末加权平均")
    expect(revaluation).to_have_count(0)
    choose_option(page, "filter-cause", "补录单据")
    expect(revaluation).to_have_count(1)
    # the source opens the cost adjustment
    revaluation.first.get_by_test_id("revaluation-reference").click()
    expect(page).to_have_url(re.compile(r"/inventory/cost-adjustments/\d+$"))
    expect(page.get_by_test_id("document-number")).to_have_text(reference)
    adjustment_url = page.url

    # ---- 出入库明细: 成本构成 of today's issue, re-valued at the adjusted average ----
    page.get_by_test_id("nav-inventory-moves").click()
    expect(page.get_by_test_id("page-title")).to_have_text("出入库明细")
    moves_picker = page.get_by_test_id("filter-product").locator("input")
    moves_picker.fill(PRODUCT_CODE)
    moves_picker.press("Enter")
    expect(moves_picker).to_have_value(label)
    issue_row = (
        page.get_by_test_id("list-table").locator(".el-table__body tr").filter(has_text="其他出库")
    )
    expect(issue_row).to_have_count(1)
    issue_row.get_by_test_id("move-cost").click()
    explanation = page.get_by_test_id("cost-explanation")
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("数量 4，单位成本 6.00，金额 24.00")
    expect(explanation.get_by_test_id("cost-step")).to_have_text(
        ["移动加权平均：按平均单位成本 6.00 出库"]
    )
    expect(explanation.get_by_test_id("cost-note")).to_have_text(
        [f"后补单据重算（单号 {reference}）"]
    )
    expect(page.locator(".cost-explanation__popper:visible")).to_have_css("opacity", "1")
    shot(page, "valuation-move-cost")

    # ---- at phone width ----
    page.set_viewport_size({"width": 375, "height": 760})
    page.goto(adjustment_url)
    expect(page.get_by_test_id("document-number")).to_have_text(reference)
    expect(page.get_by_test_id("hamburger")).to_be_visible()
    expect(page.get_by_test_id("line-value-change-0")).to_have_text("+10.00")
    shot(page, "valuation-adjustment-phone")
    page.goto("/inventory/cost-adjustments/new")
    expect(page.get_by_test_id("document-state")).to_have_text("新建")
    for testid in ("doc-warehouse", "document-save", "document-post"):
        box_ = page.get_by_test_id(testid).bounding_box()
        assert box_ is not None
        assert box_["x"] >= 0
        assert box_["x"] + box_["width"] <= 375, testid
    shot(page, "valuation-adjustment-new-phone")
    page.goto("/inventory/periods")
    expect(page.get_by_test_id("period-next-to-close")).to_have_text(last_month)
    for testid in ("period-close", "period-status"):
        box_ = page.get_by_test_id(testid).bounding_box()
        assert box_ is not None
        assert box_["x"] + box_["width"] <= 375, testid
    shot(page, "valuation-periods-phone")
    page.goto("/inventory/revaluations")
    expect(page.get_by_test_id("page-title")).to_have_text("成本重算记录")
    expect(page.get_by_test_id("list-table")).to_contain_text(reference)
    dates = page.get_by_test_id("filter-dates").bounding_box()
    assert dates is not None
    assert dates["x"] + dates["width"] <= 375
    shot(page, "valuation-revaluations-phone")
    page.goto(f"/inventory/moves?product={product['id']}")
    expect(page.get_by_test_id("page-title")).to_have_text("出入库明细")
    issue_row = (
        page.get_by_test_id("list-table").locator(".el-table__body tr").filter(has_text="其他出库")
    )
    expect(issue_row).to_have_count(1)
    issue_row.get_by_test_id("move-cost").click()
    expect(explanation).to_be_visible()
    expect(explanation).to_contain_text("移动加权平均：按平均单位成本 6.00 出库")
    expect(page.locator(".cost-explanation__popper:visible")).to_have_css("opacity", "1")
    popover = page.locator(".cost-explanation__popper:visible").bounding_box()
    assert popover is not None
    assert popover["x"] >= 0
    assert popover["x"] + popover["width"] <= 375
    shot(page, "valuation-move-cost-phone")

    assert unexpected_errors(page) == []
