"""Partner ledgers: other receivables and payables, receipts and payments, allocation,
advances, fees and discounts, realised exchange differences both ways, write-off, undo and
reversal; the control accounts equal the open items after each (``verify_ledger``)."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Allocation, OpenItem, Voucher
from jxc.finance.services import receivables as ar
from jxc.finance.verify import verify_ledger
from jxc.masterdata.models import Currency, ExchangeRate
from tests.finance.conftest import DAY, account, balances
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(org):
    return make_partner(org, "C1", "客户甲", is_customer=True)


@pytest.fixture
def supplier(org):
    return make_partner(org, "S1", "供应商乙", is_supplier=True)


@pytest.fixture(autouse=True)
def _ledger_consistent(org):
    yield
    assert verify_ledger(org) == []


@pytest.fixture
def usd(org):
    return Currency.objects.create(organization=org, code="USD", name="美元", symbol="$")


def invoice(org, partner, amount, kind="receivable", counter="5001", **extra):
    return ar.book_other_item(
        organization=org,
        kind=kind,
        partner=partner,
        amount=Decimal(amount),
        counter_account=account(org, counter),
        date=extra.pop("date", DAY),
        **extra,
    )


def pay(org, partner, amount, lines=(), kind="receipt", **extra):
    payment = ar.save_payment(
        organization=org,
        user=None,
        data={
            "kind": kind,
            "date": extra.pop("date", DAY),
            "partner": partner,
            "amount": Decimal(amount),
            "account": account(org, "1002"),
            "lines": [{"item": item, "amount": Decimal(x)} for item, x in lines],
            **extra,
        },
    )
    return ar.post_payment(payment=payment)


def lines_of(voucher) -> list[tuple]:
    return sorted(
        (x.account.code, x.debit, x.credit) for x in voucher.lines.select_related("account")
    )


def test_an_other_receivable_then_a_receipt_with_a_bank_fee_settles_it(org, customer):
    item = invoice(org, customer, "1130")
    assert item.reference.startswith("QTYS")
    assert lines_of(item.voucher) == [
        ("1122", Decimal("1130.00"), 0),
        ("5001", 0, Decimal("1130.00")),
    ]
    receipt = pay(org, customer, "1000", [(item, "1000")], fee=Decimal("5"))
    assert receipt.number.startswith("SK")
    assert receipt.voucher.word == "收"
    # the advance (2203) it passes through nets out: settled at once
    assert lines_of(receipt.voucher) == [
        ("1002", Decimal("995.00"), 0),
        ("1122", 0, Decimal("1000.00")),
        ("560302", Decimal("5.00"), 0),
    ]
    item.refresh_from_db()
    assert item.open_amount == Decimal("130.00")
    assert receipt.item.open_amount == 0


def test_an_advance_is_applied_later_and_what_stays_is_still_open(org, customer):
    receipt = pay(org, customer, "500")
    assert balances(org)["2203"] == Decimal("-500.00")
    item = invoice(org, customer, "130")
    allocation = ar.allocate(organization=org, owed=item, paid=receipt.item, amount=Decimal("130"))
    assert lines_of(allocation.voucher) == [
        ("1122", 0, Decimal("130.00")),
        ("2203", Decimal("130.00"), 0),
    ]
    receipt.item.refresh_from_db()
    assert receipt.item.open_amount == Decimal("-370.00")
    assert balances(org)["2203"] == Decimal("-370.00")
    assert "1122" not in balances(org)


def test_allocating_more_than_is_open_or_across_partners_is_refused(org, customer, usd):
    other = make_partner(org, "C2", "客户丙", is_customer=True)
    item = invoice(org, customer, "100")
    receipt = pay(org, customer, "300")
    elsewhere = pay(org, other, "50")
    ExchangeRate.objects.create(organization=org, currency=usd, date=DAY, rate=Decimal("7"))
    dollars = invoice(org, customer, "10", currency=usd)
    for owed, paid, amount in (
        (item, receipt.item, "100.01"),
        (item, elsewhere.item, "10"),
        (dollars, receipt.item, "5"),
        (item, receipt.item, "0"),
        (item, receipt.item, "-5"),
        (receipt.item, item, "5"),
    ):
        with pytest.raises(ValidationFailed):
            ar.allocate(organization=org, owed=owed, paid=paid, amount=Decimal(amount))
    assert not Allocation.objects.exists()
    item.refresh_from_db()
    assert item.open_amount == Decimal("100.00")


@pytest.mark.parametrize(("rate", "gain"), [("7.2", "20.00"), ("6.9", "-10.00")])
def test_a_receivable_in_dollars_settled_at_another_rate_books_the_difference(
    org, customer, usd, rate, gain
):
    item = invoice(org, customer, "100", currency=usd, rate=Decimal("7"))
    assert item.base_amount == Decimal("700.00")
    receipt = pay(org, customer, "100", [(item, "100")], currency=usd, rate=Decimal(rate))
    allocation = Allocation.objects.get(paid_item=receipt.item)
    assert allocation.exchange_difference == Decimal(gain)
    fx = Decimal(gain)
    expected = {("560301", Decimal(0), fx)} if fx > 0 else {("560301", -fx, Decimal(0))}
    assert expected <= set(lines_of(receipt.voucher))
    item.refresh_from_db()
    assert (item.open_amount, item.open_base_amount) == (0, 0)


@pytest.mark.parametrize(("rate", "loss"), [("7.2", "20.00"), ("6.9", "-10.00")])
def test_a_payable_in_dollars_paid_at_another_rate_books_the_difference(
    org, supplier, usd, rate, loss
):
    bill = invoice(org, supplier, "100", kind="payable", counter="5602", currency=usd,
                   rate=Decimal("7"))  # fmt: skip
    assert lines_of(bill.voucher) == [
        ("220201", 0, Decimal("700.00")),
        ("5602", Decimal("700.00"), 0),
    ]
    payment = pay(org, supplier, "100", [(bill, "100")], kind="payment", currency=usd,
                  rate=Decimal(rate))  # fmt: skip
    assert payment.number.startswith("FK")
    fx = Decimal(loss)
    expected = ("560301", fx, Decimal(0)) if fx > 0 else ("560301", Decimal(0), -fx)
    assert expected in lines_of(payment.voucher)


def test_a_payment_with_a_cash_discount(org, supplier):
    bill = invoice(org, supplier, "1000", kind="payable", counter="5602")
    payment = pay(org, supplier, "1000", [(bill, "1000")], kind="payment", discount=Decimal("20"))
    assert lines_of(payment.voucher) == [
        ("1002", 0, Decimal("980.00")),
        ("220201", Decimal("1000.00"), 0),
        ("560304", 0, Decimal("20.00")),
    ]


def test_a_small_difference_is_written_off(org, customer):
    item = invoice(org, customer, "100.30")
    pay(org, customer, "100", [(item, "100")])
    item.refresh_from_db()
    allocation = ar.write_off(
        organization=org, item=item, amount=Decimal("0.30"), account=account(org, "5711")
    )
    assert lines_of(allocation.voucher) == [
        ("1122", 0, Decimal("0.30")),
        ("5711", Decimal("0.30"), 0),
    ]
    item.refresh_from_db()
    assert item.open_amount == 0
    with pytest.raises(ValidationFailed):
        ar.write_off(
            organization=org, item=item, amount=Decimal("0.01"), account=account(org, "5711")
        )


def test_undoing_an_allocation_and_reversing_a_receipt_reopen_the_items(org, customer):
    item = invoice(org, customer, "300")
    receipt = pay(org, customer, "500", [(item, "100")])
    later = ar.allocate(organization=org, owed=item, paid=receipt.item, amount=Decimal("50"))
    ar.undo_allocation(allocation=later)
    item.refresh_from_db()
    assert item.open_amount == Decimal("200.00")
    with pytest.raises(ValidationFailed):
        ar.undo_allocation(allocation=later)
    with pytest.raises(ValidationFailed):  # made with the receipt: reverse the receipt
        ar.undo_allocation(allocation=Allocation.objects.get(voucher=receipt.voucher))
    ar.allocate(organization=org, owed=item, paid=receipt.item, amount=Decimal("60"))
    ar.reverse_payment(payment=receipt, date=DAY)
    item.refresh_from_db()
    assert item.open_amount == Decimal("300.00")
    receipt.refresh_from_db()
    assert receipt.state == "reversed"
    assert receipt.item.open_amount == 0
    assert balances(org) == {"1122": Decimal("300.00"), "5001": Decimal("-300.00")}
    assert Voucher.objects.filter(reversal_of=receipt.voucher).exists()


def test_bad_receipts_are_refused_and_write_nothing(org, customer, supplier, usd):
    item = invoice(org, customer, "100")
    base = {"kind": "receipt", "date": DAY, "partner": customer, "amount": Decimal("50"),
            "account": account(org, "1002")}  # fmt: skip
    for change, field in (
        ({"partner": supplier}, "partner"),
        ({"account": account(org, "5001")}, "account"),
        ({"account": account(org, "1002").parent or account(org, "2221")}, "account"),
        ({"fee": Decimal("30"), "discount": Decimal("30")}, "fee"),
        ({"lines": [{"item": item, "amount": Decimal("60")}]}, "lines"),
        ({"lines": [{"item": item, "amount": Decimal("101")}]}, "lines.0.amount"),
        ({"currency": usd}, "currency"),  # no rate for the dollar on that day
    ):
        with pytest.raises(ValidationFailed) as error:
            ar.save_payment(organization=org, user=None, data={**base, **change})
        assert error.value.field == field, (change, error.value.field)
    assert OpenItem.objects.filter(organization=org).count() == 1
