"""Posting moves: balances, valuation, lots, serials, and refusals that write nothing."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import CostLayer, ProductValuation, StockMove
from jxc.inventory.selectors import availability, on_hand
from jxc.inventory.services.lots import get_or_create_lot
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


def test_receipt_and_issue_at_moving_average(stock):
    product = stock.product()
    stock.receive(product, 10, "5")
    stock.receive(product, 30, "9")
    out = stock.issue(product, 5)
    assert out.unit_cost == Decimal(8)
    assert out.value == Decimal(40)
    assert on_hand(product_id=product.pk, warehouse_id=stock.wh1.pk) == 35
    valuation = ProductValuation.objects.get(product=product)
    assert (valuation.quantity, valuation.value) == (Decimal(35), Decimal(280))
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).available == 35


def test_fifo_issues_consume_the_oldest_layers(stock):
    product = stock.product(costing_method="fifo")
    first = stock.receive(product, 10, "5")
    stock.receive(product, 10, "7")
    out = stock.issue(product, 15)
    assert out.value == Decimal(85)
    assert [e["quantity"] for e in out.cost_explanation] == ["10.0000", "5.0000"]
    assert not CostLayer.objects.filter(move=first).exists()
    assert CostLayer.objects.get(product=product).quantity == 5


def test_issuing_more_than_on_hand_is_refused_and_writes_nothing(stock):
    product = stock.product()
    stock.receive(product, 3, "2")
    with pytest.raises(InsufficientStock) as error:
        stock.issue(product, 4)
    assert error.value.requested == 4
    assert error.value.available == 3
    assert error.value.field == "lines.0.quantity"
    assert StockMove.objects.count() == 1
    assert on_hand(product_id=product.pk) == 3


def test_negative_stock_where_the_product_allows_it(stock):
    product = stock.product(allow_negative_stock=True)
    stock.issue(product, 2)
    assert on_hand(product_id=product.pk, warehouse_id=stock.wh1.pk) == -2
    stock.receive(product, 5, "4")
    assert on_hand(product_id=product.pk) == 3


def test_two_step_transfer_through_transit_carries_value(stock):
    product = stock.product()
    stock.receive(product, 10, "6")
    shipped = stock.move(product, 4, stock.bin1, stock.transit)
    assert shipped.value == Decimal(24)
    assert on_hand(product_id=product.pk, location_id=stock.transit.pk) == 4
    stock.move(product, 4, stock.transit, stock.bin2)
    assert on_hand(product_id=product.pk, warehouse_id=stock.wh2.pk) == 4
    assert ProductValuation.objects.get(product=product).value == Decimal(60)


def test_on_hand_as_of_a_past_date_comes_from_the_ledger(stock):
    product = stock.product()
    stock.receive(product, 10, "1", day=DAY.replace(day=1))
    stock.issue(product, 4, day=DAY.replace(day=10))
    assert on_hand(product_id=product.pk, warehouse_id=stock.wh1.pk, as_of=DAY.replace(day=5)) == 10
    assert on_hand(product_id=product.pk, as_of=DAY.replace(day=10)) == 6
    assert on_hand(product_id=product.pk, as_of=DAY.replace(day=1) - DAY.resolution) == 0


@pytest.mark.parametrize(
    ("quantity", "field"), [("0", "quantity"), ("-1", "quantity"), ("1.5", "quantity")]
)
def test_bad_quantities_are_refused(stock, quantity, field):
    product = stock.product()  # base unit 个 has no decimal places
    with pytest.raises(ValidationFailed) as error:
        stock.receive(product, quantity, "1")
    assert error.value.field == f"lines.0.{field}"
    assert not StockMove.objects.exists()


def test_a_move_between_two_virtual_locations_is_refused(stock):
    with pytest.raises(ValidationFailed) as error:
        stock.move(stock.product(), 1, stock.supplier, stock.customer)
    assert error.value.field == "lines.0.to_location"


def test_another_organizations_location_is_refused(stock, other_org):
    from jxc.masterdata.services.locations import warehouse_root
    from tests.masterdata.conftest import make_warehouse

    foreign = warehouse_root(make_warehouse(other_org, "X", "别人的仓"))
    with pytest.raises(ValidationFailed) as error:
        stock.receive(stock.product(), 1, "1", location=foreign)
    assert error.value.field == "lines.0.to_location"


def test_lot_tracked_products_need_a_lot_and_keep_lots_apart(stock):
    product = stock.product(tracking="lot")
    with pytest.raises(ValidationFailed) as error:
        stock.receive(product, 5, "1")
    assert error.value.field == "lines.0.lot"
    lot_a = get_or_create_lot(product=product, code="A", expiry_date=DAY)
    lot_b = get_or_create_lot(product=product, code="B")
    stock.receive(product, 5, "1", lot=lot_a)
    stock.receive(product, 3, "1", lot=lot_b)
    assert on_hand(product_id=product.pk, lot_id=lot_a.pk) == 5
    with pytest.raises(InsufficientStock):
        stock.issue(product, 4, lot=lot_b)


def test_a_serial_is_never_in_two_places(stock):
    product = stock.product(tracking="serial")
    stock.receive(product, 1, "100", serial="SN-1")
    with pytest.raises(ValidationFailed) as error:
        stock.receive(product, 1, "100", serial="SN-1", location=stock.bin2)
    assert "SN-1" in str(error.value.message)
    with pytest.raises(ValidationFailed):
        stock.issue(product, 1, location=stock.bin2, serial="SN-1")
    stock.move(product, 1, stock.bin1, stock.bin2, serial="SN-1")
    stock.issue(product, 1, location=stock.bin2, serial="SN-1")
    stock.receive(product, 1, "100", serial="SN-1")  # came back from the customer
    with pytest.raises(ValidationFailed):
        stock.receive(product, 2, "100", serial="SN-2")
