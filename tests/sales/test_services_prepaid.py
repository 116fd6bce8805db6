"""Prepaid sales (先开票后发货): an invoice made from a confirmed order before delivery books
AR, revenue and output VAT; later deliveries of that order are not invoiced again, their cost
of goods sold is booked when they ship, and nothing is invoiced beyond what was ordered."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.sales.models import CustomerInvoiceLine
from jxc.sales.services import invoices, orders, returns
from jxc.sales.services.invoices import invoiceable
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
