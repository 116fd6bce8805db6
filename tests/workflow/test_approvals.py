"""Approval requests through the services: submitting, multi-level flows, any-of and all-of
levels, rejection and resubmission, who may decide, double decisions, rule changes while a
request is open, withdrawal, and the events subscribers get."""

import pytest

from jxc.core.errors import PermissionDenied, ValidationFailed
from jxc.masterdata.models import Category
from jxc.workflow import events
from jxc.workflow.errors import AlreadyDecided, AwaitingApproval, NotAnApprover, OwnDocument
from jxc.workflow.models import ApprovalRequest, ApprovalRule, ApprovalStep
from jxc.workflow.selectors import document_history, inbox
from jxc.workflow.services.approvals import (
    approve,
    ensure_not_awaiting_approval,
    reject,
    withdraw,
)
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.workflow.conftest import MANAGER, SALE, level, role, rule, set_manager, user

pytestmark = pytest.mark.django_db


def steps(request):
    return [
        (s.level, s.approver.username, s.decision)
        for s in ApprovalStep.objects.filter(request=request).order_by(
            "level", "approver__username"
        )
    ]


def test_a_document_no_rule_matches_is_approved_on_submit(org, people, tray):
    ref = tray.new(amount="10")
    submission = tray.submit(org, ref, people.peter)
    assert submission.approved
    assert submission.request is None
    assert tray.paper(ref).state == "approved"
    assert not ApprovalRequest.objects.exists()


def test_a_small_purchase_order_needs_only_the_submitters_manager(
    org, people, tray, purchase_rules
):
    ref = tray.new(amount="50000", summary="螺丝刀 100 把")
    request = tray.submit(org, ref, people.peter).request
    assert request.rule_name == "采购 ≤ 5万"
    assert (request.document_number, request.summary) == ("T-0001", "螺丝刀 100 把")
    assert steps(request) == [(0, "mary", "pending")]
    assert list(inbox(org, people.mary)) == [request]
    assert list(inbox(org, people.fiona)) == []
    approve(request=request, user=people.mary, comment="同意")
    request.refresh_from_db()
    assert request.state == "approved"
    assert request.decided_at
    assert tray.paper(ref).state == "approved"
    assert tray.paper(ref).approvals == 1
    assert list(inbox(org, people.mary)) == []


def test_a_large_purchase_order_goes_to_the_manager_then_to_finance(
    org, people, tray, purchase_rules
):
    ref = tray.new(amount="50000.01")
    request = tray.submit(org, ref, people.peter).request
    assert [lv["name"] for lv in request.levels] == ["直属上级", "财务"]
    assert steps(request) == [(0, "mary", "pending"), (1, "fiona", "pending"),
                              (1, "frank", "pending")]  # fmt: skip
    assert list(inbox(org, people.fiona)) == []  # not finance's turn yet
    with pytest.raises(NotAnApprover):
        approve(request=request, user=people.fiona)
    approve(request=request, user=people.mary)
    request.refresh_from_db()
    assert (request.state, request.current_level) == ("pending", 1)
    assert tray.paper(ref).state == "submitted"
    assert list(inbox(org, people.fiona)) == list(inbox(org, people.frank)) == [request]
    approve(request=request, user=people.frank, comment="预算内")
    request.refresh_from_db()
    assert request.state == "approved"
    assert steps(request) == [(0, "mary", "approved"), (1, "fiona", "skipped"),
                              (1, "frank", "approved")]  # fmt: skip
    with pytest.raises(AlreadyDecided):
        approve(request=request, user=people.fiona)
    assert tray.paper(ref).approvals == 1


