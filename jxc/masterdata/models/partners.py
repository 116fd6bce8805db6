"""Partners (往来单位): suppliers and customers in one model."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import amount_field
from jxc.masterdata.models.reference import Currency


class Partner(OrganizationScopedModel):
    class PaymentTerms(models.TextChoices):
        IMMEDIATE = "immediate", _("Cash on delivery")
        NET = "net", _("Net days after invoice")
        MONTH_END = "month_end", _("Month end plus days")

    audit_module = "masterdata"
    audit_exclude = ("search_text",)

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=64, blank=True)
    pinyin = models.CharField(_("mnemonic code"), max_length=128, blank=True)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_customer = models.BooleanField(_("customer"), default=False)
    customer_group = models.CharField(_("customer group"), max_length=32, blank=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    invoice_address = models.CharField(_("invoice address"), max_length=255, blank=True)
    invoice_phone = models.CharField(_("invoice phone"), max_length=32, blank=True)
    bank_name = models.CharField(_("bank"), max_length=128, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=64, blank=True)
    currency = models.ForeignKey(
        Currency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("currency"),
    )
    payment_terms = models.CharField(
        _("payment terms"),
        max_length=16,
        choices=PaymentTerms.choices,
        default=PaymentTerms.IMMEDIATE,
    )
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=0)
    credit_limit = amount_field(_("credit limit"), null=True, blank=True)
    sales_price_list = models.ForeignKey(
        "masterdata.PriceList",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sales price list"),
    )
    purchase_price_list = models.ForeignKey(
        "masterdata.PriceList",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("purchase price list"),
    )
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("salesperson"),
    )
    purchaser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("purchaser"),
    )
    opening_receivable = amount_field(_("opening receivable"), default=Decimal(0))
    opening_payable = amount_field(_("opening payable"), default=Decimal(0))
    is_active = models.BooleanField(_("active"), default=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="partner_code_unique"),
            models.CheckConstraint(
                condition=models.Q(credit_limit__gte=0) | models.Q(credit_limit__isnull=True),
                name="credit_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.short_name or self.name}"


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=64)
    position = models.CharField(_("position"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        ordering = ["-is_primary", "id"]


class PartnerAddress(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=64, blank=True)
    contact = models.CharField(_("contact"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255)
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("delivery address")
        ordering = ["-is_default", "id"]
