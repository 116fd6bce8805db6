"""Each availability policy on confirmation, overrides, and releasing reservations."""

from decimal import Decimal

import pytest

from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.sales.models import PolicyOverride, SalesSettings
from jxc.sales.services import orders

pytestmark = pytest.mark.django_db
D = Decimal


def stock_row(sales, product):
    return WarehouseStock.objects.get(product=product, warehouse=sales.wh1)


def test_block_refuses_naming_the_line_product_requested_and_available(sales):
    first, second = sales.product("P1"), sales.product("P2")
    sales.receive(first, 10, "5")
    sales.receive(second, 3, "5")
    order = sales.order([(first, 2), (second, 4)])
    with pytest.raises(InsufficientStock) as refused:
        orders.submit_sales_order(order=order, user=sales.user)
    assert refused.value.field == "lines.1.quantity"
    assert (refused.value.requested, refused.value.available) == (4, 3)
    assert "P2" in refused.value.message
    order.refresh_from_db()
    assert order.state == "draft"
    assert stock_row(sales, first).reserved == 0
    assert not Reservation.objects.exists()


def test_block_counts_two_lines_of_the_same_product_together(sales):
    product = sales.product()
    sales.receive(product, 5, "5")
    with pytest.raises(InsufficientStock) as refused:
        sales.confirmed([(product, 3), (product, 3)])
    assert refused.value.field == "lines.1.quantity"


def test_warn_reserves_what_is_there_and_backorders_the_rest(sales):
    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    product = sales.product()
    sales.receive(product, 4, "5")
    line = sales.confirmed([(product, 6)]).lines.get()
    assert (line.reserved_quantity, line.backorder_quantity) == (4, 2)
    assert stock_row(sales, product).reserved == 4


def test_a_backorder_kept_without_reservation_is_demand_replenishment_sees(sales):
    """Registered with inventory: purchase suggestions add it to what must be bought."""
    from jxc.inventory.selectors import unreserved_demand

    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    product = sales.product()
    sales.receive(product, 4, "5")
    line = sales.confirmed([(product, 6)]).lines.get()
    assert unreserved_demand(sales.org) == {(product.pk, sales.wh1.pk): 2}
    sales.deliver([(line, 4)])  # what was reserved leaves; the backorder stays
    assert unreserved_demand(sales.org, sales.wh1.pk) == {(product.pk, sales.wh1.pk): 2}
    sales.receive(product, 2, "5")
    sales.deliver([(line, 2)])
    assert unreserved_demand(sales.org) == {}


def test_presale_reserves_ahead_of_stock_and_later_orders_queue_behind(sales):
    product = sales.product()
    PolicyOverride.objects.create(organization=sales.org, warehouse=sales.wh1,
                                  availability_policy="presale")  # fmt: skip
    sales.receive(product, 2, "5")
    line = sales.confirmed([(product, 5)]).lines.get()
    assert (line.reserved_quantity, line.backorder_quantity) == (5, 3)
    row = stock_row(sales, product)
    assert (row.on_hand, row.reserved) == (2, 5)
    # a product that blocks cannot take what the presale already promised
    PolicyOverride.objects.create(organization=sales.org, product=product,
                                  availability_policy="block")  # fmt: skip
    with pytest.raises(InsufficientStock):
        sales.confirmed([(product, 1)])
    # goods arrive: the presale is delivered in full
    sales.receive(product, 3, "5")
    sales.deliver([(line, 5)])
    row = stock_row(sales, product)
    assert (row.on_hand, row.reserved) == (0, 0)


def test_cancel_and_close_release_what_is_reserved(sales):
    product = sales.product()
    sales.receive(product, 10, "5")
    order = sales.confirmed([(product, 4)])
    assert stock_row(sales, product).reserved == 4
    orders.cancel_sales_order(order=order)
    assert stock_row(sales, product).reserved == 0
    other = sales.confirmed([(product, 4)])
    sales.deliver([(other.lines.get(), 1)])
    assert stock_row(sales, product).reserved == 3
    closed = orders.close_sales_order(order=other)
    assert closed.state == "closed"
    assert stock_row(sales, product).reserved == 0


def test_fefo_picks_the_lot_that_expires_first(sales):
    import datetime

    from jxc.inventory.models import StockMove
    from jxc.inventory.services.lots import get_or_create_lot

    product = sales.product("L1", tracking="lot")
    late = get_or_create_lot(product=product, code="LATE", expiry_date=datetime.date(2027, 6, 1))
    soon = get_or_create_lot(product=product, code="SOON", expiry_date=datetime.date(2027, 1, 1))
    sales.receive(product, 3, "5", lot=late)
    sales.receive(product, 2, "6", lot=soon)
    order = sales.confirmed([(product, 4)])
    delivery = sales.deliver([(order.lines.get(), 4)])
    moves = StockMove.objects.filter(reference=delivery.number).order_by("pk")
    assert [(m.lot.code, m.quantity) for m in moves] == [("SOON", 2), ("LATE", 2)]


def test_credit_over_the_limit_waits_for_approval_when_the_policy_says_so(sales, roles):
    from jxc.core.errors import ValidationFailed
    from jxc.workflow.models import ApprovalRule

    SalesSettings.objects.create(organization=sales.org, credit_policy="approval")
    sales.customer.credit_limit = D("500")
    sales.customer.save()
    product = sales.product()
    sales.receive(product, 10, "5")
    first = sales.confirmed([(product, 4)])  # 452: within the limit
    assert first.state == "approved"
    # 452 open on the first order + 226 is over 500: without a rule it is refused
    with pytest.raises(ValidationFailed) as refused:
        sales.confirmed([(product, 2)])
    assert refused.value.code == "credit_limit_exceeded"
    ApprovalRule.objects.create(
        organization=sales.org, document_type="sales_order", name="超信用额度",
        conditions=[{"field": "credit_limit_exceeded", "operator": "is", "value": True}],
        levels=[{"name": "经理", "mode": "any",
                 "approvers": [{"type": "role", "id": roles["admin"].pk}]}],
        allow_self_approval=True,
    )  # fmt: skip
    second = sales.confirmed([(product, 2)])
    assert second.state == "submitted"
    assert second.credit_exceeded
    assert stock_row(sales, product).reserved == 4  # reserved only once approved


def test_invoicing_more_than_delivered_and_returning_uninvoiced_goods(sales):
    from jxc.core.errors import ValidationFailed
    from jxc.sales.models import CustomerInvoice
    from jxc.sales.services import invoices, returns

    product = sales.product()
    sales.receive(product, 10, "5")
    order = sales.confirmed([(product, 5)])
    delivery = sales.deliver([(order.lines.get(), 5)])
    line = delivery.lines.get()
    with pytest.raises(ValidationFailed) as over:
        sales.invoice([(line, 6)])
    assert over.value.field == "lines.0.quantity"
    assert not CustomerInvoice.objects.exists()
    # 2 come back before any invoice: no credit note, and only 3 are left to invoice
    draft = returns.save_sales_return(
        organization=sales.org, user=None,
        data={"business_date": delivery.business_date, "delivery": delivery,
              "location": sales.bin1, "lines": [{"delivery_line": line, "quantity": D(2)}]},
    )  # fmt: skip
    posted = returns.post_sales_return(sales_return=draft)
    assert posted.credit_note is None
    line.refresh_from_db()
    assert invoices.invoiceable(line) == 3
    with pytest.raises(ValidationFailed):
        sales.invoice([(line, 4)])
    invoice = sales.invoice([(line, 3)])
    assert invoice.gross_amount == D("339.00")
