"""Purchase orders: prices and tax per line, totals, the lifecycle through approval, the
refusals of bad input, and what open orders add to incoming stock."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.selectors import incoming
from jxc.masterdata.models import Currency, ExchangeRate
from jxc.purchasing.models import PurchaseOrder
from jxc.purchasing.selectors import line_stock
from jxc.purchasing.services import orders
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def test_line_amounts_tax_exclusive_and_inclusive_with_discount(world):
    p1, p2 = world.product("P1"), world.product("P2")
    order = world.order(
        [
            {"product": p1, "quantity": qty(3), "unit_price": qty("10.005")},
            {
                "product": p2,
                "quantity": qty(2),
                "unit_price": qty("113"),
                "tax_inclusive": True,
                "discount_percent": qty(10),
            },
        ],
        submit=False,
    )
    first, second = order.lines.all()
    # 3 × 10.005 = 30.015 → 30.02 (half-up), tax 3.90
    assert (first.net_amount, first.tax_amount, first.gross_amount) == (
        Decimal("30.02"), Decimal("3.90"), Decimal("33.92"))  # fmt: skip
    # 2 × 113 × 90 % = 203.40 gross, net 180.00
    assert (second.net_amount, second.tax_amount, second.gross_amount) == (
        Decimal("180.00"), Decimal("23.40"), Decimal("203.40"))  # fmt: skip
    assert (order.net_amount, order.tax_amount, order.gross_amount) == (
        Decimal("210.02"), Decimal("27.30"), Decimal("237.32"))  # fmt: skip
    assert order.state == "draft"
    assert order.number == ""


def test_price_defaults_from_the_product_purchase_price(world):
    product = world.product("P1", purchase_price=Decimal("11.3"))
    order = world.order([{"product": product, "quantity": qty(2)}], submit=False)
    line = order.lines.get()
    assert line.unit_price == Decimal("11.3")
    assert line.tax_percent == Decimal("13")


def test_without_rules_submitting_approves_and_numbers_the_order(world):
    order = world.order([{"product": world.product(), "quantity": qty(5), "unit_price": qty(2)}])
    assert order.state == "approved"
    assert order.number.startswith("CG")
    assert order.approved_at is not None


def test_approval_rule_holds_the_order_until_approved(world, org, roles):
    save_rule(
        organization=org,
        data={
            "name": "大额采购",
            "document_type": "purchase_order",
            "conditions": [{"field": "amount", "operator": "gte", "value": "100"}],
            "levels": [{"name": "经理", "mode": "any",
                        "approvers": [{"type": "role", "id": roles["manager"].pk}]}],
        },
    )  # fmt: skip
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    order = world.order([{"product": world.product(), "quantity": qty(50), "unit_price": qty(2)}])
    assert order.state == "submitted"
    request = ApprovalRequest.objects.get(document_type="purchase_order", document_id=order.pk)
    assert request.base_amount == Decimal("113.00")
    approvals.reject(request=request, user=manager, comment="太贵")
    order.refresh_from_db()
    assert order.state == "draft"
    orders.submit_purchase_order(order=order, user=world.user)
    request = ApprovalRequest.objects.get(
        document_type="purchase_order", document_id=order.pk, state="pending"
    )
    approvals.approve(request=request, user=manager, comment="")
    order.refresh_from_db()
    assert order.state == "approved"


def test_an_approved_order_cannot_be_edited(world):
    order = world.order([{"product": world.product(), "quantity": qty(5), "unit_price": qty(2)}])
    with pytest.raises(ValidationFailed) as refused:
        orders.save_purchase_order(
            organization=world.org, user=world.user, data={"note": "x"}, order=order
        )
    assert (refused.value.field, refused.value.code) == ("state", "order_approved")
    order.refresh_from_db()
    assert order.note == ""


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": qty(0)}, "lines.0.quantity"),
        ({"quantity": qty(-1)}, "lines.0.quantity"),
        ({"unit_price": qty(-1)}, "lines.0.unit_price"),
        ({"discount_percent": qty(101)}, "lines.0.discount_percent"),
    ],
)
def test_bad_lines_are_refused_naming_the_line_and_nothing_is_written(world, line, field):
    product = world.product()
    with pytest.raises(ValidationFailed) as refused:
        world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1), **line}])
    assert refused.value.field == field
    assert not PurchaseOrder.objects.exists()


def test_inactive_or_non_supplier_partner_and_missing_rate_are_refused(world, org):
    product = world.product()
    line = [{"product": product, "quantity": qty(1), "unit_price": qty(1)}]
    inactive = make_partner(org, "S9", "停用供应商", is_active=False)
    customer = make_partner(org, "C1", "客户", is_supplier=False, is_customer=True)
    usd = Currency.objects.create(organization=org, code="USD", name="美元")
    for header, field in (
        ({"supplier": inactive}, "supplier"),
        ({"supplier": customer}, "supplier"),
        ({"currency": usd}, "currency"),
    ):
        with pytest.raises(ValidationFailed) as refused:
            world.order(line, **header)
        assert refused.value.field == field
    assert not PurchaseOrder.objects.exists()
    ExchangeRate.objects.create(organization=org, currency=usd, date=DAY, rate=Decimal("7.1"))
    order = world.order(line, currency=usd)
    assert order.rate == Decimal("7.1")


def test_open_orders_are_incoming_until_received_or_closed(world):
    product = world.product()
    order = world.order([{"product": product, "quantity": qty(8), "unit_price": qty(2)}])
    assert incoming(product_id=product.pk) == {world.wh1.pk: Decimal(8)}
    assert line_stock(world.org, world.wh1.pk, [product.pk])[product.pk]["incoming"] == 8
    world.receipt([{"order_line": order.lines.get(), "quantity": qty(3)}])
    assert incoming(product_id=product.pk) == {world.wh1.pk: Decimal(5)}
    figures = line_stock(world.org, world.wh1.pk, [product.pk])[product.pk]
    assert (figures["on_hand"], figures["available"], figures["incoming"]) == (3, 3, 5)
    order.refresh_from_db()
    assert order.state == "partially_done"
    orders.close_purchase_order(order=order)
    assert incoming(product_id=product.pk) == {}
