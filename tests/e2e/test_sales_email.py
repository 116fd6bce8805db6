"""发送邮件 in a real browser: the confirmed sales order and its posted invoice are e-mailed to
the customer from the dialog; the server answers at once (queued) and a background job sends
the mail and records it in the document's history (the browser tests' server writes e-mails
to files)."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.e2e import test_printing
from tests.e2e.test_finance import settled
from tests.e2e.test_inventory import log_in, unexpected_errors
from tests.e2e.test_printing import SLOW, set_up

pytestmark = pytest.mark.e2e
TO = "buyer@dy-customer.example"


def recorded_sends(page, model: str, pk: int) -> list:
    """The document's 已发送给客户 history entries, waiting for the background job."""
    deadline = time.monotonic() + 30
    while True:
        history = page.request.get("/api/v1/audit-log/", params={
            "model": model, "object_id": str(pk)}).json()  # fmt: skip
        sent = [row["changes"]["emailed_to"][1] for row in history["results"]
                if "emailed_to" in row["changes"]]  # fmt: skip
        if sent or time.monotonic() > deadline:
            return sent
        time.sleep(0.5)


def email_from_the_dialog(page, shot, name: str) -> None:
    page.get_by_test_id("doc-email").click()
    dialog = page.get_by_test_id("form-dialog")
    expect(dialog).to_be_visible()
    page.get_by_test_id("dialog-submit").click()  # the customer has no contact with an address
    expect(dialog.locator(".el-form-item__error")).to_have_text(
        "该客户没有填写邮箱的联系人，请输入收件人邮箱。", timeout=SLOW
    )
    page.get_by_test_id("email-to").fill(TO)
    page.get_by_test_id("email-message").fill("请查收。")
    expect(page.get_by_test_id("email-message")).to_have_value("请查收。")
    settled(page)
    shot(page, name)
    page.get_by_test_id("dialog-submit").click()
    expect(page.locator(".el-message--success").last).to_contain_text(
        "已加入发送队列", timeout=SLOW
    )
    expect(dialog).to_be_hidden()


def test_email_the_sales_order_and_the_invoice_to_the_customer(page, jxc_server, shot, monkeypatch):
    # test_printing's documents, under codes of their own: the server is shared by the session
    for name, codes in (("WAREHOUSE", {"code": "ZZ-YJ", "name": "邮件测试仓"}),
                        ("CUSTOMER", {"code": "ZZ-YJ-C", "name": "邮件测试客户有限公司"}),
                        ("SUPPLIER", {"code": "ZZ-YJ-S", "name": "邮件测试供应商有限公司"}),
                        ("PRODUCT", {**test_printing.PRODUCT, "code": "ZZ-YJ-1",
                                     "name": "邮件测试商品"})):  # fmt: skip
        monkeypatch.setattr(test_printing, name, codes)
    log_in(page)
    sales_order, _purchase_order, invoice = set_up(page)

    page.goto(f"/sales/orders/{sales_order}")
    expect(page.get_by_test_id("document-number")).to_have_text(re.compile(r"\S+"), timeout=SLOW)
    email_from_the_dialog(page, shot, "sales-order-email-dialog")
    sent = recorded_sends(page, "sales.salesorder", sales_order)
    assert [(row["to"], row["cc"]) for row in sent] == [([TO], [])]

    page.goto(f"/sales/invoices/{invoice['id']}")
    expect(page.get_by_test_id("document-number")).to_have_text(invoice["number"], timeout=SLOW)
    email_from_the_dialog(page, shot, "invoice-email-dialog")
    sent = recorded_sends(page, "sales.customerinvoice", invoice["id"])
    assert [(row["to"], row["cc"]) for row in sent] == [([TO], [])]
    assert unexpected_errors(page) == []
