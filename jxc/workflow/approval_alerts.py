"""Workflow's own alert kind: approvals waiting longer than N hours (N per organization,
24 by default) at their current level."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.workflow.alert_kinds import AlertKind, Occurrence, register_alert_kind
from jxc.workflow.approval_notices import approval_link
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.registry import DocumentRef

WAITING_TOO_LONG = "workflow.approval_waiting"


def waiting_approvals(organization, *, threshold) -> list[Occurrence]:
    hours = threshold or 24
    since = timezone.now() - datetime.timedelta(hours=hours)
    waiting = ApprovalRequest.objects.filter(
        organization=organization, state=ApprovalRequest.State.PENDING, waiting_since__lte=since
    ).order_by("waiting_since", "id")
    return [
        Occurrence(
            # per level: once it moves on, the next level gets its own hours
            key=f"{request.pk}:{request.current_level}",
            title=_("%(document)s has waited more than %(hours)d hours for approval")
            % {"document": request.document_number or f"#{request.document_id}", "hours": hours},
            detail=_("Level: %(level)s. Waiting since %(since)s.")
            % {
                "level": request.level_name or request.current_level + 1,
                "since": timezone.localtime(request.waiting_since).strftime("%Y-%m-%d %H:%M"),
            },
            document=DocumentRef(request.document_type, request.document_id),
            link=approval_link(request.pk),
        )
        for request in waiting
    ]


def register_approval_alerts() -> None:
    register_alert_kind(
        AlertKind(
            code=WAITING_TOO_LONG,
            label=gettext_lazy("Approvals waiting too long"),
            scan=waiting_approvals,
            view_permission="workflow.view",
            threshold_label=gettext_lazy("hours waiting"),
            default_threshold=24,
            link="/workflow/approvals",
        )
    )
