"""Outbound webhooks: endpoints an organization registers, and every delivery to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import Organization, OrganizationScopedModel


class WebhookEndpoint(OrganizationScopedModel):
    """A URL that receives the events it subscribes to, signed with its secret
    (``X-JXC-Signature: sha256=<HMAC-SHA256 of the body>``)."""

    audit_module = "workflow"
    audit_exclude = ("secret",)

    name = models.CharField(_("name"), max_length=64)
    url = models.CharField(_("URL"), max_length=500)
    event_types = models.JSONField(_("event types"), default=list)
    secret = models.CharField(_("secret"), max_length=128)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event sent (or to be sent) to one endpoint: the exact body, and how each attempt
    went. ``attempts`` counts the attempts made; the sending job claims attempt n only while
    ``attempts`` is n − 1, so a job run twice sends once."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        RETRYING = "retrying", _("Waiting to retry")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    event_id = models.UUIDField(_("event id"))
    event_type = models.CharField(_("event type"), max_length=64)
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response (first 2 KB)"), blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_retry_at = models.DateTimeField(_("next retry at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    resent_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("re-sent from"),
    )

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "created_at"], name="webhook_delivery_endpoint"),
            models.Index(fields=["status", "next_retry_at"], name="webhook_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
