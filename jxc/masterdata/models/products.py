"""Products (商品/物料), their categories, alternative units, barcodes and image."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import price_field, quantity_field
from jxc.masterdata.models.reference import TaxRate, Unit


class Category(OrganizationScopedModel):
    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="category_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Product(OrganizationScopedModel):
    class CostingMethod(models.TextChoices):
        MOVING_AVERAGE = "moving_average", _("Moving weighted average")
        FIFO = "fifo", _("FIFO")
        MONTHLY_AVERAGE = "monthly_average", _("Month-end weighted average")

    class Tracking(models.TextChoices):
        NONE = "none", _("None")
        LOT = "lot", _("Lot")
        SERIAL = "serial", _("Serial number")

    audit_module = "masterdata"
    audit_exclude = ("search_text",)

    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=128)
    specification = models.CharField(_("specification"), max_length=128, blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    brand = models.CharField(_("brand"), max_length=64, blank=True)
    base_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("base unit")
    )
    pinyin = models.CharField(_("mnemonic code"), max_length=128, blank=True)
    tax_rate = models.ForeignKey(
        TaxRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("default tax rate"),
    )
    costing_method = models.CharField(
        _("costing method"),
        max_length=20,
        choices=CostingMethod.choices,
        default=CostingMethod.MOVING_AVERAGE,
    )
    tracking = models.CharField(
        _("tracking"), max_length=8, choices=Tracking.choices, default=Tracking.NONE
    )
    shelf_life_days = models.PositiveIntegerField(_("shelf life (days)"), null=True, blank=True)
    safety_stock = quantity_field(_("safety stock"), default=Decimal(0))
    reorder_point = quantity_field(_("reorder point"), default=Decimal(0))
    reorder_quantity = quantity_field(_("reorder quantity"), default=Decimal(0))
    max_stock = quantity_field(_("maximum stock"), null=True, blank=True)
    default_supplier = models.ForeignKey(
        "masterdata.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("default supplier"),
    )
    purchase_price = price_field(_("purchase price"), default=Decimal(0))
    sale_price = price_field(_("sale price"), default=Decimal(0))
    price_floor = price_field(_("price floor"), default=Decimal(0))
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    custom = models.JSONField(_("custom fields"), default=dict, blank=True)
    # lower-case code, name, mnemonic, specification and barcodes: one column to search
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="product_code_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    purchase_price__gte=0,
                    sale_price__gte=0,
                    price_floor__gte=0,
                    safety_stock__gte=0,
                    reorder_point__gte=0,
                    reorder_quantity__gte=0,
                ),
                name="product_figures_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["organization", "is_active"], name="product_org_active")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ProductUnit(models.Model):
    """An alternative unit: one ``unit`` holds ``factor`` base units (箱 = 12 个)."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    factor = models.DecimalField(_("conversion factor"), max_digits=18, decimal_places=6)

    class Meta:
        verbose_name = _("alternative unit")
        constraints = [
            models.UniqueConstraint(fields=["product", "unit"], name="product_unit_unique"),
            models.CheckConstraint(condition=models.Q(factor__gt=0), name="unit_factor_positive"),
        ]


class ProductBarcode(models.Model):
    class Symbology(models.TextChoices):
        EAN13 = "ean13", "EAN-13"
        UPCA = "upca", "UPC-A"
        EAN8 = "ean8", "EAN-8"
        CODE128 = "code128", "Code 128"

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="barcodes")
    barcode = models.CharField(_("barcode"), max_length=64)
    symbology = models.CharField(_("symbology"), max_length=8, choices=Symbology.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("barcode")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "barcode"], name="barcode_unique_per_org"
            ),
        ]


class ProductImage(models.Model):
    """Kept in the database, not on an app server's disk (servers are stateless)."""

    product = models.OneToOneField(Product, on_delete=models.CASCADE, related_name="image")
    content_type = models.CharField(max_length=32)
    data = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)
