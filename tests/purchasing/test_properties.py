"""Property tests of the purchasing chain: whatever receipts are tried against an order line,
what is received never exceeds the ordered quantity plus the tolerance, and equals the stock
that came in; whatever was sold meanwhile and whatever price the invoice says, the invoice
clears the 暂估 to the fen, splits the whole variance between stock and cost of sales, and the
inventory account keeps equal to the stock valuation."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from jxc.core.errors import ValidationFailed
from jxc.inventory.selectors import on_hand
from jxc.inventory.verify import verify
from jxc.purchasing.models import ReceiptTolerance
from jxc.purchasing.services import invoices
from tests.finance.conftest import balances
from tests.purchasing.conftest import DAY, Purchasing

pytestmark = pytest.mark.django_db

RUNS = settings(
    max_examples=20,
    deadline=None,
    phases=[p for p in Phase if p is not Phase.explain],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def in_savepoint(check):
    sid = transaction.savepoint()
    try:
        check()
    finally:
        transaction.savepoint_rollback(sid)


def test_received_never_exceeds_ordered_plus_tolerance(org, admin_user):
    world = Purchasing(org, admin_user)
    product = world.product()

    @RUNS
    @given(
        st.lists(st.integers(min_value=1, max_value=7), min_size=1, max_size=6),
        st.sampled_from([0, 10, 25]),
    )
    def run(attempts, tolerance):
        def check():
            ReceiptTolerance.objects.create(organization=org, percent=Decimal(tolerance))
            order = world.order(
                [{"product": product, "quantity": Decimal(10), "unit_price": Decimal(3)}]
            )
            line = order.lines.get()
            limit, received = Decimal(10) * (100 + tolerance) / 100, Decimal(0)
            for quantity in attempts:
                if received + quantity > limit:
                    with pytest.raises(ValidationFailed) as refused:
                        world.receipt([{"order_line": line, "quantity": Decimal(quantity)}])
                    assert refused.value.code == "over_receipt"
                else:
                    world.receipt([{"order_line": line, "quantity": Decimal(quantity)}])
                    received += quantity
            line.refresh_from_db()
            assert line.received_quantity == received == on_hand(product_id=product.pk)
            assert verify(org) == []

        in_savepoint(check)

    run()


def test_invoice_clears_the_estimate_and_splits_the_whole_variance(org, admin_user):
    world = Purchasing(org, admin_user)
    product = world.product()

    @RUNS
    @given(
        st.integers(min_value=1, max_value=9),
        st.integers(min_value=0, max_value=9),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(50), places=2),
        st.sampled_from(["special", "ordinary"]),
    )
    def run(quantity, sold, price, invoice_type):
        def check():
            order = world.order(
                [{"product": product, "quantity": Decimal(quantity),
                  "unit_price": Decimal("7.77")}]
            )  # fmt: skip
            receipt = world.receipt(
                [{"order_line": order.lines.get(), "quantity": Decimal(quantity)}]
            )
            if min(sold, quantity):
                world.issue(product, min(sold, quantity))
            draft = invoices.save_supplier_invoice(
                organization=org, user=None,
                data={"business_date": DAY, "supplier": world.vendor, "invoice_number": "P1",
                      "invoice_type": invoice_type,
                      "lines": [{"receipt_line": receipt.lines.get(),
                                 "quantity": Decimal(quantity), "unit_price": price}]},
            )  # fmt: skip
            posted = invoices.post_supplier_invoice(invoice=draft)
            line = posted.lines.get()
            books = balances(org)
            assert "220202" not in books  # the 暂估 is cleared to the fen
            assert books.get("220201") == -posted.gross_amount
            assert line.variance == line.base_cost - line.receipt_value
            sold_part = books.get("5401", Decimal(0))
            cost_of_sold = (
                receipt.lines.get().value - books.get("1405", Decimal(0)) + (line.variance_to_stock)
            )
            assert sold_part - cost_of_sold == line.variance - line.variance_to_stock
            if on_hand(product_id=product.pk) == 0:
                assert line.variance_to_stock == 0
            assert verify(org) == []

        in_savepoint(check)

    run()
