import datetime
from decimal import Decimal

import pytest

from jxc.finance.models import Account
from jxc.inventory.verify import verify
from jxc.masterdata.models import TaxRate
from jxc.sales.services import deliveries, invoices, orders
from tests.inventory.conftest import DAY, Stock
from tests.masterdata.conftest import make_partner

D = Decimal


class Sales(Stock):
    """The inventory test world plus a customer, a 13 % VAT product and helpers for orders."""

    def __init__(self, org, user):
        super().__init__(org)
        self.user = user
        self.vat = TaxRate.objects.get(organization=org, code="VAT13")
        self.customer = make_partner(org, "C1", "北京客户有限公司", is_customer=True,
                                     is_supplier=False)  # fmt: skip
        self.bank = Account.objects.get(organization=org, code="1002")

    def product(self, code="P1", **data):
        data.setdefault("tax_rate", self.vat)
        data.setdefault("sale_price", D("113"))
        return super().product(code, **data)

    def order(self, lines, day=DAY, **header):
        return orders.save_sales_order(
            organization=self.org,
            user=self.user,
            data={"business_date": day, "customer": self.customer, "warehouse": self.wh1,
                  "lines": [{"product": p, "quantity": D(str(q)), **extra}
                            for p, q, *rest in lines for extra in [rest[0] if rest else {}]],
                  **header},
        )  # fmt: skip

    def confirmed(self, lines, **header):
        return orders.submit_sales_order(order=self.order(lines, **header), user=self.user)

    def deliver(self, order_lines, day=DAY, **header):
        delivery = deliveries.save_delivery(
            organization=self.org,
            user=self.user,
            data={"business_date": day, "customer": self.customer, "warehouse": self.wh1,
                  "lines": [{"order_line": ol, "quantity": D(str(q)), **extra}
                            for ol, q, *rest in order_lines for extra in [rest[0] if rest else {}]],
                  **header},
        )  # fmt: skip
        return deliveries.post_delivery(delivery=delivery)

    def invoice(self, delivery_lines, day=DAY):
        invoice = invoices.save_invoice(
            organization=self.org,
            user=self.user,
            data={"business_date": day, "customer": self.customer, "invoice_type": "special",
                  "lines": [{"delivery_line": dl, "quantity": D(str(q))}
                            for dl, q in delivery_lines]},
        )  # fmt: skip
        return invoices.post_invoice(invoice=invoice)


@pytest.fixture
def sales(org, admin_user):
    world = Sales(org, admin_user)
    yield world
    assert verify(org) == []


DAY2 = DAY + datetime.timedelta(days=1)
