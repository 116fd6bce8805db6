"""Purchase returns: the same lot and serial leave through inventory; the 暂估 goes back for
goods not invoiced; for invoiced goods AP and input VAT are reversed and the supplier owes a
credit; returning more than received or than is in stock is refused, writing nothing."""

from decimal import Decimal

import pytest

from jxc.core.errors import DomainError, ValidationFailed
from jxc.finance.models import OpenItem
from jxc.inventory.models import StockMove
from jxc.inventory.selectors import on_hand
from jxc.purchasing.models import PurchaseReturn
from jxc.purchasing.services import invoices, returns
from tests.finance.conftest import balances
from tests.purchasing.conftest import DAY, qty
from tests.purchasing.test_invoices import invoice, received

pytestmark = pytest.mark.django_db


def give_back(world, receipt, quantity, line=None, post=True):
    draft = returns.save_purchase_return(
        organization=world.org,
        user=world.user,
        data={
            "receipt": receipt,
            "business_date": DAY,
            "lines": [{"receipt_line": line or receipt.lines.get(), "quantity": qty(quantity)}],
        },
    )
    return returns.post_purchase_return(purchase_return=draft) if post else draft


def test_whole_line_not_invoiced_goes_back_with_its_estimate(world):
    product, order, receipt = received(world, quantity=5)
    done = give_back(world, receipt, 5)
    assert done.number.startswith("CT")
    assert on_hand(product_id=product.pk) == 0
    assert balances(world.org) == {}
    move = StockMove.objects.get(reference=done.number)
    assert move.reversal_of is not None
    line = order.lines.get()
    assert line.returned_quantity == 5


def test_part_of_an_invoiced_line_reverses_ap_and_vat_as_a_supplier_credit(world):
    product, _order, receipt = received(world, quantity=10)
    invoices.post_supplier_invoice(invoice=invoice(world, receipt.lines.get(), 10, "10"))
    done = give_back(world, receipt, 4)
    books = balances(world.org)
    assert books["1405"] == Decimal("60.00")
    assert books["22210101"] == Decimal("7.80")  # 13 less 5.20 reversed
    assert books["220201"] == Decimal("-113.00")
    assert books["1123"] == Decimal("45.20")  # the supplier owes 4 × 11.30
    credit = OpenItem.objects.get(document_type="purchasing.purchasereturn")
    assert (credit.amount, credit.open_amount) == (Decimal("-45.20"), Decimal("-45.20"))
    assert done.open_item == credit
    assert on_hand(product_id=product.pk) == 6
    with pytest.raises(ValidationFailed) as refused:  # 6 left to return
        give_back(world, receipt, 7)
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_return")


def test_partial_return_before_invoicing_leaves_the_rest_to_invoice(world):
    _product, _order, receipt = received(world, quantity=10)
    give_back(world, receipt, 3)
    assert balances(world.org) == {"1405": Decimal("70.00"), "220202": Decimal("-70.00")}
    line = receipt.lines.get()
    with pytest.raises(ValidationFailed):
        invoice(world, line, 8, "10")
    invoices.post_supplier_invoice(invoice=invoice(world, line, 7, "10"))
    assert "220202" not in balances(world.org)


def test_more_than_in_stock_is_refused_and_nothing_is_written(world):
    product, _order, receipt = received(world, quantity=5)
    world.issue(product, 3)
    draft = give_back(world, receipt, 5, post=False)
    with pytest.raises(DomainError) as refused:
        returns.post_purchase_return(purchase_return=draft)
    assert refused.value.code == "insufficient_stock"
    draft.refresh_from_db()
    assert (draft.state, draft.number) == ("draft", "")
    assert PurchaseReturn.objects.count() == 1


def test_serial_goes_back_as_it_came_in(world):
    serial = world.product("S1", tracking="serial")
    order = world.order([{"product": serial, "quantity": qty(1), "unit_price": qty(100)}])
    receipt = world.receipt(
        [{"order_line": order.lines.get(), "quantity": qty(1), "serial": "SN9"}]
    )
    done = give_back(world, receipt, 1)
    move = StockMove.objects.get(reference=done.number)
    assert move.serial.serial == "SN9"
    assert on_hand(product_id=serial.pk) == 0
