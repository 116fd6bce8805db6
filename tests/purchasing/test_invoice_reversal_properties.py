"""Property of 红冲: whatever was sold before the invoice, whatever price, tax and invoice type the
invoice says and however much of the receipt it bills, posting it and reversing it leaves every
account balance, the stock's value and the receipt line's invoiceable quantity as they were; the
inventory account keeps equal to the stock valuation."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jxc.inventory.verify import verify
from jxc.purchasing.services import invoices
from jxc.purchasing.services.invoice_reversals import reverse_supplier_invoice
from tests.finance.conftest import balances
from tests.purchasing.conftest import DAY, Purchasing
from tests.purchasing.test_properties import RUNS, in_savepoint

pytestmark = pytest.mark.django_db


def test_post_then_reverse_leaves_every_balance_unchanged(org, admin_user):
    world = Purchasing(org, admin_user)
    product = world.product()

    @RUNS
    @given(
        sold=st.integers(min_value=0, max_value=10),
        quantity=st.integers(min_value=1, max_value=10),
        price=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99"), places=2),
        percent=st.sampled_from([Decimal(0), Decimal(6), Decimal(13)]),
        invoice_type=st.sampled_from(["special", "ordinary", "e_special"]),
    )
    def run(sold, quantity, price, percent, invoice_type):
        def check():
            order = world.order(
                [{"product": product, "quantity": Decimal(10), "unit_price": Decimal("7.77")}]
            )
            receipt = world.receipt([{"order_line": order.lines.get(), "quantity": Decimal(10)}])
            if sold:
                world.issue(product, sold)
            line = receipt.lines.get()
            before = balances(org)
            left = invoices.uninvoiced(line)
            draft = invoices.save_supplier_invoice(
                organization=org,
                user=world.user,
                data={"business_date": DAY, "supplier": world.vendor, "invoice_number": "H1",
                      "invoice_type": invoice_type,
                      "lines": [{"receipt_line": line, "quantity": Decimal(quantity),
                                 "unit_price": price, "tax_percent": percent}]},
            )  # fmt: skip
            done = invoices.post_supplier_invoice(invoice=draft, user=world.user)
            reverse_supplier_invoice(invoice=done, user=world.user, reason="x", business_date=DAY)
            assert balances(org) == before
            line.refresh_from_db()
            assert invoices.uninvoiced(line) == left
            assert (line.estimate_cleared, order.lines.get().invoiced_quantity) == (0, 0)
            assert verify(org) == []

        in_savepoint(check)

    run()
