"""发送邮件 through the API: POST sales-orders/<id>/email/ and customer-invoices/<id>/email/
answer 202 with the job's id; bad input, a server without mail, the wrong state and another
organization's documents are refused, and nothing is sent."""

from decimal import Decimal

import pytest
from django.core import mail

from jxc.masterdata.models import PartnerContact
from jxc.sales.services import invoices
from tests.conftest import client_for, make_member
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.JXC_JOBS_BACKEND = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def documents(sales):
    """A confirmed order delivered in full, its posted invoice for 2 and a draft one for 1."""
    product = sales.product("ML-API")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 3)])
    delivery = sales.deliver([(order.lines.get(), 3)])
    invoice = sales.invoice([(delivery.lines.get(), 2)])
    draft = invoices.save_invoice(
        organization=sales.org,
        user=sales.user,
        data={"business_date": invoice.business_date, "customer": sales.customer,
              "invoice_type": "special", "lines": [{"delivery_line": delivery.lines.get(),
                                                    "quantity": Decimal(1)}]},
    )  # fmt: skip
    return order, invoice, draft


def _url(kind, document):
    return f"/api/v1/{kind}/{document.pk}/email/"


def test_both_documents_are_queued_with_202_and_sent_after_the_request(
    api, sales, documents, django_capture_on_commit_callbacks
):
    order, invoice, _draft = documents
    PartnerContact.objects.create(partner=sales.customer, name="李", email="li@customer.example")
    for kind, document, name in (("sales-orders", order, "sales-order"),
                                 ("customer-invoices", invoice, "invoice")):  # fmt: skip
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = api.post(_url(kind, document), {"cc": ["boss@us.example"],
                                                       "message": "您好"}, format="json")  # fmt: skip
        assert response.status_code == 202, response.content
        body = response.json()
        assert body["to"] == ["li@customer.example"]
        assert body["cc"] == ["boss@us.example"]
        assert body["job"]
        (message,) = mail.outbox
        assert message.to == ["li@customer.example"]
        assert message.cc == ["boss@us.example"]
        assert message.attachments[0][0] == f"{name}-{document.number}.pdf"
        history = api.get("/api/v1/audit-log/", {"model": document._meta.label_lower,
                                                 "object_id": document.pk}).json()["results"]  # fmt: skip
        (entry,) = [row for row in history if "emailed_to" in row["changes"]]
        assert entry["changes"]["emailed_to"][1]["send"] == body["job"]
        assert entry["field_labels"] == {"emailed_to": "e-mailed to the customer"}


def test_without_an_address_the_error_names_to_in_chinese(sales, documents):
    order, invoice, _draft = documents
    zh = client_for(sales.user, sales.org, language="zh-hans")
    for kind, document in (("sales-orders", order), ("customer-invoices", invoice)):
        body = assert_error(zh.post(_url(kind, document), {}, format="json"), 400, field="to")
        assert body["message"] == "该客户没有填写邮箱的联系人，请输入收件人邮箱。"
    assert mail.outbox == []


def test_bad_input_names_the_field(api, documents):
    order, _invoice, _draft = documents
    url = _url("sales-orders", order)
    assert_error(api.post(url, {"to": ["nope"]}, format="json"), 400, field="to.0")
    assert_error(api.post(url, {"to": "a@b.example"}, format="json"), 400, field="to")
    assert_error(api.post(url, {"to": ["a@b.example"], "cc": ["x"]}, format="json"), 400,
                 field="cc.0")  # fmt: skip
    assert_error(api.post(url, {"to": ["a@b.example"], "message": "x" * 2001}, format="json"),
                 400, field="message")  # fmt: skip
    assert_error(api.post(url, {"to": [f"a{i}@b.example" for i in range(21)]}, format="json"),
                 400, field="to")  # fmt: skip
    assert mail.outbox == []


def test_without_mail_set_up_the_request_is_refused(api, documents, settings):
    order, invoice, _draft = documents
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    for kind, document in (("sales-orders", order), ("customer-invoices", invoice)):
        response = api.post(_url(kind, document), {"to": ["a@b.example"]}, format="json")
        assert_error(response, 400, "email_not_configured")


def test_only_a_confirmed_order_and_a_posted_invoice_are_sent(
    api, sales, documents, django_capture_on_commit_callbacks
):
    order, _invoice, draft_invoice = documents
    draft_order = sales.order([(order.lines.get().product, 1)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for kind, document in (("sales-orders", draft_order), ("customer-invoices", draft_invoice)):
            response = api.post(_url(kind, document), {"to": ["a@b.example"]}, format="json")
            assert_error(response, 400, field="state")
    assert callbacks == []
    assert mail.outbox == []


def test_another_organizations_documents_are_not_mailed(other_api, documents):
    order, invoice, _draft = documents
    for kind, document in (("sales-orders", order), ("customer-invoices", invoice)):
        response = other_api.post(_url(kind, document), {"to": ["a@b.example"]}, format="json")
        assert_error(response, 404, "not_found")
    assert mail.outbox == []


def test_mailing_needs_the_documents_edit_permission(org, roles, documents):
    order, invoice, _draft = documents
    viewer = client_for(make_member(org, "vic", "viewer", roles_by_code=roles), org)
    for kind, document in (("sales-orders", order), ("customer-invoices", invoice)):
        response = viewer.post(_url(kind, document), {"to": ["a@b.example"]}, format="json")
        assert_error(response, 403)
    assert mail.outbox == []
