"""Purchase requests (请购单): the lifecycle through approval, conversion into draft purchase
orders (several requests into one order, one request across suppliers), the ordered quantity
each request line keeps, and the refusals of bad input."""

import pytest

from jxc.core.errors import ValidationFailed
from jxc.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseRequest
from jxc.purchasing.services import orders, requests
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, days, qty

pytestmark = pytest.mark.django_db


def make_request(world, lines, submit=True, user=None, **header):
    data = {"business_date": DAY, "department": "生产部", "warehouse": world.wh1, **header}
    data["lines"] = lines
    request = requests.save_purchase_request(
        organization=world.org, user=user or world.user, data=data
    )
    if submit:
        request = requests.submit_purchase_request(request=request, user=user or world.user)
    return request


def convert(world, lines):
    return requests.orders_from_requests(organization=world.org, user=world.user, lines=lines)


def test_without_rules_submitting_approves_and_numbers_the_request(world):
    request = make_request(world, [{"product": world.product(), "quantity": qty(5)}])
    assert request.state == "approved"
    assert request.number.startswith("QG" + DAY.strftime("%Y%m%d"))
    assert request.requester == world.user
    assert request.approved_at is not None
    line = request.lines.get()
    assert (line.base_quantity, line.ordered_quantity) == (qty(5), qty(0))


