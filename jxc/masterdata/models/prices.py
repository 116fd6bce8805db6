"""Sales and purchase price lists with validity, partner or group scope and quantity breaks."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import price_field, quantity_field
from jxc.masterdata.models.reference import Currency


class PriceList(OrganizationScopedModel):
    class Kind(models.TextChoices):
        SALES = "sales", _("Sales")
        PURCHASE = "purchase", _("Purchase")

    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    tax_included = models.BooleanField(_("prices include tax"), default=True)
    partner = models.ForeignKey(
        "masterdata.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("partner"),
    )
    customer_group = models.CharField(_("customer group"), max_length=32, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="pricelist_code_unique"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="pricelist_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PriceListItem(models.Model):
    price_list = models.ForeignKey(PriceList, on_delete=models.CASCADE, related_name="items")
    product = models.ForeignKey(
        "masterdata.Product", on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    min_quantity = quantity_field(_("minimum quantity"), default=Decimal(0))
    price = price_field(_("price"))
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=Decimal(0)
    )

    class Meta:
        verbose_name = _("price list item")
        ordering = ["product_id", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"], name="one_price_per_break"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    price__gte=0,
                    min_quantity__gte=0,
                    discount_percent__gte=0,
                    discount_percent__lte=100,
                ),
                name="price_item_figures_valid",
            ),
        ]
