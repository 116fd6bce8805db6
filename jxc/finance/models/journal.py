"""The journal: vouchers (记账凭证) of balanced lines, in monthly periods."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import amount_field, price_field

from .accounts import Account


class Period(OrganizationScopedModel):
    """A month of the fiscal year (the calendar year in China). Made open when first posted to;
    a closed period takes no posting until it is reopened (反结账)."""

    audit_module = "finance"

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    year = models.PositiveSmallIntegerField(_("fiscal year"))
    month = models.PositiveSmallIntegerField(_("month"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("accounting period")
        verbose_name_plural = _("accounting periods")
        ordering = ["year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "month"], name="period_month_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


class Voucher(OrganizationScopedModel):
    """记账凭证. A draft may change; a posted voucher never does: it is corrected by a red-letter
    reversal (红字冲销), a voucher of the same lines with negated amounts, linked to it."""

    audit_module = "finance"

    class Word(models.TextChoices):  # 凭证字
        GENERAL = "记", _("记 (general)")
        RECEIPT = "收", _("收 (receipt)")
        PAYMENT = "付", _("付 (payment)")
        TRANSFER = "转", _("转 (transfer)")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    word = models.CharField(_("voucher word"), max_length=2, choices=Word.choices, default="记")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)  # at posting
    date = models.DateField(_("date"))
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="vouchers", verbose_name=_("period")
    )
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default="draft")
    attachments = models.PositiveSmallIntegerField(_("attachments"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # the document that produced it ("" for a manual voucher)
    origin_type = models.CharField(_("origin type"), max_length=64, blank=True)
    origin_id = models.BigIntegerField(_("origin id"), null=True, blank=True)
    reference = models.CharField(_("source document"), max_length=64, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reversal of"),
    )
    total = amount_field(_("total"), default=0)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "word", "number"],
                condition=Q(number__isnull=False),
                name="voucher_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(number__isnull=False),
                name="voucher_posted_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["origin_type", "origin_id"], name="voucher_origin"),
            models.Index(fields=["organization", "date"], name="voucher_org_date"),
        ]

    def __str__(self) -> str:
        return self.display_number or str(_("draft voucher"))

    @property
    def display_number(self) -> str:
        return f"{self.word}-{self.number:04d}" if self.number else ""


class VoucherLine(models.Model):
    """A debit or a credit on one leaf account. Red-letter lines carry negative amounts on the
    side of the line they cancel. Organization, date and period are copied from the voucher
    (with ``posted``) so the ledgers sum lines without joining vouchers."""

    voucher = models.ForeignKey(
        Voucher, on_delete=models.CASCADE, related_name="lines", verbose_name=_("voucher")
    )
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("line"), default=0)
    summary = models.CharField(_("summary"), max_length=128)  # 摘要
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="lines", verbose_name=_("account")
    )
    debit = amount_field(_("debit"), default=0)
    credit = amount_field(_("credit"), default=0)
    currency = models.ForeignKey(
        "masterdata.Currency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )
    original_amount = amount_field(_("amount in currency"), null=True, blank=True)
    rate = price_field(_("exchange rate"), null=True, blank=True)
    partner = models.ForeignKey(
        "masterdata.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("partner"),
    )
    warehouse = models.ForeignKey(
        "masterdata.Warehouse",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    department = models.CharField(_("department"), max_length=64, blank=True)
    project = models.CharField(_("project"), max_length=64, blank=True)
    date = models.DateField(_("date"))
    posted = models.BooleanField(_("posted"), default=False)

    class Meta:
        verbose_name = _("voucher line")
        verbose_name_plural = _("voucher lines")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit=0) | Q(credit=0), name="voucher_line_one_side"
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "account", "date"],
                condition=Q(posted=True),
                name="voucher_line_ledger",
            ),
        ]


class VoucherSequence(models.Model):
    """The last number given to a voucher word in a period: numbers are gap-free because the
    counter moves inside the posting's transaction."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    word = models.CharField(max_length=2)
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "word"], name="voucher_sequence_unique")
        ]


class VoucherTemplate(OrganizationScopedModel):
    """常用凭证: the lines of a voucher booked again and again (rent, salaries, depreciation),
    loaded into a new voucher and completed there."""

    audit_module = "finance"

    name = models.CharField(_("name"), max_length=64)
    word = models.CharField(_("voucher word"), max_length=2, choices=Voucher.Word.choices,
                            default="记")  # fmt: skip
    note = models.CharField(_("note"), max_length=255, blank=True)
    # [{"summary", "account", "debit", "credit"}]: amounts may be left at 0 to fill in
    lines = models.JSONField(_("lines"), default=list)

    class Meta:
        verbose_name = _("voucher template")
        verbose_name_plural = _("voucher templates")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="voucher_template_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name
