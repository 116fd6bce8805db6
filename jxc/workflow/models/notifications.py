"""The in-app inbox (通知) and what each user chooses to be told of, per channel."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import Organization


class Notification(models.Model):
    """One message to one user in one organization. Made when either of the user's channels
    is on for the event: ``in_app`` says whether the inbox shows it, ``email_state`` tracks the
    e-mail (claimed by the sending job, so it is sent once)."""

    class EmailState(models.TextChoices):
        NONE = "", _("Not e-mailed")
        PENDING = "pending", _("To be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event_type = models.CharField(_("event type"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=2000, blank=True)
    document_type = models.CharField(_("document type"), max_length=64, blank=True)
    document_id = models.BigIntegerField(_("document id"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    in_app = models.BooleanField(_("shown in the inbox"), default=True)
    email_state = models.CharField(
        _("e-mail"), max_length=16, choices=EmailState.choices, default="", blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "organization", "read_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return self.title


class NotificationPreference(models.Model):
    """A user's choice for one event type and channel in one organization. Without a row the
    default holds: in-app on, e-mail off."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("E-mail")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
        verbose_name=_("user"),
    )
    event_type = models.CharField(_("event type"), max_length=64)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user", "event_type", "channel"],
                name="notification_preference_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.event_type} {self.channel}: {self.enabled}"


DEFAULT_ENABLED = {
    NotificationPreference.Channel.IN_APP: True,
    NotificationPreference.Channel.EMAIL: False,
}
