"""A test-only document type for workflow: papers kept in memory, registered for approval the
way purchasing and sales will register their orders, so workflow is tested without any app
above it. Two types share one tray: purchase-like (amount, currency, partner, warehouse,
category) and sales-like (every condition field)."""

import itertools
import threading
from dataclasses import dataclass, field, replace
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import Membership, Role
from jxc.workflow.domain.rules import CONDITION_FIELDS, DocumentFacts
from jxc.workflow.registry import (
    ApprovableType,
    DocumentRef,
    register_approvable,
    unregister_approvable,
)
from jxc.workflow.services.approvals import submit_for_approval
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member

PURCHASE = "test_purchase_order"
SALE = "test_sales_order"


@dataclass
class Paper:
    ref: DocumentRef
    facts: DocumentFacts
    state: str = "draft"
    approvals: int = 0
    returned_with: list[str] = field(default_factory=list)


class Tray:
    """The papers, and the callbacks workflow calls; thread-safe for the concurrency test."""

    def __init__(self):
        self.papers: dict[int, Paper] = {}
        self.lock = threading.Lock()
        self._ids = itertools.count(1)

    def new(self, doc_type=PURCHASE, **facts) -> DocumentRef:
        if "amount" in facts:
            facts["amount"] = Decimal(str(facts["amount"]))
        ref = DocumentRef(doc_type, next(self._ids))
        facts.setdefault("number", f"T-{ref.id:04d}")
        self.papers[ref.id] = Paper(ref, DocumentFacts(**facts))
        return ref

    def paper(self, ref: DocumentRef) -> Paper:
        return self.papers[ref.id]

    def read_facts(self, organization, document_id) -> DocumentFacts:
        return self.papers[document_id].facts

    def change(self, ref: DocumentRef, **facts) -> None:
        paper = self.paper(ref)
        paper.facts = replace(paper.facts, **facts)

    def on_approved(self, decision) -> None:
        with self.lock:
            paper = self.papers[decision.document.id]
            if paper.state != "submitted":  # the document's own guard, as a real app has
                raise ValidationFailed("not submitted", field="state")
            paper.state = "approved"
            paper.approvals += 1

    def on_returned(self, decision) -> None:
        with self.lock:
            paper = self.papers[decision.document.id]
            paper.state = "draft"
            paper.returned_with.append(decision.reason)

    def submit(self, organization, ref: DocumentRef, user):
        """What a document app's submit service does: draft → submitted, then ask workflow."""
        submission = submit_for_approval(organization=organization, document=ref, submitter=user)
        paper = self.paper(ref)
        paper.state = "approved" if submission.approved else "submitted"
        return submission


def register_tray(tray: Tray) -> None:
    for code, label, fields in (
        (PURCHASE, _("Test purchase order"),
         ("amount", "currency", "partner", "warehouse", "category")),
        (SALE, _("Test sales order"), tuple(CONDITION_FIELDS)),
    ):  # fmt: skip
        register_approvable(
            ApprovableType(
                code=code,
                label=label,
                fields=fields,
                read_facts=tray.read_facts,
                on_approved=tray.on_approved,
                on_returned=tray.on_returned,
                view_permission="purchasing.view" if code == PURCHASE else "sales.view",
            )
        )


@pytest.fixture
def tray():
    tray = Tray()
    register_tray(tray)
    yield tray
    unregister_approvable(PURCHASE)
    unregister_approvable(SALE)


@dataclass
class People:
    """Who works at ACME: a purchaser whose manager is Mary, a finance clerk, sales staff."""

    admin: object
    peter: object  # purchaser
    mary: object  # manager, Peter's manager
    fiona: object  # accountant (finance)
    frank: object  # accountant (finance)
    sam: object  # salesperson
    sally: object  # sales manager (custom role)
    sales_manager: Role


def set_manager(org, user, manager) -> None:
    Membership.objects.filter(organization=org, user=user).update(manager=manager)


@pytest.fixture
def people(org, roles, admin_user) -> People:
    sales_manager = Role.objects.create(
        organization=org, code="sales_mgr", name="销售经理", permissions=["sales.view"]
    )
    found = People(
        admin=admin_user,
        peter=make_member(org, "peter", "purchaser", roles_by_code=roles),
        mary=make_member(org, "mary", "manager", roles_by_code=roles),
        fiona=make_member(org, "fiona", "accountant", roles_by_code=roles),
        frank=make_member(org, "frank", "accountant", roles_by_code=roles),
        sam=make_member(org, "sam", "salesperson", roles_by_code=roles),
        sally=make_member(org, "sally", sales_manager, roles_by_code=roles),
        sales_manager=sales_manager,
    )
    set_manager(org, found.peter, found.mary)
    set_manager(org, found.sam, found.sally)
    return found


def level(*approvers, mode="any", name=""):
    return {"name": name, "mode": mode, "approvers": list(approvers)}


def role(r):
    return {"type": "role", "id": r.pk}


def user(u):
    return {"type": "user", "id": u.pk}


MANAGER = {"type": "manager"}


def rule(org, name, levels, doc_type=PURCHASE, conditions=(), priority=100, **extra):
    return save_rule(
        organization=org,
        data={
            "name": name,
            "document_type": doc_type,
            "conditions": list(conditions),
            "levels": levels,
            "priority": priority,
            **extra,
        },
    )


@pytest.fixture
def purchase_rules(org, roles, people, tray):
    """Purchase orders up to ¥50,000 need the manager; above, the manager then finance."""
    small = rule(
        org, "采购 ≤ 5万", [level(MANAGER, name="直属上级")], priority=10,
        conditions=[{"field": "amount", "operator": "lte", "value": "50000"}],
    )  # fmt: skip
    large = rule(
        org, "采购 > 5万",
        [level(MANAGER, name="直属上级"), level(role(roles["accountant"]), name="财务")],
        priority=20, conditions=[{"field": "amount", "operator": "gt", "value": "50000"}],
    )  # fmt: skip
    return small, large
