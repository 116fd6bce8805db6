"""红冲 of a posted supplier invoice in a real browser, in the demo company: a freight invoice of
a test supplier is entered and posted through the API; on its page the clerk clicks 红冲, is
refused without a reason (the translated error under the field), gives one and confirms; the
invoice is 已冲销 with who reversed it, why and the red voucher, nothing is open any more, and the
invoice list shows it reversed with the clerk's name."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import log_in, number_input, unexpected_errors
from tests.e2e.test_inventory_freeze import api_headers

pytestmark = pytest.mark.e2e

SUPPLIER = {"code": "ZZ-RV-S", "name": "红冲测试供应商"}
SLOW = 20_000


def posted_invoice(page) -> dict:
    headers = api_headers(page)
    supplier = page.request.post(
        "/api/v1/partners/", headers=headers, data={**SUPPLIER, "is_supplier": True}
    )
    assert supplier.status == 201, supplier.text()
    accounts = page.request.get(
        "/api/v1/supplier-invoices/expense-accounts/", params={"search": "5602"}
    ).json()
    account = next(row for row in accounts if row["code"] == "5602")
    created = page.request.post(
        "/api/v1/supplier-invoices/",
        headers=headers,
        data={
            "supplier": supplier.json()["id"],
            "invoice_type": "special",
            "invoice_number": "RV-0001",
            "lines": [
                {
                    "account": account["id"],
                    "description": "运费",
                    "unit_price": "100",
                    "tax_percent": "9",
                }
            ],
        },  # fmt: skip
    )
    assert created.status == 201, created.text()
    invoice = created.json()
    done = page.request.post(f"/api/v1/supplier-invoices/{invoice['id']}/post/", headers=headers)
    assert done.status == 200, done.text()
    return done.json()


def test_a_posted_invoice_is_reversed_on_its_page(page, shot):
    log_in(page)
    invoice = posted_invoice(page)
    page.goto(f"/purchasing/invoices/{invoice['id']}")
    expect(page.get_by_test_id("document-state")).to_have_text("已完成", timeout=SLOW)
    expect(page.get_by_test_id("document-total-open")).to_contain_text("109.00")

    # ---- 红冲: no reason is refused under the field, nothing changes ----
    page.get_by_test_id("invoice-reverse").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("dialog-submit").click()
    expect(dialog.locator(".el-form-item__error")).to_contain_text("请说明冲销发票的原因")
    number_input(page, "invoice-reverse-reason").fill("税率应为 6%，重新录入")
    settled(page)
    shot(page, "invoice-reversal-1-dialog")
    page.get_by_test_id("dialog-submit").click()
    expect(dialog).to_be_hidden(timeout=SLOW)

    # ---- reversed: state, who, why and the red voucher; nothing open ----
    expect(page.get_by_test_id("document-state")).to_have_text("已冲销", timeout=SLOW)
    banner = page.get_by_test_id("invoice-reversed")
    expect(banner).to_contain_text("税率应为 6%，重新录入")
    expect(banner).to_contain_text("红字凭证")
    expect(page.get_by_test_id("invoice-reverse")).to_have_count(0)
    expect(page.get_by_test_id("document-total-open")).to_contain_text("0.00")
    settled(page)
    shot(page, "invoice-reversal-2-reversed")

    # ---- the list: reversed, with who reversed it ----
    page.goto("/purchasing/invoices")
    row = page.get_by_test_id("list-table").locator("tr", has_text="RV-0001")
    expect(row).to_contain_text("已冲销", timeout=SLOW)
    expect(row).to_contain_text(banner_name(page, invoice["id"]))
    assert unexpected_errors(page) == []


def banner_name(page, invoice_id: int) -> str:
    found = page.request.get(f"/api/v1/supplier-invoices/{invoice_id}/").json()
    assert found["state"] == "reversed"
    return found["reversed_by_name"]
