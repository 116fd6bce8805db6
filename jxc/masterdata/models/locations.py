"""Warehouses and locations: real ones (warehouse, zone, bin) and virtual ones.

Virtual locations stand for the outside world (supplier, customer, inventory gain/loss, scrap,
in-transit); every organization has one of each, created automatically and not editable. Stock
moves go between locations, so the (source kind, destination kind) pair tells the inventory and
finance modules what a move is.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel


class Warehouse(OrganizationScopedModel):
    audit_module = "masterdata"

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    address = models.CharField(_("address"), max_length=255, blank=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("keeper"),
    )
    allow_negative_stock = models.BooleanField(_("allow negative stock"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="warehouse_code_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Location(OrganizationScopedModel):
    class Kind(models.TextChoices):
        WAREHOUSE = "warehouse", _("Warehouse")
        ZONE = "zone", _("Zone")
        BIN = "bin", _("Bin")
        SUPPLIER = "supplier", _("Supplier")
        CUSTOMER = "customer", _("Customer")
        INVENTORY_LOSS = "inventory_loss", _("Inventory gain/loss")
        SCRAP = "scrap", _("Scrap")
        TRANSIT = "transit", _("In transit")

    REAL_KINDS = (Kind.WAREHOUSE, Kind.ZONE, Kind.BIN)
    VIRTUAL_KINDS = (Kind.SUPPLIER, Kind.CUSTOMER, Kind.INVENTORY_LOSS, Kind.SCRAP, Kind.TRANSIT)

    audit_module = "masterdata"

    warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="locations",
        verbose_name=_("warehouse"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent location"),
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=64)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    barcode = models.CharField(_("barcode"), max_length=64, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["warehouse_id", "code"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "code"], name="location_code_unique"),
            models.UniqueConstraint(
                fields=["organization", "barcode"],
                condition=~models.Q(barcode=""),
                name="location_barcode_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "kind"],
                condition=models.Q(
                    kind__in=["supplier", "customer", "inventory_loss", "scrap", "transit"]
                ),
                name="one_virtual_location_per_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind__in=["warehouse", "zone", "bin"], warehouse__isnull=False)
                    | models.Q(
                        kind__in=["supplier", "customer", "inventory_loss", "scrap", "transit"],
                        warehouse__isnull=True,
                    )
                ),
                name="real_locations_belong_to_a_warehouse",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_virtual(self) -> bool:
        return self.kind in self.VIRTUAL_KINDS
