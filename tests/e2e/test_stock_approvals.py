"""An other issue through approval in a real browser, in the demo company: the administrator
writes the rule in the rule editor (other issues from 审批测试仓 need a manager); the warehouse
keeper (赵仓管, no approver) scans an issue from that warehouse and submits it; the manager (王经理),
on a phone (390 × 844), opens the inbox from the header badge, opens the request and approves it;
the keeper posts the document and sees it done with its approval history.

The rule names its own warehouse, so the other browser tests' issues post as before."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import choose_option
from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import PASSWORD, confirm, scan, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers
from tests.e2e.test_valuation import post_document

pytestmark = pytest.mark.e2e

# codes that sort after the demo's: lists ordered by code (and new documents' default warehouse,
# the first) stay as the other browser tests expect them
WAREHOUSE = {"code": "ZZ-AP", "name": "审批测试仓"}
PRODUCT = {"code": "ZZ-AP-1", "name": "审批测试商品"}
BARCODE = "6905550000026"  # valid EAN-13, not used by the demo or the other tests
RULE = "测试仓出库审批"
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
PHONE = {"width": 390, "height": 844}


def open_as(browser, base_url, username: str, viewport=None):
    """A page of a new browser session, logged in as ``username`` of the demo."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", viewport=viewport or {"width": 1366, "height": 860}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("hamburger" if viewport else "user-menu")).to_be_visible()
    return page


def stock_the_warehouse(page) -> None:
    """The warehouse and its product (with a barcode), 10 received at 3.00, through the API."""
    units = page.request.get("/api/v1/units/", params={"page_size": 100}).json()["results"]
    piece = next(unit["id"] for unit in units if unit["code"] == "PCS")
    warehouse = page.request.post("/api/v1/warehouses/", headers=api_headers(page), data=WAREHOUSE)
    assert warehouse.status == 201, warehouse.text()
    product = page.request.post(
        "/api/v1/products/",
        headers=api_headers(page),
        data={**PRODUCT, "base_unit": piece, "barcodes": [{"barcode": BARCODE, "unit": None}]},
    )
    assert product.status == 201, product.text()
    post_document(
        page,
        {
            "kind": "receipt",
            "business_date": TODAY.isoformat(),
            "warehouse": warehouse.json()["id"],
            "reason": "other",
            "lines": [{"product": product.json()["id"], "quantity": "10", "unit_cost": "3"}],
        },
    )


def write_the_rule(page, shot) -> None:
    page.goto("/workflow/rules")
    page.get_by_test_id("list-new").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("rule-name").fill(RULE)
    choose_option(page, "rule-type", "其他出库单")
    page.get_by_test_id("condition-add").click()
    choose_option(page, "condition-0-field", "仓库")
    choose_option(page, "condition-warehouses", WAREHOUSE["name"])
    page.keyboard.press("Escape")  # a multiple select stays open after a choice
    page.get_by_test_id("level-0-name").fill("仓库经理")
    choose_option(page, "approver-0-0-id", "经理")
    settled(page)
    shot(page, "approval-1-rule-editor")
    page.get_by_test_id("dialog-submit").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_text(RULE)).to_be_visible()


def test_an_other_issue_approved_from_the_phone_inbox_then_posted(page, browser, jxc_server, shot):
    # ---- the administrator stocks a warehouse and writes the rule in the editor ----
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill(PASSWORD)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()
    stock_the_warehouse(page)
    write_the_rule(page, shot)

    # ---- the keeper scans an issue from that warehouse; posting it directly is refused ----
    keeper = open_as(browser, jxc_server, "keeper")
    keeper.goto("/inventory/issues/new")
    expect(keeper.get_by_test_id("page-title")).to_have_text("其他出库单")
    choose_option(keeper, "doc-warehouse", re.compile(WAREHOUSE["name"]))  # the name, then the code
    choose_option(keeper, "doc-reason", "报损")
    scan(keeper, BARCODE)
    expect(keeper.get_by_test_id("scan-feedback")).to_contain_text(PRODUCT["name"])
    keeper.get_by_test_id("document-post").click()
    confirm(keeper)
    # on the page (the toast says it too), without a field name in front
    expect(
        keeper.locator(".el-alert").get_by_text("该单据需要审批：请先提交审批。", exact=True)
    ).to_be_visible()
    expect(keeper.get_by_test_id("document-state")).to_have_text("草稿")
    keeper.get_by_test_id("document-submit").click()
    expect(keeper.get_by_test_id("document-state")).to_have_text("已提交")
    expect(keeper.get_by_test_id("document-awaiting-approval")).to_contain_text("仓库经理")
    expect(keeper.get_by_test_id("document-withdraw")).to_be_visible()
    expect(keeper.get_by_test_id("document-post")).to_have_count(0)
    expect(keeper.get_by_test_id("approval-history")).to_contain_text("审批中")
    document_url = keeper.url
    settled(keeper)
    shot(keeper, "approval-2-submitted")

    # ---- the manager, on a phone: badge → inbox → request → approve ----
    manager = open_as(browser, jxc_server, "manager", viewport=PHONE)
    badge = manager.get_by_test_id("approvals-badge")
    expect(badge).to_contain_text("1")
    settled(manager)
    shot(manager, "approval-3-phone-badge")
    badge.click()
    card = manager.get_by_test_id("approval-card").filter(has_text=WAREHOUSE["name"])
    expect(card).to_be_visible()
    expect(card).to_contain_text("赵仓管")
    settled(manager)
    shot(manager, "approval-4-phone-inbox")
    card.click()
    expect(manager.get_by_test_id("request-facts")).to_contain_text("报损")
    expect(manager.get_by_test_id("request-amount")).to_have_text("3.00")
    approve = manager.get_by_test_id("request-approve")
    expect(approve).to_be_in_viewport()  # the decision stays at hand at the bottom of the phone
    manager.get_by_test_id("request-comment").fill("同意报损")
    settled(manager)
    shot(manager, "approval-5-phone-request")
    approve.click()
    expect(manager.get_by_test_id("approval-state").first).to_have_text("已通过")
    expect(manager.get_by_test_id("request-decision")).to_have_count(0)
    expect(badge).not_to_contain_text("1")
    settled(manager)
    shot(manager, "approval-6-phone-approved")
    manager.get_by_test_id("request-open-document").click()
    expect(manager.get_by_test_id("document-state")).to_have_text("已审核")

    # ---- the keeper posts the approved document ----
    keeper.goto(document_url)
    expect(keeper.get_by_test_id("document-state")).to_have_text("已审核")
    expect(keeper.get_by_test_id("document-submit")).to_have_count(0)
    keeper.get_by_test_id("document-post").click()
    confirm(keeper)
    expect(keeper.get_by_test_id("document-state")).to_have_text("已完成")
    expect(keeper.get_by_test_id("document-number")).to_contain_text("QC")
    history = keeper.get_by_test_id("approval-history")
    expect(history).to_contain_text("已通过")
    expect(history).to_contain_text("同意报损")
    settled(keeper)
    shot(keeper, "approval-7-posted")

    for each in (page, keeper, manager):
        assert unexpected_errors(each) == [], unexpected_errors(each)
    keeper.context.close()
    manager.context.close()
