"""Finance's alert kind, registered with workflow when Django starts: customers with
receivables past their due date (by more than N days, 0 unless the organization sets another),
one alert per customer, read from the same ageing as the ageing report."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.finance.selectors import DEFAULT_BUCKETS, ZERO, ageing
from jxc.workflow.alert_kinds import AlertKind, Occurrence, register_alert_kind

OVERDUE_RECEIVABLES = "finance.overdue_receivables"


def overdue_receivables(organization, *, threshold=None) -> list[Occurrence]:
    grace = threshold or 0
    # with a grace period the ageing has one edge at it: [not due, 1–grace, > grace]
    buckets = (grace,) if grace else DEFAULT_BUCKETS
    report = ageing(organization, "receivable", timezone.localdate(), buckets=buckets)
    occurrences = []
    for row in report["rows"]:
        overdue = row["buckets"][-1] if grace else sum(row["buckets"][1:], ZERO)
        if overdue <= 0:
            continue
        occurrences.append(
            Occurrence(
                key=f"partner:{row['partner']}",
                title=_("Overdue receivables: %(partner)s") % {"partner": row["partner_name"]},
                detail=_("%(amount)s (base currency) past due; %(total)s open in all.")
                % {"amount": overdue, "total": row["total"]},
                link=f"/finance/ageing?partner={row['partner']}",
            )
        )
    return occurrences


def register_finance_alerts() -> None:
    register_alert_kind(
        AlertKind(
            OVERDUE_RECEIVABLES,
            gettext_lazy("Overdue receivables"),
            scan=overdue_receivables,
            view_permission="finance.view",
            threshold_label=gettext_lazy("days past due"),
            default_threshold=0,
            link="/finance/ageing",
        )
    )
