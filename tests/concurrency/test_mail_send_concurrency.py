"""Two runs of one mail job at the same moment, on PostgreSQL (a worker's retry overlapping the
first run): each mail is claimed before it is sent, so the customer, and each supplier of a
request for quotation, get it once, and the history records it once."""

import pytest
from django.core import mail

from jxc.core.models import AuditLog, MailSend
from jxc.purchasing.services import rfq_mailing
from jxc.sales.services import mailing
from tests.concurrency.test_payment_request_concurrency import _race
from tests.conftest import make_organization
from tests.purchasing.conftest import Purchasing
from tests.purchasing.test_rfq_mailing import Asked
from tests.sales.conftest import Sales

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.JXC_JOBS_BACKEND = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _twice_at_once(job, **arguments) -> list[str]:
    return _race(lambda _run: job(**arguments), [1, 2])


def _history(document, key="emailed_to") -> list[dict]:
    entries = AuditLog.objects.filter(
        model=document._meta.label_lower, object_id=str(document.pk)
    ).order_by("id")
    return [entry.changes[key][1] for entry in entries if key in entry.changes]


def test_an_order_confirmation_sent_twice_at_once_is_mailed_once():
    world = Sales(make_organization("MAILRACE", "邮件并发公司"), None)
    product = world.product("ML-1")
    world.receive(product, 10, "50")
    order = world.confirmed([(product, 3)])
    results = _twice_at_once(
        mailing.email_order_job, document_id=order.pk, send="race-1",
        to=["buyer@customer.example"], cc=[], message="",
    )  # fmt: skip
    assert results == ["ok", "ok"]
    assert [message.to for message in mail.outbox] == [["buyer@customer.example"]]
    assert [entry["send"] for entry in _history(order)] == ["race-1"]
    assert MailSend.objects.filter(send="race-1").count() == 1


def test_a_request_for_quotation_sent_twice_at_once_mails_each_supplier_once():
    world = Purchasing(make_organization("RFQRACE", "询价邮件并发公司"), None)
    asked = Asked(world)
    sends = [{"supplier": world.vendor.pk, "to": ["wang@vendor.example"]},
             {"supplier": asked.other.pk, "to": ["li@s2.example"]}]  # fmt: skip
    results = _twice_at_once(
        rfq_mailing.email_rfq_job, rfq_id=asked.rfq.pk, send="race-2", sends=sends, cc=[],
        message="",
    )  # fmt: skip
    assert results == ["ok", "ok"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "li@s2.example", "wang@vendor.example"]  # fmt: skip
    assert sorted(entry["supplier"] for entry in _history(asked.rfq)) == sorted(
        [world.vendor.pk, asked.other.pk])  # fmt: skip
    assert MailSend.objects.filter(send="race-2").count() == 2
