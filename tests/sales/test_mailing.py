"""Sales documents e-mailed to the customer as a background job: the request checks and
schedules; the job, after the commit, renders the PDF, sends it and records the send (or its
failure) in the document's history."""

import pytest
from django.core import mail

from jxc.core.errors import ValidationFailed
from jxc.core.mail import claim_send
from jxc.core.models import AuditLog, MailSend
from jxc.masterdata.models import PartnerContact
from jxc.sales.services import mailing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.JXC_JOBS_BACKEND = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def invoiced(sales):
    product = sales.product("ML-1")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 3)])
    delivery = sales.deliver([(order.lines.get(), 3)])
    invoice = sales.invoice([(delivery.lines.get(), 3)])
    return order, invoice


def _contact(sales, email="buyer@customer.example", primary=True):
    return PartnerContact.objects.create(partner=sales.customer, name="李采购", email=email,
                                         is_primary=primary)  # fmt: skip


def _history(document, key):
    entries = AuditLog.objects.filter(
        model=document._meta.label_lower, object_id=str(document.pk)
    ).order_by("id")
    return [entry.changes[key][1] for entry in entries if key in entry.changes]


def test_the_order_confirmation_is_mailed_after_the_commit_with_its_pdf(
    sales, invoiced, django_capture_on_commit_callbacks
):
    order, _invoice = invoiced
    _contact(sales, "other@customer.example", primary=False)
    _contact(sales)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = mailing.email_order(order=order, user=sales.user, cc=["boss@us.example"],
                                     message="请查收订单确认书。")  # fmt: skip
        assert mail.outbox == []  # not in the request: after the commit
    assert len(callbacks) == 1
    assert queued["to"] == ["buyer@customer.example"]
    (message,) = mail.outbox
    assert message.to == ["buyer@customer.example"]
    assert message.cc == ["boss@us.example"]
    assert order.number in message.subject
    assert message.body == "请查收订单确认书。"
    ((name, content, kind),) = message.attachments
    assert name == f"sales-order-{order.number}.pdf"
    assert kind == "application/pdf"
    assert content.startswith(b"%PDF")
    assert _history(order, "emailed_to") == [
        {"to": ["buyer@customer.example"], "cc": ["boss@us.example"], "send": queued["job"]}
    ]
    (entry,) = [entry for entry in AuditLog.objects.filter(model="sales.salesorder",
                object_id=str(order.pk)) if "emailed_to" in entry.changes]  # fmt: skip
    assert entry.user == sales.user  # who asked, though the job ran without a request


def test_the_posted_invoice_is_mailed_to_the_address_given(
    sales, invoiced, django_capture_on_commit_callbacks
):
    _order, invoice = invoiced
    with django_capture_on_commit_callbacks(execute=True):
        queued = mailing.email_invoice(invoice=invoice, user=sales.user, to=["ap@customer.example"])
    (message,) = mail.outbox
    assert message.to == ["ap@customer.example"]
    assert message.cc == []
    assert invoice.number in message.subject
    assert invoice.number in message.body
    ((name, content, _kind),) = message.attachments
    assert name == f"invoice-{invoice.number}.pdf"
    assert content.startswith(b"%PDF")
    assert _history(invoice, "emailed_to") == [
        {"to": ["ap@customer.example"], "cc": [], "send": queued["job"]}
    ]


def test_a_job_run_twice_mails_once(sales, invoiced, django_capture_on_commit_callbacks):
    order, _invoice = invoiced
    _contact(sales)
    with django_capture_on_commit_callbacks(execute=True):
        queued = mailing.email_order(order=order, user=sales.user)
    arguments = {"document_id": order.pk, "send": queued["job"], "to": queued["to"], "cc": [],
                 "message": "", "user_id": sales.user.pk}  # fmt: skip
    mailing.email_order_job(**arguments)  # a worker's retry
    assert len(mail.outbox) == 1
    assert len(_history(order, "emailed_to")) == 1


def test_a_send_another_job_has_claimed_is_not_mailed_again(sales, invoiced):
    """The other run is sending right now: nothing in the history yet, but the send is
    claimed, so this run mails nobody."""
    order, _invoice = invoiced
    assert claim_send(order, "abc123")
    mailing.email_order_job(document_id=order.pk, send="abc123", to=["k@customer.example"],
                            cc=[], message="", user_id=sales.user.pk)  # fmt: skip
    assert mail.outbox == []
    assert _history(order, "emailed_to") == []
    mailing.email_order_job(document_id=order.pk, send="def456", to=["k@customer.example"],
                            cc=[], message="", user_id=sales.user.pk)  # fmt: skip
    assert len(mail.outbox) == 1  # another send of the same order goes
    assert MailSend.objects.filter(send="def456", document=f"sales.salesorder:{order.pk}").exists()


def test_a_server_that_refuses_the_mail_is_recorded_as_a_failure(
    sales, invoiced, settings, django_capture_on_commit_callbacks
):
    _order, invoice = invoiced
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with django_capture_on_commit_callbacks(execute=True):
        queued = mailing.email_invoice(invoice=invoice, user=sales.user, to=["ap@customer.example"])
    assert _history(invoice, "emailed_to") == []
    (failure,) = _history(invoice, "email_failed")
    assert failure["send"] == queued["job"]
    assert failure["to"] == ["ap@customer.example"]
    assert failure["error"]


def test_what_is_refused_in_the_request_schedules_nothing(
    sales, invoiced, settings, django_capture_on_commit_callbacks
):
    order, invoice = invoiced
    draft = sales.order([(order.lines.get().product, 1)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationFailed) as caught:  # no contact with an address
            mailing.email_order(order=order, user=sales.user)
        assert caught.value.field == "to"
        with pytest.raises(ValidationFailed) as caught:
            mailing.email_order(order=draft, user=sales.user, to=["a@b.example"])
        assert caught.value.field == "state"
        with pytest.raises(ValidationFailed) as caught:
            mailing.email_invoice(invoice=invoice, user=sales.user, to=["a@b.example", "nope"])
        assert caught.value.field == "to.1"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = ""
        with pytest.raises(ValidationFailed) as caught:
            mailing.email_invoice(invoice=invoice, user=sales.user, to=["a@b.example"])
        assert caught.value.code == "email_not_configured"
    assert callbacks == []
    assert mail.outbox == []
