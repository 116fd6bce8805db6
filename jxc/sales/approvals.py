"""Sales orders go through approval: registered with workflow when Django starts, so rules can
test an order's value, currency, customer, warehouse, categories, lowest discount, whether a
price is below its floor and whether the customer is over the credit limit.

Workflow calls back inside the deciding transaction after locking the request: the order is
locked next and confirmed (stock reserved by its availability policy; a ``block`` shortfall
then refuses the approval, naming the line), or returned to draft.
"""

from django.utils.translation import gettext_lazy as _

from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.sales.models import SalesOrder
from jxc.sales.services.orders import DOC_TYPE, TRANSITIONS, confirm, order_facts
from jxc.workflow.domain.rules import DocumentFacts
from jxc.workflow.registry import ApprovableType, ApprovalDecision, register_approvable

FIELDS = ("amount", "currency", "partner", "warehouse", "category", "discount_rate",
          "below_price_floor", "credit_limit_exceeded")  # fmt: skip


def read_order_facts(organization, document_id: int) -> DocumentFacts:
    order = SalesOrder.objects.select_related("customer").get(
        organization=organization, pk=document_id
    )
    return order_facts(order)


def _locked(decision: ApprovalDecision) -> SalesOrder:
    return (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("organization", "warehouse")
        .get(organization_id=decision.organization_id, pk=decision.document.id)
    )


def confirm_approved_order(decision: ApprovalDecision) -> None:
    confirm(_locked(decision))


def return_order_to_draft(decision: ApprovalDecision) -> None:
    order = _locked(decision)
    transition(order, S.DRAFT, TRANSITIONS)
    order.save(update_fields=["state"])


def register_sales_approvals() -> None:
    register_approvable(
        ApprovableType(
            code=DOC_TYPE,
            label=_("Sales order"),
            fields=FIELDS,
            read_facts=read_order_facts,
            on_approved=confirm_approved_order,
            on_returned=return_order_to_draft,
            view_permission="sales.view",
        )
    )
