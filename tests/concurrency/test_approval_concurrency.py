"""Approvers of an any-one-of level approving the same request at the same moment on
PostgreSQL: exactly one decision is recorded, the others are told it is already decided, and
the document is approved once. The same holds for one approver's double click."""

import threading

import pytest
from django.db import connection

from jxc.workflow.errors import AlreadyDecided
from jxc.workflow.models import ApprovalRequest, ApprovalStep
from jxc.workflow.registry import unregister_approvable
from jxc.workflow.services.approvals import approve
from tests.conftest import make_member, make_organization
from tests.workflow.conftest import PURCHASE, SALE, Tray, level, register_tray, rule, user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tray():
    tray = Tray()
    register_tray(tray)
    yield tray
    unregister_approvable(PURCHASE)
    unregister_approvable(SALE)


def race(actions) -> list[str]:
    """Run each action in its own thread and connection, released together."""
    start, results, lock = threading.Barrier(len(actions)), [], threading.Lock()

    def run(action):
        try:
            start.wait(10)
            action()
            outcome = "approved"
        except AlreadyDecided:
            outcome = "already decided"
        except Exception as exc:  # a deadlock or anything else fails the test
            outcome = repr(exc)
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(results)


@pytest.mark.parametrize("approvers", [2, 6])
def test_approvers_of_an_any_one_of_level_acting_at_once_approve_once(tray, approvers):
    org = make_organization("RACE", "抢审批公司")
    peter = make_member(org, "peter", "purchaser")
    finance = [make_member(org, f"fin{i}", "accountant") for i in range(approvers)]
    rule(org, "财务任一", [level(*[user(u) for u in finance], mode="any")])
    ref = tray.new(amount="90000")
    request = tray.submit(org, ref, peter).request

    results = race([lambda u=u: approve(request=request, user=u) for u in finance])

    assert results == ["already decided"] * (approvers - 1) + ["approved"], results
    assert ApprovalRequest.objects.get(pk=request.pk).state == "approved"
    decisions = sorted(
        ApprovalStep.objects.filter(request=request).values_list("decision", flat=True)
    )
    assert decisions == ["approved"] + ["skipped"] * (approvers - 1)
    assert tray.paper(ref).approvals == 1
    assert tray.paper(ref).state == "approved"


def test_a_double_click_from_two_tabs_approves_once(tray):
    org = make_organization("RACE", "抢审批公司")
    peter = make_member(org, "peter", "purchaser")
    mary = make_member(org, "mary", "manager")
    rule(org, "经理两级", [level(user(mary)), level(user(mary))])
    ref = tray.new(amount="10")
    request = tray.submit(org, ref, peter).request

    results = race([lambda: approve(request=request, user=mary, level=0)] * 2)

    assert results == ["already decided", "approved"], results
    fresh = ApprovalRequest.objects.get(pk=request.pk)
    assert (fresh.state, fresh.current_level) == ("pending", 1)
    assert tray.paper(ref).state == "submitted"
