"""Alerts (预警): one row per occurrence of a registered alert kind while it holds."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import Organization, OrganizationScopedModel


class Alert(models.Model):
    """An occurrence (``kind`` + ``key``) raised at ``raised_at`` and open until the condition
    ends (``cleared_at``). At most one open alert per occurrence: a scan that finds it again
    changes nothing, so it is raised and announced once."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="+", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=64)
    key = models.CharField(_("occurrence"), max_length=200)
    title = models.CharField(_("title"), max_length=255)
    detail = models.CharField(_("detail"), max_length=1000, blank=True)
    document_type = models.CharField(_("document type"), max_length=64, blank=True)
    document_id = models.BigIntegerField(_("document id"), null=True, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    raised_at = models.DateTimeField(_("raised at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("acknowledged by"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "kind", "key"],
                condition=Q(cleared_at__isnull=True),
                name="alert_one_open_per_occurrence",
            )
        ]
        indexes = [models.Index(fields=["organization", "kind", "cleared_at"], name="alert_open")]

    def __str__(self) -> str:
        return self.title


class AlertSetting(OrganizationScopedModel):
    """An organization's settings of one alert kind: on or off, and its threshold (the hours
    an approval may wait, the days before expiry …) when the kind has one."""

    audit_module = "workflow"

    kind = models.CharField(_("kind"), max_length=64)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.PositiveIntegerField(_("threshold"), null=True, blank=True)

    class Meta:
        verbose_name = _("alert setting")
        verbose_name_plural = _("alert settings")
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind"], name="alert_setting_unique")
        ]

    def __str__(self) -> str:
        return self.kind
