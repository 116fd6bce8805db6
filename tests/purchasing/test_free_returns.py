"""Free-standing purchase returns (无来源退货): goods leave a bin at the current cost, the
supplier's credited price is booked as an AP credit with the input VAT reversed and the
difference to the stock's cost as price variance; the credit (of any return) is refunded
through a supplier refund or offset against an invoice. Bad input is refused naming the field,
writing nothing; after each step the trial balance and `jxc verify`'s checks agree."""

from decimal import Decimal

import pytest

from jxc.core.errors import DomainError, ValidationFailed
from jxc.finance.models import Allocation, OpenItem, Payment
from jxc.finance.verify import check_trial_balance
from jxc.inventory.models import Lot, StockMove
from jxc.inventory.selectors import on_hand
from jxc.inventory.verify import verify
from jxc.masterdata.models import Location
from jxc.purchasing.models import PurchaseReturn
from jxc.purchasing.services import invoices, return_credits, returns
from tests.finance.conftest import account, balances
from tests.purchasing.conftest import DAY, qty
from tests.purchasing.test_invoices import invoice, received
from tests.purchasing.test_returns import give_back

pytestmark = pytest.mark.django_db


def invoiced(world, quantity=10, price="10", number="00001", product=None):
    """Goods received at ``price`` (excluding 13 % VAT) and invoiced at it."""
    product, order, receipt = received(world, quantity=quantity, price=price, product=product)
    posted = invoices.post_supplier_invoice(
        invoice=invoice(world, receipt.lines.get(), quantity, price, number=number)
    )
    return product, receipt, posted


def line(world, product, quantity, price="12", **extra):
    return {"product": product, "location": world.bin1, "quantity": qty(quantity),
            "unit_price": qty(price), "tax_percent": qty(13), **extra}  # fmt: skip


def free_return(world, lines, post=True, **header):
    data = {"supplier": world.vendor, "warehouse": world.wh1, "business_date": DAY,
            "lines": lines, **header}  # fmt: skip
    draft = returns.save_purchase_return(organization=world.org, user=world.user, data=data)
    return returns.post_purchase_return(purchase_return=draft) if post else draft


def consistent(world):
    assert check_trial_balance(world.org) == []
    assert verify(world.org) == []


def test_free_return_issues_stock_at_cost_and_books_the_credit(world):
    product, _receipt, _invoice = invoiced(world)
    draft = free_return(world, [line(world, product, 4)], post=False)
    assert (draft.net_amount, draft.tax_amount, draft.gross_amount) == (
        Decimal("48.00"), Decimal("6.24"), Decimal("54.24"))  # fmt: skip
    assert draft.receipt is None
    assert draft.currency.is_base
    done = returns.post_purchase_return(purchase_return=draft)
    assert done.state == "done"
    assert done.number.startswith("CT")
    assert on_hand(product_id=product.pk, location_id=world.bin1.pk) == 6
    move = StockMove.objects.get(reference=done.number)
    assert (move.to_location.kind, move.value) == ("supplier", Decimal("40.00"))
    assert done.lines.get().value == Decimal("40.00")
    books = balances(world.org)
    assert books["1405"] == Decimal("60.00")
    assert "220202" not in books  # the goods' cost went out and came back as the credit
    assert books["1123"] == Decimal("54.24")  # the supplier owes the credited gross
    assert books["22210101"] == Decimal("6.76")  # 13.00 less 6.24 reversed
    assert books["5401"] == Decimal("-8.00")  # credited 48 for goods that cost 40
    credit = OpenItem.objects.get(document_type="purchasing.purchasereturn")
    assert (credit.amount, credit.open_amount, credit.partner) == (
        Decimal("-54.24"), Decimal("-54.24"), world.vendor)  # fmt: skip
    assert done.open_item == credit
    consistent(world)


def test_price_including_tax_and_the_products_rate_by_default(world):
    product, _receipt, _invoice = invoiced(world)
    product.tax_rate = world.vat13
    product.save()
    draft = free_return(
        world, [{"product": product, "location": world.bin1, "quantity": qty(1),
                 "unit_price": qty("11.30"), "tax_inclusive": True}], post=False,
    )  # fmt: skip
    row = draft.lines.get()
    assert (row.tax_percent, row.net_amount, row.tax_amount, row.gross_amount) == (
        Decimal("13"), Decimal("10.00"), Decimal("1.30"), Decimal("11.30"))  # fmt: skip
    returns.post_purchase_return(purchase_return=draft)
    assert "5401" not in balances(world.org)  # credited at what it cost: no variance
    consistent(world)


