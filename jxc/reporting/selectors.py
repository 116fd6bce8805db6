"""Read-only figures for the dashboard."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from jxc.core.models import ApiToken, AuditLog, Membership, Organization
from jxc.core.selectors import roles_visible_to

ACTIVITY_DAYS = 14


def dashboard(*, organization: Organization, user) -> dict:
    today = timezone.localdate()
    start = today - datetime.timedelta(days=ACTIVITY_DAYS - 1)
    trail = AuditLog.objects.filter(organization=organization)
    per_day = dict(
        trail.filter(at__date__gte=start)
        .annotate(day=TruncDate("at"))
        .values_list("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
    )
    now = timezone.now()
    return {
        "figures": {
            "users": Membership.objects.filter(organization=organization).count(),
            "organizations": Organization.objects.filter(memberships__user=user).count(),
            "roles": roles_visible_to(organization).count(),
            "active_tokens": ApiToken.objects.filter(
                organization=organization, revoked_at__isnull=True
            )
            .exclude(expires_at__lte=now)
            .count(),
            "audit_events_today": per_day.get(today, 0),
        },
        "activity": [
            {"date": day, "count": per_day.get(day, 0)}
            for day in (start + datetime.timedelta(days=i) for i in range(ACTIVITY_DAYS))
        ],
        "recent": list(trail.select_related("user").order_by("-at", "-id")[:10]),
    }
