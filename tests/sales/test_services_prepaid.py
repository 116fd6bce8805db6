"""Prepaid sales (先开票后发货): an invoice made from a confirmed order before delivery books
AR, revenue and output VAT; later deliveries of that order are not invoiced again, their cost
of goods sold is booked when they ship, and nothing is invoiced beyond what was ordered."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from jxc.core.errors import ValidationFailed
from jxc.finance.services import receivables as ar
from jxc.sales.models import CustomerInvoice, CustomerInvoiceLine
from jxc.sales.services import invoices, orders, returns
from jxc.sales.services.invoices import invoiceable
from jxc.sales.services.prepaid import invoiceable_ahead
from tests.sales.conftest import DAY2
from tests.sales.test_services_chain import balance, check

pytestmark = pytest.mark.django_db
D = Decimal


def prepay(sales, lines=None, orders_=None):
    data = {"business_date": DAY2, "customer": sales.customer, "invoice_type": "special"}
    if orders_ is not None:
        data["orders"] = orders_
    else:
        data["lines"] = [{"order_line": line, "quantity": D(str(q))} for line, q in lines]
    return invoices.save_invoice(organization=sales.org, user=sales.user, data=data)


def test_invoice_before_delivery_books_revenue_and_later_delivery_is_not_invoiced_again(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 10)])  # 10 × 113 incl. 13 % VAT
    line = order.lines.get()
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    assert invoice.gross_amount == D("1130.00")
    assert invoice.lines.get().order_line == line
    assert balance(org, "1122") == D("1130.00")
    assert balance(org, "5001") == D("-1000.00")
    assert balance(org, "2221") == D("-130.00")
    assert balance(org, "5401") == 0  # nothing shipped yet: no cost of goods sold
    line.refresh_from_db()
    assert line.prepaid_quantity == 10
    check(org)
    # the delivery books the cost of goods sold and counts as invoiced already
    delivery = sales.deliver([(line, 4)], day=DAY2)
    delivered = delivery.lines.get()
    assert balance(org, "5401") == D("200.00")
    assert delivered.invoiced_quantity == 4
    assert invoiceable(delivered) == 0
    line.refresh_from_db()
    assert (line.delivered_quantity, line.prepaid_quantity) == (4, 6)
    # so invoicing the delivery is refused, and nothing is written
    with pytest.raises(ValidationFailed) as refused:
        sales.invoice([(delivered, 4)], day=DAY2)
    assert refused.value.code == "over_invoiced"
    assert balance(org, "1122") == D("1130.00")
    check(org)


def test_invoicing_ahead_more_than_ordered_is_refused(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 5)])
    line = order.lines.get()
    with pytest.raises(ValidationFailed) as refused:
        prepay(sales, [(line, 6)])
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_invoiced")
    # two drafts of 3 each: the second to post finds only 2 left and is refused
    first, second = prepay(sales, [(line, 3)]), prepay(sales, [(line, 3)])
    invoices.post_invoice(invoice=first)
    with pytest.raises(ValidationFailed) as again:
        invoices.post_invoice(invoice=second)
    assert again.value.field == "lines.0.quantity"
    second.refresh_from_db()
    assert second.state == "draft"
    line.refresh_from_db()
    assert line.prepaid_quantity == 3
    # delivered quantities are invoiced from the delivery, not ahead
    sales.deliver([(line, 2)])
    line.refresh_from_db()
    assert line.prepaid_quantity == 1
    with pytest.raises(ValidationFailed):
        prepay(sales, [(line, 3)])
    assert prepay(sales, [(line, 2)]).gross_amount == D("226.00")


def test_order_of_another_customer_or_a_draft_is_not_invoiced_ahead(sales):
    product = sales.product()
    draft = sales.order([(product, 2)])
    with pytest.raises(ValidationFailed) as refused:
        prepay(sales, [(draft.lines.get(), 1)])
    assert refused.value.field == "lines.0.order_line"
    with pytest.raises(ValidationFailed) as empty:
        invoices.save_invoice(
            organization=sales.org, user=sales.user,
            data={"business_date": DAY2, "customer": sales.customer,
                  "lines": [{"quantity": D(1)}]},
        )  # fmt: skip
    assert empty.value.field == "lines.0.delivery_line"
    assert not CustomerInvoiceLine.objects.exists()


def test_order_invoiced_ahead_is_not_cancelled(sales):
    product = sales.product()
    sales.receive(product, 5, "50")
    order = sales.confirmed([(product, 2)])
    invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    with pytest.raises(ValidationFailed) as refused:
        orders.cancel_sales_order(order=order)
    assert refused.value.field == "state"
    order.refresh_from_db()
    assert order.state == "approved"


def test_return_of_prepaid_goods_credits_the_invoice(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 5, "50")
    order = sales.confirmed([(product, 2)])
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    delivery = sales.deliver([(order.lines.get(), 2)], day=DAY2)
    draft = returns.save_sales_return(
        organization=org, user=None,
        data={"business_date": DAY2, "delivery": delivery, "location": sales.bin1,
              "lines": [{"delivery_line": delivery.lines.get(), "quantity": D(1)}]},
    )  # fmt: skip
    posted = returns.post_sales_return(sales_return=draft)
    assert posted.credit_note.gross_amount == D("113.00")
    assert posted.credit_note.credit_of == invoice
    invoice.open_item.refresh_from_db()
    assert invoice.open_item.open_amount == D("113.00")
    assert balance(org, "1122") == D("113.00")
    check(org)


# --- crediting what was billed ahead, without a return ----------------------------------------


def credit(invoice, lines=None, **extra):
    asked = None if lines is None else [
        {"invoice_line": line, "quantity": D(str(q))} for line, q in lines
    ]  # fmt: skip
    return invoices.credit_prepaid_invoice(invoice=invoice, lines=asked, business_date=DAY2,
                                           **extra)  # fmt: skip


def test_credit_note_of_a_prepaid_invoice_gives_back_what_was_not_delivered(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 10)])  # 10 × 113 incl. 13 % VAT
    line = order.lines.get()
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    billed = invoice.lines.get()
    sales.deliver([(line, 4)], day=DAY2)  # 4 counted as invoiced, 6 still billed ahead
    note = credit(invoice, [(billed, 6)])
    assert (note.kind, note.state, note.credit_of) == ("credit_note", "done", invoice)
    assert note.number.startswith("KP")
    assert note.gross_amount == D("678.00")
    red = note.lines.get()
    assert (red.credited_line, red.order_line, red.quantity) == (billed, line, 6)
    line.refresh_from_db()
    assert (line.delivered_quantity, line.prepaid_quantity) == (4, 0)
    # revenue, VAT and the receivable reversed; the invoice's open amount settled by the credit
    assert balance(org, "5001") == D("-400.00")
    assert balance(org, "2221") == D("-52.00")
    assert balance(org, "1122") == D("452.00")
    invoice.open_item.refresh_from_db()
    assert invoice.open_item.open_amount == D("452.00")
    note.open_item.refresh_from_db()
    assert note.open_item.open_amount == 0
    # the 6 can now be invoiced ahead again, or the order closed
    assert invoiceable_ahead(line) == 6
    orders.close_sales_order(order=order)
    check(org)


def test_credits_of_a_line_add_up_to_it_exactly_and_no_further(sales):
    product = sales.product(sale_price=D("10"))
    sales.receive(product, 5, "5")
    order = sales.confirmed([(product, 3)])
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    billed = invoice.lines.get()
    assert billed.gross_amount == D("30.00")
    parts = [credit(invoice, [(billed, 1)]) for _ in range(3)]
    assert [p.gross_amount for p in parts] == [D("10.00"), D("10.00"), D("10.00")]
    assert sum(p.net_amount for p in parts) == billed.net_amount
    assert sum(p.tax_amount for p in parts) == billed.tax_amount
    with pytest.raises(ValidationFailed) as refused:
        credit(invoice, [(billed, 1)])
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_credited")
    check(sales.org)


def test_crediting_more_than_billed_ahead_and_undelivered_is_refused(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 5)])
    line = order.lines.get()
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    billed = invoice.lines.get()
    sales.deliver([(line, 3)], day=DAY2)  # only 2 still billed ahead
    for lines, field in (
        ([(billed, 3)], "lines.0.quantity"),  # more than billed ahead and not delivered
        ([(billed, 2), (billed, 1)], "lines.1.quantity"),  # together more
        ([(billed, 0)], "lines.0.quantity"),
        ([(billed, -1)], "lines.0.quantity"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            credit(invoice, lines)
        assert refused.value.field == field, lines
    with pytest.raises(ValidationFailed) as refused:
        credit(invoice, [(billed, 3)])
    assert "2" in str(refused.value)  # says what can be credited
    before = balance(org, "1122")
    line.refresh_from_db()
    assert line.prepaid_quantity == 2
    assert not CustomerInvoice.objects.filter(kind="credit_note").exists()
    assert balance(org, "1122") == before
    # all of it delivered: nothing left to credit without a return
    sales.deliver([(line, 2)], day=DAY2)
    with pytest.raises(ValidationFailed) as nothing:
        credit(invoice)
    assert (nothing.value.field, nothing.value.code) == ("lines", "over_credited")
    check(org)


@translation.override("zh-hans")  # the history and errors read in Chinese
def test_only_prepaid_lines_of_a_posted_invoice_are_credited(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 4)])
    line = order.lines.get()
    delivery = sales.deliver([(line, 2)])
    from_delivery = sales.invoice([(delivery.lines.get(), 2)])
    with pytest.raises(ValidationFailed) as refused:
        credit(from_delivery, [(from_delivery.lines.get(), 1)])
    assert refused.value.field == "lines.0.invoice_line"
    assert "销售退货" in str(refused.value)
    draft = prepay(sales, [(line, 2)])
    with pytest.raises(ValidationFailed) as refused:
        credit(draft)
    assert refused.value.field == "state"
    ahead = invoices.post_invoice(invoice=draft)
    with pytest.raises(ValidationFailed) as refused:  # a line of another invoice
        credit(ahead, [(from_delivery.lines.get(), 1)])
    assert refused.value.field == "lines.0.invoice_line"
    with pytest.raises(ValidationFailed) as refused:
        invoices.credit_prepaid_invoice(invoice=ahead, lines=None,
                                        business_date=ahead.business_date - datetime.timedelta(1))  # fmt: skip
    assert refused.value.field == "business_date"
    note = credit(ahead)  # everything it still has billed ahead
    assert note.lines.get().quantity == 2
    with pytest.raises(ValidationFailed) as refused:  # a credit note is not credited
        credit(note)
    assert refused.value.field == "state"
    check(sales.org)


def test_a_paid_prepaid_invoice_credited_leaves_a_credit_for_the_customer(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 5, "50")
    order = sales.confirmed([(product, 2)])
    invoice = invoices.post_invoice(invoice=prepay(sales, orders_=[order]))
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": DAY2, "partner": sales.customer,
                  "amount": D("226"), "account": sales.bank,
                  "lines": [{"item": invoice.open_item, "amount": D("226")}]},
        )
    )  # fmt: skip
    note = credit(invoice, [(invoice.lines.get(), 1)])
    note.open_item.refresh_from_db()
    assert note.open_item.open_amount == D("-113.00")  # a credit: refunded or used later
    invoice.open_item.refresh_from_db()
    assert invoice.open_item.open_amount == 0
    check(org)
