"""Payment requests through the API: the due invoices, a request drafted, submitted and paid
(the payment is shown on it); bad input answers 400 naming the field and writes nothing;
another organization's ids are unknown and its requests hidden; only finance posts the
payment."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jxc.finance.models import Account, OpenItem, Payment
from jxc.purchasing.models import PaymentRequest
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.purchasing.conftest import DAY, Purchasing, days
from tests.purchasing.test_payment_requests import bank, posted_invoice

pytestmark = pytest.mark.django_db

URL = "/api/v1/payment-requests/"


def body(world, rows, **header):
    return {"business_date": str(DAY), "supplier": world.vendor.pk, "account": bank(world.org).pk,
            "pay_date": str(days(3)), "method": "transfer", "note": "月底付款",
            "lines": [{"invoice": i, "amount": a} for i, a in rows], **header}  # fmt: skip


def test_due_invoices_then_draft_submit_and_pay(api, world):
    first = posted_invoice(world, "A1", DAY)
    posted_invoice(world, "A2", days(40))
    due = api.get(f"{URL}due-invoices/", {"supplier": world.vendor.pk, "until": str(days(10))})
    assert due.status_code == 200, due.content
    assert [(x["invoice_number"], x["to_request"], x["due_date"]) for x in due.json()] == [
        ("A1", "113.00", str(DAY))
    ]
    created = api.post(URL, body(world, [(first.pk, "100.00")]), format="json")
    assert created.status_code == 201, created.content
    shown = created.json()
    assert (shown["state"], shown["amount"], shown["currency_code"]) == ("draft", "100.00", "CNY")
    assert shown["lines"][0]["open_amount"] == "113.00"
    assert shown["lines"][0]["invoice_number"] == "A1"
    # the request's own amounts are left out when it is changed
    mine = api.get(f"{URL}due-invoices/", {"supplier": world.vendor.pk, "request": shown["id"]})
    assert [x["to_request"] for x in mine.json()] == ["113.00", "113.00"]
    changed = api.patch(f"{URL}{shown['id']}/", {"lines": [{"invoice": first.pk,
                        "amount": "113.00"}]}, format="json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    submitted = api.post(f"{URL}{shown['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "approved"
    assert submitted.json()["number"].startswith("FQ")
    paid = api.post(f"{URL}{shown['id']}/pay/", {"date": str(days(1))}, format="json")
    assert paid.status_code == 200, paid.content
    assert paid.json()["state"] == "done"
    assert paid.json()["payment_number"].startswith("FK")
    assert OpenItem.objects.get(pk=first.open_item_id).open_amount == 0
    again = api.post(f"{URL}{shown['id']}/pay/")
    assert_error(again, 400, "already_paid", field="state")
    assert Payment.objects.count() == 1
    accounts = api.get(f"{URL}accounts/")
    assert "1002" in {x["code"] for x in accounts.json()}
    listed = api.get(URL, {"state": "done"})
    assert [x["id"] for x in listed.json()["results"]] == [shown["id"]]
    exported = api.get(f"{URL}export/")
    assert exported.status_code == 200, exported.content[:300]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert "requested pay date" in [cell.value for cell in sheet[1]]


def test_cancel_an_unpaid_request(api, world):
    inv = posted_invoice(world, "B1", DAY)
    created = api.post(URL, body(world, [(inv.pk, "113.00")]), format="json").json()
    cancelled = api.post(f"{URL}{created['id']}/cancel/")
    assert cancelled.status_code == 200, cancelled.content
    assert cancelled.json()["state"] == "cancelled"
    assert_error(api.post(f"{URL}{created['id']}/pay/"), 400, field="state")
    assert api.post(URL, body(world, [(inv.pk, "113.00")]), format="json").status_code == 201


@pytest.mark.parametrize(
    ("line", "header", "field"),
    [
        ({"amount": "abc"}, {}, "lines.0.amount"),
        ({"amount": "-1.00"}, {}, "lines.0.amount"),
        ({"amount": "0"}, {}, "lines.0.amount"),
        ({"amount": "1000000000000000"}, {}, "lines.0.amount"),
        ({"amount": "113.01"}, {}, "lines.0.amount"),
        ({"amount": ["1"]}, {}, "lines.0.amount"),
        ({"invoice": "x"}, {}, "lines.0.invoice"),
        ({"invoice": 999999}, {}, "lines.0.invoice"),
        ({"invoice": None}, {}, "lines.0.invoice"),
        ({}, {"supplier": None}, "supplier"),
        ({}, {"supplier": 999999}, "supplier"),
        ({}, {"account": "bank"}, "account"),
        ({}, {"method": "bitcoin"}, "method"),
        ({}, {"pay_date": "tomorrow"}, "pay_date"),
        ({}, {"lines": "all"}, "lines"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api, world, line, header, field):
    inv = posted_invoice(world, "C1", DAY)
    data = body(world, [(inv.pk, "10.00")], **header)
    if line and isinstance(data["lines"], list):
        data["lines"][0].update(line)
    assert_error(api.post(URL, data, format="json"), 400, field=field)
    assert not PaymentRequest.objects.exists()


def test_due_invoices_bad_query(api, world):
    assert_error(api.get(f"{URL}due-invoices/"), 400, field="supplier")
    assert_error(api.get(f"{URL}due-invoices/", {"supplier": "abc"}), 400, field="supplier")
    bad_date = api.get(f"{URL}due-invoices/", {"supplier": world.vendor.pk, "until": "x"})
    assert_error(bad_date, 400, field="until")


def test_another_organizations_ids_are_unknown_and_its_requests_hidden(
    api, other_api, other_org, world
):
    elsewhere = Purchasing(other_org, world.user)
    theirs = posted_invoice(elsewhere, "D1", DAY)
    their_bank = Account.objects.get(organization=other_org, code="1002")
    mine = posted_invoice(world, "D2", DAY)
    for data, field in (
        (body(world, [(theirs.pk, "10.00")]), "lines.0.invoice"),
        (body(world, [(mine.pk, "10.00")], account=their_bank.pk), "account"),
        (body(world, [(mine.pk, "10.00")], supplier=elsewhere.vendor.pk), "supplier"),
    ):
        assert_error(api.post(URL, data, format="json"), 400, field=field)
    assert not PaymentRequest.objects.exists()
    assert_error(
        api.get(f"{URL}due-invoices/", {"supplier": elsewhere.vendor.pk}), 400, field="supplier"
    )
    created = api.post(URL, body(world, [(mine.pk, "10.00")]), format="json").json()
    request = PaymentRequest.objects.get(pk=created["id"])
    assert_other_organization_hidden(other_api, URL, request)
    for action in ("submit", "pay", "cancel"):
        assert_error(other_api.post(f"{URL}{request.pk}/{action}/"), 404)
    assert PaymentRequest.objects.get(pk=request.pk).state == "draft"


def test_a_purchaser_drafts_and_submits_but_only_finance_pays(org, roles, world, api):
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    inv = posted_invoice(world, "E1", DAY)
    created = buyer.post(URL, body(world, [(inv.pk, "113.00")]), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert buyer.post(f"{URL}{pk}/submit/").json()["state"] == "approved"
    assert buyer.post(f"{URL}{pk}/pay/").status_code == 403
    accountant = client_for(make_member(org, "amy", "accountant", roles_by_code=roles), org)
    paid = accountant.post(f"{URL}{pk}/pay/")
    assert paid.status_code == 200, paid.content
    assert Decimal(paid.json()["amount"]) == Decimal("113.00")
