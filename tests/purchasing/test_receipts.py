"""Goods receipts: against order lines, partially and in full, within the over-receipt
tolerance; lots, expiry and serials; the stock and the 暂估 voucher written together; and the
refusals, which write nothing."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Lot, StockMove
from jxc.inventory.selectors import on_hand
from jxc.masterdata.models import Currency, ExchangeRate
from jxc.purchasing.models import GoodsReceipt, ReceiptTolerance
from jxc.purchasing.services import receipts
from tests.finance.conftest import balances
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def ordered(world, product, quantity=10, price="10"):
    order = world.order([{"product": product, "quantity": qty(quantity), "unit_price": qty(price)}])
    return order, order.lines.get()


def test_partial_then_full_receipt_books_stock_and_the_estimate(world):
    product = world.product()
    order, line = ordered(world, product)
    first = world.receipt([{"order_line": line, "quantity": qty(4)}])
    assert first.state == "done"
    assert first.number.startswith("RK")
    assert on_hand(product_id=product.pk, location_id=world.bin1.pk) == 4
    received = first.lines.get()
    assert (received.unit_cost, received.value) == (Decimal("10"), Decimal("40.00"))
    assert balances(world.org) == {"1405": Decimal("40.00"), "220202": Decimal("-40.00")}
    order.refresh_from_db()
    assert order.state == "partially_done"
    world.receipt([{"order_line": line, "quantity": qty(6)}])
    order.refresh_from_db()
    line.refresh_from_db()
    assert (order.state, line.received_quantity) == ("done", Decimal(10))
    assert balances(world.org) == {"1405": Decimal("100.00"), "220202": Decimal("-100.00")}


def test_cost_is_the_tax_exclusive_discounted_price_in_base_currency(world, org):
    usd = Currency.objects.create(organization=org, code="USD", name="美元")
    ExchangeRate.objects.create(organization=org, currency=usd, date=DAY, rate=Decimal("7"))
    product = world.product()
    order = world.order(
        [{"product": product, "quantity": qty(2), "unit_price": qty("11.3"),
          "tax_inclusive": True, "discount_percent": qty(50)}],
        currency=usd,
    )  # fmt: skip
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(2)}], currency=usd)
    line = receipt.lines.get()
    # 2 × 11.3 × 50 % = 11.30 gross → 10.00 net → 5 a unit → ¥35
    assert (line.unit_price, line.unit_cost, line.value) == (
        Decimal("5"), Decimal("35"), Decimal("70.00"))  # fmt: skip


def test_over_receipt_beyond_tolerance_is_refused_naming_the_line(world, org):
    product = world.product()
    _order, line = ordered(world, product)
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": line, "quantity": qty(11)}])
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_receipt")
    assert not StockMove.objects.exists()
    assert GoodsReceipt.objects.get().state == "draft"  # the draft stays, nothing posted
    ReceiptTolerance.objects.create(organization=org, supplier=world.vendor, percent=qty(10))
    world.receipt([{"order_line": line, "quantity": qty(11)}])
    line.refresh_from_db()
    assert line.received_quantity == Decimal(11)


def test_product_tolerance_wins_over_the_supplier_and_the_default(world, org):
    product = world.product()
    ReceiptTolerance.objects.create(organization=org, percent=qty(50))
    ReceiptTolerance.objects.create(organization=org, supplier=world.vendor, percent=qty(20))
    ReceiptTolerance.objects.create(organization=org, product=product, percent=qty(1))
    assert receipts.tolerance_percent(org, product, world.vendor) == 1
    assert receipts.tolerance_percent(org, world.product("P2"), world.vendor) == 20


def test_two_lines_of_one_receipt_on_one_order_line_count_together(world):
    product = world.product()
    _order, line = ordered(world, product)
    with pytest.raises(ValidationFailed) as refused:
        world.receipt(
            [{"order_line": line, "quantity": qty(6)}, {"order_line": line, "quantity": qty(6)}]
        )
    assert refused.value.field == "lines.1.quantity"


def test_lots_with_expiry_and_serials_are_captured(world):
    lotted = world.product("L1", tracking="lot")
    serial = world.product("S1", tracking="serial")
    order = world.order(
        [
            {"product": lotted, "quantity": qty(5), "unit_price": qty(1)},
            {"product": serial, "quantity": qty(2), "unit_price": qty(100)},
        ]
    )
    lot_line, serial_line = order.lines.all()
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": lot_line, "quantity": qty(5)}])
    assert refused.value.field == "lines.0.lot"
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": serial_line, "quantity": qty(1)}])
    assert refused.value.field == "lines.0.serial"
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": serial_line, "quantity": qty(2), "serial": "SN1"}])
    assert refused.value.field == "lines.0.quantity"
    with pytest.raises(ValidationFailed) as refused:
        world.receipt(
            [
                {"order_line": serial_line, "quantity": qty(1), "serial": "SN1"},
                {"order_line": serial_line, "quantity": qty(1), "serial": "SN1"},
            ]
        )
    assert refused.value.field == "lines.1.serial"
    import datetime

    receipt = world.receipt(
        [
            {"order_line": lot_line, "quantity": qty(5), "lot_code": "B001",
             "expiry_date": datetime.date(2027, 6, 30)},
            {"order_line": serial_line, "quantity": qty(1), "serial": "SN1"},
        ]
    )  # fmt: skip
    lot = Lot.objects.get(product=lotted, code="B001")
    assert lot.expiry_date == datetime.date(2027, 6, 30)
    assert receipt.lines.first().lot == lot
    # the same serial again, while it is in stock: refused by inventory, naming the line
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": serial_line, "quantity": qty(1), "serial": "SN1"}])
    assert refused.value.field == "lines.0.serial"
    serial_line.refresh_from_db()
    assert serial_line.received_quantity == 1


def test_receiving_without_an_order_needs_the_permission(world):
    product = world.product(purchase_price=Decimal("3"))
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"product": product, "quantity": qty(2)}])
    assert (refused.value.field, refused.value.code) == ("lines.0.order_line", "order_required")
    receipt = world.receipt([{"product": product, "quantity": qty(2)}], allow_without_order=True)
    assert receipt.lines.get().value == Decimal("6.00")


def test_orders_of_another_supplier_or_not_approved_are_refused(world, org):
    from tests.masterdata.conftest import make_partner

    product = world.product()
    draft = world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1)}],
                        submit=False)  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": draft.lines.get(), "quantity": qty(1)}])
    assert refused.value.field == "lines.0.order_line"
    other = make_partner(org, "S2", "另一供应商")
    _order, line = ordered(world, product)
    with pytest.raises(ValidationFailed) as refused:
        world.receipt([{"order_line": line, "quantity": qty(1)}], supplier=other)
    assert refused.value.field == "lines.0.order_line"


def test_one_click_receipt_of_everything_open_on_two_orders(world):
    product = world.product()
    first, line = ordered(world, product, 10)
    second, _line2 = ordered(world, product, 5)
    world.receipt([{"order_line": line, "quantity": qty(4)}])
    first.refresh_from_db()
    draft = receipts.receipt_from_orders(
        organization=world.org, user=world.user, orders=[first, second]
    )
    assert [ln.base_quantity for ln in draft.lines.all()] == [6, 5]
    receipts.post_goods_receipt(receipt=draft)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("done", "done")
