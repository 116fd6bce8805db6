"""Approval requests (审批单) and the steps each approver takes on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import amount_field

from .rules import ApprovalRule


class Decision(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # not needed: another approver decided an any-of level, or the request closed first
    SKIPPED = "skipped", _("Not needed")


class ApprovalRequest(OrganizationScopedModel):
    """One submission of one document for approval. The matched rule's levels are copied at
    submit (``levels``, and the approvers resolved to users in the steps), so changing the rule
    later does not change a request already open. At most one request per document is pending.
    """

    audit_module = "workflow"

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    document_type = models.CharField(_("document type"), max_length=64)
    document_id = models.BigIntegerField(_("document id"))
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=255, blank=True)
    base_amount = amount_field(_("amount (base currency)"), null=True, blank=True)
    currency = models.CharField(_("document currency"), max_length=32, blank=True)
    rule = models.ForeignKey(
        ApprovalRule,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="requests",
        verbose_name=_("approval rule"),
    )
    rule_name = models.CharField(_("rule name"), max_length=64)
    levels = models.JSONField(_("levels"), default=list)
    allow_self_approval = models.BooleanField(
        _("the submitter may approve their own document"), default=False
    )
    current_level = models.PositiveSmallIntegerField(_("current level"), default=0)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # when the current level started waiting (for the inbox and for "waiting too long" alerts)
    waiting_since = models.DateTimeField(_("waiting since"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "document_type", "document_id"],
                condition=Q(state="pending"),
                name="approval_one_pending_per_document",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "document_type", "document_id"],
                name="approval_request_document",
            ),
            models.Index(fields=["organization", "state"], name="approval_request_state"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number or self.document_type} #{self.document_id}"

    @property
    def level_name(self) -> str:
        if self.current_level < len(self.levels):
            return self.levels[self.current_level].get("name", "")
        return ""


class ApprovalStep(models.Model):
    """One approver's part in one level of a request: pending until they decide, or skipped
    when it is no longer needed. Rows are made at submit, for every level."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    level = models.PositiveSmallIntegerField(_("level"))
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("approver"),
    )
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["level", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level", "approver"], name="approval_step_unique"
            ),
        ]
        indexes = [models.Index(fields=["approver", "decision"], name="approval_step_inbox")]

    def __str__(self) -> str:
        return f"{self.request} L{self.level + 1}: {self.approver}"
