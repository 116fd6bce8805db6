"""Purchase suggestions (采购建议): each rule of the min/max logic, product defaults without a
rule, and purchase orders made from chosen lines (one per supplier and warehouse, all or
nothing)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from jxc.core.errors import ValidationFailed
from jxc.inventory import selectors as inventory_selectors
from jxc.inventory.services.reservations import reserve_stock
from jxc.purchasing.models import PurchaseOrder, ReorderRule
from jxc.purchasing.services.suggestions import orders_from_suggestions
from jxc.purchasing.suggestions import purchase_suggestions
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import qty

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)


def rule(world, product, warehouse=None, **figures):
    return ReorderRule.objects.create(
        organization=world.org,
        product=product,
        warehouse=warehouse or world.wh1,
        supplier=figures.pop("supplier", world.vendor),
        **{k: qty(v) if not isinstance(v, int | bool) or k == "max_stock" else v
           for k, v in figures.items()},
    )  # fmt: skip


def lines(world, **filters):
    with translation.override("en"):  # the reasons read in English here; zh-Hans in the e2e test
        groups = purchase_suggestions(world.org, today=TODAY, **filters)
    return {(line.product_id, line.warehouse_id): line for g in groups for line in g["lines"]}


def test_below_reorder_point_orders_the_reorder_quantity_beyond_the_shortfall(world):
    product = world.product()
    world.receive(product, 12, 1)
    rule(world, product, safety_stock=5, reorder_point=30, reorder_quantity=50, lead_time_days=7)
    line = lines(world)[(product.pk, world.wh1.pk)]
    # up to reorder point + reorder quantity: 30 + 50 − 12
    assert line.quantity == qty(68)
    assert line.available == qty(12)
    assert line.incoming == 0
    assert line.projected == qty(12)
    assert line.expected_date == TODAY + datetime.timedelta(days=7)
    assert line.supplier_id == world.vendor.pk
    assert "available 12" in line.reason
    assert "reorder point 30" in line.reason
    assert "incoming 0" in line.reason
    assert "lead time 7 days" in line.reason


def test_above_the_reorder_point_nothing_is_suggested(world):
    product = world.product()
    world.receive(product, 31, 1)
    rule(world, product, reorder_point=30, reorder_quantity=50)
    assert lines(world) == {}


def test_at_the_reorder_point_the_reorder_quantity_is_suggested(world):
    product = world.product()
    world.receive(product, 30, 1)
    rule(world, product, reorder_point=30, reorder_quantity=50)
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty(50)


def test_below_safety_stock_without_reorder_point_fills_up_to_safety(world):
    product = world.product()
    world.receive(product, 3, 1)
    rule(world, product, safety_stock=10)
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty(7)


def test_reservations_lower_what_is_available(world):
    product = world.product()
    world.receive(product, 40, 1)
    rule(world, product, reorder_point=30, reorder_quantity=10)
    assert lines(world) == {}
    reserve_stock(organization=world.org, product=product, warehouse=world.wh1,
                  quantity=qty(15), origin_type="test", origin_id=1)  # fmt: skip
    line = lines(world)[(product.pk, world.wh1.pk)]
    assert line.available == qty(25)
    assert line.quantity == qty(15)


def test_incoming_open_orders_count_drafts_included(world):
    product = world.product()
    world.receive(product, 10, 1)
    rule(world, product, reorder_point=30, reorder_quantity=50)
    world.order([{"product": product, "quantity": qty(15), "unit_price": qty(1)}])
    world.order([{"product": product, "quantity": qty(5), "unit_price": qty(1)}], submit=False)
    line = lines(world)[(product.pk, world.wh1.pk)]
    assert line.incoming == qty(20)
    assert line.projected == qty(30)
    assert line.quantity == qty(50)
    world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1)}])
    assert lines(world) == {}  # projected 31 > reorder point


def test_with_a_maximum_it_orders_up_to_the_maximum(world):
    product = world.product()
    world.receive(product, 12, 1)
    rule(world, product, reorder_point=30, reorder_quantity=50, max_stock=qty(100))
    line = lines(world)[(product.pk, world.wh1.pk)]
    assert line.quantity == qty(88)
    assert "maximum 100" in line.reason


def test_minimum_order_quantity_and_pack_rounding(world):
    product = world.product()
    world.receive(product, 28, 1)
    rule(world, product, reorder_point=30, reorder_quantity=0, safety_stock=0,
         min_order_quantity=25, pack_size=12)  # fmt: skip
    # needs 2, at least 25, rounded up to packs of 12 → 36
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty(36)


def test_pack_rounding_without_minimum(world):
    product = world.product()
    world.receive(product, 20, 1)
    rule(world, product, reorder_point=30, reorder_quantity=5, pack_size=qty("2.5"))
    # 30 + 5 − 20 = 15 → six packs of 2.5
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty(15)
    ReorderRule.objects.update(reorder_quantity=qty(6))
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty("17.5")


def test_product_defaults_without_a_rule(world):
    product = world.product(
        safety_stock=qty(5), reorder_point=qty(20), reorder_quantity=qty(30),
        default_supplier=world.vendor,
    )  # fmt: skip
    world.receive(product, 8, 1)
    world.receive(product, 100, 1, location=world.bin2)
    found = lines(world)
    assert set(found) == {(product.pk, world.wh1.pk)}  # wh2 is above its reorder point
    line = found[(product.pk, world.wh1.pk)]
    assert line.quantity == qty(42)
    assert line.rule_id is None
    assert line.supplier_id == world.vendor.pk
    assert line.expected_date == TODAY
    assert "product master data" in line.reason


def test_a_rule_replaces_the_products_figures_and_an_inactive_rule_silences_them(world):
    product = world.product(reorder_point=qty(20), reorder_quantity=qty(30))
    world.receive(product, 8, 1)
    found = rule(world, product, reorder_point=10, reorder_quantity=4)
    assert lines(world)[(product.pk, world.wh1.pk)].quantity == qty(6)
    found.is_active = False
    found.save()
    assert lines(world) == {}


def test_inactive_products_are_not_suggested(world):
    product = world.product()
    rule(world, product, reorder_point=10, reorder_quantity=4)
    assert lines(world)  # no stock row at all: available 0
    product.is_active = False
    product.save()
    assert lines(world) == {}


def test_rule_supplier_defaults_to_the_products_and_groups_by_supplier(world):
    other = make_partner(world.org, "S2", "北京供应商")
    a = world.product("A", default_supplier=other)
    b = world.product("B")
    c = world.product("C")
    rule(world, a, supplier=None, reorder_point=1, reorder_quantity=1)
    rule(world, b, reorder_point=1, reorder_quantity=1)
    rule(world, c, supplier=None, reorder_point=1, reorder_quantity=1)
    groups = purchase_suggestions(world.org, today=TODAY)
    # by name (上海… before 北京…), the lines without a supplier last
    assert [g["supplier"] for g in groups] == [world.vendor.pk, other.pk, None]
    assert [line.product_id for line in groups[2]["lines"]] == [c.pk]
    assert groups[1]["lines"][0].product_id == a.pk
    only = purchase_suggestions(world.org, supplier=other, today=TODAY)
    assert [line.product_id for g in only for line in g["lines"]] == [a.pk]


def test_an_inactive_supplier_or_warehouse(world):
    product = world.product()
    rule(world, product, reorder_point=1, reorder_quantity=1)
    rule(world, product, world.wh2, reorder_point=1, reorder_quantity=1)
    world.vendor.is_active = False
    world.vendor.save()
    world.wh2.is_active = False
    world.wh2.save()
    groups = purchase_suggestions(world.org, today=TODAY)
    # the supplier cannot be ordered from: the line waits for one; the warehouse is closed
    assert [g["supplier"] for g in groups] == [None]
    assert [(line.warehouse_id, line.supplier_id) for line in groups[0]["lines"]] == [
        (world.wh1.pk, None)
    ]


def test_warehouse_filter(world):
    product = world.product()
    rule(world, product, reorder_point=1, reorder_quantity=1)
    rule(world, product, world.wh2, reorder_point=1, reorder_quantity=1)
    assert set(lines(world)) == {(product.pk, world.wh1.pk), (product.pk, world.wh2.pk)}
    assert set(lines(world, warehouse=world.wh2)) == {(product.pk, world.wh2.pk)}


def test_registered_unreserved_demand_lowers_the_projection(world, monkeypatch):
    product = world.product()
    world.receive(product, 40, 1)
    rule(world, product, reorder_point=30, reorder_quantity=10)
    key = (product.pk, world.wh1.pk)
    monkeypatch.setattr(inventory_selectors, "_demand_sources", [lambda org, wh: {key: qty(12)}])
    line = lines(world)[key]
    assert line.demand == qty(12)
    assert line.projected == qty(28)
    assert line.quantity == qty(12)


def choice(world, product, quantity="10", warehouse=None, supplier=None, **extra):
    return {"product": product, "warehouse": warehouse or world.wh1,
            "supplier": supplier or world.vendor, "quantity": Decimal(quantity), **extra}  # fmt: skip


def test_one_draft_order_per_supplier_and_warehouse(world):
    other = make_partner(world.org, "S2", "北京供应商")
    a = world.product("A", purchase_price=qty(3))
    b = world.product("B")
    made = orders_from_suggestions(
        organization=world.org,
        user=world.user,
        lines=[
            choice(world, a, "10"),
            choice(world, b, "4", unit_price=qty(2)),
            choice(world, a, "5", warehouse=world.wh2),
            choice(world, b, "7", supplier=other),
        ],
    )
    assert len(made) == 3
    assert PurchaseOrder.objects.count() == 3
    first = made[0]
    assert first.state == "draft"
    assert first.supplier == world.vendor
    assert first.warehouse == world.wh1
    prices = {line.product_id: line.unit_price for line in first.lines.all()}
    assert prices == {a.pk: qty(3), b.pk: qty(2)}  # the product's purchase price by default
    assert {(o.supplier_id, o.warehouse_id) for o in made} == {
        (world.vendor.pk, world.wh1.pk), (world.vendor.pk, world.wh2.pk), (other.pk, world.wh1.pk)
    }  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": Decimal(0)}, "lines.1.quantity"),
        ({"quantity": Decimal(-3)}, "lines.1.quantity"),
        ({"supplier": None}, "lines.1.supplier"),
        ({"inactive_supplier": True}, "lines.1.supplier"),
        ({"foreign_product": True}, "lines.1.product"),
        ({"foreign_warehouse": True}, "lines.1.warehouse"),
        ({"unit_price": Decimal(-1)}, "lines.1.unit_price"),
    ],
)
def test_bad_input_names_the_line_and_writes_nothing(world, other_org, change, field):
    from tests.purchasing.conftest import Purchasing

    good = choice(world, world.product("A"))
    bad = choice(world, world.product("B"))
    if change.pop("inactive_supplier", False):
        bad["supplier"] = make_partner(world.org, "S9", "停用供应商", is_active=False)
    if change.pop("foreign_product", False) or change.get("foreign_warehouse"):
        elsewhere = Purchasing(other_org, None)
        if change.pop("foreign_warehouse", False):
            bad["warehouse"] = elsewhere.wh1
        else:
            bad["product"] = elsewhere.product("X")
    bad.update(change)
    with pytest.raises(ValidationFailed) as error:
        orders_from_suggestions(organization=world.org, user=world.user, lines=[good, bad])
    assert error.value.field == field
    assert not PurchaseOrder.objects.exists()


def test_an_error_of_the_order_service_names_the_suggestion_line(world):
    good = choice(world, world.product("A"))
    inactive = world.product("B")
    inactive.is_active = False
    inactive.save()
    with pytest.raises(ValidationFailed) as error:
        orders_from_suggestions(organization=world.org, user=world.user,
                                lines=[good, choice(world, world.product("C"), supplier=make_partner(world.org, "S2", "乙")), choice(world, inactive)])  # fmt: skip
    assert error.value.field == "lines.2.product"
    assert not PurchaseOrder.objects.exists()


def test_no_lines_is_refused(world):
    with pytest.raises(ValidationFailed) as error:
        orders_from_suggestions(organization=world.org, user=world.user, lines=[])
    assert error.value.field == "lines"
