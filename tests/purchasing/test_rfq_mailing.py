"""The request for quotation (询价单) printed per supplier and e-mailed to the suppliers asked as a
background job: the PDF's text, the service, then the API (bad supplier ids, another
organization's request, permissions; each send in the request's history)."""

import datetime

import pytest
from django.core import mail

from jxc.core.errors import ValidationFailed
from jxc.core.mail import claim_send
from jxc.core.models import AuditLog
from jxc.core.printing import render_html
from jxc.masterdata.models import PartnerContact
from jxc.purchasing.models import RequestForQuotation
from jxc.purchasing.services import printing, quotes, rfq_mailing
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.masterdata.conftest import make_partner
from tests.printed import page_texts
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline(settings):
    settings.JXC_JOBS_BACKEND = "inline"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class Asked:
    """A request for two products asked of two suppliers, each with a contact's address."""

    def __init__(self, world, send=True):
        self.world = world
        self.a = world.product("RQ-A", specification="500ml×24")
        self.b = world.product("RQ-B")
        self.other = make_partner(world.org, "S2", "苏州供应商")
        PartnerContact.objects.create(partner=world.vendor, name="王经理",
                                      email="wang@vendor.example", is_primary=True)  # fmt: skip
        PartnerContact.objects.create(partner=self.other, name="李经理", email="li@s2.example")
        self.rfq = quotes.save_rfq(
            organization=world.org,
            user=world.user,
            data={
                "business_date": DAY,
                "warehouse": world.wh1,
                "needed_by": DAY + datetime.timedelta(days=10),
                "reply_by": DAY + datetime.timedelta(days=3),
                "note": "含税含运费报价",
                "suppliers": [world.vendor, self.other],
                "lines": [
                    {"product": self.a, "quantity": qty(100), "note": "需提供质检报告"},
                    {"product": self.b, "quantity": qty("12.5")},
                ],
            },
        )
        if send:
            self.rfq = quotes.send_rfq(rfq=self.rfq)


@pytest.fixture
def asked(world):
    return Asked(world)


def _history(rfq, key="emailed_to"):
    entries = AuditLog.objects.filter(model="purchasing.requestforquotation",
                                      object_id=str(rfq.pk)).order_by("id")  # fmt: skip
    return [entry.changes[key][1] for entry in entries if key in entry.changes]


# --- the printed request -----------------------------------------------------------------------


def test_the_request_prints_per_supplier_with_dates_and_no_prices(asked, world):
    (text,) = page_texts(render_html(printing.rfq_document(asked.rfq, asked.other)))
    assert "询价单" in text
    assert asked.rfq.number in text
    assert "苏州供应商" in text
    assert world.vendor.name not in text  # only the one supplier asked
    for expected in ("RQ-A", asked.a.name, "500ml×24", "100", "12.5", "需提供质检报告",
                     "需求日期：2026年12月6日", "报价截止：2026年11月29日", "含税含运费报价", "询价人", "供应商报价（盖章）"):  # fmt: skip
        assert expected in text, expected
    assert "单价" not in text.replace("含税单价", "")  # asks for prices, prints none
    assert "草稿" not in text


def test_a_draft_request_prints_as_a_draft(world):
    draft = Asked(world, send=False).rfq
    (text,) = page_texts(render_html(printing.rfq_document(draft, world.vendor)))
    assert "草稿" in text


def test_the_reply_date_is_not_before_the_request(world):
    asked = Asked(world, send=False)
    with pytest.raises(ValidationFailed) as refused:
        quotes.save_rfq(organization=world.org, user=world.user, rfq=asked.rfq,
                        data={"reply_by": DAY - datetime.timedelta(days=1)})  # fmt: skip
    assert refused.value.field == "reply_by"
    assert RequestForQuotation.objects.get(pk=asked.rfq.pk).reply_by == DAY + datetime.timedelta(3)


# --- the service -------------------------------------------------------------------------------


def test_every_supplier_gets_its_own_pdf_after_the_commit_and_each_send_is_recorded(
    asked, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        queued = rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user, cc=["boss@us.example"])
        assert mail.outbox == []  # not in the request: after the commit
    assert len(callbacks) == 1
    assert queued["to"] == ["li@s2.example", "wang@vendor.example"] or queued["to"] == [
        "wang@vendor.example", "li@s2.example"]  # fmt: skip
    assert len(mail.outbox) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    for address, supplier in (
        ("wang@vendor.example", world.vendor),
        ("li@s2.example", asked.other),
    ):
        message = by_address[address]
        assert message.cc == ["boss@us.example"]
        assert asked.rfq.number in message.subject
        (filename, pdf, mimetype) = message.attachments[0]
        assert filename == f"rfq-{asked.rfq.number}-{supplier.code}.pdf"
        assert pdf.startswith(b"%PDF")
        assert mimetype == "application/pdf"
    sent = _history(asked.rfq)
    assert sorted(entry["supplier_name"] for entry in sent) == sorted(
        [world.vendor.name, asked.other.name])  # fmt: skip
    assert {entry["send"] for entry in sent} == {queued["job"]}


