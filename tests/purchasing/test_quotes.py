"""Requests for quotation (询价单) and supplier quotes (报价): record, compare, choose, order;
accepted prices on the supplier's price list and as the default price of later orders."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jxc.core.errors import ValidationFailed
from jxc.masterdata.models import PriceList, PriceListItem
from jxc.masterdata.services.partners import save_partner
from jxc.purchasing.models import PurchaseOrder, RequestForQuotation, SupplierQuote
from jxc.purchasing.selectors import quote_comparison
from jxc.purchasing.services import orders, quotes
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


class Asked:
    """A sent request for two products asked of two suppliers."""

    def __init__(self, world):
        self.world = world
        self.a = world.product("QA", purchase_price=qty(9))
        self.b = world.product("QB", purchase_price=qty(9))
        self.other = make_partner(world.org, "S2", "苏州供应商")
        rfq = quotes.save_rfq(
            organization=world.org,
            user=world.user,
            data={
                "business_date": DAY,
                "warehouse": world.wh1,
                "suppliers": [world.vendor, self.other],
                "lines": [
                    {"product": self.a, "quantity": qty(100)},
                    {"product": self.b, "quantity": qty(10)},
                ],
            },
        )
        self.rfq = quotes.send_rfq(rfq=rfq)
        self.line_a, self.line_b = self.rfq.lines.order_by("position")

    def quote(self, supplier, *prices, **extra):
        lines = [
            {"line": line, "unit_price": qty(price), "lead_time_days": 5, **extra}
            for line, price in zip((self.line_a, self.line_b), prices, strict=False)
            if price is not None
        ]
        return quotes.record_quotes(rfq=self.rfq, supplier=supplier, data={"lines": lines})


@pytest.fixture
def asked(world):
    return Asked(world)


def test_sending_numbers_the_request_and_fixes_it(asked):
    assert asked.rfq.state == "submitted"
    assert asked.rfq.number.startswith("XJ")
    with pytest.raises(ValidationFailed) as refused:
        quotes.save_rfq(
            organization=asked.world.org, user=asked.world.user, data={"note": "x"},
            rfq=asked.rfq,
        )  # fmt: skip
    assert refused.value.field == "state"


def test_an_empty_request_cannot_be_sent(world):
    rfq = quotes.save_rfq(
        organization=world.org, user=world.user,
        data={"warehouse": world.wh1, "suppliers": [world.vendor], "lines": []},
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        quotes.send_rfq(rfq=rfq)
    assert refused.value.field == "lines"
    assert RequestForQuotation.objects.get(pk=rfq.pk).state == "draft"


def test_inactive_or_repeated_suppliers_are_refused(world):
    product = world.product("QX")
    idle = make_partner(world.org, "S9", "停用供应商")
    save_partner(organization=world.org, data={"is_active": False}, partner=idle)
    for suppliers, field in (([world.vendor, idle], "suppliers.1"),
                             ([world.vendor, world.vendor], "suppliers.1")):  # fmt: skip
        with pytest.raises(ValidationFailed) as refused:
            quotes.save_rfq(
                organization=world.org, user=world.user,
                data={"warehouse": world.wh1, "suppliers": suppliers,
                      "lines": [{"product": product, "quantity": qty(1)}]},
            )  # fmt: skip
        assert refused.value.field == field
    assert not RequestForQuotation.objects.exists()


def test_comparison_applies_breaks_marks_expired_and_flags_the_cheapest(asked):
    world = asked.world
    asked.quote(
        world.vendor, 10, 20, price_breaks=[{"min_quantity": qty(50), "unit_price": qty(8)}]
    )
    asked.quote(asked.other, 9, 15, valid_until=today() - datetime.timedelta(days=1))
    found = quote_comparison(asked.rfq, today())
    a, b = found["lines"]
    by_supplier = {cell["supplier"]: cell for cell in a["quotes"]}
    mine, theirs = by_supplier[world.vendor.pk], by_supplier[asked.other.pk]
    assert mine["unit_price"] == Decimal("8")  # 100 ≥ the 50 break
    assert mine["amount"] == Decimal("800.00")
    assert theirs["expired"] is True
    assert mine["cheapest"] is True
    assert theirs["cheapest"] is False
    assert {cell["supplier"] for cell in b["quotes"] if cell["cheapest"]} == {world.vendor.pk}
    assert {s["id"] for s in found["suppliers"]} == {world.vendor.pk, asked.other.pk}


def test_quoting_again_replaces_the_suppliers_quote(asked):
    asked.quote(asked.world.vendor, 10, 20)
    asked.quote(asked.world.vendor, 11)
    quote = SupplierQuote.objects.get(rfq_line=asked.line_a, supplier=asked.world.vendor)
    assert quote.unit_price == Decimal("11")
    assert SupplierQuote.objects.filter(supplier=asked.world.vendor).count() == 2


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"unit_price": qty(-1)}, "lines.0.unit_price"),
        ({"unit_price": None}, "lines.0.unit_price"),
        ({"lead_time_days": 99999}, "lines.0.lead_time_days"),
        ({"price_breaks": [{"min_quantity": qty(0), "unit_price": qty(1)}]},
         "lines.0.price_breaks.0.min_quantity"),
        ({"price_breaks": [{"min_quantity": qty(5), "unit_price": qty(1)},
                           {"min_quantity": qty(5), "unit_price": qty(2)}]},
         "lines.0.price_breaks.1.min_quantity"),
        ({"line": None}, "lines.0.line"),
    ],
)  # fmt: skip
def test_bad_quotes_are_refused_and_nothing_is_written(asked, item, field):
    line = {"line": asked.line_a, "unit_price": qty(3), **item}
    with pytest.raises(ValidationFailed) as refused:
        quotes.record_quotes(rfq=asked.rfq, supplier=asked.world.vendor, data={"lines": [line]})
    assert refused.value.field == field
    assert not SupplierQuote.objects.exists()


def test_a_line_of_another_request_is_refused(asked, world):
    other = quotes.save_rfq(
        organization=world.org, user=world.user,
        data={"warehouse": world.wh1, "lines": [{"product": asked.a, "quantity": qty(1)}]},
    )  # fmt: skip
    line = {"line": other.lines.get(), "unit_price": qty(3)}
    with pytest.raises(ValidationFailed) as refused:
        quotes.record_quotes(rfq=asked.rfq, supplier=world.vendor, data={"lines": [line]})
    assert refused.value.field == "lines.0.line"


def test_choices_become_one_draft_order_per_supplier_and_update_the_price_list(asked):
    world = asked.world
    mine = asked.quote(
        world.vendor, 10, 20, price_breaks=[{"min_quantity": qty(50), "unit_price": qty(8)}]
    )
    theirs = asked.quote(asked.other, 12, 15)
    made = quotes.orders_from_quotes(
        rfq=asked.rfq,
        user=world.user,
        lines=[
            {"line": asked.line_a, "quote": mine[0]},
            {"line": asked.line_b, "quote": theirs[1]},
        ],
        update_price_list=True,
    )
    assert len(made) == 2
    by_supplier = {order.supplier_id: order for order in made}
    line_a = by_supplier[world.vendor.pk].lines.get()
    assert (line_a.product, line_a.quantity, line_a.unit_price) == (asked.a, qty(100), qty(8))
    assert line_a.supplier_quote == mine[0]
    assert line_a.expected_date == today() + datetime.timedelta(days=5)
    assert by_supplier[asked.other.pk].lines.get().unit_price == qty(15)
    assert all(order.state == "draft" for order in made)
    assert RequestForQuotation.objects.get(pk=asked.rfq.pk).state == "done"
    assert set(SupplierQuote.objects.filter(is_accepted=True)) == {mine[0], theirs[1]}
    listed = PriceList.objects.get(partner=world.vendor, kind="purchase")
    items = PriceListItem.objects.filter(price_list=listed, product=asked.a)
    assert sorted((i.min_quantity, i.price) for i in items) == [
        (qty(0), qty(10)),
        (qty(50), qty(8)),
    ]
    # a later order of the supplier takes the accepted quote's price for its quantity
    later = world.order([{"product": asked.a, "quantity": qty(60)}], submit=False,
                        business_date=today())  # fmt: skip
    assert later.lines.get().unit_price == qty(8)


def test_an_expired_quote_or_someone_elses_line_cannot_be_chosen(asked):
    world = asked.world
    stale = asked.quote(world.vendor, 10, valid_until=today() - datetime.timedelta(days=1))
    fresh = asked.quote(asked.other, 12, 13)
    cases = [
        ([{"line": asked.line_a, "quote": stale[0]}], "lines.0.quote"),
        ([{"line": asked.line_b, "quote": fresh[0]}], "lines.0.quote"),
        ([{"line": asked.line_a, "quote": fresh[0]}, {"line": asked.line_a, "quote": fresh[0]}],
         "lines.1.line"),
        ([], "lines"),
    ]  # fmt: skip
    for lines, field in cases:
        with pytest.raises(ValidationFailed) as refused:
            quotes.orders_from_quotes(rfq=asked.rfq, user=world.user, lines=lines)
        assert refused.value.field == field
    assert not PurchaseOrder.objects.exists()
    assert not SupplierQuote.objects.filter(is_accepted=True).exists()


def test_a_supplier_made_inactive_after_quoting_cannot_be_ordered_from(asked):
    world = asked.world
    theirs = asked.quote(asked.other, 12)
    save_partner(organization=world.org, data={"is_active": False}, partner=asked.other)
    with pytest.raises(ValidationFailed) as refused:
        quotes.orders_from_quotes(
            rfq=asked.rfq, user=world.user, lines=[{"line": asked.line_a, "quote": theirs[0]}]
        )
    assert refused.value.field == "lines.0.quote"
    assert not PurchaseOrder.objects.exists()


def test_ordering_from_an_inactive_supplier_is_refused(world):
    product = world.product("QI")
    order = world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1)}],
                        submit=False)  # fmt: skip
    save_partner(organization=world.org, data={"is_active": False}, partner=world.vendor)
    with pytest.raises(ValidationFailed) as refused:
        orders.submit_purchase_order(order=order, user=world.user)
    assert refused.value.field == "supplier"
    with pytest.raises(ValidationFailed) as refused:
        world.order([{"product": product, "quantity": qty(1)}], submit=False)
    assert refused.value.field == "supplier"
    assert PurchaseOrder.objects.get().state == "draft"
