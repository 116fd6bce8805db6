"""The document types that go through approval, registered by the apps that own them.

Workflow knows a document only as a :class:`DocumentRef` (type code + id) and the
:class:`DocumentFacts` its app reads for the rules. Purchasing, sales and inventory register
their types in ``AppConfig.ready``::

    register_approvable(ApprovableType(
        code="purchase_order", label=_("Purchase order"),
        fields=("amount", "currency", "partner", "warehouse", "category"),
        read_facts=purchase_order_facts,        # (organization, document_id) → DocumentFacts
        on_approved=approve_purchase_order,     # (ApprovalDecision) → None
        on_returned=return_purchase_order_to_draft,
        view_permission="purchasing.view",
    ))

The callbacks run inside the transaction that decides the request, after the request row is
locked: lock order is the request, then the document. If a callback raises, the decision is
rolled back with it, so a request and its document never disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.workflow.domain.rules import CONDITION_FIELDS, DocumentFacts


@dataclass(frozen=True)
class DocumentRef:
    type: str
    id: int


@dataclass(frozen=True)
class ApprovalDecision:
    """What a document's app is told when its request is decided. ``state`` is ``approved``,
    ``rejected`` or ``withdrawn``; ``reason`` the rejecting approver's comment or the
    submitter's note on withdrawing."""

    organization_id: int
    document: DocumentRef
    request_id: int
    state: str
    reason: str
    actor_id: int | None


@dataclass(frozen=True)
class ApprovableType:
    code: str
    label: str | Promise
    #: the condition fields (see jxc.workflow.domain.rules.CONDITION_FIELDS) rules may test
    fields: tuple[str, ...]
    read_facts: Callable[[object, int], DocumentFacts]
    #: the final approval: move the document to ``approved``
    on_approved: Callable[[ApprovalDecision], None]
    #: rejected or withdrawn: return the document to ``draft`` (with the reason)
    on_returned: Callable[[ApprovalDecision], None]
    #: who may read the approval history of such documents ("" = any member)
    view_permission: str = ""


_types: dict[str, ApprovableType] = {}


def register_approvable(doc_type: ApprovableType) -> ApprovableType:
    unknown = set(doc_type.fields) - set(CONDITION_FIELDS)
    if unknown:
        raise ValueError(f"unknown condition fields {sorted(unknown)} for {doc_type.code!r}")
    _types[doc_type.code] = doc_type
    return doc_type


def unregister_approvable(code: str) -> None:
    _types.pop(code, None)


def approvable_types() -> list[ApprovableType]:
    return sorted(_types.values(), key=lambda t: t.code)


def approvable(code: str, field: str = "document_type") -> ApprovableType:
    """The registered type ``code``, or a ValidationFailed on ``field``."""
    found = _types.get(code) if isinstance(code, str) else None
    if found is None:
        raise ValidationFailed(
            _("Unknown document type “%(code)s”.") % {"code": code},
            field=field,
            code="unknown_document_type",
        )
    return found