def test_a_job_run_twice_mails_nobody_twice(asked, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user,
                                       suppliers=[asked.other.pk])  # fmt: skip
    rfq_mailing.email_rfq_job(rfq_id=asked.rfq.pk, send=queued["job"],
                              sends=[{"supplier": asked.other.pk, "to": ["li@s2.example"]}],
                              cc=[], message="")  # fmt: skip
    assert len(mail.outbox) == 1
    assert len(_history(asked.rfq)) == 1


def test_a_supplier_whose_mail_another_job_has_claimed_is_not_mailed_again(asked, world):
    """The other run is mailing the first supplier right now (nothing in the history yet):
    this run mails only the second."""
    assert claim_send(asked.rfq, "abc123", str(world.vendor.pk))
    sends = [{"supplier": world.vendor.pk, "to": ["wang@vendor.example"]},
             {"supplier": asked.other.pk, "to": ["li@s2.example"]}]  # fmt: skip
    rfq_mailing.email_rfq_job(rfq_id=asked.rfq.pk, send="abc123", sends=sends, cc=[], message="")
    (message,) = mail.outbox
    assert message.to == ["li@s2.example"]
    assert [entry["supplier"] for entry in _history(asked.rfq)] == [asked.other.pk]
    rfq_mailing.email_rfq_job(rfq_id=asked.rfq.pk, send="abc123", sends=sends, cc=[], message="")
    assert len(mail.outbox) == 1


def test_one_chosen_supplier_may_get_another_address(
    asked, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        queued = rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user, suppliers=[asked.other.pk],
                                       to=["sales@s2.example"], message="请于周五前报价。")  # fmt: skip
    assert queued["suppliers"] == [{"supplier": asked.other.pk, "supplier_name": "苏州供应商",
                                    "to": ["sales@s2.example"]}]  # fmt: skip
    (message,) = mail.outbox
    assert message.to == ["sales@s2.example"]
    assert message.body == "请于周五前报价。"


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"suppliers": [999999]}, "suppliers.0"),
        ({"suppliers": ["x"]}, "suppliers.0"),
        ({"suppliers": "1"}, "suppliers"),
        ({"to": ["a@b.example"]}, "to"),  # two suppliers: their own contacts
        ({"to": ["nope"]}, "to.0"),
        ({"cc": ["nope"]}, "cc.0"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_queued(asked, world, arguments, field,
                                                    django_capture_on_commit_callbacks):  # fmt: skip
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationFailed) as refused,
    ):
        rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user, **arguments)
    assert refused.value.field == field
    assert callbacks == []
    assert mail.outbox == []


def test_a_supplier_without_an_address_is_named(asked, world):
    PartnerContact.objects.filter(partner=asked.other).update(email="")
    with pytest.raises(ValidationFailed) as refused:
        rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user)
    assert refused.value.field == "suppliers.1" or refused.value.field == "suppliers.0"
    assert "苏州供应商" in str(refused.value)
    with pytest.raises(ValidationFailed) as refused:
        rfq_mailing.email_rfq(rfq=asked.rfq, user=world.user, suppliers=[asked.other.pk])
    assert refused.value.field == "to"


def test_only_a_sent_request_is_mailed(world):
    draft = Asked(world, send=False).rfq
    with pytest.raises(ValidationFailed) as refused:
        rfq_mailing.email_rfq(rfq=draft, user=world.user)
    assert refused.value.field == "state"
    assert mail.outbox == []


def test_a_supplier_of_another_organization_is_not_asked(asked, other_org):
    stranger = make_partner(other_org, "S9", "外部供应商")
    with pytest.raises(ValidationFailed) as refused:
        rfq_mailing.asked_supplier(asked.rfq, stranger.pk)
    assert refused.value.field == "supplier"


# --- the API -----------------------------------------------------------------------------------


