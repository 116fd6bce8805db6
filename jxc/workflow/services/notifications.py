"""Telling users: the in-app inbox, e-mail through SMTP, and each user's choice of both.

:func:`announce` is the one entry point: it writes the notifications of the users who want
them and queues the webhook deliveries of the endpoints that subscribe, in one transaction;
e-mails and deliveries are jobs that run after it commits.
"""

import dataclasses
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import User
from jxc.core.selectors import access_for
from jxc.workflow.event_types import EventType, event_type, event_types
from jxc.workflow.models import Notification, NotificationPreference
from jxc.workflow.models.notifications import DEFAULT_ENABLED
from jxc.workflow.recipients import members_allowed
from jxc.workflow.registry import DocumentRef

logger = logging.getLogger(__name__)
Channel = NotificationPreference.Channel
EmailState = Notification.EmailState


@dataclasses.dataclass(frozen=True)
class Announcement:
    """An event to tell users and webhooks of. ``title`` and ``body`` are (lazy) translatable
    texts with ``%(name)s`` placeholders filled from ``params``, rendered in each recipient's
    language; ``data`` is the JSON a webhook receives."""

    event_type: str
    organization_id: int
    recipients: tuple[int, ...]
    title: object
    body: object = ""
    params: dict = dataclasses.field(default_factory=dict)
    document: DocumentRef | None = None
    link: str = ""
    data: dict = dataclasses.field(default_factory=dict)


@transaction.atomic
def announce(announcement: Announcement) -> list[Notification]:
    from jxc.workflow.services.webhooks import queue_deliveries

    notifications = notify_users(announcement)
    queue_deliveries(
        organization_id=announcement.organization_id,
        event_type=announcement.event_type,
        data=announcement.data,
    )
    return notifications


def notify_users(announcement: Announcement) -> list[Notification]:
    """A notification for each recipient who may receive the event type and has one of its
    channels on; e-mail only when SMTP is configured and the user has an address."""
    kind = event_type(announcement.event_type)
    allowed = members_allowed(announcement.organization_id, kind.permission,
                              announcement.recipients)  # fmt: skip
    users = User.objects.filter(pk__in=allowed)
    choices = _choices(announcement.organization_id, allowed, kind.code)
    rows = []
    for user in users:
        in_app = choices.get((user.pk, Channel.IN_APP), DEFAULT_ENABLED[Channel.IN_APP])
        email = (
            email_configured()
            and bool(user.email)
            and choices.get((user.pk, Channel.EMAIL), DEFAULT_ENABLED[Channel.EMAIL])
        )
        if in_app or email:
            rows.append(_notification(announcement, user, in_app=in_app, email=email))
    created = Notification.objects.bulk_create(rows)
    for notification in created:
        if notification.email_state == EmailState.PENDING:
            jobs.enqueue("workflow.email_notification", notification_id=notification.pk)
    return created


def email_configured() -> bool:
    return bool(settings.EMAIL_HOST)


def _choices(organization_id: int, user_ids, code: str) -> dict:
    rows = NotificationPreference.objects.filter(
        organization_id=organization_id, user_id__in=list(user_ids), event_type=code
    ).values_list("user_id", "channel", "enabled")
    return {(user_id, channel): enabled for user_id, channel, enabled in rows}


def _render(text, params: dict) -> str:
    if not params:
        return str(text)
    return str(text) % {name: str(value) for name, value in params.items()}


def _notification(announcement: Announcement, user, *, in_app: bool, email: bool):
    with translation.override(user.language or settings.LANGUAGE_CODE):
        title = _render(announcement.title, announcement.params)
        body = _render(announcement.body, announcement.params) if announcement.body else ""
    document = announcement.document
    return Notification(
        organization_id=announcement.organization_id,
        recipient=user,
        event_type=announcement.event_type,
        title=title[:200],
        body=body[:2000],
        document_type=document.type if document else "",
        document_id=document.id if document else None,
        link=announcement.link[:300],
        in_app=in_app,
        email_state=EmailState.PENDING if email else EmailState.NONE,
    )


# --- e-mail ----------------------------------------------------------------------------------


@jobs.job("workflow.email_notification")
def email_notification(*, notification_id: int) -> None:
    """Send one notification by e-mail. Claimed first (pending → sending), so a job run twice
    sends once; an SMTP failure is recorded on the notification, not retried."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_state=EmailState.PENDING
    ).update(email_state=EmailState.SENDING)
    if not claimed:
        return
    notification = Notification.objects.select_related("recipient", "organization").get(
        pk=notification_id
    )
    try:
        _send(notification)
        state = EmailState.SENT
    except (OSError, smtplib.SMTPException):
        logger.exception("e-mail of notification %s failed", notification_id)
        state = EmailState.FAILED
    Notification.objects.filter(pk=notification_id).update(email_state=state)


def _send(notification: Notification) -> None:
    lines = [notification.body] if notification.body else []
    if notification.link and settings.JXC_PUBLIC_URL:
        lines.append(settings.JXC_PUBLIC_URL + notification.link)
    send_mail(
        subject=f"[{notification.organization.name}] {notification.title}",
        message="\n\n".join(lines) or notification.title,
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )


# --- the inbox -------------------------------------------------------------------------------


def mark_read(*, organization, user, notification_ids: Iterable[int]) -> int:
    """Mark the user's own notifications read; returns how many changed. An id that is not
    one of the user's notifications here is refused, and nothing is marked."""
    wanted = set(notification_ids)
    mine = Notification.objects.filter(
        organization=organization, recipient=user, in_app=True, pk__in=wanted
    )
    found = set(mine.values_list("pk", flat=True))
    if found != wanted:
        raise ValidationFailed(
            _("Unknown notification %(id)s.") % {"id": min(wanted - found)}, field="ids"
        )
    return mine.filter(read_at__isnull=True).update(read_at=timezone.now())


def mark_all_read(*, organization, user) -> int:
    return Notification.objects.filter(
        organization=organization, recipient=user, in_app=True, read_at__isnull=True
    ).update(read_at=timezone.now())


# --- preferences -----------------------------------------------------------------------------


def event_types_for(organization, user) -> list[EventType]:
    """The event types the user may receive here (those their roles allow)."""
    access = access_for(user, organization)
    return [kind for kind in event_types() if not kind.permission or access.allows(kind.permission)]


def preferences(organization, user) -> list[dict]:
    """Per event type the user may receive: its label and whether each channel is on."""
    kinds = event_types_for(organization, user)
    rows = NotificationPreference.objects.filter(organization=organization, user=user)
    choices = {(row.event_type, row.channel): row.enabled for row in rows}
    return [
        {
            "event_type": kind.code,
            "label": str(kind.label),
            **{
                channel: choices.get((kind.code, channel), DEFAULT_ENABLED[channel])
                for channel in Channel.values
            },
        }
        for kind in kinds
    ]


@transaction.atomic
def set_preference(*, organization, user, code: str, channels: dict[str, bool]) -> dict:
    """Turn the user's channels for event type ``code`` on or off; returns the resulting row."""
    kind = event_type(code)
    if kind not in event_types_for(organization, user):
        raise ValidationFailed(
            _("Your role does not allow you to receive these events."), field="event_type"
        )
    for channel, enabled in channels.items():
        NotificationPreference.objects.update_or_create(
            organization=organization, user=user, event_type=code, channel=channel,
            defaults={"enabled": bool(enabled)},
        )  # fmt: skip
    return next(row for row in preferences(organization, user) if row["event_type"] == code)