def test_an_all_of_level_waits_for_every_approver(org, people, tray):
    rule(org, "会签", [level(user(people.fiona), user(people.frank), mode="all")])
    ref = tray.new(amount="1")
    request = tray.submit(org, ref, people.peter).request
    approve(request=request, user=people.fiona)
    request.refresh_from_db()
    assert request.state == "pending"
    assert tray.paper(ref).state == "submitted"
    assert list(inbox(org, people.fiona)) == []
    assert list(inbox(org, people.frank)) == [request]
    with pytest.raises(AlreadyDecided):
        approve(request=request, user=people.fiona)
    approve(request=request, user=people.frank)
    request.refresh_from_db()
    assert request.state == "approved"
    assert tray.paper(ref).approvals == 1


def test_a_role_level_goes_to_every_member_holding_the_role(org, roles, people, tray):
    rule(org, "经理会签", [level(role(roles["accountant"]), mode="all")])
    request = tray.submit(org, tray.new(), people.peter).request
    assert steps(request) == [(0, "fiona", "pending"), (0, "frank", "pending")]


def test_rejection_returns_the_document_to_draft_and_it_can_be_resubmitted(
    org, people, tray, purchase_rules
):
    ref = tray.new(amount="80000")
    first = tray.submit(org, ref, people.peter).request
    approve(request=first, user=people.mary)
    with pytest.raises(ValidationFailed) as caught:
        reject(request=first, user=people.fiona, comment="  ")
    assert caught.value.field == "comment"
    reject(request=first, user=people.fiona, comment="单价高于上次采购价")
    first.refresh_from_db()
    assert (first.state, first.reason) == ("rejected", "单价高于上次采购价")
    assert tray.paper(ref).state == "draft"
    assert tray.paper(ref).returned_with == ["单价高于上次采购价"]
    assert steps(first)[1:] == [(1, "fiona", "rejected"), (1, "frank", "skipped")]
    tray.change(ref, amount=tray.paper(ref).facts.amount - 40000)
    second = tray.submit(org, ref, people.peter).request
    assert second.pk != first.pk
    assert second.rule_name == "采购 ≤ 5万"
    approve(request=second, user=people.mary)
    assert tray.paper(ref).state == "approved"
    history = list(document_history(org, ref.type, ref.id))
    assert [(r.pk, r.state) for r in history] == [(first.pk, "rejected"), (second.pk, "approved")]


def test_the_submitter_cannot_approve_their_own_document_unless_the_rule_allows_it(
    org, people, tray
):
    rule(org, "经理或管理员", [level(user(people.mary), user(people.admin))])
    ref = tray.new()
    request = tray.submit(org, ref, people.mary).request
    assert steps(request) == [(0, "alice", "pending")]  # Mary is left out of her own request
    assert list(inbox(org, people.mary)) == []
    with pytest.raises(OwnDocument):
        approve(request=request, user=people.mary)
    with pytest.raises(OwnDocument):
        reject(request=request, user=people.mary, comment="x")
    assert tray.paper(ref).state == "submitted"
    withdraw(request=request, user=people.mary)

    ApprovalRule.objects.update(allow_self_approval=True)
    request = tray.submit(org, ref, people.mary).request
    assert list(inbox(org, people.mary)) == [request]
    approve(request=request, user=people.mary)
    assert tray.paper(ref).state == "approved"


def test_a_level_left_with_no_one_but_the_submitter_cannot_be_submitted(org, people, tray):
    rule(org, "经理", [level(user(people.mary), name="经理")])
    ref = tray.new()
    with pytest.raises(ValidationFailed) as caught:
        tray.submit(org, ref, people.mary)
    assert caught.value.code == "no_approver"
    assert "经理" in str(caught.value.message)
    assert not ApprovalRequest.objects.exists()


def test_a_submitter_without_a_manager_is_told_to_have_one_set(org, people, tray, purchase_rules):
    set_manager(org, people.peter, None)
    with pytest.raises(ValidationFailed) as caught:
        tray.submit(org, tray.new(amount="10"), people.peter)
    assert caught.value.code == "no_approver"
    assert "manager" in str(caught.value.message)
    assert not ApprovalRequest.objects.exists()