def test_lot_goes_back_from_its_lot_and_must_be_named(world):
    lotted = world.product("L1", tracking="lot")
    order = world.order([{"product": lotted, "quantity": qty(5), "unit_price": qty(10)}])
    world.receipt([{"order_line": order.lines.get(), "quantity": qty(5), "lot_code": "B1"}])
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [line(world, lotted, 2)])
    assert refused.value.field == "lines.0.lot"
    lot = Lot.objects.get(product=lotted, code="B1")
    done = free_return(world, [line(world, lotted, 2, lot=lot)])
    assert StockMove.objects.get(reference=done.number).lot == lot
    assert on_hand(product_id=lotted.pk, lot_id=lot.pk) == 3
    consistent(world)


def test_serial_must_be_in_stock_at_the_bin(world):
    serial = world.product("S1", tracking="serial")
    order = world.order([{"product": serial, "quantity": qty(1), "unit_price": qty(100)}])
    world.receipt([{"order_line": order.lines.get(), "quantity": qty(1), "serial": "SN1"}])
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [line(world, serial, 1, serial="SN2")])
    assert refused.value.field == "lines.0.serial"
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [line(world, serial, 1, serial="SN1", location=world.bin2)])
    assert refused.value.field in ("lines.0.serial", "lines.0.location")
    done = free_return(world, [line(world, serial, 1, "100", serial="SN1")])
    assert StockMove.objects.get(reference=done.number).serial.serial == "SN1"
    assert on_hand(product_id=serial.pk) == 0
    consistent(world)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": qty(0)}, "lines.0.quantity"),
        ({"quantity": qty(-1)}, "lines.0.quantity"),
        ({"quantity": "3"}, "lines.0.quantity"),
        ({"quantity": qty(11)}, "lines.0.quantity"),  # 10 in stock
        ({"unit_price": qty(-1)}, "lines.0.unit_price"),
        ({"unit_price": None}, "lines.0.unit_price"),
        ({"tax_percent": qty(101)}, "lines.0.tax_percent"),
        ({"tax_percent": qty(-1)}, "lines.0.tax_percent"),
        ({"product": None}, "lines.0.product"),
        ({"location": None}, "lines.0.location"),
        ({"serial": "SN1"}, "lines.0.serial"),  # not serial-tracked
    ],
)
def test_bad_lines_are_refused_naming_the_field(world, change, field):
    product, _receipt, _invoice = invoiced(world)
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [{**line(world, product, 3), **change}])
    assert refused.value.field == field
    assert not PurchaseReturn.objects.exists()


def test_receipt_lines_and_other_warehouses_are_refused(world):
    product, receipt, _invoice = invoiced(world)
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [line(world, product, 1, receipt_line=receipt.lines.get())])
    assert refused.value.field == "lines.0.receipt_line"
    elsewhere = Location.objects.filter(warehouse=world.wh2).exclude(kind="warehouse").first()
    with pytest.raises(ValidationFailed) as refused:
        free_return(world, [line(world, product, 1, location=elsewhere or world.wh2)])
    assert refused.value.field == "lines.0.location"
    for header, field in (({"warehouse": None}, "warehouse"), ({"supplier": None}, "receipt")):
        with pytest.raises(ValidationFailed) as refused:
            free_return(world, [line(world, product, 1)], **header)
        assert refused.value.field == field
    assert not PurchaseReturn.objects.exists()


def test_stock_gone_before_posting_is_refused_and_nothing_is_written(world):
    product, _receipt, _invoice = invoiced(world)
    draft = free_return(world, [line(world, product, 8)], post=False)
    world.issue(product, 5)
    with pytest.raises(DomainError) as refused:
        returns.post_purchase_return(purchase_return=draft)
    assert (refused.value.code, refused.value.field) == ("insufficient_stock", "lines.0.quantity")
    draft.refresh_from_db()
    assert (draft.state, draft.number, draft.open_item) == ("draft", "", None)
    assert not OpenItem.objects.filter(document_type="purchasing.purchasereturn").exists()


def test_credit_refunded_by_the_supplier(world):
    product, _receipt, _invoice = invoiced(world)
    done = free_return(world, [line(world, product, 4)])
    bank = account(world.org, "1002")
    with pytest.raises(ValidationFailed) as refused:
        return_credits.refund_purchase_return(
            purchase_return=done, account=bank, user=world.user, amount=qty("54.25")
        )
    assert refused.value.field == "amount"
    payment = return_credits.refund_purchase_return(
        purchase_return=done, account=bank, user=world.user, amount=qty("50"), date=DAY
    )
    assert (payment.kind, payment.state, payment.number[:2]) == ("refund", "posted", "SK")
    return_credits.refund_purchase_return(purchase_return=done, account=bank, user=world.user)
    books = balances(world.org)
    assert books["1002"] == Decimal("54.24")
    assert "1123" not in books
    done.open_item.refresh_from_db()
    assert done.open_item.open_amount == 0
    with pytest.raises(ValidationFailed) as refused:
        return_credits.refund_purchase_return(purchase_return=done, account=bank, user=world.user)
    assert refused.value.field == "state"
    consistent(world)


