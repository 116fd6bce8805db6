"""红字冲销 of a posted supplier invoice: the voucher reversed in red, the AP item closed, the
invoiced quantities back on the receipt and order lines (invoiceable again), the price variance
that went onto stock taken off again; refused — naming what to undo first, writing nothing —
when paid, offset, requested, returned, in a closed period, or not posted."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.core.models import AuditLog
from jxc.finance.models import Account, OpenItem, Period, Voucher
from jxc.finance.services.receivables import undo_allocation
from jxc.inventory.selectors import on_hand
from jxc.purchasing.models import GoodsReceiptLine, SupplierInvoice
from jxc.purchasing.services import invoices
from jxc.purchasing.services import payment_requests as pr
from jxc.purchasing.services.invoice_reversals import reverse_supplier_invoice
from jxc.purchasing.services.return_credits import offset_invoice_with_returns
from tests.finance.conftest import account, balances
from tests.purchasing.conftest import DAY, days, qty
from tests.purchasing.test_invoices import invoice, received
from tests.purchasing.test_returns import give_back

pytestmark = pytest.mark.django_db


def posted(world, receipt_line, quantity=10, price="10", **kw):
    draft = invoice(world, receipt_line, quantity, price, **kw)
    return invoices.post_supplier_invoice(invoice=draft, user=world.user)


def reverse(world, invoice_, reason="发票金额录错", on=None):
    return reverse_supplier_invoice(
        invoice=invoice_, user=world.user, reason=reason, business_date=on or days(1)
    )


def refused(world, invoice_, **kw) -> ValidationFailed:
    before = (balances(world.org), Voucher.objects.count())
    with pytest.raises(ValidationFailed) as error:
        reverse(world, invoice_, **kw)
    assert (balances(world.org), Voucher.objects.count()) == before  # nothing written
    assert SupplierInvoice.objects.get(pk=invoice_.pk).state == "done"
    return error.value


def test_reversal_undoes_the_invoice_and_the_lines_can_be_invoiced_again(world):
    _product, order, receipt = received(world)
    after_receipt = balances(world.org)
    line = receipt.lines.get()
    done = posted(world, line, price="10.5")
    assert balances(world.org) != after_receipt
    reversed_ = reverse(world, done)
    assert reversed_.state == "reversed"
    assert balances(world.org) == after_receipt  # 暂估 back on 220202, no payable, no VAT
    assert (reversed_.reversal_date, reversed_.reversal_reason) == (days(1), "发票金额录错")
    assert reversed_.reversed_by == world.user
    assert reversed_.reversed_at is not None
    red = reversed_.reversal_voucher
    assert red.reversal_of_id == done.open_item.voucher_id
    assert red.date == days(1)
    item = OpenItem.objects.get(pk=done.open_item_id)
    assert (item.open_amount, item.open_base_amount) == (0, 0)
    open_items = OpenItem.objects.filter(organization=world.org).exclude(open_amount=0)
    assert not open_items.exists()
    line.refresh_from_db()
    assert (line.invoiced_quantity, line.estimate_cleared) == (0, 0)
    assert invoices.uninvoiced(line) == 10
    assert order.lines.get().invoiced_quantity == 0
    history = AuditLog.objects.filter(
        model="purchasing.supplierinvoice", object_id=str(done.pk)
    ).latest("id")
    assert history.action == "state"
    assert history.changes["state"] == ["done", "reversed"]
    assert history.changes["reversal_reason"][1] == "发票金额录错"
    # the same supplier's invoice number can be entered again, and posts
    again = posted(world, line, price="10")
    assert again.invoice_number == done.invoice_number
    assert balances(world.org) == {
        "1405": Decimal("100.00"), "22210101": Decimal("13.00"), "220201": Decimal("-113.00"),
    }  # fmt: skip


def test_variance_onto_stock_is_taken_off_again(world):
    product, _order, receipt = received(world)
    world.issue(product, 4)
    before = balances(world.org)
    done = posted(world, receipt.lines.get(), price="11")
    assert done.lines.get().variance_to_stock == Decimal("6.00")
    assert done.lines.get().stock_quantity == 6
    reverse(world, done)
    assert balances(world.org) == before  # 1405 60, 5401 40, 220202 −100
    assert on_hand(product_id=product.pk) == 6


def test_variance_of_goods_sold_since_comes_off_cost_of_sales(world):
    product, _order, receipt = received(world)
    world.issue(product, 4)
    done = posted(world, receipt.lines.get(), price="11")  # 6 on hand at 11
    world.issue(product, 3)  # 3 more went out at 11
    reverse(world, done)
    books = balances(world.org)
    assert books["1405"] == Decimal("30.00")  # 3 left at the receipt's 10
    assert books["5401"] == Decimal("70.00")  # 7 gone at 10
    assert books["220202"] == Decimal("-100.00")
    assert "220201" not in books
    assert "22210101" not in books


def test_expense_lines_are_reversed_with_the_goods(world):
    _product, _order, receipt = received(world)
    after_receipt = balances(world.org)
    draft = invoice(world, receipt.lines.get(), 10, "10")
    invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        invoice=draft,
        data={"lines": [
            {"receipt_line": receipt.lines.get(), "quantity": qty(10), "unit_price": qty(10)},
            {"account": account(world.org, "5602"), "description": "运费", "quantity": qty(1),
             "unit_price": qty(50), "tax_percent": qty(9)},
        ]},
    )  # fmt: skip
    done = invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert balances(world.org)["5602"] == Decimal("50.00")
    reverse(world, done)
    assert balances(world.org) == after_receipt


def test_refused_when_paid_in_part_until_the_payment_is_reversed(world):
    from jxc.finance.services.receivables import reverse_payment

    _product, _order, receipt = received(world)
    done = posted(world, receipt.lines.get())
    request = pr.submit_payment_request(
        request=pr.save_payment_request(
            organization=world.org,
            user=world.user,
            data={"business_date": DAY, "supplier": world.vendor, "pay_date": DAY,
                  "account": Account.objects.get(organization=world.org, code="1002"),
                  "lines": [{"invoice": done, "amount": qty("50.00")}]},
        ),
        user=world.user,
    )  # fmt: skip
    error = refused(world, done)
    assert (error.field, error.code) == ("state", "invoice_requested")
    paid = pr.pay_payment_request(request=request, user=world.user, date=DAY)
    error = refused(world, done)
    assert (error.field, error.code) == ("state", "invoice_paid")
    reverse_payment(payment=paid.payment, user=world.user, date=DAY)
    assert reverse(world, done).state == "reversed"


def test_refused_when_a_return_credit_was_offset_until_undone(world):
    product = world.product("P2")
    _p, _order, other = received(world, quantity=5, product=product)
    first = posted(world, other.lines.get(), quantity=5, number="R1")
    give_back(world, other, 2)  # a credit of 22.60
    _p, _order, receipt = received(world)
    done = posted(world, receipt.lines.get(), number="R2")
    (allocation,) = offset_invoice_with_returns(invoice=done, user=world.user, date=DAY)
    error = refused(world, done)
    assert (error.field, error.code) == ("state", "invoice_offset")
    undo_allocation(allocation=allocation, user=world.user, date=DAY)
    assert reverse(world, done).state == "reversed"
    # the invoice whose goods went back after invoicing keeps its invoice
    error = refused(world, first)
    assert (error.field, error.code) == ("state", "invoice_returned")


def test_refused_in_a_closed_period_before_the_invoice_or_without_a_reason(world):
    _product, _order, receipt = received(world)
    done = posted(world, receipt.lines.get())
    next_month = (DAY.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    Period.objects.create(
        organization=world.org, year=next_month.year, month=next_month.month, start=next_month,
        end=next_month + datetime.timedelta(days=27), state=Period.State.CLOSED,
    )  # fmt: skip
    assert refused(world, done, on=next_month).field == "business_date"
    assert refused(world, done, on=DAY - datetime.timedelta(days=1)).field == "business_date"
    assert refused(world, done, reason="  ").field == "reason"
    assert refused(world, done, reason="x" * 256).field == "reason"
    assert reverse(world, done, on=DAY).state == "reversed"


def test_only_a_posted_invoice_is_reversed_and_only_once(world):
    _product, _order, receipt = received(world)
    draft = invoice(world, receipt.lines.get(), 10, "10")
    with pytest.raises(ValidationFailed) as error:
        reverse(world, draft)
    assert (error.value.field, error.value.code) == ("state", "invalid_state")
    done = invoices.post_supplier_invoice(invoice=draft, user=world.user)
    reverse(world, done)
    vouchers = Voucher.objects.count()
    with pytest.raises(ValidationFailed) as error:
        reverse(world, done)
    assert (error.value.field, error.value.code) == ("state", "invalid_state")
    assert Voucher.objects.count() == vouchers
    assert GoodsReceiptLine.objects.get().invoiced_quantity == 0
