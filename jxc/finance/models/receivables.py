"""Partner ledgers (往来): the open items of receivables and payables, receipts and payments
(收款单/付款单), and the allocations (核销) that settle one item against another."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import amount_field, price_field

from .accounts import Account
from .journal import Voucher


class OpenItem(OrganizationScopedModel):
    """One document's amount owed between the organization and a partner, in the document's
    currency and in base currency, and what of it is still open.

    Signed from the partner balance's side: a receivable item is + when the customer owes (an
    invoice) and − when they have paid or are credited (a receipt, an advance); a payable item
    is + when the organization owes (a supplier invoice) and − when it has paid (a payment, a
    prepayment). ``account`` is the control account the item sits on (1122 or 2203, 2202 or
    1123), whose balance equals the sum of its open items."""

    audit_module = "finance"

    class Kind(models.TextChoices):
        RECEIVABLE = "receivable", _("Receivable")
        PAYABLE = "payable", _("Payable")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    partner = models.ForeignKey(
        "masterdata.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("account")
    )
    document_type = models.CharField(_("document type"), max_length=64)
    document_id = models.BigIntegerField(_("document id"), null=True, blank=True)
    reference = models.CharField(_("document number"), max_length=64, blank=True)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("due date"))
    currency = models.ForeignKey(
        "masterdata.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )
    rate = price_field(_("exchange rate"), default=1)
    amount = amount_field(_("amount"))
    base_amount = amount_field(_("amount in base currency"))
    open_amount = amount_field(_("open amount"))
    open_base_amount = amount_field(_("open amount in base currency"))
    summary = models.CharField(_("summary"), max_length=128, blank=True)
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("open item")
        verbose_name_plural = _("open items")
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(amount__gt=0) & Q(open_amount__gte=0) & Q(open_amount__lte=F("amount"))
                )
                | (Q(amount__lt=0) & Q(open_amount__lte=0) & Q(open_amount__gte=F("amount"))),
                name="open_item_open_within_amount",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "kind", "partner", "date"], name="open_item_partner"
            ),
            models.Index(
                fields=["organization", "kind", "due_date"],
                condition=~Q(open_amount=0),
                name="open_item_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference or self.document_type} {self.amount}"


class Payment(OrganizationScopedModel):
    """收款单 / 付款单: money received from a customer or paid to a supplier, into or out of a
    cash or bank account, settling open items now (its lines) or later (what stays open is an
    advance, 预收 / 预付). A supplier refund (供应商退款) is money a supplier pays back: it
    settles the supplier's credits (a return's AP credit, a prepayment)."""

    audit_module = "finance"

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Receipt")
        PAYMENT = "payment", _("Payment")
        REFUND = "refund", _("Supplier refund")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")
        REVERSED = "reversed", _("Reversed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default="draft")
    date = models.DateField(_("date"))
    partner = models.ForeignKey(
        "masterdata.Partner", on_delete=models.PROTECT, related_name="+", verbose_name=_("partner")
    )
    currency = models.ForeignKey(
        "masterdata.Currency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )
    rate = price_field(_("exchange rate"), default=1)
    amount = amount_field(_("amount"))  # what the partner is credited (received) or debited
    fee = amount_field(_("bank fee"), default=0)
    discount = amount_field(_("cash discount"), default=0)
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="+", verbose_name=_("cash or bank account")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    item = models.OneToOneField(
        OpenItem, null=True, blank=True, on_delete=models.PROTECT, related_name="payment"
    )
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt or payment")
        verbose_name_plural = _("receipts and payments")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(fee__gte=0) & Q(discount__gte=0),
                name="payment_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("draft"))


class PaymentLine(models.Model):
    """An open item the payment settles when posted, and how much of it."""

    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey(OpenItem, on_delete=models.PROTECT, related_name="+")
    amount = amount_field(_("amount"))

    class Meta:
        ordering = ["id"]


class Allocation(OrganizationScopedModel):
    """核销: ``amount`` (in the items' currency) of an item owed (+: an invoice) settled by an
    item paid (−: a receipt, a payment, a credit note) of the same partner, kind and currency,
    or written off to ``write_off_account``. The base amounts each side gives up can differ
    (other rates): the difference is the realised exchange gain or loss, booked with the
    allocation's voucher. Undone (反核销) by a red voucher."""

    audit_module = "finance"

    owed_item = models.ForeignKey(
        OpenItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item owed")
    )
    paid_item = models.ForeignKey(
        OpenItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("item paid"),
    )
    write_off_account = models.ForeignKey(
        Account,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written off to"),
    )
    amount = amount_field(_("amount"))
    owed_base = amount_field(_("base amount settled"))
    paid_base = amount_field(_("base amount used"))
    exchange_difference = amount_field(_("exchange difference"), default=0)
    date = models.DateField(_("date"))
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    undone = models.BooleanField(_("undone"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_positive"),
            models.CheckConstraint(
                condition=(Q(paid_item__isnull=False) & Q(write_off_account__isnull=True))
                | (Q(paid_item__isnull=True) & Q(write_off_account__isnull=False)),
                name="allocation_item_or_write_off",
            ),
        ]
