"""Reads of approval requests: the open request of a document, an approver's inbox, the
requests a member may see, and a document's approval history."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from jxc.workflow.models import ApprovalRequest, ApprovalRule, ApprovalStep
from jxc.workflow.models.requests import Decision


def open_request(organization, document) -> ApprovalRequest | None:
    """The pending request of ``document`` (a DocumentRef), if there is one."""
    return ApprovalRequest.objects.filter(
        organization=organization,
        document_type=document.type,
        document_id=document.id,
        state=ApprovalRequest.State.PENDING,
    ).first()


def ruled_types_statement(connection, organization_id: int, document_types: list[str]) -> tuple:
    """The read of which of ``document_types`` have an active approval rule in the
    organization, as (SQL, parameters) for a hot path that runs it with its own statements
    (see :mod:`jxc.core.batch`): posting a document of a type without rules then costs no more
    than this one indexed read."""
    quote = connection.ops.quote_name
    column = {name: quote(ApprovalRule._meta.get_field(name).column)
              for name in ("organization", "document_type", "is_active")}  # fmt: skip
    marks = ", ".join(["%s"] * len(document_types))
    return (
        f"SELECT DISTINCT {column['document_type']} FROM {quote(ApprovalRule._meta.db_table)} "
        f"WHERE {column['organization']} = %s AND {column['is_active']} = %s "
        f"AND {column['document_type']} IN ({marks})",
        [organization_id, True, *document_types],
    )


def pending_statement(connection, organization_id: int, document) -> tuple:
    """The read of whether ``document`` (a DocumentRef) has a pending request (a row if so),
    as (SQL, parameters) for a hot path: with :func:`ruled_types_statement` it tells, in the
    same round trip, that submitting the document would approve it at once."""
    quote = connection.ops.quote_name
    column = {name: quote(ApprovalRequest._meta.get_field(name).column)
              for name in ("organization", "document_type", "document_id", "state")}  # fmt: skip
    return (
        f"SELECT 1 FROM {quote(ApprovalRequest._meta.db_table)} "
        f"WHERE {column['organization']} = %s AND {column['document_type']} = %s "
        f"AND {column['document_id']} = %s AND {column['state']} = %s",
        [organization_id, document.type, document.id, ApprovalRequest.State.PENDING.value],
    )


def with_steps(queryset: QuerySet) -> QuerySet:
    steps = ApprovalStep.objects.select_related("approver").order_by("level", "id")
    return queryset.select_related("submitted_by").prefetch_related(
        Prefetch("steps", queryset=steps)
    )


def visible_requests(organization, user, *, see_all: bool) -> QuerySet:
    """Everything in the organization for those who may view workflow; otherwise what the user
    submitted or is an approver of."""
    queryset = ApprovalRequest.objects.filter(organization=organization)
    if see_all:
        return queryset
    involved = ApprovalStep.objects.filter(request=OuterRef("pk"), approver=user)
    return queryset.filter(Q(submitted_by=user) | Exists(involved))


def inbox(organization, user) -> QuerySet:
    """The pending requests ``user`` may approve or reject now: their step at the current level
    is still pending. (A submitter has no step on their own request unless the rule lets them
    approve it.) Oldest waiting first."""
    actionable = ApprovalStep.objects.filter(
        request=OuterRef("pk"),
        approver=user,
        decision=Decision.PENDING,
        level=OuterRef("current_level"),
    )
    return (
        ApprovalRequest.objects.filter(
            organization=organization, state=ApprovalRequest.State.PENDING
        )
        .filter(Exists(actionable))
        .order_by("waiting_since", "id")
    )


def document_history(organization, document_type: str, document_id: int) -> QuerySet:
    """Every request of one document, first submission first, with its steps."""
    return with_steps(
        ApprovalRequest.objects.filter(
            organization=organization, document_type=document_type, document_id=document_id
        ).order_by("submitted_at", "id")
    )


def may_act(request: ApprovalRequest, user) -> bool:
    """Whether ``user`` has a pending step at the request's current level (from prefetched
    steps; no query)."""
    return request.state == ApprovalRequest.State.PENDING and any(
        step.approver_id == user.pk
        and step.level == request.current_level
        and step.decision == Decision.PENDING
        for step in request.steps.all()
    )
