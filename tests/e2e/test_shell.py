"""The UI shell in a real browser: log in, switch language and organization, open every page."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PASSWORD = "jxc-demo-2026"
SETTINGS_PAGES = [
    "nav-settings-users",
    "nav-settings-roles",
    "nav-settings-organizations",
    "nav-settings-api-tokens",
    "nav-settings-number-series",
    "nav-settings-audit",
]
# a protected page probes ``me/`` and deliberate bad input answers 4xx: both are expected
EXPECTED_CONSOLE = re.compile(r"status of 40[0-9]")


def log_in(page, username="admin", password=PASSWORD):
    page.goto("/login")
    page.get_by_test_id("login-username").fill(username)
    page.get_by_test_id("login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("figure-users")).to_be_visible()


def unexpected_errors(page) -> list[str]:
    return [e for e in page.js_errors if not EXPECTED_CONSOLE.search(e)]


def test_wrong_password_shows_the_servers_message(page, shot):
    page.goto("/login")
    page.get_by_test_id("login-username").fill("admin")
    page.get_by_test_id("login-password").fill("wrong-password")
    page.get_by_test_id("login-password").press("Enter")
    expect(page.get_by_test_id("login-error")).to_contain_text("用户名或密码错误")
    shot(page, "login-error")


def test_log_in_open_every_page_switch_language_and_organization(page, shot):
    log_in(page)
    figure = page.get_by_test_id("figure-users")
    expect(figure).to_contain_text("7")  # seven demo users in the demo company
    expect(page.get_by_test_id("activity-chart")).to_be_visible()
    shot(page, "dashboard-zh")

    for nav in SETTINGS_PAGES:
        page.get_by_test_id(nav).click()
        expect(page.get_by_test_id("page-title")).to_be_visible()
        expect(page.get_by_test_id("list-table")).to_be_visible()
        shot(page, nav.removeprefix("nav-"))

    page.get_by_test_id("nav-settings-users").click()
    expect(page.get_by_test_id("list-table")).to_contain_text("purchaser")
    expect(page.get_by_test_id("page-title")).to_have_text(re.compile("用户"))

    page.get_by_test_id("lang-switch").click()
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_test_id("page-title")).to_have_text(re.compile("Users"))
    page.reload()  # the choice is kept for the user
    expect(page.get_by_test_id("page-title")).to_have_text(re.compile("Users"))
    shot(page, "users-en")

    page.get_by_test_id("org-switch").click()
    page.get_by_role("option", name="演示贸易有限公司上海分公司").click()
    expect(page.get_by_test_id("org-switch")).to_contain_text("上海分公司")
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("figure-users")).to_contain_text("2")  # admin and manager
    shot(page, "dashboard-branch-en")

    page.get_by_test_id("lang-switch").click()
    page.get_by_test_id("lang-zh").click()
    expect(page.get_by_test_id("nav-dashboard")).to_contain_text("工作台")
    assert unexpected_errors(page) == []


def test_admin_creates_a_custom_role_and_a_token(page, shot):
    log_in(page)
    page.get_by_test_id("nav-settings-roles").click()
    page.get_by_test_id("list-new").click()
    page.get_by_test_id("role-code").fill("qc")
    page.get_by_test_id("role-name").fill("质检员")
    page.get_by_test_id("perm-inventory-view").click()
    shot(page, "role-dialog")
    page.get_by_test_id("dialog-submit").click()
    expect(page.get_by_test_id("list-table")).to_contain_text("质检员")

    page.get_by_test_id("nav-settings-api-tokens").click()
    page.get_by_test_id("list-new").click()
    page.get_by_test_id("token-name").fill("ERP 同步")
    page.get_by_test_id("dialog-submit").click()
    plaintext = page.get_by_test_id("token-plaintext")
    expect(plaintext).to_have_value(re.compile(r"^jxc_"))
    shot(page, "token-created")


def test_viewer_sees_no_settings(page, shot):
    log_in(page, "viewer")
    expect(page.get_by_test_id("nav-settings-users")).to_have_count(0)
    page.goto("/settings/users")
    expect(page.get_by_test_id("page-title")).to_contain_text("无权访问")
    shot(page, "viewer-forbidden")


def test_phone_width_menu_opens_from_the_hamburger(browser, jxc_server, shot):
    context = browser.new_context(
        base_url=jxc_server, viewport={"width": 375, "height": 780}, locale="zh-CN"
    )
    page = context.new_page()
    page.js_errors = []
    log_in(page)
    expect(page.get_by_test_id("nav-settings-users")).to_be_hidden()
    page.get_by_test_id("hamburger").click()
    page.get_by_test_id("nav-settings-users").click()
    expect(page.get_by_test_id("page-title")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 376, f"the page scrolls sideways at phone width ({width}px)"
    shot(page, "phone-users")
    context.close()
