"""Posting rules (凭证模板) as data: which accounts a business event books to."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel

from .accounts import Account


class PostingRule(OrganizationScopedModel):
    """Maps an event of a document to a debit and a credit account. Blank conditions match
    anything (a blank document type: any document's event, after the rules that name it); of
    the rules that match, the one with most conditions wins (then the newest).

    The apps that post name their document types, events, location kinds and reasons when
    they register (see :mod:`jxc.finance.events`); finance only compares them."""

    audit_module = "finance"

    document_type = models.CharField(_("document type"), max_length=64, blank=True)
    event = models.CharField(_("event"), max_length=32)
    from_kind = models.CharField(_("from location kind"), max_length=16, blank=True)
    to_kind = models.CharField(_("to location kind"), max_length=16, blank=True)
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    category = models.ForeignKey(
        "masterdata.Category",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product category"),
    )
    tax_rate = models.ForeignKey(
        "masterdata.TaxRate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tax code"),
    )
    debit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("debit account")
    )
    credit_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("credit account")
    )
    summary = models.CharField(_("summary"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("posting rule")
        verbose_name_plural = _("posting rules")
        ordering = ["document_type", "event", "id"]

    def __str__(self) -> str:
        return f"{self.document_type}/{self.event}"

    CONDITIONS = ("from_kind", "to_kind", "reason", "category_id", "tax_rate_id")

    def specificity(self) -> int:
        return sum(1 for name in self.CONDITIONS if getattr(self, name))
