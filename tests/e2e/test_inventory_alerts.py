"""Stock alerts in a real browser: demo products given safety stock, a reorder point and a maximum
(through the API) and stock, listed in 低库存预警 with their coloured status and filtered by it; a
product made lot-tracked and received in three lots (expired, expiring in 5 and in 20 days) listed
in 近效期, narrowed with the "N 天内到期" selector; and 进销存汇总表 for this month split by kind of
move (其他出入库); then the three pages at phone width."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers, find
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
# demo products no other browser test uses (SP0001…SP0004 and SP0010 are taken): 雀巢咖啡 and 怡宝纯净水
REORDER = "SP0031"  # 12 available, reorder point 20: 达到再订货点
ABOVE_MAX = "SP0032"  # 40 on hand, maximum 30: 高于最高库存
BELOW_SAFETY = "SP0033"  # 3 available, the demo's safety stock 48: 低于安全库存
LOW_SEARCH = "雀巢咖啡"
LOT_PRODUCT = "SP0034"  # made lot-tracked here
LOTS = {"E2E-EXP-OLD": -3, "E2E-EXP-SOON": 5, "E2E-EXP-LATER": 20}  # lot → days to its expiry
BIN_LOW = "SH-B-01"
BIN_LOTS = "SH-B-02"


def patch_product(page, code: str, data: dict) -> dict:
    product = find(page, "/api/v1/products/", code)
    response = page.request.patch(
        f"/api/v1/products/{product['id']}/", headers=api_headers(page), data=data
    )
    assert response.ok, response.text()
    return response.json()


def receive(page, lines: list[dict]) -> None:
    """An other receipt (期初) of the lines into 上海总仓, posted today."""
    warehouse = find(page, "/api/v1/warehouses/", "WH-SH")
    post_document(
        page,
        {
            "kind": "receipt",
            "business_date": TODAY.isoformat(),
            "warehouse": warehouse["id"],
            "reason": "opening",
            "lines": lines,
        },
    )


def set_up_stock(page) -> None:
    low_bin = find(page, "/api/v1/locations/", BIN_LOW)["id"]
    lots_bin = find(page, "/api/v1/locations/", BIN_LOTS)["id"]
    reorder = patch_product(
        page, REORDER, {"safety_stock": "5", "reorder_point": "20", "reorder_quantity": "60"}
    )
    above = patch_product(
        page, ABOVE_MAX, {"safety_stock": "5", "reorder_point": "10", "max_stock": "30"}
    )
    below = find(page, "/api/v1/products/", BELOW_SAFETY)
    assert below["safety_stock"] == "48.0000"  # the demo's: two boxes of 24
    lot_product = patch_product(page, LOT_PRODUCT, {"tracking": "lot"})
    assert lot_product["tracking"] == "lot"
    receive(
        page,
        [
            {"product": reorder["id"], "quantity": "12", "location": low_bin, "unit_cost": "8"},
            {"product": above["id"], "quantity": "40", "location": low_bin, "unit_cost": "9"},
            {"product": below["id"], "quantity": "3", "location": low_bin, "unit_cost": "10"},
        ],
    )
    receive(
        page,
        [
            {
                "product": lot_product["id"],
                "quantity": str(quantity),
                "location": lots_bin,
                "lot_code": lot,
                "expiry_date": (TODAY + timedelta(days=days)).isoformat(),
                "unit_cost": "1.5",
            }
            for quantity, (lot, days) in zip((4, 6, 8), LOTS.items(), strict=True)
        ],
    )


# scrolls the table sideways so that a column group starts right after the columns fixed at the left
SCROLL_TO_GROUP = """(table, selector) => {
    const fixed = [...table.querySelectorAll('.el-table__header th.el-table-fixed-column--left')]
        .reduce((width, th) => width + th.offsetWidth, 0)
    const wrap = table.querySelector('.el-table__body-wrapper .el-scrollbar__wrap')
    wrap.scrollLeft = table.querySelector(selector).offsetLeft - fixed
}"""


def settled(page) -> None:
    """The list's loading mask gone (it fades out after the rows show)."""
    expect(page.get_by_test_id("list-table").locator(".el-loading-mask")).to_be_hidden()


def choose(page, testid: str, option: str) -> None:
    choose_option(page, testid, option)