def test_approval_rule_holds_the_request_until_approved(world, org, roles):
    save_rule(
        organization=org,
        data={"name": "请购审批", "document_type": "purchase_request", "conditions": [],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": roles["manager"].pk}]}]},
    )  # fmt: skip
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    request = make_request(world, [{"product": world.product(), "quantity": qty(5)}])
    assert request.state == "submitted"
    pending = ApprovalRequest.objects.get(document_type="purchase_request", document_id=request.pk)
    with pytest.raises(ValidationFailed) as error:  # not approved yet: nothing to convert
        convert(world, [{"request_line": request.lines.get(), "supplier": world.vendor}])
    assert error.value.field == "lines.0.request_line"
    approvals.reject(request=pending, user=manager, comment="再议")
    request.refresh_from_db()
    assert request.state == "draft"
    requests.submit_purchase_request(request=request, user=world.user)
    pending = ApprovalRequest.objects.get(
        document_type="purchase_request", document_id=request.pk, state="pending"
    )
    approvals.approve(request=pending, user=manager, comment="")
    request.refresh_from_db()
    assert request.state == "approved"


def test_two_requests_become_one_order_per_supplier_and_warehouse(world):
    a = world.product("A", purchase_price=qty(3))
    b = world.product("B", purchase_price=qty(4))
    first = make_request(world, [{"product": a, "quantity": qty(10), "needed_by": days(5)}])
    second = make_request(world, [{"product": b, "quantity": qty(2), "supplier": world.vendor},
                                  {"product": a, "quantity": qty(1)}],
                          department="行政部")  # fmt: skip
    b_line, a_line = second.lines.all()
    made = convert(
        world,
        [
            {"request_line": first.lines.get(), "supplier": world.vendor},
            {"request_line": b_line},  # the line's suggested supplier
            {"request_line": a_line, "supplier": world.vendor},
        ],
    )
    assert len(made) == 1
    order = made[0]
    assert (order.state, order.supplier, order.warehouse) == ("draft", world.vendor, world.wh1)
    assert first.number in order.note
    assert second.number in order.note
    lines = list(order.lines.all())
    assert [(line.product_id, line.quantity, line.unit_price) for line in lines] == [
        (a.pk, qty(10), qty(3)), (b.pk, qty(2), qty(4)), (a.pk, qty(1), qty(3))
    ]  # fmt: skip
    assert lines[0].expected_date == days(5)
    assert {line.request_line.request_id for line in lines} == {first.pk, second.pk}
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == ("done", "done")
    assert first.lines.get().ordered_quantity == qty(10)


def test_one_request_split_across_two_suppliers(world):
    other = make_partner(world.org, "S2", "北京供应商")
    product = world.product("A", purchase_price=qty(3))
    request = make_request(world, [{"product": product, "quantity": qty(10)}])
    line = request.lines.get()
    made = convert(world, [{"request_line": line, "supplier": world.vendor, "quantity": qty(6)}])
    assert made[0].lines.get().quantity == qty(6)
    line.refresh_from_db()
    request.refresh_from_db()
    assert (line.ordered_quantity, request.state) == (qty(6), "partially_done")
    with pytest.raises(ValidationFailed) as error:  # only 4 are still open
        convert(world, [{"request_line": line, "supplier": other, "quantity": qty(5)}])
    assert error.value.field == "lines.0.quantity"
    # the rest (no quantity: what is still open) from another supplier
    made = convert(world, [{"request_line": line, "supplier": other}])
    assert (made[0].supplier, made[0].lines.get().quantity) == (other, qty(4))
    line.refresh_from_db()
    request.refresh_from_db()
    assert (line.ordered_quantity, request.state) == (qty(10), "done")
    # ordered in full: more is refused, and nothing is written
    with pytest.raises(ValidationFailed) as error:
        convert(world, [{"request_line": line, "supplier": other, "quantity": qty(1)}])
    assert error.value.field == "lines.0.request_line"
    assert PurchaseOrder.objects.count() == 2


def test_cancelling_or_editing_the_order_gives_the_quantity_back(world):
    product = world.product("A", purchase_price=qty(3))
    request = make_request(world, [{"product": product, "quantity": qty(10)}])
    line = request.lines.get()
    (order,) = convert(world, [{"request_line": line, "supplier": world.vendor}])
    # the draft is edited: the line keeps its link, with less
    orders.save_purchase_order(
        organization=world.org, user=world.user, order=order,
        data={"lines": [{"product": product, "quantity": qty(7), "request_line": line}]},
    )  # fmt: skip
    line.refresh_from_db()
    assert line.ordered_quantity == qty(7)
    with pytest.raises(ValidationFailed) as error:  # above what was requested
        orders.save_purchase_order(
            organization=world.org, user=world.user, order=order,
            data={"lines": [{"product": product, "quantity": qty(11), "request_line": line}]},
        )  # fmt: skip
    assert error.value.field == "lines.0.quantity"
    orders.cancel_purchase_order(order=order)
    line.refresh_from_db()
    request.refresh_from_db()
    assert (line.ordered_quantity, request.state) == (qty(0), "approved")


def test_a_request_with_orders_is_closed_not_cancelled(world):
    request = make_request(world, [{"product": world.product(), "quantity": qty(10)}])
    convert(world, [{"request_line": request.lines.get(), "supplier": world.vendor,
                     "quantity": qty(2)}])  # fmt: skip
    with pytest.raises(ValidationFailed):
        requests.cancel_purchase_request(request=request)
    request = requests.close_purchase_request(request=request)
    assert request.state == "closed"
    with pytest.raises(ValidationFailed) as error:
        convert(world, [{"request_line": request.lines.get(), "supplier": world.vendor}])
    assert error.value.field == "lines.0.request_line"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": qty(0)}, "lines.1.quantity"),
        ({"quantity": qty(-1)}, "lines.1.quantity"),
        ({"quantity": qty(11)}, "lines.1.quantity"),
        ({"quantity": "3"}, "lines.1.quantity"),
        ({"supplier": None}, "lines.1.supplier"),
        ({"supplier": "customer"}, "lines.1.supplier"),
        ({"supplier": "elsewhere"}, "lines.1.supplier"),
        ({"request_line": "elsewhere"}, "lines.1.request_line"),
        ({"request_line": "same"}, "lines.1.request_line"),
        ({"request_line": "draft"}, "lines.1.request_line"),
        ({"unit_price": qty(-1)}, "lines.1.unit_price"),
    ],
)
def test_bad_conversions_name_the_line_and_write_nothing(world, org, other_org, change, field):
    from tests.purchasing.conftest import Purchasing

    product = world.product("A", purchase_price=qty(3))
    request = make_request(world, [{"product": product, "quantity": qty(10)}])
    other = make_request(world, [{"product": world.product("B"), "quantity": qty(10)}])
    good = {"request_line": request.lines.get(), "supplier": world.vendor}
    bad = {"request_line": other.lines.get(), "supplier": world.vendor, **change}
    if change.get("supplier") == "customer":
        bad["supplier"] = make_partner(org, "C9", "客户", is_supplier=False, is_customer=True)
    if change.get("supplier") == "elsewhere":
        bad["supplier"] = make_partner(other_org, "S9", "别家")
    if change.get("request_line") == "elsewhere":
        there = Purchasing(other_org, world.user)
        bad["request_line"] = make_request(
            there, [{"product": there.product("X"), "quantity": qty(1)}]
        ).lines.get()
    if change.get("request_line") == "same":
        bad["request_line"] = good["request_line"]
    if change.get("request_line") == "draft":
        bad["request_line"] = make_request(
            world, [{"product": product, "quantity": qty(1)}], submit=False
        ).lines.get()
    with pytest.raises(ValidationFailed) as error:
        convert(world, [good, bad])
    assert error.value.field == field
    assert not PurchaseOrder.objects.filter(organization=org).exists()
    assert not PurchaseOrderLine.objects.filter(request_line__isnull=False).exists()
    assert request.lines.get().ordered_quantity == 0


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": qty(0)}, "lines.0.quantity"),
        ({"quantity": None}, "lines.0.quantity"),
        ({"product": None}, "lines.0.product"),
        ({"supplier": "customer"}, "lines.0.supplier"),
    ],
)
def test_bad_request_lines_are_refused(world, org, line, field):
    data = {"product": world.product(), "quantity": qty(1), **line}
    if line.get("supplier") == "customer":
        data["supplier"] = make_partner(org, "C9", "客户", is_supplier=False, is_customer=True)
    with pytest.raises(ValidationFailed) as error:
        make_request(world, [data], submit=False)
    assert error.value.field == field
    assert not PurchaseRequest.objects.exists()


def test_an_empty_request_cannot_be_submitted_and_only_drafts_change(world):
    request = make_request(world, [], submit=False)
    with pytest.raises(ValidationFailed) as error:
        requests.submit_purchase_request(request=request, user=world.user)
    assert error.value.field == "lines"
    request = make_request(world, [{"product": world.product(), "quantity": qty(1)}])
    with pytest.raises(ValidationFailed) as error:
        requests.save_purchase_request(
            organization=world.org, user=world.user, request=request, data={"note": "x"}
        )
    assert error.value.field == "state"
    with pytest.raises(ValidationFailed) as error:
        make_request(world, [], submit=False, needed_by=days(-1))
    assert error.value.field == "needed_by"
