"""Purchase order revisions (修订): approved again through the order's rules; until then the
order keeps its approved lines; never below what was received; incoming stock follows."""

import pytest

from jxc.core.errors import ValidationFailed
from jxc.purchasing.models import PurchaseOrderRevision
from jxc.purchasing.selectors import incoming_from_orders
from jxc.purchasing.services import orders, revisions
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.purchasing.conftest import qty

pytestmark = pytest.mark.django_db


def rows(order, **changes):
    """The order's lines as revision input, with ``changes`` per position."""
    found = []
    for line in order.lines.order_by("position"):
        row = {"line": line, "product": line.product, "unit": line.unit,
               "quantity": line.quantity, "unit_price": line.unit_price,
               "tax_rate": line.tax_rate, "tax_inclusive": line.tax_inclusive}  # fmt: skip
        row.update(changes.get(line.position, {}))
        found.append(row)
    return found


def revise(world, order, lines, reason="供应商调价"):
    return revisions.revise_purchase_order(order=order, user=world.user, reason=reason, lines=lines)


def incoming(world, product):
    return incoming_from_orders(product.pk, [world.wh1.pk]).get(world.wh1.pk, qty(0))


@pytest.fixture
def order(world):
    a, b = world.product("RA"), world.product("RB")
    return world.order([
        {"product": a, "quantity": qty(10), "unit_price": qty(2)},
        {"product": b, "quantity": qty(5), "unit_price": qty(4)},
    ])  # fmt: skip


def test_without_a_rule_the_revision_applies_at_once(world, order):
    a = order.lines.get(position=0).product
    c = world.product("RC")
    lines = rows(order)
    lines[0]["quantity"] = qty(15)
    lines[1]["unit_price"] = qty(5)
    lines.append({"product": c, "quantity": qty(3), "unit_price": qty(1), "tax_rate": world.vat13,
                  "tax_inclusive": False})  # fmt: skip
    revision = revise(world, order, lines)
    order.refresh_from_db()
    assert revision.state == "approved"
    assert revision.revision == 1
    assert order.revision == 1
    assert order.state == "approved"
    assert [(line.product, line.quantity) for line in order.lines.order_by("position")] == [
        (a, qty(15)),
        (lines[1]["product"], qty(5)),
        (c, qty(3)),
    ]
    # 15×2 + 5×5 + 3×1, plus 13 % VAT
    assert order.net_amount == qty(58)
    assert order.gross_amount == qty("65.54")
    assert incoming(world, a) == qty(15)
    kinds = sorted(change["kind"] for change in revision.changes)
    assert kinds == ["added", "changed", "changed"]
    assert revision.before[0]["quantity"] == "10"
    assert revision.after[0]["quantity"] == "15"


def test_a_rule_holds_the_revision_and_the_order_keeps_its_approved_lines(world, org, roles, order):
    save_rule(
        organization=org,
        data={"name": "修订审批", "document_type": "purchase_order",
              "conditions": [{"field": "amount", "operator": "gte", "value": "100"}],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": roles["manager"].pk}]}]},
    )  # fmt: skip
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    a = order.lines.get(position=0).product
    lines = rows(order)
    lines[0]["quantity"] = qty(50)  # 50×2 + 5×4 = 120 net: the rule applies
    revision = revise(world, order, lines)
    assert revision.state == "submitted"
    order.refresh_from_db()
    assert order.lines.get(position=0).quantity == qty(10)
    assert order.revision == 0
    assert incoming(world, a) == qty(10)
    # receiving goes on against the approved lines meanwhile
    world.receipt([{"order_line": order.lines.get(position=0), "quantity": qty(4)}])
    # nothing else changes it while the revision waits
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, rows(order))
    assert refused.value.code == "revision_pending"
    with pytest.raises(ValidationFailed) as refused:
        orders.close_purchase_order(order=order)
    assert refused.value.code == "revision_pending"
    request = ApprovalRequest.objects.get(document_type="purchase_order", document_id=order.pk,
                                          state="pending")  # fmt: skip
    assert "1" in request.summary
    approvals.approve(request=request, user=manager, comment="")
    order.refresh_from_db()
    revision.refresh_from_db()
    assert revision.state == "approved"
    assert order.revision == 1
    assert order.state == "partially_done"
    assert order.lines.get(position=0).quantity == qty(50)
    assert order.lines.get(position=0).received_quantity == qty(4)
    assert incoming(world, a) == qty(46)


def test_a_rejected_revision_is_cancelled_and_the_order_stays(world, org, roles, order):
    save_rule(
        organization=org,
        data={"name": "全部", "document_type": "purchase_order", "conditions": [],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": roles["manager"].pk}]}]},
    )  # fmt: skip
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    lines = rows(order)
    lines[0]["unit_price"] = qty(3)
    revision = revise(world, order, lines)
    request = ApprovalRequest.objects.get(document_type="purchase_order", document_id=order.pk,
                                          state="pending")  # fmt: skip
    approvals.reject(request=request, user=manager, comment="不同意")
    revision.refresh_from_db()
    order.refresh_from_db()
    assert revision.state == "cancelled"
    assert order.state == "approved"
    assert order.lines.get(position=0).unit_price == qty(2)
    assert revise(world, order, lines).revision == 2


def test_never_below_what_was_received_and_received_lines_stay(world, order):
    first = order.lines.get(position=0)
    world.receipt([{"order_line": first, "quantity": qty(6)}])
    lines = rows(order)
    lines[0]["quantity"] = qty(5)
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, lines)
    assert refused.value.field == "lines.0.quantity"
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, rows(order)[1:])
    assert refused.value.field == "lines"
    lines = rows(order)
    lines[0]["product"] = world.product("RZ")
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, lines)
    assert refused.value.field == "lines.0.product"
    # down to exactly what was received, and the other line removed: received in full
    lines = rows(order)[:1]
    lines[0]["quantity"] = qty(6)
    revise(world, order, lines)
    order.refresh_from_db()
    assert order.state == "done"
    assert order.lines.count() == 1
    assert not PurchaseOrderRevision.objects.filter(state="submitted").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda lines: lines[0].update(quantity=qty(-1)), "lines.0.quantity"),
        (lambda lines: lines[1].update(unit_price=qty(-1)), "lines.1.unit_price"),
        (lambda lines: lines[1].update(line=lines[0]["line"]), "lines.1.line"),
        (lambda lines: lines.clear(), "lines"),
        (lambda lines: None, "lines"),  # nothing changes
    ],
)
def test_bad_revisions_are_refused_and_nothing_is_written(world, order, change, field):
    lines = rows(order)
    change(lines)
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, lines)
    assert refused.value.field == field
    assert not PurchaseOrderRevision.objects.exists()
    assert order.lines.get(position=0).quantity == qty(10)


def test_only_approved_open_orders_are_revised_and_a_reason_is_needed(world, order):
    with pytest.raises(ValidationFailed) as refused:
        revise(world, order, rows(order), reason=" ")
    assert refused.value.field == "reason"
    draft = world.order([{"product": world.product("RD"), "quantity": qty(1), "unit_price": qty(1)}],
                        submit=False)  # fmt: skip
    for document in (draft, orders.close_purchase_order(order=order)):
        with pytest.raises(ValidationFailed) as refused:
            revise(world, document, rows(document))
        assert refused.value.code == "not_revisable"


def test_editing_an_approved_order_without_a_revision_is_refused(world, order):
    with pytest.raises(ValidationFailed) as refused:
        orders.save_purchase_order(
            organization=world.org, user=world.user, data={"lines": []}, order=order
        )
    assert refused.value.code == "order_approved"
    assert order.lines.count() == 2
