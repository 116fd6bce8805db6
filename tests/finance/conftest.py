import datetime
from decimal import Decimal

import pytest

from jxc.finance.models import Account
from jxc.finance.services.vouchers import post_voucher, save_voucher
from jxc.inventory.verify import verify
from tests.inventory.conftest import Stock

DAY = datetime.date(2026, 11, 26)


def account(org, code) -> Account:
    return Account.objects.get(organization=org, code=code)


def line(org, code, summary="摘要", debit="0", credit="0", **extra) -> dict:
    return {
        "account": account(org, code),
        "summary": summary,
        "debit": Decimal(debit),
        "credit": Decimal(credit),
        **extra,
    }


def manual_voucher(org, user=None, amount="1000.00", day=DAY, post=True, **data):
    if "lines" not in data:
        data["lines"] = [
            line(org, "1002", "投资款", debit=amount),
            line(org, "3001", "投资款", credit=amount),
        ]
    voucher = save_voucher(organization=org, user=user, data={"date": day, **data})
    return post_voucher(voucher=voucher, user=user) if post else voucher


def balances(org) -> dict[str, Decimal]:
    """Debit minus credit per account code over posted lines."""
    from jxc.finance.models import VoucherLine

    found: dict[str, Decimal] = {}
    for row in VoucherLine.objects.filter(organization=org, posted=True).select_related("account"):
        found[row.account.code] = found.get(row.account.code, Decimal(0)) + row.debit - row.credit
    return {code: value for code, value in found.items() if value}


@pytest.fixture
def stock(org):
    world = Stock(org)
    yield world
    assert verify(org) == []  # books equal the valuation, vouchers balance
