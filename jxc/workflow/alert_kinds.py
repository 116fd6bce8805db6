"""The kinds of alert (预警) apps raise, registered when Django starts.

A kind is scanned (periodically, for every organization: ``scan`` returns every occurrence that
holds now; an open alert whose occurrence is no longer found is cleared) or event-driven (the
app calls :func:`jxc.workflow.services.alerts.raise_alert` / ``clear_alert`` itself), or both.
Inventory registers low and excess stock and expiring lots, finance overdue receivables,
workflow approvals waiting too long::

    register_alert_kind(AlertKind(
        code="inventory.low_stock", label=_("Low stock"), scan=low_stock_occurrences,
        view_permission="inventory.view", link="/inventory/low-stock",
    ))

Registering a kind registers its notification event type ``alert.<code>``, so users choose
whether they are told of it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.errors import ValidationFailed
from jxc.workflow.event_types import EventType, register_event_type, unregister_event_type
from jxc.workflow.registry import DocumentRef


@dataclass(frozen=True)
class Occurrence:
    """One thing an alert is about. ``key`` identifies it across scans (e.g. ``"12:3"`` for
    product 12 in warehouse 3): the alert is raised once per key, not on every scan."""

    key: str
    title: str
    detail: str = ""
    document: DocumentRef | None = None
    #: the UI path that shows it (a list page or the document)
    link: str = ""


@dataclass(frozen=True)
class AlertKind:
    code: str
    label: str | Promise
    #: (organization, threshold) -> the occurrences now; None for event-driven kinds only
    scan: Callable[..., Iterable[Occurrence]] | None = None
    #: who sees these alerts and is told of them ("" = any member)
    view_permission: str = ""
    #: a number each organization may set (hours waiting, days before expiry …), or none
    threshold_label: str | Promise = ""
    default_threshold: int | None = None
    link: str = ""

    @property
    def event_type(self) -> str:
        return f"alert.{self.code}"


_kinds: dict[str, AlertKind] = {}


def register_alert_kind(kind: AlertKind) -> AlertKind:
    _kinds[kind.code] = kind
    label = format_lazy("{}: {}", gettext_lazy("Alert"), kind.label)
    register_event_type(EventType(kind.event_type, label, permission=kind.view_permission))
    return kind


def unregister_alert_kind(code: str) -> None:
    kind = _kinds.pop(code, None)
    if kind is not None:
        unregister_event_type(kind.event_type)


def alert_kinds() -> list[AlertKind]:
    return sorted(_kinds.values(), key=lambda k: k.code)


def alert_kind(code, field: str = "kind") -> AlertKind:
    found = _kinds.get(code) if isinstance(code, str) else None
    if found is None:
        raise ValidationFailed(
            _("Unknown alert kind “%(code)s”.") % {"code": code},
            field=field,
            code="unknown_alert_kind",
        )
    return found