def test_low_stock_expiring_and_summary_by_kind(page, shot):
    log_in(page)
    set_up_stock(page)
    rows = page.get_by_test_id("list-table").locator(".el-table__body tr")

    # ---- 低库存预警: the most urgent first, each with its coloured status ----
    page.get_by_test_id("nav-inventory-low-stock").click()
    expect(page.get_by_test_id("page-title")).to_have_text("低库存预警")
    expect(page).to_have_url(re.compile(r"/inventory/low-stock$"))
    page.get_by_test_id("list-search").fill(LOW_SEARCH)
    expect(rows).to_have_count(3)
    expected = [
        (BELOW_SAFETY, "低于安全库存", "danger"),
        (REORDER, "达到再订货点", "warning"),
        (ABOVE_MAX, "高于最高库存", "primary"),
    ]
    for index, (code, label, colour) in enumerate(expected):
        row = rows.nth(index)
        expect(row).to_contain_text(code)
        expect(row).to_contain_text("上海总仓")
        tag = row.get_by_test_id("low-stock-status")
        expect(tag).to_have_text(label)
        expect(tag).to_have_class(re.compile(rf"el-tag--{colour}"))
        expect(tag).to_have_css("opacity", "1")  # the tag has zoomed in
    # on hand, reserved, frozen, available, safety stock, reorder point, reorder quantity, maximum
    cells = rows.nth(1).locator("td")
    expect(cells.nth(4)).to_have_text("12")
    expect(cells.nth(7)).to_have_text("12")
    expect(cells.nth(8)).to_have_text("5")
    expect(cells.nth(9)).to_have_text("20")
    expect(cells.nth(10)).to_have_text("60")
    expect(rows.nth(2).locator("td").nth(11)).to_have_text("30")
    settled(page)
    shot(page, "inventory-low-stock")

    choose(page, "filter-status", "达到再订货点")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(REORDER)
    settled(page)
    shot(page, "inventory-low-stock-reorder")
    # 现存量 opens the product's stock in that warehouse
    rows.first.get_by_test_id("low-stock-open").click()
    expect(page.get_by_test_id("page-title")).to_have_text("现存量查询")
    expect(page.get_by_test_id("filter-product").locator("input")).to_have_value(
        re.compile(rf"^{REORDER} ")
    )
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(BIN_LOW)

    # ---- 近效期: 30 days unless chosen; expired in red, within a week orange ----
    page.get_by_test_id("nav-inventory-expiring").click()
    expect(page.get_by_test_id("page-title")).to_have_text("近效期")
    expect(page).to_have_url(re.compile(r"/inventory/expiring$"))
    expect(page.get_by_test_id("filter-within-days")).to_contain_text("30 天内到期")
    page.get_by_test_id("list-search").fill("E2E-EXP")
    expect(rows).to_have_count(3)
    for index, (lot, days, text, state) in enumerate(
        [
            ("E2E-EXP-OLD", -3, "已过期 3 天", "expired"),
            ("E2E-EXP-SOON", 5, "5 天", "soon"),
            ("E2E-EXP-LATER", 20, "20 天", "ok"),
        ]
    ):
        row = rows.nth(index)
        expect(row).to_contain_text(lot)
        expect(row).to_contain_text(LOT_PRODUCT)
        expect(row).to_contain_text((TODAY + timedelta(days=days)).isoformat())
        expect(row).to_contain_text(BIN_LOTS)
        left = row.get_by_test_id("expiring-days-left")
        expect(left).to_have_text(text)
        expect(left).to_have_attribute("data-state", state)
    expect(rows.first.get_by_test_id("expiring-days-left")).to_have_css(
        "color", "rgb(245, 108, 108)"
    )
    expect(rows.nth(1).get_by_test_id("expiring-days-left")).to_have_css(
        "color", "rgb(230, 162, 60)"
    )
    settled(page)
    shot(page, "inventory-expiring")

    choose(page, "filter-within-days", "7 天内到期")
    expect(rows).to_have_count(2)
    expect(rows.nth(1)).to_contain_text("E2E-EXP-SOON")
    choose(page, "filter-within-days", "90 天内到期")
    expect(rows).to_have_count(3)

    # ---- 进销存汇总表 of this month, split by kind of move ----
    page.get_by_test_id("nav-inventory-summary").click()
    expect(page.get_by_test_id("page-title")).to_have_text("进销存汇总表")
    table = page.get_by_test_id("list-table")
    group = table.locator("th.list-page__group--kind_inventory_stockdocumentline")
    expect(group).to_have_text("其他出入库")
    expect(page.get_by_test_id("summary-by-kind")).to_have_class(re.compile("is-checked"))
    row = rows.filter(has_text=REORDER)
    expect(row).to_have_count(1)
    receipts = "td.list-page__cell--kind_inventory_stockdocumentline_"
    expect(row.locator(f"{receipts}in_quantity")).to_have_text("12")
    expect(row.locator(f"{receipts}in_value")).to_have_text("96.00")
    expect(row.locator(f"{receipts}out_quantity")).to_have_text("")
    # the kinds follow the totals: scrolled to, product and warehouse stay at the left
    table.evaluate(SCROLL_TO_GROUP, "th.list-page__group--kind_inventory_stockdocumentline")
    expect(group).to_be_in_viewport()
    expect(row.locator("td").first).to_be_in_viewport()
    fixed = row.locator("td").nth(2).bounding_box()
    shown = group.bounding_box()
    assert fixed is not None
    assert shown is not None
    assert shown["x"] >= fixed["x"] + fixed["width"] - 1, (fixed, shown)
    settled(page)
    shot(page, "inventory-summary-by-kind")
    page.get_by_test_id("summary-by-kind").click()
    expect(group).to_have_count(0)
    expect(row).to_contain_text("96.00")  # the totals stay
    page.get_by_test_id("summary-by-kind").click()
    expect(group).to_be_visible()

    # ---- at phone width ----
    page.set_viewport_size({"width": 375, "height": 760})
    # what matters comes right after the product code: the status, the days left
    for path, title, name, first in (
        ("/inventory/low-stock", "低库存预警", "inventory-low-stock-phone", "low-stock-status"),
        ("/inventory/expiring", "近效期", "inventory-expiring-phone", "expiring-days-left"),
        ("/inventory/summary", "进销存汇总表", "inventory-summary-phone", None),
    ):
        page.goto(path)
        expect(page.get_by_test_id("page-title")).to_have_text(title)
        expect(page.get_by_test_id("hamburger")).to_be_visible()
        expect(rows.first).to_be_visible()
        if first:
            expect(rows.first.get_by_test_id(first)).to_be_in_viewport()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width}px wide"
        settled(page)
        shot(page, name)
    expect(group).to_have_text("其他出入库")

    assert unexpected_errors(page) == []
