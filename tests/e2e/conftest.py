"""Browser tests: a live JXC server started for the run, driven by Playwright in Chromium.

``JXC_E2E=required`` (CI) turns a missing Chromium or UI build into a failure; otherwise the
tests are skipped with a message saying why.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "test-output" / "e2e"
CHROMIUM = os.environ.get("JXC_CHROMIUM", "/usr/bin/chromium")
MODE = os.environ.get("JXC_E2E", "auto")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable() -> str | None:
    if MODE == "skip":
        return "browser tests disabled (JXC_E2E=skip)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)"
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        return "the UI is not built (make build)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _unavailable()
    if reason is None:
        return
    if MODE == "required":
        raise pytest.UsageError(f"browser tests are required but cannot run: {reason}")
    print(f"\nSKIPPED: browser tests: {reason}")
    for item in items:
        item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _jxc(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "jxc.cli", *args],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        **kwargs,
    )


@pytest.fixture(scope="session")
def jxc_server():
    """``jxc serve`` (gunicorn) on a fresh SQLite database with the demo data."""
    workdir = Path(tempfile.mkdtemp(prefix="jxc-e2e-"))
    port = _free_port()
    env = {
        **os.environ,
        "JXC_VAR_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir}/e2e.sqlite3",
        "JXC_MODE": "demo",
        # e-mails (a purchase order sent to its supplier) are written to files, not sent
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    }
    env.pop("DEBUG", None)
    _jxc(["migrate", "--no-input", "-v0"], env, timeout=300)
    _jxc(["demo"], env, timeout=120)
    log = (workdir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jxc.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if server.poll() is not None:
                    raise RuntimeError((workdir / "server.log").read_text()) from None
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start in time")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    # A shared 2-core machine under load (CI, parallel test runs) takes more than Playwright's
    # 5 s default to render a table after a posting; a failing expectation still fails.
    expect.set_options(timeout=15_000)
    # Playwright gives every launch a fresh, empty profile directory of its own.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, for the page fixture to see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _record_failure(page, request) -> None:
    """A failed test leaves a screenshot of the page and says which page it was on, so a failure
    seen only in CI can be read afterwards (test-output/e2e/FAILED-<test>.png)."""
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"FAILED-{request.node.name}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
    except Exception as error:  # the page may be gone with the failure itself
        print(f"no screenshot of the failed page: {error}")
    print(f"failed on {page.url}; screenshot {path}")
    for error in page.js_errors[-10:]:
        print(f"browser error: {error}")


@pytest.fixture
def page(browser, jxc_server, request):
    context = browser.new_context(
        base_url=jxc_server, locale="zh-CN", viewport={"width": 1366, "height": 860}
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.js_errors = errors
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        _record_failure(page, request)
    context.close()


@pytest.fixture
def shot():
    OUTPUT.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        page.wait_for_load_state("networkidle")
        path = OUTPUT / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def choose_option(page, select, option) -> None:
    """Open an el-select (a locator, or the test id of one) and click one of its options.

    The options are looked up in the dropdown this select controls (its ``aria-controls``), not
    in "the visible dropdown": the one of the select used just before may still be fading out.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    if isinstance(select, str):
        select = page.get_by_test_id(select)
    select.click()
    controls = select.get_attribute("aria-controls") or select.locator(
        "[aria-controls]"
    ).first.get_attribute("aria-controls")
    choice = page.locator(f"[id='{controls}']").get_by_role(
        "option", name=option, exact=isinstance(option, str)
    )
    try:
        choice.click(timeout=10_000)
    except PlaywrightTimeout:
        # opened while its dialog was still moving in, the dropdown can close again under a
        # loaded machine: open it once more (a missing option still fails here)
        select.click()
        choice.click()


def search_options(page, select, text: str, option):
    """Type ``text`` in a filterable el-select (a locator, or the test id of one) and answer the
    locator of ``option`` (a name or a pattern) in this select's own dropdown, waited for.

    The text goes into the select's own input (not to "the keyboard"): clicked while its dialog
    was still moving in, a select can lose the focus again, and typed keys then went nowhere. An
    option that does not show up is looked for once more, with the select opened and the text
    typed again (a missing option still fails here).
    """
    from playwright.sync_api import expect

    if isinstance(select, str):
        select = page.get_by_test_id(select)
    controls = select.get_attribute("aria-controls") or select.locator(
        "[aria-controls]"
    ).first.get_attribute("aria-controls")
    choice = page.locator(f"[id='{controls}']").get_by_role(
        "option", name=option, exact=isinstance(option, str)
    )
    field = select.locator("input").first
    for attempt in (1, 2):
        select.click()
        field.fill(text)
        try:
            expect(choice.first).to_be_visible(timeout=10_000)
            return choice
        except AssertionError:
            if attempt == 2:
                raise
            field.fill("")
            page.keyboard.press("Escape")
    raise AssertionError("unreachable")


def choose_by_search(page, select, text: str, option) -> None:
    """Type ``text`` in a filterable el-select and click the one option that matches ``option``."""
    from playwright.sync_api import expect

    choice = search_options(page, select, text, option)
    expect(choice).to_have_count(1)
    choice.click()
