"""Over-receipt tolerances that ask for approval: beyond them posting submits the receipt to
workflow (nothing moves), approval posts it, rejection returns it to draft; without a rule for
goods receipts nobody could approve, so it is refused like a blocking tolerance."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import StockMove
from jxc.purchasing.models import GoodsReceipt, ReceiptTolerance
from jxc.purchasing.services import receipts
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.helpers import assert_error
from tests.purchasing.conftest import qty

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(org, roles):
    save_rule(
        organization=org,
        data={
            "name": "超收审批",
            "document_type": "goods_receipt",
            "conditions": [],
            "levels": [{"name": "经理", "mode": "any",
                        "approvers": [{"type": "role", "id": roles["manager"].pk}]}],
        },
    )  # fmt: skip
    return make_member(org, "mary", "manager", roles_by_code=roles)


def over_received(world, org, above="approval", quantity=12):
    """10 ordered, 10 % tolerance with ``above``; a receipt of ``quantity`` posted."""
    product = world.product()
    ReceiptTolerance.objects.create(
        organization=org, supplier=world.vendor, percent=qty(10), above=above
    )
    order = world.order([{"product": product, "quantity": qty(10), "unit_price": qty(10)}])
    line = order.lines.get()
    draft = world.receipt([{"order_line": line, "quantity": qty(quantity)}], post=False)
    return line, draft


def test_beyond_tolerance_with_approval_waits_then_posts_when_approved(world, org, manager):
    line, draft = over_received(world, org)
    submitted = receipts.post_goods_receipt(receipt=draft, user=world.user)
    assert submitted.state == "submitted"
    assert not StockMove.objects.exists()
    line.refresh_from_db()
    assert line.received_quantity == 0
    request = ApprovalRequest.objects.get(document_type="goods_receipt", document_id=draft.pk)
    assert request.base_amount == Decimal("120.00")
    with pytest.raises(ValidationFailed):  # waiting: posting again does not go around it
        receipts.post_goods_receipt(receipt=draft, user=world.user)
    approvals.approve(request=request, user=manager, comment="多送的也收下")
    posted = GoodsReceipt.objects.get(pk=draft.pk)
    assert posted.state == "done"
    assert posted.number.startswith("RK")
    line.refresh_from_db()
    assert line.received_quantity == 12
    assert StockMove.objects.get().quantity == 12


def test_rejected_goes_back_to_draft_and_nothing_moved(world, org, manager):
    line, draft = over_received(world, org)
    receipts.post_goods_receipt(receipt=draft, user=world.user)
    request = ApprovalRequest.objects.get(document_type="goods_receipt", document_id=draft.pk)
    approvals.reject(request=request, user=manager, comment="退回多余的")
    assert GoodsReceipt.objects.get(pk=draft.pk).state == "draft"
    assert not StockMove.objects.exists()
    line.refresh_from_db()
    assert line.received_quantity == 0


def test_within_tolerance_posts_at_once(world, org, manager):
    _line, draft = over_received(world, org, quantity=11)
    assert receipts.post_goods_receipt(receipt=draft, user=world.user).state == "done"
    assert not ApprovalRequest.objects.exists()


def test_a_blocking_tolerance_still_refuses(world, org, manager):
    _line, draft = over_received(world, org, above="block")
    with pytest.raises(ValidationFailed) as refused:
        receipts.post_goods_receipt(receipt=draft, user=world.user)
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_receipt")
    assert GoodsReceipt.objects.get(pk=draft.pk).state == "draft"
    assert not ApprovalRequest.objects.exists()


def test_without_a_rule_nobody_can_approve_so_it_is_refused(world, org):
    _line, draft = over_received(world, org)
    with pytest.raises(ValidationFailed) as refused:
        receipts.post_goods_receipt(receipt=draft, user=world.user)
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_receipt")
    assert GoodsReceipt.objects.get(pk=draft.pk).state == "draft"
    assert not StockMove.objects.exists()


def test_through_the_api_the_receipt_waits_and_the_tolerance_choice_is_checked(
    api, world, org, manager
):
    _line, draft = over_received(world, org)
    posted = api.post(f"/api/v1/goods-receipts/{draft.pk}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["state"] == "submitted"
    again = api.post(f"/api/v1/goods-receipts/{draft.pk}/post/")
    assert_error(again, 400, code="awaiting_approval")
    bad = api.post(
        "/api/v1/receipt-tolerances/",
        {"product": world.product("P9").pk, "percent": "5", "above": "maybe"},
        format="json",
    )
    assert_error(bad, 400, field="above")
    assert ReceiptTolerance.objects.count() == 1
    listed = api.get("/api/v1/receipt-tolerances/").json()["results"]
    assert [row["above"] for row in listed] == ["approval"]


def test_the_tolerance_list_names_its_supplier_and_product(api, world, org):
    product = world.product("P9")
    ReceiptTolerance.objects.create(organization=org, supplier=world.vendor, percent=qty(10))
    ReceiptTolerance.objects.create(organization=org, product=product, percent=qty(3))
    ReceiptTolerance.objects.create(organization=org, percent=qty(1))
    listed = api.get("/api/v1/receipt-tolerances/?ordering=id").json()["results"]
    assert [(row["supplier_name"], row["product_name"]) for row in listed] == [
        (world.vendor.name, None),
        (None, product.name),
        (None, None),
    ]
    bad = api.post(
        "/api/v1/receipt-tolerances/",
        {"product": world.product("P8").pk, "supplier_name": "改名", "percent": "2"},
        format="json",
    )
    assert bad.status_code == 201, bad.content
    assert bad.json()["supplier_name"] is None  # read-only: the name comes from the supplier