def test_someone_not_entitled_is_refused(org, people, tray, purchase_rules):
    request = tray.submit(org, tray.new(amount="10"), people.peter).request
    for outsider in (people.sam, people.fiona, people.admin):
        with pytest.raises(NotAnApprover):
            approve(request=request, user=outsider)
        with pytest.raises(NotAnApprover):
            reject(request=request, user=outsider, comment="不行")
    request.refresh_from_db()
    assert request.state == "pending"
    assert steps(request) == [(0, "mary", "pending")]


def test_the_same_approval_twice_never_approves_twice(org, people, tray, purchase_rules):
    ref = tray.new(amount="10")
    request = tray.submit(org, ref, people.peter).request
    approve(request=request, user=people.mary)
    with pytest.raises(AlreadyDecided):
        approve(request=request, user=people.mary)
    with pytest.raises(AlreadyDecided):
        reject(request=request, user=people.mary, comment="改主意了")
    assert tray.paper(ref).approvals == 1
    assert tray.paper(ref).state == "approved"


def test_a_double_click_does_not_approve_the_approvers_next_level_too(org, people, tray):
    rule(
        org,
        "两级都是玛丽",
        [level(user(people.mary)), level(user(people.mary), user(people.fiona))],
    )
    request = tray.submit(org, tray.new(), people.peter).request
    approve(request=request, user=people.mary, level=0)
    with pytest.raises(AlreadyDecided):
        approve(request=request, user=people.mary, level=0)
    request.refresh_from_db()
    assert (request.state, request.current_level) == ("pending", 1)
    approve(request=request, user=people.mary, level=1)
    request.refresh_from_db()
    assert request.state == "approved"


def test_a_rule_change_does_not_alter_a_request_already_open(
    org, roles, people, tray, purchase_rules
):
    small, large = purchase_rules
    request = tray.submit(org, tray.new(amount="90000"), people.peter).request
    save_rule(organization=org, rule=large, data={"levels": [level(user(people.admin))]})
    newcomer = make_member(org, "nina", "accountant", roles_by_code=roles)
    approve(request=request, user=people.mary)
    with pytest.raises(NotAnApprover):
        approve(request=request, user=newcomer)  # joined finance after the submission
    large.delete()
    request.refresh_from_db()
    assert request.rule_id is None
    assert request.rule_name == "采购 > 5万"
    approve(request=request, user=people.fiona)
    request.refresh_from_db()
    assert request.state == "approved"


def test_a_document_waiting_for_approval_cannot_move_on_or_be_submitted_again(
    org, people, tray, purchase_rules
):
    ref = tray.new(amount="10")
    request = tray.submit(org, ref, people.peter).request
    with pytest.raises(AwaitingApproval):
        ensure_not_awaiting_approval(organization=org, document=ref)
    with pytest.raises(AwaitingApproval):
        tray.submit(org, ref, people.peter)
    assert ApprovalRequest.objects.count() == 1
    approve(request=request, user=people.mary)
    ensure_not_awaiting_approval(organization=org, document=ref)


def test_the_submitter_withdraws_a_pending_request(org, people, tray, purchase_rules):
    ref = tray.new(amount="10")
    request = tray.submit(org, ref, people.peter).request
    with pytest.raises(PermissionDenied) as caught:
        withdraw(request=request, user=people.mary)
    assert caught.value.code == "not_submitter"
    assert caught.value.status_code == 403
    withdraw(request=request, user=people.peter, comment="数量填错了")
    request.refresh_from_db()
    assert (request.state, request.reason) == ("withdrawn", "数量填错了")
    assert tray.paper(ref).state == "draft"
    assert steps(request) == [(0, "mary", "skipped")]
    with pytest.raises(AlreadyDecided):
        withdraw(request=request, user=people.peter)
    with pytest.raises(AlreadyDecided):
        approve(request=request, user=people.mary)


