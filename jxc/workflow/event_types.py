"""The kinds of event users can be told about, in the inbox, by e-mail or by webhook.

Workflow registers its own (approvals, and one per alert kind); apps above register theirs in
``AppConfig.ready``::

    register_event_type(EventType("sales.order_unreserved", _("Sales order could not reserve")))

Preferences and webhook subscriptions name these codes; an unknown code is refused.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.errors import ValidationFailed


@dataclass(frozen=True)
class EventType:
    code: str
    label: str | Promise
    #: who may receive it ("" = any member), e.g. "inventory.view" for a low-stock alert
    permission: str = ""


_types: dict[str, EventType] = {}

APPROVAL_REQUESTED = "approval.requested"
APPROVAL_APPROVED = "approval.approved"
APPROVAL_REJECTED = "approval.rejected"
APPROVAL_WITHDRAWN = "approval.withdrawn"
#: the "send test event" of a webhook; not a preference, not a subscription
WEBHOOK_TEST = "webhook.test"


def register_event_type(event_type: EventType) -> EventType:
    _types[event_type.code] = event_type
    return event_type


def unregister_event_type(code: str) -> None:
    _types.pop(code, None)


def event_types() -> list[EventType]:
    return sorted(_types.values(), key=lambda t: t.code)


def event_type(code, field: str = "event_type") -> EventType:
    """The registered type ``code``, or a ValidationFailed naming ``field``."""
    found = _types.get(code) if isinstance(code, str) else None
    if found is None:
        raise ValidationFailed(
            _("Unknown event type “%(code)s”.") % {"code": code},
            field=field,
            code="unknown_event_type",
        )
    return found


def register_approval_event_types() -> None:
    for code, label in (
        (APPROVAL_REQUESTED, gettext_lazy("Approval requested of you")),
        (APPROVAL_APPROVED, gettext_lazy("Your document was approved")),
        (APPROVAL_REJECTED, gettext_lazy("Your document was rejected")),
        (APPROVAL_WITHDRAWN, gettext_lazy("An approval request was withdrawn")),
    ):
        register_event_type(EventType(code, label))