def test_credit_of_a_receipts_return_is_refunded_too(world):
    _product, receipt, _invoice = invoiced(world)
    done = give_back(world, receipt, 4)
    payment = return_credits.refund_purchase_return(
        purchase_return=done, account=account(world.org, "1002"), user=world.user
    )
    assert payment.amount == Decimal("45.20")
    assert "1123" not in balances(world.org)
    consistent(world)


def test_credits_offset_against_the_next_invoice(world):
    product, _receipt, first = invoiced(world)
    early = free_return(world, [line(world, product, 2)])  # 27.12
    later = free_return(world, [line(world, product, 1)])  # 13.56
    _p, _r, second = invoiced(world, quantity=3, number="00002", product=product)  # 33.90
    assert [x.reference for x in return_credits.open_return_credits(
        supplier_id=world.vendor.pk, currency_id=world.cny.pk)] == [early.number, later.number]  # fmt: skip
    allocations = return_credits.offset_invoice_with_returns(invoice=second, user=world.user)
    assert [x.amount for x in allocations] == [Decimal("27.12"), Decimal("6.78")]
    second.open_item.refresh_from_db()
    assert second.open_item.open_amount == 0
    later.open_item.refresh_from_db()
    assert later.open_item.open_amount == Decimal("-6.78")
    # the rest offsets the first invoice, from the return
    allocation = return_credits.offset_purchase_return(
        purchase_return=later, invoice=first, user=world.user
    )
    assert allocation.amount == Decimal("6.78")
    first.open_item.refresh_from_db()
    assert first.open_item.open_amount == Decimal("106.22")
    assert "1123" not in balances(world.org)
    with pytest.raises(ValidationFailed) as refused:
        return_credits.offset_invoice_with_returns(invoice=first, user=world.user)
    assert refused.value.field == "state"
    assert Allocation.objects.count() == 3
    consistent(world)


def test_offset_refuses_another_suppliers_invoice_and_too_much(world):
    from tests.masterdata.conftest import make_partner

    product, _receipt, first = invoiced(world)
    done = free_return(world, [line(world, product, 1)])
    with pytest.raises(ValidationFailed) as refused:
        return_credits.offset_purchase_return(
            purchase_return=done, invoice=first, user=world.user, amount=qty("13.57")
        )
    assert refused.value.field == "amount"
    other = make_partner(world.org, "S2", "另一供应商")
    first.open_item.partner = other
    first.open_item.save()
    with pytest.raises(ValidationFailed) as refused:
        return_credits.offset_purchase_return(purchase_return=done, invoice=first, user=world.user)
    assert refused.value.field == "invoice"
    first.open_item.partner = world.vendor
    first.open_item.save()
    assert not Allocation.objects.exists()
    assert Payment.objects.count() == 0


def test_free_return_counts_in_the_purchase_reports_by_its_warehouse(world):
    from jxc.purchasing.reports import Filters, purchase_detail, purchase_summary

    product, _receipt, _invoice = invoiced(world)
    done = free_return(world, [line(world, product, 4)])
    rows = purchase_detail(world.org, Filters(warehouse_id=world.wh1.pk))
    returned = next(row for row in rows if row["number"] == done.number)
    assert (returned["kind"], returned["quantity"], returned["amount"]) == (
        "return", Decimal("-4"), Decimal("-40.00"))  # fmt: skip
    assert returned["warehouse_name"] == world.wh1.name
    (group,) = purchase_summary(world.org, Filters(), group_by="warehouse")
    assert (group["key"], group["quantity"], group["amount"]) == (
        world.wh1.pk, Decimal("6"), Decimal("60.00"))  # fmt: skip


def test_a_refund_settles_credits_only(world):
    from jxc.finance.services.receivables import save_payment

    _product, _receipt, posted = invoiced(world)
    with pytest.raises(ValidationFailed) as refused:
        save_payment(
            organization=world.org, user=world.user,
            data={"kind": "refund", "date": DAY, "partner": world.vendor, "amount": qty(10),
                  "account": account(world.org, "1002"),
                  "lines": [{"item": posted.open_item, "amount": qty(10)}]},
        )  # fmt: skip
    assert refused.value.field == "lines.0.item"
