"""Other receipts, other issues and transfers go through approval: registered with workflow
when Django starts, under the codes of their number series, so administrators can write
rules on a document's value, warehouse and product categories.

Workflow calls back inside the transaction that decides a request, after locking the request:
the document is locked next and moved (submitted → approved, or back to draft). The reason of
a rejection or withdrawal stays on the request, where the document's approval history shows
it; the user's own note on the document is left as they wrote it.
"""

from django.utils.translation import gettext_lazy as _

from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.models import StockDocument
from jxc.inventory.selectors import stock_document_facts
from jxc.inventory.services.documents import DOC_TYPES, TRANSITIONS
from jxc.workflow.domain.rules import DocumentFacts
from jxc.workflow.registry import ApprovableType, ApprovalDecision, register_approvable

# what a rule on a stock document may test
FIELDS = ("amount", "warehouse", "category")
LABELS = {
    "receipt": _("Other receipt"),
    "issue": _("Other issue"),
    "transfer": _("Transfer"),
}


def read_stock_document_facts(organization, document_id: int) -> DocumentFacts:
    document = StockDocument.objects.select_related("warehouse", "to_warehouse").get(
        organization=organization, pk=document_id
    )
    return stock_document_facts(document)


def _locked(decision: ApprovalDecision) -> StockDocument:
    return StockDocument.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_stock_document_approved(decision: ApprovalDecision) -> None:
    document = _locked(decision)
    transition(document, S.APPROVED, TRANSITIONS)
    document.save(update_fields=["state"])


def return_stock_document_to_draft(decision: ApprovalDecision) -> None:
    """Rejected or withdrawn: the document can be changed and submitted again."""
    document = _locked(decision)
    transition(document, S.DRAFT, TRANSITIONS)
    document.save(update_fields=["state"])


def register_stock_approvals() -> None:
    for kind, code in DOC_TYPES.items():
        register_approvable(
            ApprovableType(
                code=code,
                label=LABELS[kind],
                fields=FIELDS,
                read_facts=read_stock_document_facts,
                on_approved=mark_stock_document_approved,
                on_returned=return_stock_document_to_draft,
                view_permission="inventory.view",
            )
        )
