"""Approval rules (审批规则) as data: which documents need whose approval."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel


class ApprovalRule(OrganizationScopedModel):
    """For one document type: the conditions a document must meet (all of them; none matches
    every document) and the ordered levels of approvers it then needs. Of the active rules of a
    type, the first by ``priority`` (then id) whose conditions hold applies; a document no rule
    matches is approved on submit.

    ``conditions`` and ``levels`` are JSON in the shapes of :mod:`jxc.workflow.domain.rules`
    and :mod:`jxc.workflow.domain.levels`, checked by :func:`jxc.workflow.services.rules.save_rule`
    before they are stored."""

    audit_module = "workflow"

    name = models.CharField(_("name"), max_length=64)
    document_type = models.CharField(_("document type"), max_length=64)
    priority = models.PositiveIntegerField(_("priority"), default=100)
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    levels = models.JSONField(_("levels"), default=list)
    allow_self_approval = models.BooleanField(
        _("the submitter may approve their own document"), default=False
    )
    is_active = models.BooleanField(_("active"), default=True)
    description = models.CharField(_("description"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        ordering = ["document_type", "priority", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="approval_rule_name_unique"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "document_type", "is_active"], name="approval_rule_type"
            )
        ]

    def __str__(self) -> str:
        return self.name
