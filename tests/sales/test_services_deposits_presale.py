"""Deposits (订金) taken on an order and used when it is invoiced; presale orders delivered in the
order they were confirmed. Stock, reservations, the receivables, the books and ``verify`` agree
after every step."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Allocation, OpenItem
from jxc.finance.services.receivables import reverse_payment
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.verify import verify
from jxc.sales.models import PolicyOverride
from jxc.sales.services import deposits, orders
from tests.sales.test_services_chain import balance, stock_row

pytestmark = pytest.mark.django_db
D = Decimal


def _deposit(sales, order, amount):
    return deposits.receive_deposit(
        order=order, user=sales.user,
        data={"amount": D(amount), "account": sales.bank, "date": order.business_date},
    )  # fmt: skip


def test_deposit_sits_on_advances_and_settles_the_invoice(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 10)], deposit_requested=D("300"))  # 1130.00 gross
    deposit = _deposit(sales, order, "300.00")
    payment = deposit.payment
    assert payment.state == "posted"
    assert payment.number.startswith("SK")
    assert payment.partner_id == sales.customer.pk
    assert payment.amount == D("300.00")
    assert deposits.deposit_totals(order) == (D("300.00"), D("300.00"))
    assert balance(org, "2203") == D("-300.00")  # 预收 credit
    assert balance(org, "1002") == D("300.00")
    assert verify(org) == []
    # delivered and invoiced in two parts: the deposit settles the first invoice's 565.00 up to
    # the 300.00, then nothing is left for the second
    delivery = sales.deliver([(order.lines.get(), 10)])
    line = delivery.lines.get()
    first = sales.invoice([(line, 5)])
    owed = OpenItem.objects.get(pk=first.open_item_id)
    assert owed.amount == D("565.00")
    assert owed.open_amount == D("265.00")
    assert deposits.deposit_totals(order) == (D("300.00"), D("0.00"))
    assert balance(org, "2203") == D("0.00")
    assert balance(org, "1122") == D("265.00")
    second = sales.invoice([(line, 5)])
    assert OpenItem.objects.get(pk=second.open_item_id).open_amount == D("565.00")
    assert balance(org, "1122") == D("830.00")
    assert Allocation.objects.filter(paid_item=payment.item, undone=False).count() == 1
    assert verify(org) == []


def test_two_deposits_settle_oldest_first_and_other_orders_keep_theirs(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 2)])  # 226.00
    other = sales.confirmed([(product, 1)])
    older, newer = _deposit(sales, order, "200.00"), _deposit(sales, order, "100.00")
    kept = _deposit(sales, other, "50.00")
    line = sales.deliver([(order.lines.get(), 2)]).lines.get()
    invoice = sales.invoice([(line, 2)])
    assert OpenItem.objects.get(pk=invoice.open_item_id).open_amount == 0
    older.payment.item.refresh_from_db()
    newer.payment.item.refresh_from_db()
    kept.payment.item.refresh_from_db()
    assert older.payment.item.open_amount == 0
    assert newer.payment.item.open_amount == D("-74.00")  # 26.00 used
    assert kept.payment.item.open_amount == D("-50.00")
    assert deposits.deposit_totals(order) == (D("300.00"), D("74.00"))
    assert verify(sales.org) == []


def test_a_reversed_deposit_no_longer_counts(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 1)])
    deposit = _deposit(sales, order, "100.00")
    reverse_payment(payment=deposit.payment)
    assert deposits.deposit_totals(order) == (D(0), D(0))
    line = sales.deliver([(order.lines.get(), 1)]).lines.get()
    invoice = sales.invoice([(line, 1)])
    assert OpenItem.objects.get(pk=invoice.open_item_id).open_amount == D("113.00")
    assert balance(sales.org, "2203") == 0


@pytest.mark.parametrize("amount", ["0", "-5", "NaN"])
def test_deposit_refuses_bad_amounts_and_draft_or_finished_orders(sales, amount):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 1)])
    with pytest.raises(ValidationFailed) as refused:
        _deposit(sales, order, amount)
    assert refused.value.field == "amount"
    draft = sales.order([(product, 1)])
    with pytest.raises(ValidationFailed) as refused:
        _deposit(sales, draft, "10")
    assert refused.value.field == "state"
    orders.close_sales_order(order=order)
    with pytest.raises(ValidationFailed) as refused:
        _deposit(sales, order, "10")
    assert refused.value.field == "state"
    assert OpenItem.objects.filter(organization=sales.org).count() == 0


def test_presale_orders_are_delivered_in_the_order_they_were_confirmed(sales):
    """Two presale orders wait for stock; what arrives is the first one's until it is served:
    the second may take only what is on hand beyond it."""
    org = sales.org
    product = sales.product()
    PolicyOverride.objects.create(organization=org, warehouse=sales.wh1,
                                  availability_policy="presale")  # fmt: skip
    first = sales.confirmed([(product, 5)]).lines.get()
    second = sales.confirmed([(product, 3)]).lines.get()
    assert (first.reserved_quantity, first.backorder_quantity) == (5, 5)
    assert (second.reserved_quantity, second.backorder_quantity) == (3, 3)
    sales.receive(product, 4, "10")
    # the 4 that came in are the first order's: the second gets nothing yet
    with pytest.raises(ValidationFailed) as refused:
        sales.deliver([(second, 1)])
    assert refused.value.field == "lines.0.quantity"
    assert refused.value.code == "held_for_earlier_order"
    assert first.order.number in str(refused.value)
    assert stock_row(sales, product).on_hand == 4  # nothing left
    # nor may a move without a reservation take it (the warehouse is over-reserved: 4 for 8)
    with pytest.raises(InsufficientStock):
        sales.move(product, 1, sales.bin1, sales.loss)
    # more arrives: 7 on hand, 5 held for the first, so the second may take 2 but not 3
    sales.receive(product, 3, "10")
    with pytest.raises(ValidationFailed):
        sales.deliver([(second, 3)])
    sales.deliver([(second, 2)])
    # the first is served in full, then the rest of the second
    sales.deliver([(first, 5)])
    sales.receive(product, 1, "10")
    sales.deliver([(second, 1)])
    row = stock_row(sales, product)
    assert (row.on_hand, row.reserved) == (0, 0)
    assert verify(org) == []


def test_one_delivery_of_both_presale_orders_serves_the_earlier_first(sales):
    product = sales.product()
    PolicyOverride.objects.create(organization=sales.org, warehouse=sales.wh1,
                                  availability_policy="presale")  # fmt: skip
    first = sales.confirmed([(product, 2)]).lines.get()
    second = sales.confirmed([(product, 2)]).lines.get()
    third = sales.confirmed([(product, 2)]).lines.get()
    sales.receive(product, 4, "10")
    # the second and the first in one delivery (listed later-first): both fit in 4
    sales.deliver([(second, 2), (first, 2)])
    sales.receive(product, 1, "10")
    # nothing is held for earlier orders any more: the third takes what is there, no more
    with pytest.raises(InsufficientStock):
        sales.deliver([(third, 2)])
    sales.deliver([(third, 1)])
    assert verify(sales.org) == []
