"""Supplier invoices: matched to receipt lines, never for more than received; duplicate
numbers refused; posting reverses the 暂估, splits the price variance between stock on hand
and goods sold, books deductible input VAT and the AP open item."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem
from jxc.inventory.selectors import on_hand
from jxc.purchasing.models import SupplierInvoice
from jxc.purchasing.services import invoices
from tests.finance.conftest import balances
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def received(world, quantity=10, price="10", product=None):
    product = product or world.product()
    order = world.order([{"product": product, "quantity": qty(quantity), "unit_price": qty(price)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(quantity)}])
    return product, order, receipt


def invoice(world, receipt_line, quantity, price, number="00001", invoice_type="special", **kw):
    return invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        data={
            "business_date": DAY,
            "supplier": world.vendor,
            "invoice_type": invoice_type,
            "invoice_number": number,
            "lines": [{"receipt_line": receipt_line, "quantity": qty(quantity),
                       "unit_price": qty(price), **kw}],
        },
    )  # fmt: skip


def test_invoice_at_the_receipt_price_reverses_the_estimate(world):
    _product, order, receipt = received(world)
    draft = invoice(world, receipt.lines.get(), 10, "10")
    assert (draft.net_amount, draft.tax_amount, draft.gross_amount) == (
        Decimal("100.00"), Decimal("13.00"), Decimal("113.00"))  # fmt: skip
    posted = invoices.post_supplier_invoice(invoice=draft)
    assert posted.state == "done"
    assert posted.number.startswith("JP")
    assert balances(world.org) == {
        "1405": Decimal("100.00"),
        "22210101": Decimal("13.00"),
        "220201": Decimal("-113.00"),
    }
    item = OpenItem.objects.get(document_type="purchasing.supplierinvoice")
    assert (item.kind, item.amount, item.open_amount, item.partner) == (
        "payable", Decimal("113.00"), Decimal("113.00"), world.vendor)  # fmt: skip
    line = order.lines.get()
    assert line.invoiced_quantity == 10


def test_price_variance_is_split_between_stock_on_hand_and_goods_sold(world):
    product, _order, receipt = received(world)
    world.issue(product, 4)  # 4 of 10 sold at 10 each
    posted = invoices.post_supplier_invoice(
        invoice=invoice(world, receipt.lines.get(), 10, "11")
    )  # 110 net: 10 more than received
    line = posted.lines.get()
    assert (line.receipt_value, line.variance, line.variance_to_stock) == (
        Decimal("100.00"), Decimal("10.00"), Decimal("6.00"))  # fmt: skip
    books = balances(world.org)
    assert books["1405"] == Decimal("66.00")  # 6 on hand at 11
    assert books["5401"] == Decimal("44.00")  # 4 sold at 10 + 4 of variance
    assert books["220201"] == Decimal("-124.30")
    assert "220202" not in books
    assert on_hand(product_id=product.pk) == 6


def test_ordinary_invoice_vat_goes_into_the_cost(world):
    _product, _order, receipt = received(world)
    invoices.post_supplier_invoice(
        invoice=invoice(world, receipt.lines.get(), 10, "10", invoice_type="ordinary")
    )
    books = balances(world.org)
    assert books["1405"] == Decimal("113.00")
    assert "22210101" not in books


def test_more_than_received_and_duplicate_numbers_are_refused(world):
    _product, _order, receipt = received(world, quantity=5)
    line = receipt.lines.get()
    with pytest.raises(ValidationFailed) as refused:
        invoice(world, line, 6, "10")
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_invoice")
    invoices.post_supplier_invoice(invoice=invoice(world, line, 3, "10"))
    with pytest.raises(ValidationFailed) as refused:
        invoice(world, line, 2, "10")  # same number, same supplier
    assert (refused.value.field, refused.value.code) == ("invoice_number", "duplicate_invoice")
    with pytest.raises(ValidationFailed) as refused:
        invoice(world, line, 3, "10", number="00002")  # only 2 left
    assert refused.value.field == "lines.0.quantity"
    assert SupplierInvoice.objects.count() == 1


def test_invoice_from_receipts_takes_everything_not_invoiced(world):
    _product, _order, receipt = received(world, quantity=5)
    draft = invoices.invoice_from_receipts(
        organization=world.org,
        user=world.user,
        receipts=[receipt],
        data={"invoice_number": "88", "business_date": DAY, "invoice_type": "e_special"},
    )
    assert [line.quantity for line in draft.lines.all()] == [5]
    invoices.post_supplier_invoice(invoice=draft)
    assert balances(world.org)["22210101"] == Decimal("6.50")
