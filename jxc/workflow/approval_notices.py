"""Telling people about approvals: subscribed to :mod:`jxc.workflow.events`, so it runs after
the deciding transaction commits.

- submitted / advanced → the approvers now awaiting: "approval requested of you";
- approved / rejected (with the reason) → the submitter;
- withdrawn → the approvers who were awaiting it.
"""

from django.utils.translation import gettext_lazy as _

from jxc.workflow import event_types as types
from jxc.workflow import events
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.models.requests import Decision
from jxc.workflow.registry import DocumentRef, approvable_types
from jxc.workflow.services.notifications import Announcement, announce

TEXTS = {
    types.APPROVAL_REQUESTED: (
        _("Approval requested: %(document)s"),
        _("%(submitter)s asks for your approval of %(document)s (%(level)s). %(summary)s"),
    ),
    types.APPROVAL_APPROVED: (_("Approved: %(document)s"), _("%(document)s was approved.")),
    types.APPROVAL_REJECTED: (
        _("Rejected: %(document)s"),
        _("%(actor)s rejected %(document)s. Reason: %(reason)s"),
    ),
    types.APPROVAL_WITHDRAWN: (
        _("Withdrawn: %(document)s"),
        _("%(submitter)s withdrew %(document)s from approval."),
    ),
}


def announce_approval_event(event: events.ApprovalEvent) -> None:
    request = (
        ApprovalRequest.objects.select_related("submitted_by").filter(pk=event.request_id).first()
    )
    if request is None:
        return
    code, recipients = _addressees(event, request)
    if not recipients:
        return
    title, body = TEXTS[code]
    announce(
        Announcement(
            event_type=code,
            organization_id=request.organization_id,
            recipients=tuple(recipients),
            title=title,
            body=body,
            params=_params(event, request),
            document=DocumentRef(request.document_type, request.document_id),
            link=approval_link(request.pk),
            data=_data(event, request),
        )
    )


def approval_link(request_id: int) -> str:
    return f"/workflow/approvals/{request_id}"


def _addressees(event, request) -> tuple[str, list[int]]:
    if event.name in (events.SUBMITTED, events.ADVANCED):
        return types.APPROVAL_REQUESTED, list(event.awaiting)
    if event.name == events.APPROVED:
        return types.APPROVAL_APPROVED, [request.submitted_by_id]
    if event.name == events.REJECTED:
        return types.APPROVAL_REJECTED, [request.submitted_by_id]
    # withdrawn: the approvers of the level it was waiting at (their steps were skipped)
    waiting = request.steps.filter(
        level=request.current_level, decision=Decision.SKIPPED
    ).values_list("approver_id", flat=True)
    return types.APPROVAL_WITHDRAWN, list(waiting)


class _DocumentLabel:
    """Translated when rendered, in each recipient's language."""

    def __init__(self, request):
        self.request = request

    def __str__(self) -> str:
        labels = {t.code: t.label for t in approvable_types()}
        label = labels.get(self.request.document_type, self.request.document_type)
        number = self.request.document_number or f"#{self.request.document_id}"
        return f"{label} {number}"


class _ActorName:
    def __init__(self, actor_id):
        self.actor_id = actor_id

    def __str__(self) -> str:
        from jxc.core.models import User

        actor = User.objects.filter(pk=self.actor_id).first()
        return str(actor) if actor else "—"


def _params(event, request) -> dict:
    level = request.level_name or str(request.current_level + 1)
    return {
        "document": _DocumentLabel(request),
        "submitter": str(request.submitted_by),
        "actor": _ActorName(event.actor_id),
        "level": level,
        "summary": request.summary,
        "reason": request.reason or "—",
    }


def _data(event, request) -> dict:
    return {
        "approval_request": request.pk,
        "event": event.name,
        "document_type": request.document_type,
        "document_id": request.document_id,
        "document_number": request.document_number,
        "state": request.state,
        "level": request.current_level,
        "actor": event.actor_id,
        "awaiting": list(event.awaiting),
        "reason": request.reason,
    }
