"""Payment requests (付款申请单): the invoices due by a date that are not already requested in
full; an amount beyond what is open less what other open requests ask is refused naming
``lines.N.amount``; partial amounts; approval through workflow; paying posts one payment that
settles each invoice's open item (AP goes down) and only once; cancelling frees the amounts."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, OpenItem, Payment
from jxc.purchasing.models import PaymentRequest, PaymentRequestLine
from jxc.purchasing.selectors import due_invoices
from jxc.purchasing.services import invoices
from jxc.purchasing.services import payment_requests as pr
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.finance.conftest import balances
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, days, qty
from tests.purchasing.test_invoices import invoice, received

pytestmark = pytest.mark.django_db


def posted_invoice(world, number, due, quantity=10, price="10"):
    """A posted invoice of ``quantity`` × ``price`` + 13 % VAT (10 × 10: 113.00) due ``due``."""
    product = world.product(f"P-{number}")
    _product, _order, receipt = received(world, quantity, price, product=product)
    draft = invoice(world, receipt.lines.get(), quantity, price, number=number)
    draft.due_date = due
    draft.save(update_fields=["due_date"])
    return invoices.post_supplier_invoice(invoice=draft, user=world.user)


def bank(org) -> Account:
    return Account.objects.get(organization=org, code="1002")


def save(world, lines, request=None, **header):
    data = {"business_date": DAY, "supplier": world.vendor, "account": bank(world.org),
            "pay_date": days(5), **header,
            "lines": [{"invoice": i, "amount": qty(a)} for i, a in lines]}  # fmt: skip
    return pr.save_payment_request(organization=world.org, user=world.user, data=data,
                                   request=request)  # fmt: skip


def approved(world, lines, **header):
    return pr.submit_payment_request(request=save(world, lines, **header), user=world.user)


def item(invoice_) -> OpenItem:
    return OpenItem.objects.get(pk=invoice_.open_item_id)


@pytest.fixture
def manager(org, roles):
    save_rule(
        organization=org,
        data={
            "name": "付款审批",
            "document_type": "payment_request",
            "conditions": [{"field": "amount", "operator": "gte", "value": "100"}],
            "levels": [{"name": "经理", "mode": "any",
                        "approvers": [{"type": "role", "id": roles["manager"].pk}]}],
        },
    )  # fmt: skip
    return make_member(org, "mary", "manager", roles_by_code=roles)


def test_due_invoices_are_those_due_with_something_left_to_request(world):
    posted_invoice(world, "A1", DAY)
    due = posted_invoice(world, "A2", days(3))
    posted_invoice(world, "A3", days(30))
    requested = posted_invoice(world, "A4", days(1))
    save(world, [(requested, "113.00"), (due, "13.00")])
    found = {x.invoice_number: x for x in due_invoices(world.org, world.vendor, days(10))}
    assert set(found) == {"A1", "A2"}  # A3 is due later, A4 is requested in full
    assert (found["A2"].open_amount, found["A2"].requested, found["A2"].to_request) == (
        Decimal("113.00"), Decimal("13.00"), Decimal("100.00"))  # fmt: skip
    assert found["A1"].to_request == Decimal("113.00")
    everything = {x.invoice_number for x in due_invoices(world.org, world.vendor)}
    assert everything == {"A1", "A2", "A3"}


def test_a_partial_request_is_approved_at_once_and_paid_ap_goes_down(world):
    first = posted_invoice(world, "B1", DAY)
    second = posted_invoice(world, "B2", DAY)
    request = approved(world, [(first, "50.00"), (second, "113.00")], note="月底付款")
    assert request.state == "approved"  # no approval rule applies
    assert request.number.startswith("FQ")
    assert request.amount == Decimal("163.00")
    assert balances(world.org)["220201"] == Decimal("-226.00")
    paid = pr.pay_payment_request(request=request, user=world.user, date=days(2))
    assert paid.state == "done"
    payment = Payment.objects.get(pk=paid.payment_id)
    assert (payment.state, payment.kind, payment.amount, payment.date, payment.partner) == (
        "posted", "payment", Decimal("163.00"), days(2), world.vendor)  # fmt: skip
    assert payment.account == bank(world.org)
    assert (item(first).open_amount, item(second).open_amount) == (Decimal("63.00"), 0)
    after = balances(world.org)
    assert after["220201"] == Decimal("-63.00")
    assert after["1002"] == Decimal("-163.00")
    # the rest of the first invoice can be requested again; the second is gone
    assert [x.to_request for x in due_invoices(world.org, world.vendor, DAY)] == [Decimal("63.00")]


def test_two_requests_never_ask_for_more_than_is_open(world):
    inv = posted_invoice(world, "C1", DAY)
    save(world, [(inv, "100.00")])
    other = posted_invoice(world, "C2", DAY)
    with pytest.raises(ValidationFailed) as refused:
        save(world, [(other, "5.00"), (inv, "13.01")])
    assert refused.value.field == "lines.1.amount"
    assert refused.value.code == "over_requested"
    assert PaymentRequest.objects.count() == 1
    ok = save(world, [(inv, "13.00")])  # exactly what is left
    assert ok.amount == Decimal("13.00")
    # changing the first draft to ask for more is refused too, naming its line
    first = PaymentRequest.objects.exclude(pk=ok.pk).get()
    with pytest.raises(ValidationFailed) as again:
        save(world, [(inv, "100.01")], request=first)
    assert again.value.field == "lines.0.amount"
    assert PaymentRequestLine.objects.get(request=first).amount == Decimal("100.00")


def test_cancelling_frees_the_amount_and_a_paid_request_cannot_be_cancelled(world):
    inv = posted_invoice(world, "D1", DAY)
    request = approved(world, [(inv, "113.00")])
    assert list(due_invoices(world.org, world.vendor, DAY)) == []
    cancelled = pr.cancel_payment_request(request=request)
    assert cancelled.state == "cancelled"
    assert [x.to_request for x in due_invoices(world.org, world.vendor, DAY)] == [Decimal("113.00")]
    with pytest.raises(ValidationFailed):
        pr.pay_payment_request(request=cancelled, user=world.user)
    paid = pr.pay_payment_request(request=approved(world, [(inv, "113.00")]), user=world.user)
    with pytest.raises(ValidationFailed) as refused:
        pr.cancel_payment_request(request=paid)
    assert refused.value.field == "state"
    with pytest.raises(ValidationFailed) as twice:
        pr.pay_payment_request(request=paid, user=world.user)
    assert twice.value.code == "already_paid"
    assert Payment.objects.count() == 1


def test_approval_rule_waits_then_approves_or_returns_to_draft(world, manager):
    inv = posted_invoice(world, "E1", DAY)
    request = approved(world, [(inv, "113.00")])
    assert request.state == "submitted"
    with pytest.raises(ValidationFailed):  # not paid before approval
        pr.pay_payment_request(request=request, user=world.user)
    with pytest.raises(ValidationFailed):  # nor cancelled while it waits
        pr.cancel_payment_request(request=request)
    waiting = ApprovalRequest.objects.get(document_type="payment_request", document_id=request.pk)
    assert waiting.base_amount == Decimal("113.00")
    approvals.reject(request=waiting, user=manager, comment="下月再付")
    assert PaymentRequest.objects.get(pk=request.pk).state == "draft"
    request = pr.submit_payment_request(request=request, user=world.user)
    waiting = ApprovalRequest.objects.get(
        document_type="payment_request", document_id=request.pk, state="pending"
    )
    approvals.approve(request=waiting, user=manager, comment="同意")
    assert PaymentRequest.objects.get(pk=request.pk).state == "approved"
    small = approved(world, [(posted_invoice(world, "E2", DAY), "99.99")])
    assert small.state == "approved"  # below the rule's amount


def test_paying_checks_again_what_is_open(world):
    inv = posted_invoice(world, "F1", DAY)
    request = approved(world, [(inv, "113.00")])
    elsewhere = item(inv)  # paid directly in finance meanwhile
    elsewhere.open_amount = qty("100.00")
    elsewhere.open_base_amount = qty("100.00")
    elsewhere.save()
    with pytest.raises(ValidationFailed) as refused:
        pr.pay_payment_request(request=request, user=world.user)
    assert refused.value.field == "lines.0.amount"
    assert PaymentRequest.objects.get(pk=request.pk).state == "approved"
    assert not Payment.objects.exists()
    elsewhere.open_amount = elsewhere.open_base_amount = qty("113.00")
    elsewhere.save()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "0"}, "lines.0.amount"),
        ({"amount": "-5"}, "lines.0.amount"),
        ({"amount": "1.005"}, "lines.0.amount"),
        ({"amount": "1e9"}, "lines.0.amount"),
        ({"invoice": "other supplier"}, "lines.0.invoice"),
        ({"invoice": "draft"}, "lines.0.invoice"),
        ({"invoice": "twice"}, "lines.1.invoice"),
        ({"account": "220201"}, "account"),
        ({"supplier": "customer"}, "supplier"),
        ({"pay_date": "before"}, "pay_date"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, change, field):
    inv = posted_invoice(world, "G1", DAY)
    lines = [(inv, change.get("amount", "10.00"))]
    header = {}
    if change.get("invoice") == "other supplier":
        other = make_partner(world.org, "S2", "别家供应商")
        world_vendor, world.vendor = world.vendor, other
        lines = [(posted_invoice(world, "G2", DAY), "10.00")]
        world.vendor = world_vendor
    elif change.get("invoice") == "draft":
        _p, _o, receipt = received(world, product=world.product("P-G3"))
        lines = [(invoice(world, receipt.lines.get(), 10, "10", number="G3"), "10.00")]
    elif change.get("invoice") == "twice":
        lines = [(inv, "1.00"), (inv, "2.00")]
    if "account" in change:
        header["account"] = Account.objects.get(organization=world.org, code=change["account"])
    if "supplier" in change:
        header["supplier"] = make_partner(
            world.org, "C9", "客户", is_supplier=False, is_customer=True
        )
    if "pay_date" in change:
        header["pay_date"] = DAY - datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as refused:
        save(world, lines, **header)
    assert refused.value.field == field
    assert not PaymentRequest.objects.exists()


def test_another_organizations_invoice_is_unknown(world, other_org):
    from tests.purchasing.conftest import Purchasing

    elsewhere = Purchasing(other_org, None)
    elsewhere.user = world.user
    theirs = posted_invoice(elsewhere, "H1", DAY)
    with pytest.raises(ValidationFailed) as refused:
        save(world, [(theirs, "10.00")])
    assert refused.value.field == "lines.0.invoice"
    assert not PaymentRequest.objects.exists()
