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