def test_the_pdf_endpoint_prints_for_one_supplier_asked(api, asked, world, other_org):
    url = f"/api/v1/rfqs/{asked.rfq.pk}/pdf/"
    response = api.get(url, {"supplier": asked.other.pk})
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"rfq-{asked.rfq.number}-S2.pdf" in response["Content-Disposition"]
    stranger = make_partner(other_org, "S9", "外部供应商")
    not_asked = make_partner(world.org, "S3", "未询价供应商")
    for supplier in (None, "", "abc", 999999, stranger.pk, not_asked.pk):
        query = {} if supplier is None else {"supplier": supplier}
        assert_error(api.get(url, query), 400, field="supplier")


def test_the_email_endpoint_answers_202_and_sends_after_the_request(
    api, asked, world, django_capture_on_commit_callbacks
):
    url = f"/api/v1/rfqs/{asked.rfq.pk}/email/"
    with django_capture_on_commit_callbacks(execute=True):
        queued = api.post(url, {"suppliers": [world.vendor.pk], "message": "请报价"}, format="json")
    assert queued.status_code == 202, queued.content
    body = queued.json()
    assert (body["to"], body["cc"]) == (["wang@vendor.example"], [])
    assert body["job"]
    assert body["suppliers"] == [{"supplier": world.vendor.pk, "supplier_name": world.vendor.name,
                                  "to": ["wang@vendor.example"]}]  # fmt: skip
    (message,) = mail.outbox
    assert message.to == ["wang@vendor.example"]
    history = api.get("/api/v1/audit-log/", {"model": "purchasing.requestforquotation",
                                             "object_id": asked.rfq.pk}).json()["results"]  # fmt: skip
    (entry,) = [row for row in history if "emailed_to" in row["changes"]]
    assert entry["changes"]["emailed_to"][1]["send"] == body["job"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"suppliers": [999999]}, "suppliers.0"),
        ({"suppliers": ["abc"]}, "suppliers.0"),
        ({"suppliers": [-1]}, "suppliers.0"),
        ({"suppliers": "all"}, "suppliers"),
        ({"to": ["a@b.example"]}, "to"),
        ({"to": "a@b.example"}, "to"),
        ({"cc": ["x"]}, "cc.0"),
        ({"message": "x" * 2001}, "message"),
    ],
)
def test_the_email_endpoint_names_the_field_at_fault(api, asked, body, field,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/rfqs/{asked.rfq.pk}/email/", body, format="json")
    assert_error(response, 400, field=field)
    assert mail.outbox == []


def test_another_organizations_supplier_id_is_refused(api, asked, other_org):
    stranger = make_partner(other_org, "S9", "外部供应商")
    response = api.post(f"/api/v1/rfqs/{asked.rfq.pk}/email/", {"suppliers": [stranger.pk]},
                        format="json")  # fmt: skip
    assert_error(response, 400, field="suppliers.0")
    assert mail.outbox == []


def test_another_organizations_request_is_neither_printed_nor_mailed(other_api, asked, world):
    assert_error(other_api.get(f"/api/v1/rfqs/{asked.rfq.pk}/pdf/", {"supplier": world.vendor.pk}),
                 404, "not_found")  # fmt: skip
    emailed = other_api.post(f"/api/v1/rfqs/{asked.rfq.pk}/email/", {}, format="json")
    assert_error(emailed, 404, "not_found")
    assert mail.outbox == []


def test_printing_and_mailing_need_purchasing_permissions(org, roles, asked, world):
    seller = client_for(make_member(org, "sally", "salesperson", roles_by_code=roles), org)
    assert_error(
        seller.get(f"/api/v1/rfqs/{asked.rfq.pk}/pdf/", {"supplier": world.vendor.pk}), 403
    )
    viewer = client_for(make_member(org, "vic", "viewer", roles_by_code=roles), org)
    printed = viewer.get(f"/api/v1/rfqs/{asked.rfq.pk}/pdf/", {"supplier": world.vendor.pk})
    assert printed.status_code == 200
    assert_error(viewer.post(f"/api/v1/rfqs/{asked.rfq.pk}/email/", {}, format="json"), 403)


def test_the_reply_date_goes_through_the_api(api, world):
    asked = Asked(world, send=False)
    url = f"/api/v1/rfqs/{asked.rfq.pk}/"
    assert api.get(url).json()["reply_by"] == str(DAY + datetime.timedelta(days=3))
    assert_error(api.patch(url, {"reply_by": "not a date"}, format="json"), 400, field="reply_by")
    too_early = api.patch(url, {"reply_by": str(DAY - datetime.timedelta(days=1))}, format="json")
    assert_error(too_early, 400, field="reply_by")
    assert RequestForQuotation.objects.get(pk=asked.rfq.pk).reply_by == DAY + datetime.timedelta(3)
