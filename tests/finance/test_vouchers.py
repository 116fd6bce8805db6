"""Chart of accounts, manual vouchers, numbering, reversal, periods: the ledger's rules."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, AccountRole, PostingRule, Voucher, VoucherLine
from jxc.finance.selectors import trial_balance
from jxc.finance.services import chart, closing, periods, vouchers
from jxc.finance.verify import verify_ledger
from tests.finance.conftest import DAY, account, line, manual_voucher
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db


def test_a_new_organization_gets_the_small_business_chart(org):
    codes = set(Account.objects.filter(organization=org).values_list("code", flat=True))
    assert {"1001", "1002", "1122", "1123", "1405", "1901", "2202", "220202", "2203"} <= codes
    assert {"22210101", "22210108", "22210110", "222102", "3103", "5001", "5401"} <= codes
    assert {"5601", "5602", "5603", "5301", "5711"} <= codes
    vat = account(org, "22210101")
    assert vat.parent.code == "222101"
    assert vat.parent.parent.code == "2221"
    assert not account(org, "2221").is_leaf
    assert vat.is_leaf
    assert account(org, "1122").dimensions == {"partner": "required"}
    roles = dict(AccountRole.objects.filter(organization=org).values_list("role", "account__code"))
    assert roles["inventory"] == "1405"
    assert roles["estimated_payable"] == "220202"
    assert PostingRule.objects.filter(organization=org).count() >= 10


def test_the_enterprise_template_replaces_the_chart_while_nothing_is_booked(org):
    chart.apply_template(organization=org, template="enterprise")
    assert account(org, "6001").name == "主营业务收入"
    assert account(org, "1471").name == "存货跌价准备"
    assert not Account.objects.filter(organization=org, code="5001", name="主营业务收入").exists()
    roles = dict(AccountRole.objects.filter(organization=org).values_list("role", "account__code"))
    assert roles["cost_of_sales"] == "6401"
    assert roles["profit_of_year"] == "4103"
    assert account(org, "4001").name == "实收资本"
    manual_voucher(org, lines=[line(org, "1002", debit="1"), line(org, "4001", credit="1")])
    with pytest.raises(ValidationFailed) as error:
        chart.apply_template(organization=org, template="small_business")
    assert error.value.field == "template"


def test_sub_accounts_follow_their_parent_and_a_booked_leaf_gets_none(org):
    bank = account(org, "1002")
    icbc = chart.save_account(
        organization=org, data={"code": "100201", "name": "工商银行", "parent": bank}
    )
    assert (icbc.type, icbc.direction) == ("asset", "debit")
    bank.refresh_from_db()
    assert not bank.is_leaf
    with pytest.raises(ValidationFailed) as error:
        chart.save_account(organization=org, data={"code": "1003", "name": "x", "parent": bank})
    assert error.value.field == "code"
    manual_voucher(org, amount="10.00", lines=[line(org, "100201", debit="10"),
                                               line(org, "3001", credit="10")])  # fmt: skip
    with pytest.raises(ValidationFailed) as error:
        chart.save_account(organization=org, data={"code": "10020101", "name": "x", "parent": icbc})
    assert error.value.field == "parent"


def test_posting_numbers_vouchers_without_gaps_per_word_and_period(org):
    first = manual_voucher(org)
    second = manual_voucher(org)
    receipt = manual_voucher(org, word="收")
    december = manual_voucher(org, day=datetime.date(2026, 12, 1))
    assert [first.number, second.number, receipt.number, december.number] == [1, 2, 1, 1]
    assert first.display_number == "记-0001"
    assert receipt.display_number == "收-0001"
    draft = manual_voucher(org, post=False)
    assert draft.number is None
    assert draft.state == Voucher.State.DRAFT
    assert not VoucherLine.objects.filter(voucher=draft, posted=True).exists()
    assert vouchers.post_voucher(voucher=draft, user=None).number == 3


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([("1002", "100", "0")], "lines"),  # one line
        ([("1002", "100", "0"), ("3001", "0", "90")], "lines"),  # unbalanced
        ([("1002", "100", "100"), ("3001", "0", "0")], "lines.0.debit"),  # both sides
        ([("1002", "0", "0"), ("3001", "0", "0")], "lines.0.debit"),  # nothing
        ([("2221", "100", "0"), ("3001", "0", "100")], "lines.0.account"),  # not a leaf
        ([("1121", "100", "0"), ("5001", "0", "100")], "lines.0.partner"),  # dimension missing
        ([("1002", "100.001", "0"), ("3001", "0", "100.001")], "lines.0.debit"),
    ],
)
def test_a_voucher_that_breaks_a_rule_names_the_line_and_saves_nothing(org, lines, field):
    with pytest.raises(ValidationFailed) as error:
        vouchers.save_voucher(
            organization=org,
            user=None,
            data={
                "date": DAY,
                "lines": [line(org, code, debit=d, credit=c) for code, d, c in lines],
            },
        )
    assert error.value.field == field
    assert not Voucher.objects.filter(organization=org).exists()


def test_dimensions_are_required_where_the_account_asks_and_refused_where_it_takes_none(org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    voucher = manual_voucher(
        org,
        lines=[
            line(org, "1121", "销售", debit="113", partner=customer),
            line(org, "5001", "销售", credit="100"),
            line(org, "22210108", "销售", credit="13"),
        ],
    )
    assert voucher.lines.get(account__code="1121").partner == customer
    with pytest.raises(ValidationFailed) as error:
        manual_voucher(
            org,
            lines=[
                line(org, "1002", "x", debit="1", partner=customer),
                line(org, "3001", "x", credit="1"),
            ],
        )
    assert error.value.field == "lines.0.partner"


def test_another_organizations_account_is_refused(org, other_org):
    with pytest.raises(ValidationFailed) as error:
        manual_voucher(
            org,
            lines=[line(other_org, "1002", debit="1"), line(org, "3001", credit="1")],
        )
    assert error.value.field == "lines.0.account"


def test_a_posted_voucher_is_reversed_in_red_once_and_never_changed(org):
    original = manual_voucher(org)
    with pytest.raises(ValidationFailed):
        vouchers.save_voucher(organization=org, user=None, data={}, voucher=original)
    with pytest.raises(ValidationFailed):
        vouchers.delete_draft(voucher=original)
    reversal = vouchers.reverse_voucher(voucher=original, user=None, date=DAY)
    assert reversal.reversal_of == original
    assert reversal.number == 2
    assert [(x.debit, x.credit) for x in reversal.lines.all()] == [
        (Decimal("-1000.00"), 0),
        (0, Decimal("-1000.00")),
    ]
    for target in (original, reversal):
        with pytest.raises(ValidationFailed):
            vouchers.reverse_voucher(voucher=target, user=None)
    result = trial_balance(org, DAY.replace(day=1), DAY, include_zero=True)
    bank = next(r for r in result["rows"] if r["code"] == "1002")
    assert bank["debit"] == 0
    assert bank["closing_debit"] == 0
    assert verify_ledger(org) == []


def test_a_closed_period_takes_no_voucher_until_reopened(org):
    september = manual_voucher(org, day=datetime.date(2026, 9, 5)).period
    october = manual_voucher(org, day=datetime.date(2026, 10, 5)).period
    with pytest.raises(ValidationFailed) as error:  # in order
        closing.close_period(period=october, user=None)
    assert error.value.field == "checklist"
    closing.close_period(period=september, user=None)
    with pytest.raises(ValidationFailed) as error:
        manual_voucher(org, day=datetime.date(2026, 9, 30))
    assert error.value.field == "date"
    closing.close_period(period=october, user=None)
    with pytest.raises(ValidationFailed) as error:  # a month not yet booked, before a closed one
        manual_voucher(org, day=datetime.date(2026, 8, 31))
    assert error.value.field == "date"
    with pytest.raises(ValidationFailed):  # the latest first
        periods.reopen_period(period=september)
    periods.reopen_period(period=october)
    assert manual_voucher(org, day=datetime.date(2026, 10, 31)).number == 2
    november = manual_voucher(org).period
    with pytest.raises(ValidationFailed) as error:  # not ended yet
        closing.close_period(period=november, user=None)
    assert "has not ended" in error.value.message


def test_the_trial_balance_rolls_up_and_balances(org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    manual_voucher(org, day=datetime.date(2026, 10, 5), amount="5000")
    manual_voucher(
        org,
        lines=[
            line(org, "1121", "销售", debit="1130", partner=customer),
            line(org, "5001", "销售", credit="1000"),
            line(org, "22210108", "销项", credit="130"),
        ],
    )
    result = trial_balance(org, datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
    rows = {r["code"]: r for r in result["rows"]}
    assert rows["1002"]["opening_debit"] == Decimal("5000")
    assert rows["1002"]["debit"] == 0
    assert rows["2221"]["credit"] == Decimal("130")
    assert rows["222101"]["credit"] == Decimal("130")
    assert rows["2221"]["closing_credit"] == Decimal("130")
    assert rows["2221"]["level"] == 1
    assert rows["22210108"]["level"] == 3
    assert rows["1002"]["year_debit"] == Decimal("5000")
    assert "1001" not in rows  # nothing booked
    totals = result["totals"]
    assert result["balanced"]
    assert totals["debit"] == totals["credit"] == Decimal("1130")
    assert totals["closing_debit"] == totals["closing_credit"] == Decimal("6130")


def test_a_manual_voucher_does_not_book_a_partner_ledger_account(org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    for code in ("1122", "2203", "220201", "1123"):
        with pytest.raises(ValidationFailed) as error:
            manual_voucher(
                org,
                lines=[line(org, "1002", debit="1"), line(org, code, credit="1", partner=customer)],
            )
        assert error.value.field == "lines.1.account"
