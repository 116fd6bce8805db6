import datetime
from decimal import Decimal

import pytest

from jxc.inventory.verify import verify
from jxc.masterdata.models import Currency, TaxRate
from jxc.purchasing.services import orders, receipts
from tests.conftest import make_member
from tests.inventory.conftest import DAY, Stock
from tests.masterdata.conftest import make_partner

__all__ = ["DAY"]


class Purchasing(Stock):
    """Stock's small world plus a supplier, VAT 13 % and helpers for orders and receipts."""

    def __init__(self, org, user):
        super().__init__(org)
        self.user = user
        self.vendor = make_partner(org, "S1", "上海供应商有限公司")
        self.vat13 = TaxRate.objects.get(organization=org, code="VAT13")
        self.cny = Currency.objects.get(organization=org, is_base=True)

    def order(self, lines, submit=True, **header):
        data = {"business_date": DAY, "supplier": self.vendor, "warehouse": self.wh1, **header}
        data["lines"] = [{"tax_rate": self.vat13, "tax_inclusive": False, **line} for line in lines]
        order = orders.save_purchase_order(organization=self.org, user=self.user, data=data)
        if submit:
            order = orders.submit_purchase_order(order=order, user=self.user)
        return order

    def receipt(self, lines, post=True, **header):
        data = {"business_date": DAY, "supplier": self.vendor, "warehouse": self.wh1, **header}
        data["lines"] = [{"location": self.bin1, **line} for line in lines]
        receipt = receipts.save_goods_receipt(
            organization=self.org,
            user=self.user,
            data=data,
            allow_without_order=header.pop("allow_without_order", False),
        )
        if post:
            receipt = receipts.post_goods_receipt(receipt=receipt)
        return receipt


def qty(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture
def buyer(org, roles):
    return make_member(org, "bob", "purchaser", roles_by_code=roles)


@pytest.fixture
def world(org, admin_user):
    found = Purchasing(org, admin_user)
    yield found
    assert verify(org) == []


def days(n: int) -> datetime.date:
    return DAY + datetime.timedelta(days=n)