def test_a_document_that_refuses_the_outcome_leaves_the_request_undecided(
    org, people, tray, purchase_rules
):
    ref = tray.new(amount="10")
    request = tray.submit(org, ref, people.peter).request
    tray.paper(ref).state = "draft"  # the document's own guard will refuse the approval
    with pytest.raises(ValidationFailed):
        approve(request=request, user=people.mary)
    request.refresh_from_db()
    assert request.state == "pending"
    assert steps(request) == [(0, "mary", "pending")]


def test_sales_orders_under_the_price_floor_need_the_sales_manager(org, people, tray):
    rule(
        org, "低于底价", [level(role(people.sales_manager), name="销售经理")], doc_type=SALE,
        conditions=[{"field": "below_price_floor", "operator": "is", "value": True}],
    )  # fmt: skip
    normal = tray.new(SALE, amount="100")
    assert tray.submit(org, normal, people.sam).approved
    cheap = tray.new(SALE, amount="100", below_price_floor=True)
    request = tray.submit(org, cheap, people.sam).request
    assert list(inbox(org, people.sally)) == [request]
    approve(request=request, user=people.sally)
    assert tray.paper(cheap).state == "approved"


def test_a_category_condition_covers_its_sub_categories(org, people, tray):
    tools = Category.objects.create(organization=org, code="T", name="工具")
    drivers = Category.objects.create(organization=org, code="T1", name="螺丝刀", parent=tools)
    other = Category.objects.create(organization=org, code="F", name="食品")
    rule(org, "工具", [level(MANAGER)],
         conditions=[{"field": "category", "operator": "in", "value": [tools.pk]}])  # fmt: skip
    assert tray.submit(org, tray.new(categories=frozenset({other.pk})), people.peter).approved
    submission = tray.submit(org, tray.new(categories=frozenset({drivers.pk})), people.peter)
    assert not submission.approved


def test_a_stored_rule_that_no_longer_evaluates_stops_the_submission(org, people, tray):
    broken = rule(org, "坏规则", [level(MANAGER)])
    ApprovalRule.objects.filter(pk=broken.pk).update(
        conditions=[{"field": "discount_rate", "operator": "lt", "value": "80"}]
    )  # the purchase type offers no discount rate
    with pytest.raises(ValidationFailed) as caught:
        tray.submit(org, tray.new(), people.peter)
    assert caught.value.code == "invalid_rule"
    assert "坏规则" in str(caught.value.message)
    assert not ApprovalRequest.objects.exists()


def test_inactive_rules_are_ignored(org, people, tray):
    rule(org, "停用", [level(MANAGER)], is_active=False)
    assert tray.submit(org, tray.new(), people.peter).approved


def test_subscribers_hear_of_each_step_after_commit(
    org, people, tray, purchase_rules, django_capture_on_commit_callbacks
):
    heard = []
    events.subscribe(heard.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request = tray.submit(org, tray.new(amount="90000"), people.peter).request
        with django_capture_on_commit_callbacks(execute=True):
            approve(request=request, user=people.mary)
        with django_capture_on_commit_callbacks(execute=True):
            approve(request=request, user=people.fiona)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(AlreadyDecided):
            approve(request=request, user=people.frank)
    finally:
        events.unsubscribe(heard.append)
    assert [(e.name, e.actor_id, e.awaiting) for e in heard] == [
        (events.SUBMITTED, people.peter.pk, (people.mary.pk,)),
        (events.ADVANCED, people.mary.pk, tuple(sorted((people.fiona.pk, people.frank.pk)))),
        (events.APPROVED, people.fiona.pk, ()),
    ]
    assert {e.request_id for e in heard} == {request.pk}


def test_a_failing_subscriber_does_not_undo_the_decision(
    org, people, tray, purchase_rules, django_capture_on_commit_callbacks
):
    def broken(event):
        raise RuntimeError("mail server down")

    events.subscribe(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request = tray.submit(org, tray.new(amount="10"), people.peter).request
    finally:
        events.unsubscribe(broken)
    assert ApprovalRequest.objects.get(pk=request.pk).state == "pending"
