"""The order-to-cash chain through the services: order → approval of a low price → partial
delivery → backorder → second delivery → invoice → receipt → return, with stock, reservations,
the receivable, the books and ``verify`` agreeing after every step."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem, VoucherLine
from jxc.finance.services import receivables as ar
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.verify import verify
from jxc.sales.models import PolicyOverride, SalesOrder
from jxc.sales.services import returns
from jxc.sales.services.orders import submit_sales_order
from jxc.workflow.models import ApprovalRequest, ApprovalRule
from jxc.workflow.services.approvals import approve
from tests.sales.conftest import DAY2

pytestmark = pytest.mark.django_db
D = Decimal


def balance(org, code) -> Decimal:
    """Debit − credit of an account (and its sub-accounts)."""
    total = D(0)
    for line in VoucherLine.objects.filter(organization=org, account__code__startswith=code):
        total += line.debit - line.credit
    return total


def stock_row(sales, product):
    return WarehouseStock.objects.get(product=product, warehouse=sales.wh1)


def check(org):
    assert verify(org) == []


def test_order_to_cash_chain(sales, admin_user, roles):
    org = sales.org
    product = sales.product(price_floor=D("100"))
    PolicyOverride.objects.create(organization=org, product=product, availability_policy="warn")
    sales.receive(product, 10, "50")
    ApprovalRule.objects.create(
        organization=org, document_type="sales_order", name="低于底价",
        conditions=[{"field": "below_price_floor", "operator": "is", "value": True}],
        levels=[{"name": "经理", "mode": "any",
                 "approvers": [{"type": "role", "id": roles["admin"].pk}]}],
        allow_self_approval=True,
    )  # fmt: skip
    # 15 units at 90 (tax included, below the floor of 100): the order waits for approval
    order = sales.confirmed([(product, 15, {"unit_price": D("90")})])
    assert order.state == "submitted"
    assert order.number.startswith("XS20261126-")
    assert order.below_floor
    assert (order.net_amount, order.tax_amount, order.gross_amount) == (
        D("1194.69"), D("155.31"), D("1350.00"))  # fmt: skip
    assert stock_row(sales, product).reserved == 0
    request = ApprovalRequest.objects.get(document_type="sales_order", document_id=order.pk)
    approve(request=request, user=admin_user)
    order.refresh_from_db()
    line = order.lines.get()
    # warn (the product's policy): what is there is reserved, the rest is a backorder
    assert order.state == "approved"
    assert (line.reserved_quantity, line.backorder_quantity) == (10, 5)
    row = stock_row(sales, product)
    assert (row.on_hand, row.reserved) == (10, 10)
    check(org)
    # first delivery: 6 of the 10 reserved
    first = sales.deliver([(line, 6)])
    assert first.number.startswith("CK")
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.state == "partially_done"
    assert line.delivered_quantity == 6
    row = stock_row(sales, product)
    assert (row.on_hand, row.reserved) == (4, 4)
    assert balance(org, "5401") == D("300.00")  # cost of goods sold at 50
    check(org)
    # more than ordered is refused, naming the line
    with pytest.raises(ValidationFailed) as refused:
        sales.deliver([(line, 10)])
    assert refused.value.field == "lines.0.quantity"
    # goods arrive; the backorder is delivered with the rest
    sales.receive(product, 5, "50")
    second = sales.deliver([(line, 9)], day=DAY2)
    order.refresh_from_db()
    assert order.state == "done"
    assert stock_row(sales, product).reserved == 0
    assert not Reservation.objects.filter(state="open", origin_id=line.pk).exists()
    check(org)
    # invoice both deliveries: 15 × 90 = 1350 incl. VAT
    lines = [first.lines.get(), second.lines.get()]
    invoice = sales.invoice([(lines[0], 6), (lines[1], 9)], day=DAY2)
    assert invoice.number.startswith("KP")
    assert invoice.gross_amount == D("1350.00")
    assert balance(org, "1122") == D("1350.00")
    assert balance(org, "5001") == -invoice.net_amount
    assert balance(org, "2221") == -invoice.tax_amount
    item = OpenItem.objects.get(document_type="sales.customerinvoice", document_id=invoice.pk)
    assert item.open_amount == D("1350.00")
    check(org)
    # receipt of 1000 against the invoice
    payment = ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": DAY2, "partner": sales.customer,
                  "amount": D("1000"), "account": sales.bank,
                  "lines": [{"item": item, "amount": D("1000")}]},
        )
    )  # fmt: skip
    assert payment.state == "posted"
    item.refresh_from_db()
    assert item.open_amount == D("350.00")
    check(org)
    # return 3 of the second delivery into the bin: cost and revenue reversed
    draft = returns.save_sales_return(
        organization=org, user=None,
        data={"business_date": DAY2, "delivery": second, "location": sales.bin1,
              "lines": [{"delivery_line": lines[1], "quantity": D(3)}]},
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as over:
        returns.save_sales_return(
            organization=org, user=None, sales_return=draft,
            data={"lines": [{"delivery_line": lines[1], "quantity": D(10)}]},
        )  # fmt: skip
    assert over.value.field == "lines.0.quantity"
    posted = returns.post_sales_return(sales_return=draft)
    assert posted.number.startswith("XT")
    assert posted.credit_note is not None
    assert posted.credit_note.gross_amount == D("270.00")
    assert stock_row(sales, product).on_hand == 3
    assert balance(org, "5401") == D("600.00")  # 15 × 50 − 3 × 50
    item.refresh_from_db()
    assert item.open_amount == D("80.00")  # 350 − 270
    assert balance(org, "1122") == D("80.00")
    lines[1].refresh_from_db()
    assert (lines[1].returned_quantity, lines[1].invoiced_quantity) == (3, 6)
    check(org)


def test_order_refused_when_below_floor_and_no_rule(sales):
    product = sales.product(price_floor=D("100"))
    sales.receive(product, 10, "50")
    order = sales.order([(product, 1, {"unit_price": D("90")})])
    with pytest.raises(ValidationFailed) as refused:
        submit_sales_order(order=order, user=sales.user)
    assert refused.value.field == "lines.0.unit_price"
    order.refresh_from_db()
    assert order.state == "draft"
    assert order.number == ""
    assert SalesOrder.objects.count() == 1
