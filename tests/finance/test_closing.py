"""The month-end close: its steps (stock month close, profit and loss carried forward) run
and its checks pass, or nothing of it is kept."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Period, Voucher
from jxc.finance.services import closing, periods
from jxc.inventory.models import StockPeriodClose
from tests.finance.conftest import balances, line, manual_voucher
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
OCTOBER = datetime.date(2026, 10, 20)


def period_of(org, day) -> Period:
    return Period.objects.get(organization=org, year=day.year, month=day.month)


def sale_and_expense(org, day=OCTOBER, revenue="1000", expense="600"):
    customer = make_partner(org, f"C{revenue}", "客户", is_customer=True)
    manual_voucher(org, day=day, lines=[line(org, "1121", "销售", debit=revenue, partner=customer),
                                        line(org, "5001", "销售", credit=revenue)])  # fmt: skip
    manual_voucher(org, day=day, lines=[line(org, "5602", "房租", debit=expense),
                                        line(org, "1002", "房租", credit=expense)])  # fmt: skip


def test_closing_carries_profit_and_loss_to_the_profit_of_the_year(org):
    sale_and_expense(org)
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    carried = Voucher.objects.get(origin_type=closing.CARRY_FORWARD)
    assert carried.word == "转"
    assert carried.date == datetime.date(2026, 10, 31)
    assert sorted((x.account.code, x.debit, x.credit) for x in carried.lines.all()) == [
        ("3103", 0, Decimal("400.00")),
        ("5001", Decimal("1000.00"), 0),
        ("5602", 0, Decimal("600.00")),
    ]
    after = balances(org)
    assert "5001" not in after
    assert "5602" not in after
    assert after["3103"] == Decimal("-400.00")  # a profit: credit balance
    # reopened and booked again: closing carries only what is new
    periods.reopen_period(period=period_of(org, OCTOBER))
    manual_voucher(org, day=OCTOBER, lines=[line(org, "5602", "补记", debit="50"),
                                            line(org, "1002", "补记", credit="50")])  # fmt: skip
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    second = Voucher.objects.filter(origin_type=closing.CARRY_FORWARD).latest("id")
    assert sorted((x.account.code, x.debit, x.credit) for x in second.lines.all()) == [
        ("3103", Decimal("50.00"), 0),
        ("5602", 0, Decimal("50.00")),
    ]


def test_december_moves_the_years_profit_to_profit_distribution(org):
    december = datetime.date(2025, 12, 10)
    sale_and_expense(org, day=december, revenue="800", expense="300")
    closing.close_period(period=period_of(org, december), user=None)
    after = balances(org)
    assert "3103" not in after
    assert after["3104"] == Decimal("-500.00")


def test_a_failing_check_keeps_nothing_of_the_close(org):
    sale_and_expense(org)
    draft = manual_voucher(org, day=OCTOBER, post=False)
    with pytest.raises(ValidationFailed) as error:
        closing.close_period(period=period_of(org, OCTOBER), user=None)
    assert error.value.field == "checklist"
    assert not Voucher.objects.filter(origin_type=closing.CARRY_FORWARD).exists()
    assert period_of(org, OCTOBER).state == "open"
    listed = {c["code"]: c for c in closing.checklist(org, period_of(org, OCTOBER))}
    assert listed["draft_vouchers"]["problems"][0]["voucher"] == draft.pk
    assert listed["trial_balance"]["ok"]


def test_the_close_fixes_the_stock_month_and_checks_the_books_against_the_stock(stock):
    org = stock.org
    product = stock.product(costing_method="monthly_average")
    stock.receive(product, 10, 10, day=datetime.date(2026, 10, 3))
    stock.issue(product, 5, day=datetime.date(2026, 10, 10))
    stock.receive(product, 10, 16, day=datetime.date(2026, 10, 20))
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    assert StockPeriodClose.objects.filter(organization=org, month=OCTOBER.replace(day=1)).exists()
    assert Voucher.objects.filter(origin_type="inventory.revaluation").exists()
    # the cost of the issue, fixed at 13, is carried to 本年利润 with the rest
    assert balances(org)["3103"] == Decimal("65.00")


def test_stock_checks_name_what_stops_the_close(stock, admin_user):
    from jxc.inventory.services import documents

    org = stock.org
    product = stock.product(allow_negative_stock=True)
    stock.receive(product, 1, 5, day=OCTOBER)
    stock.issue(product, 3, day=OCTOBER)  # negative stock, allowed for this product
    draft = documents.save_stock_document(
        organization=org,
        user=admin_user,
        data={"kind": "receipt", "business_date": OCTOBER, "warehouse": stock.wh1,
              "lines": [{"product": product, "quantity": Decimal(1)}]},
    )  # fmt: skip
    manual_voucher(org, day=OCTOBER, lines=[line(org, "1405", "错记", debit="7", warehouse=stock.wh1),
                                            line(org, "1002", "错记", credit="7")])  # fmt: skip
    listed = {c["code"]: c for c in closing.checklist(org, period_of(org, OCTOBER))}
    assert listed["negative_stock"]["problems"][0]["product"] == product.pk
    assert listed["open_stock_documents"]["problems"][0]["stock_document"] == draft.pk
    assert "1405" in listed["books_equal_stock"]["problems"][0]["message"]
    with pytest.raises(ValidationFailed):
        closing.close_period(period=period_of(org, OCTOBER), user=None)
    # put right for the fixture's own check at the end
    manual_voucher(org, day=OCTOBER, lines=[line(org, "1405", "更正", credit="7", warehouse=stock.wh1),
                                            line(org, "1002", "更正", debit="7")])  # fmt: skip


def test_the_close_revalues_open_foreign_items_and_reverses_it_next_month(org):
    from jxc.finance.services import receivables as ar
    from jxc.masterdata.models import Currency, ExchangeRate

    usd = Currency.objects.create(organization=org, code="USD", name="美元")
    customer = make_partner(org, "C1", "客户", is_customer=True)
    ExchangeRate.objects.create(organization=org, currency=usd, date=OCTOBER, rate=Decimal("7"))
    item = ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("100"),
        counter_account=line(org, "5001")["account"], date=OCTOBER, currency=usd,
    )  # fmt: skip
    assert item.base_amount == Decimal("700.00")
    ExchangeRate.objects.create(
        organization=org, currency=usd, date=datetime.date(2026, 10, 31), rate=Decimal("7.3")
    )
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    revalued = Voucher.objects.get(origin_type="finance.fx_revaluation", reversal_of=None)
    assert revalued.date == datetime.date(2026, 10, 31)
    assert sorted((x.account.code, x.debit, x.credit) for x in revalued.lines.all()) == [
        ("1122", Decimal("30.00"), 0),
        ("560301", 0, Decimal("30.00")),
    ]
    reversal = Voucher.objects.get(reversal_of=revalued)
    assert reversal.date == datetime.date(2026, 11, 1)
    # closing again after a reopen revalues nothing twice
    periods.reopen_period(period=period_of(org, OCTOBER))
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    assert Voucher.objects.filter(origin_type="finance.fx_revaluation").count() == 2


def test_the_close_transfers_unpaid_vat(org):
    manual_voucher(org, day=OCTOBER, lines=[line(org, "1002", "销售", debit="1130"),
                                            line(org, "5001", "销售", credit="1000"),
                                            line(org, "22210108", "销项", credit="130")])  # fmt: skip
    manual_voucher(org, day=OCTOBER, lines=[line(org, "5602", "采购", debit="500"),
                                            line(org, "22210101", "进项", debit="65"),
                                            line(org, "1002", "采购", credit="565")])  # fmt: skip
    closing.close_period(period=period_of(org, OCTOBER), user=None)
    transfer = Voucher.objects.get(origin_type="finance.vat_transfer")
    assert sorted((x.account.code, x.debit, x.credit) for x in transfer.lines.all()) == [
        ("22210104", Decimal("65.00"), 0),
        ("222102", 0, Decimal("65.00")),
    ]
