"""Landed costs (到岸成本): freight, duty and insurance shared over posted receipts' lines by
quantity, weight or value; posting puts the share of goods on hand into the stock's value and
the share of goods sold into cost of sales, books deductible VAT and the cost supplier's
payable. The world fixture checks ``verify`` (ledger = valuation = books) after each test."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem
from jxc.inventory.models import ProductValuation
from jxc.purchasing.models import LandedCost
from jxc.purchasing.services import landed_costs, returns
from tests.finance.conftest import balances
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db


@pytest.fixture
def carrier(world):
    return make_partner(world.org, "S9", "顺丰物流")


def received(world, lines):
    """One receipt of (product, quantity, price) lines."""
    order = world.order(
        [{"product": p, "quantity": qty(q), "unit_price": qty(price)} for p, q, price in lines]
    )
    return world.receipt(
        [{"order_line": line, "quantity": line.quantity} for line in order.lines.all()]
    )


def landed(world, carrier, receipts, costs, method="value", **header):
    return landed_costs.save_landed_cost(
        organization=world.org,
        user=world.user,
        data={
            "business_date": DAY,
            "supplier": carrier,
            "method": method,
            "invoice_number": "FR-1",
            "receipts": receipts,
            "lines": [
                {"cost_type": kind, "amount": qty(amount), "tax_percent": qty(tax)}
                for kind, amount, tax in costs
            ],
            **header,
        },
    )


def value_of(product) -> Decimal:
    return ProductValuation.objects.get(product=product).value


def test_freight_by_value_goes_into_the_stock_with_vat_and_payable(world, carrier):
    a, b = world.product("A"), world.product("B")
    receipt = received(world, [(a, 10, "10"), (b, 10, "30")])  # 100 + 300
    draft = landed(world, carrier, [receipt], [("freight", "40", "9")])
    assert (draft.net_amount, draft.tax_amount, draft.gross_amount) == (
        Decimal("40.00"), Decimal("3.60"), Decimal("43.60"))  # fmt: skip
    shares = {x.product_id: x.amount for x in draft.allocations.all()}
    assert shares == {a.pk: Decimal("10.00"), b.pk: Decimal("30.00")}
    posted = landed_costs.post_landed_cost(document=draft)
    assert posted.state == "done"
    assert posted.number.startswith("FY")
    assert (posted.to_stock, posted.to_sold) == (Decimal("40.00"), Decimal("0"))
    assert (value_of(a), value_of(b)) == (Decimal("110.00"), Decimal("330.00"))
    assert balances(world.org) == {
        "1405": Decimal("440.00"),
        "220202": Decimal("-400.00"),  # the goods' own estimate, untouched
        "22210101": Decimal("3.60"),
        "220201": Decimal("-43.60"),
    }
    item = OpenItem.objects.get(document_type="purchasing.landedcost")
    assert (item.kind, item.partner, item.amount) == ("payable", carrier, Decimal("43.60"))


def test_stock_value_plus_cost_of_sales_is_receipts_plus_landed_cost(world, carrier):
    """The property: whatever was sold in between, posting adds exactly the cost, split by
    what is still on hand."""
    a, b = world.product("A"), world.product("B")
    first = received(world, [(a, 10, "10"), (b, 5, "8")])
    second = received(world, [(a, 6, "12")])
    world.issue(a, 12)  # 12 of 16 sold: 4 left, taken to be from the latest receipt
    world.issue(b, 5)  # all of b sold
    before = balances(world.org)
    draft = landed(world, carrier, [first, second], [("freight", "21", "0"),
                                                     ("insurance", "0.30", "0")], "quantity")  # fmt: skip
    assert [x.amount for x in draft.allocations.order_by("receipt_line_id")] == [
        Decimal("10.14"), Decimal("5.07"), Decimal("6.09")]  # fmt: skip
    posted = landed_costs.post_landed_cost(document=draft)
    by_line = {x.receipt_line.receipt_id: x for x in posted.allocations.filter(product=a)}
    assert by_line[second.pk].to_stock == Decimal("4.06")  # 4 of the 6 still on hand
    assert by_line[first.pk].to_stock == Decimal("0.00")
    after = balances(world.org)
    stock = after["1405"] - before["1405"]
    sold = after["5401"] - before["5401"]
    assert stock + sold == Decimal("21.30")
    assert (stock, sold) == (posted.to_stock, posted.to_sold)
    assert value_of(a) == after["1405"]
    assert value_of(b) == 0


def test_by_weight_needs_every_lines_weight(world, carrier):
    a, b = world.product("A"), world.product("B")
    receipt = received(world, [(a, 10, "10"), (b, 10, "10")])
    lines = list(receipt.lines.all())
    with pytest.raises(ValidationFailed) as missing:
        landed(world, carrier, [receipt], [("duty", "90", "0")], "weight",
               allocations=[{"receipt_line": lines[0], "weight": qty(20)}])  # fmt: skip
    assert missing.value.field == "allocations.1.weight"
    assert not LandedCost.objects.exists()
    draft = landed(world, carrier, [receipt], [("duty", "90", "0")], "weight",
                   allocations=[{"receipt_line": lines[0], "weight": qty(20)},
                                {"receipt_line": lines[1], "weight": qty(10)}])  # fmt: skip
    assert {x.product_id: x.amount for x in draft.allocations.all()} == {
        a.pk: Decimal("60.00"), b.pk: Decimal("30.00")}  # fmt: skip
    landed_costs.post_landed_cost(document=draft)
    assert value_of(a) == Decimal("160.00")


def test_ordinary_invoice_vat_is_part_of_the_cost(world, carrier):
    a = world.product("A")
    receipt = received(world, [(a, 10, "10")])
    posted = landed_costs.post_landed_cost(
        document=landed(
            world, carrier, [receipt], [("freight", "10", "9")], invoice_type="ordinary"
        )  # fmt: skip
    )
    assert posted.to_stock == Decimal("10.90")
    assert "22210101" not in balances(world.org)


def test_goods_returned_before_posting_carry_no_cost(world, carrier):
    a, b = world.product("A"), world.product("B")
    receipt = received(world, [(a, 10, "10"), (b, 10, "10")])
    draft = landed(world, carrier, [receipt], [("freight", "20", "0")], "quantity")
    line_b = receipt.lines.get(product=b)
    back = returns.save_purchase_return(
        organization=world.org, user=world.user,
        data={"receipt": receipt, "business_date": DAY,
              "lines": [{"receipt_line": line_b, "quantity": qty(10)}]},
    )  # fmt: skip
    returns.post_purchase_return(purchase_return=back)
    posted = landed_costs.post_landed_cost(document=draft)
    assert [(x.product_id, x.amount) for x in posted.allocations.all()] == [
        (a.pk, Decimal("20.00"))]  # fmt: skip
    assert value_of(a) == Decimal("120.00")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"cost_type": "freight", "amount": qty(-5)}]}, "lines.0.amount"),
        ({"lines": [{"cost_type": "lunch", "amount": qty(5)}]}, "lines.0.cost_type"),
        ({"lines": [{"cost_type": "duty", "amount": qty(5), "tax_percent": qty(101)}]},
         "lines.0.tax_percent"),
        ({"lines": []}, "lines"),
        ({"receipts": []}, "receipts"),
        ({"method": "volume"}, "method"),
        ({"invoice_type": "receipt"}, "invoice_type"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_writes_nothing(world, carrier, change, field):
    receipt = received(world, [(world.product("A"), 1, "1")])
    change = dict(change)
    receipts = change.pop("receipts", [receipt])
    with pytest.raises(ValidationFailed) as error:
        landed(world, carrier, receipts, [("freight", "1", "0")], **change)
    assert error.value.field == field
    assert not LandedCost.objects.exists()


def test_draft_or_foreign_receipts_are_refused(world, carrier, other_org):
    a = world.product("A")
    order = world.order([{"product": a, "quantity": qty(1), "unit_price": qty(1)}])
    draft_receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(1)}],
                                  post=False)  # fmt: skip
    with pytest.raises(ValidationFailed) as not_posted:
        landed(world, carrier, [draft_receipt], [("freight", "1", "0")])
    assert not_posted.value.field == "receipts"
    elsewhere = Purchasing(other_org, None)
    foreign = received(elsewhere, [(elsewhere.product("X"), 1, "1")])
    with pytest.raises(ValidationFailed) as unknown:
        landed(world, carrier, [foreign], [("freight", "1", "0")])
    assert unknown.value.field == "receipts"
    assert not LandedCost.objects.exists()


def test_posted_once_only(world, carrier):
    receipt = received(world, [(world.product("A"), 1, "1")])
    posted = landed_costs.post_landed_cost(
        document=landed(world, carrier, [receipt], [("freight", "1", "0")])
    )
    with pytest.raises(ValidationFailed):
        landed_costs.post_landed_cost(document=posted)
    with pytest.raises(ValidationFailed):
        landed_costs.save_landed_cost(
            organization=world.org, user=None, data={"note": "x"}, document=posted
        )
    assert OpenItem.objects.filter(document_type="purchasing.landedcost").count() == 1
