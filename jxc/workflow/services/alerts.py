"""Alerts: raised once per occurrence, cleared when the condition ends.

A scan (periodic, every organization, every scanned kind) compares what the kind finds now with
the open alerts of that kind: new occurrences are raised (and announced to the members who may
see them and want to be told), open alerts no longer found are cleared, the others keep their
``raised_at`` and only have their text refreshed. The partial unique index on open alerts makes
"raised once" hold even when two scans overlap.
"""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.workflow.alert_kinds import AlertKind, Occurrence, alert_kind, alert_kinds
from jxc.workflow.models import Alert, AlertSetting
from jxc.workflow.recipients import members_allowed
from jxc.workflow.services.notifications import Announcement, announce

logger = logging.getLogger(__name__)
SCAN_EVERY = datetime.timedelta(minutes=15)


# --- raising and clearing --------------------------------------------------------------------


@transaction.atomic
def raise_alert(*, organization, kind: AlertKind, occurrence: Occurrence) -> Alert | None:
    """Open an alert for the occurrence unless one is open already; returns the new alert
    (announced once the transaction commits) or None. Apps call this for event-driven kinds."""
    if Alert.objects.filter(organization=organization, kind=kind.code, key=occurrence.key,
                            cleared_at__isnull=True).exists():  # fmt: skip
        return None
    try:
        with transaction.atomic():  # an overlapping scan may have raised it just now
            alert = Alert.objects.create(
                organization=organization, kind=kind.code, raised_at=timezone.now(),
                **_texts(occurrence),
            )  # fmt: skip
    except IntegrityError:
        return None
    _announce(alert, kind)
    return alert


def clear_alert(*, organization, kind: AlertKind, key: str) -> int:
    return Alert.objects.filter(
        organization=organization, kind=kind.code, key=key, cleared_at__isnull=True
    ).update(cleared_at=timezone.now())


def _texts(occurrence: Occurrence) -> dict:
    document = occurrence.document
    return {
        "key": occurrence.key[:200],
        "title": occurrence.title[:255],
        "detail": occurrence.detail[:1000],
        "document_type": document.type if document else "",
        "document_id": document.id if document else None,
        "link": occurrence.link[:300],
    }


def _announce(alert: Alert, kind: AlertKind) -> None:
    announce(
        Announcement(
            event_type=kind.event_type,
            organization_id=alert.organization_id,
            recipients=tuple(members_allowed(alert.organization_id, kind.view_permission)),
            title=gettext_lazy("Alert: %(title)s"),
            body=alert.detail,
            params={"title": alert.title},
            link=alert.link,
            data={
                "alert": alert.pk,
                "kind": kind.code,
                "key": alert.key,
                "title": alert.title,
                "detail": alert.detail,
                "document_type": alert.document_type,
                "document_id": alert.document_id,
                "raised_at": alert.raised_at.isoformat(),
            },
        )
    )


# --- scanning --------------------------------------------------------------------------------


@transaction.atomic
def scan_kind(*, organization, kind: AlertKind) -> tuple[int, int]:
    """Bring the open alerts of one kind in line with what it finds now; returns (raised,
    cleared)."""
    setting = setting_of(organization, kind)
    found = {} if not setting.is_enabled else _occurrences(organization, kind, setting.threshold)
    open_alerts = {
        a.key: a
        for a in Alert.objects.filter(organization=organization, kind=kind.code,
                                      cleared_at__isnull=True)
    }  # fmt: skip
    gone = [a.pk for key, a in open_alerts.items() if key not in found]
    Alert.objects.filter(pk__in=gone).update(cleared_at=timezone.now())
    raised = 0
    for key, occurrence in found.items():
        if key in open_alerts:
            _refresh(open_alerts[key], occurrence)
        elif raise_alert(organization=organization, kind=kind, occurrence=occurrence):
            raised += 1
    return raised, len(gone)


def _occurrences(organization, kind: AlertKind, threshold) -> dict[str, Occurrence]:
    # texts are stored once for every reader: in the server's language
    with translation.override(settings.LANGUAGE_CODE):
        return {o.key[:200]: o for o in kind.scan(organization, threshold=threshold)}


def _refresh(alert: Alert, occurrence: Occurrence) -> None:
    texts = _texts(occurrence)
    if any(getattr(alert, name) != value for name, value in texts.items()):
        Alert.objects.filter(pk=alert.pk).update(**texts)


def scan_organization(organization) -> None:
    """Scan every scanned kind; one kind's failure is logged and does not stop the others."""
    for kind in alert_kinds():
        if kind.scan is None:
            continue
        try:
            scan_kind(organization=organization, kind=kind)
        except Exception:
            logger.exception("alert scan %s failed for organization %s", kind.code,
                             organization.pk)  # fmt: skip


@jobs.periodic("workflow.scan_alerts", every=SCAN_EVERY)
def scan_all_organizations() -> None:
    for organization in Organization.objects.filter(is_active=True):
        scan_organization(organization)


# --- settings and acknowledging ------------------------------------------------------------


def setting_of(organization, kind: AlertKind) -> AlertSetting:
    found = AlertSetting.objects.filter(organization=organization, kind=kind.code).first()
    return found or AlertSetting(
        organization=organization, kind=kind.code, is_enabled=True,
        threshold=kind.default_threshold,
    )  # fmt: skip


@transaction.atomic
def configure_alert_kind(*, organization, code: str, data: dict) -> AlertSetting:
    """Turn a kind on or off for the organization and set its threshold (for kinds that have
    one); the next scan applies it."""
    kind = alert_kind(code)
    setting = setting_of(organization, kind)
    if "threshold" in data:
        threshold = data["threshold"]
        if not kind.threshold_label and threshold is not None:
            raise ValidationFailed(_("This alert kind has no threshold."), field="threshold")
        setting.threshold = kind.default_threshold if threshold is None else threshold
    if "is_enabled" in data:
        setting.is_enabled = bool(data["is_enabled"])
    setting.save()
    return setting


def acknowledge(*, alert: Alert, user) -> Alert:
    """The user has seen the alert (the condition may still hold: it stays open until then)."""
    if alert.acknowledged_at is None:
        alert.acknowledged_by, alert.acknowledged_at = user, timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return alert
