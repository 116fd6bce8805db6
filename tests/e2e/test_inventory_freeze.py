"""Stock freezes and the consistency check in a real browser: stock of a demo product is received
(through the API), part of it frozen from the 冻结/解冻 page (more than there is is refused, the
server's message under the quantity), the freeze listed and released, and the consistency check
run and found consistent; then both pages at phone width."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_inventory import confirm, log_in, number_input, unexpected_errors

pytestmark = pytest.mark.e2e

PRODUCT_CODE = "SP0004"  # 雪碧 330ml of the demo (SP0001 stays out of stock for the phone test)
PRODUCT_LABEL = "SP0004 雪碧 330ml"
BIN = "SH-A-02"  # bin A-02 of 上海总仓 (the lot test counts A-01)
REASON = "质检待检"
PROBLEMS = [
    {"check": "balance_equals_ledger", "balance": 12, "on_hand": "5.0000", "ledger": "4.0000"},
    {"check": "warehouse_frozen", "row": 3, "frozen": "3.0000", "balances": "0.0000"},
]


def api_headers(page) -> dict[str, str]:
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return {"X-CSRFToken": csrf, "Referer": page.url}


def find(page, url: str, code: str) -> dict:
    found = page.request.get(url, params={"search": code, "page_size": 100}).json()["results"]
    return next(row for row in found if row["code"] == code)


def receive_stock(page, quantity: int) -> int:
    """An other receipt (期初) of the product into the bin, posted: answers the product's id."""
    product = find(page, "/api/v1/products/", PRODUCT_CODE)
    warehouse = find(page, "/api/v1/warehouses/", "WH-SH")
    location = find(page, "/api/v1/locations/", BIN)
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    created = page.request.post(
        "/api/v1/stock-documents/",
        headers=api_headers(page),
        data={
            "kind": "receipt",
            "business_date": today,
            "warehouse": warehouse["id"],
            "reason": "opening",
            "lines": [
                {"product": product["id"], "quantity": str(quantity), "location": location["id"]}
            ],
        },
    )
    assert created.status == 201, created.text()
    posted = page.request.post(
        f"/api/v1/stock-documents/{created.json()['id']}/post/", headers=api_headers(page)
    )
    assert posted.ok, posted.text()
    return product["id"]


def frozen_here(page, product: int) -> str:
    rows = page.request.get("/api/v1/stock/", params={"product": product}).json()["results"]
    return next(row["frozen"] for row in rows if row["location_code"] == BIN)


