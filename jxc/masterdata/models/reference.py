"""Units of measure, tax codes, currencies and exchange rates."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel


class Unit(OrganizationScopedModel):
    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=32)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="unit_code_unique"),
            models.CheckConstraint(
                condition=models.Q(decimal_places__lte=4), name="unit_decimal_places_max_4"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TaxRate(OrganizationScopedModel):
    """A tax code: a VAT rate (税率) or a simplified levy rate (征收率)."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("Goods")
        SERVICES = "services", _("Services")

    class InvoiceType(models.TextChoices):
        SPECIAL = "special", _("Special VAT invoice")
        ORDINARY = "ordinary", _("Ordinary VAT invoice")
        NONE = "none", _("No invoice")

    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    rate = models.DecimalField(_("rate (%)"), max_digits=5, decimal_places=2)
    is_levy_rate = models.BooleanField(_("simplified levy rate"), default=False)
    kind = models.CharField(
        _("applies to"), max_length=16, choices=Kind.choices, default=Kind.GOODS
    )
    invoice_type = models.CharField(
        _("invoice type"), max_length=16, choices=InvoiceType.choices, default=InvoiceType.SPECIAL
    )
    input_account = models.CharField(_("input tax account"), max_length=32, blank=True)
    output_account = models.CharField(_("output tax account"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="taxrate_code_unique"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100), name="taxrate_between_0_and_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Currency(OrganizationScopedModel):
    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=3)
    name = models.CharField(_("name"), max_length=32)
    symbol = models.CharField(_("symbol"), max_length=4, blank=True)
    decimal_places = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    is_base = models.BooleanField(_("base currency"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["-is_base", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="currency_code_unique"),
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(is_base=True),
                name="one_base_currency_per_org",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class ExchangeRate(OrganizationScopedModel):
    """Units of base currency for one unit of ``currency`` on ``date``."""

    audit_module = "masterdata"

    currency = models.ForeignKey(
        Currency, on_delete=models.CASCADE, related_name="rates", verbose_name=_("currency")
    )
    date = models.DateField(_("date"))
    rate = models.DecimalField(_("rate"), max_digits=18, decimal_places=8)

    class Meta:
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        ordering = ["-date", "currency__code"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.date} {self.rate}"
