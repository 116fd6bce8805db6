"""The supplier invoice's lines show the three-way match: ordered and received quantity (base
unit) and the order's price next to the invoice's, tax-exclusive per base unit, and their
difference."""

import pytest

from jxc.purchasing.services import invoices
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def test_invoice_lines_show_ordered_received_and_both_prices(api, world):
    product = world.product()
    order = world.order([{"product": product, "quantity": qty(10), "unit_price": qty(10)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(8)}])
    draft = invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        data={"business_date": DAY, "supplier": world.vendor, "invoice_number": "3W-1",
              "lines": [{"receipt_line": receipt.lines.get(), "quantity": qty(6),
                         "unit_price": qty("10.5")}]},
    )  # fmt: skip
    line = api.get(f"/api/v1/supplier-invoices/{draft.pk}/").json()["lines"][0]
    assert (line["ordered_quantity"], line["received_quantity"], line["quantity"]) == (
        "10.0000", "8.0000", "6.0000")  # fmt: skip
    assert (line["order_price"], line["invoice_price"], line["price_difference"]) == (
        "10.000000", "10.500000", "0.500000")  # fmt: skip


def test_a_receipt_line_without_an_order_has_no_ordered_quantity(api, world):
    product = world.product()
    receipt = world.receipt(
        [{"product": product, "unit": product.base_unit, "quantity": qty(2),
          "unit_price": qty(3)}],
        allow_without_order=True,
    )  # fmt: skip
    draft = invoices.invoice_from_receipts(
        organization=world.org, user=world.user, receipts=[receipt],
        data={"invoice_number": "3W-2", "business_date": DAY},
    )  # fmt: skip
    line = api.get(f"/api/v1/supplier-invoices/{draft.pk}/").json()["lines"][0]
    assert line["ordered_quantity"] is None
    assert line["price_difference"] == "0.000000"