def test_freeze_release_and_consistency_check(page, shot):
    log_in(page)
    product = receive_stock(page, 10)

    # ---- 冻结/解冻: freeze 3 of the 10 in bin A-02 ----
    page.get_by_test_id("nav-inventory-freezes").click()
    expect(page.get_by_test_id("page-title")).to_have_text("冻结/解冻")
    expect(page).to_have_url(re.compile(r"/inventory/freezes$"))
    page.get_by_test_id("list-new").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    picker = dialog.get_by_test_id("product-picker")
    expect(picker).to_be_focused()
    picker.fill(PRODUCT_CODE)
    picker.press("Enter")  # an exact code takes the product
    expect(picker).to_have_value(PRODUCT_LABEL)
    # the bin that holds the product is proposed, with what is there
    expect(dialog.get_by_test_id("freeze-warehouse")).to_contain_text("上海总仓")
    expect(dialog.get_by_test_id("freeze-location")).to_contain_text("A-02")
    expect(dialog.get_by_test_id("freeze-stock")).to_contain_text(
        "此处现存 10，已冻结 0，未冻结 10"
    )
    expect(dialog.get_by_test_id("freeze-lot")).to_have_count(0)  # not lot-tracked

    # more than there is: refused, the server's message under the quantity, the dialog stays open
    number_input(dialog, "freeze-quantity").fill("99")
    dialog.get_by_test_id("freeze-reason").fill(REASON)
    dialog.get_by_test_id("dialog-submit").click()
    error = dialog.locator(".el-form-item__error")
    expect(error).to_have_count(1)
    expect(error).to_contain_text("库存不足")
    expect(error).to_contain_text("可用 10")
    expect(dialog).to_be_visible()
    shot(page, "inventory-freeze-refused")

    number_input(dialog, "freeze-quantity").fill("3")
    dialog.get_by_test_id("dialog-submit").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".el-message").filter(has_text=f"已冻结 {PRODUCT_LABEL} 3")).to_be_visible()
    rows = page.get_by_test_id("list-table").locator(".el-table__body tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(PRODUCT_CODE)
    expect(rows.first).to_contain_text(BIN)
    expect(rows.first).to_contain_text(REASON)
    expect(rows.first).to_contain_text("冻结中")
    expect(rows.first.locator("[data-state]")).to_have_css("opacity", "1")  # the tag has zoomed in
    assert frozen_here(page, product) == "3.0000"
    shot(page, "inventory-freezes")

    # ---- 解冻 ----
    rows.first.get_by_test_id("freeze-release").click()
    confirm(page)
    expect(page.locator(".el-message").filter(has_text="已解冻")).to_be_visible()
    expect(rows).to_have_count(0)  # the list shows active freezes by default
    choose_option(page, "filter-state", "已解冻")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-state]")).to_have_attribute("data-state", "released")
    expect(rows.first).to_contain_text("已解冻")
    expect(rows.first.locator("[data-state]")).to_have_css("opacity", "1")
    expect(rows.first.get_by_test_id("freeze-release")).to_have_count(0)
    assert frozen_here(page, product) == "0.0000"
    shot(page, "inventory-freezes-released")

    # ---- 一致性检查 ----
    page.get_by_test_id("nav-inventory-verify").click()
    expect(page.get_by_test_id("page-title")).to_have_text("一致性检查")
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-state", "none")
    page.get_by_test_id("verify-run").click()
    expect(result).to_have_attribute("data-state", "consistent")
    expect(page.get_by_test_id("verify-consistent")).to_contain_text("库存数据一致")
    expect(page.get_by_test_id("verify-problems")).to_have_count(0)
    shot(page, "inventory-verify-consistent")

    # how problems would show: the server's answer replaced by one with two broken invariants
    page.route(
        "**/api/v1/stock/verify/",
        lambda route: route.fulfill(json={"consistent": False, "problems": PROBLEMS}),
    )
    page.get_by_test_id("verify-run").click()
    expect(result).to_have_attribute("data-state", "problems")
    expect(page.get_by_test_id("verify-inconsistent")).to_contain_text("发现 2 个问题")
    problems = page.get_by_test_id("verify-problems").locator(".el-table__body tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("现存量与明细")
    expect(problems.nth(0)).to_contain_text("现存量 5 与出入库明细合计 4 不符")
    expect(problems.nth(0)).to_contain_text("现存量记录：#12")
    expect(problems.nth(1)).to_contain_text("仓库冻结 3 与各库位冻结合计 0 不符")
    shot(page, "inventory-verify-problems")
    page.unroute("**/api/v1/stock/verify/")

    # ---- at phone width ----
    page.set_viewport_size({"width": 375, "height": 760})
    page.goto("/inventory/freezes")
    expect(page.get_by_test_id("page-title")).to_have_text("冻结/解冻")
    expect(page.get_by_test_id("hamburger")).to_be_visible()
    choose_option(page, "filter-state", "已解冻")
    expect(rows).to_have_count(1)
    shot(page, "inventory-freezes-phone")
    page.get_by_test_id("list-new").click()
    expect(dialog).to_be_visible()
    box = dialog.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    shot(page, "inventory-freeze-phone")
    dialog.get_by_role("button", name="取消").click()
    expect(dialog).to_be_hidden()
    page.goto("/inventory/verify")
    page.get_by_test_id("verify-run").click()
    expect(page.get_by_test_id("verify-consistent")).to_be_visible()
    run = page.get_by_test_id("verify-run").bounding_box()
    assert run is not None
    assert run["x"] + run["width"] <= 375
    shot(page, "inventory-verify-phone")

    assert unexpected_errors(page) == []
