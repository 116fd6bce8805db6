"""Stock documents: other receipts and issues, transfers, stock counts, freezes."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.core.states import DocumentState
from jxc.inventory.models.ledger import Lot
from jxc.masterdata.fields import amount_field, price_field, quantity_field
from jxc.masterdata.models import Location, Product, Unit, Warehouse


class InventoryDocument(OrganizationScopedModel):
    """What every inventory document has: a number given at posting, a state, a business date,
    a warehouse, who made it and when."""

    audit_module = "inventory"

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-business_date", "-id"]


class StockDocument(InventoryDocument):
    """其他入库单 / 其他出库单 / 调拨单: lines of goods moved for a reason."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Other receipt")
        ISSUE = "issue", _("Other issue")
        TRANSFER = "transfer", _("Transfer")

    class Reason(models.TextChoices):
        CONSUMPTION = "consumption", _("Internal use")
        GIFT = "gift", _("Gift")
        SAMPLE = "sample", _("Sample")
        DAMAGE = "damage", _("Damage")
        SURPLUS = "surplus", _("Surplus")
        OPENING = "opening", _("Opening stock")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    to_warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination warehouse"),
    )
    two_step = models.BooleanField(_("ship and receive separately"), default=False)
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices, blank=True)
    shipped_on = models.DateField(_("shipped on"), null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reversal of"),
    )

    class Meta(InventoryDocument.Meta):
        verbose_name = _("stock document")
        verbose_name_plural = _("stock documents")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~Q(number=""),
                name="stock_document_number_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "kind", "state"], name="stockdoc_kind_state")
        ]

    def __str__(self) -> str:
        return self.number or f"{self.get_kind_display()} #{self.pk}"


class StockDocumentLine(models.Model):
    document = models.ForeignKey(StockDocument, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    # blank on an issue or transfer: take the stock from wherever it is in the warehouse
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("location"),
    )
    to_location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("destination location"),
    )
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    # the number and dates of a lot a receipt brings in: a new lot is made when the receipt is
    # posted, so a draft that is never posted leaves none behind
    lot_code = models.CharField(_("lot number"), max_length=64, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    serial = models.CharField(_("serial number"), max_length=64, blank=True)
    unit_cost = price_field(_("unit cost"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_line_quantity_positive")
        ]


class StockCount(InventoryDocument):
    """盘点单: book quantities snapshotted, counts entered, differences posted as gains/losses."""

    scope = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("zone or bin"),
    )
    freeze = models.BooleanField(_("freeze the counted stock"), default=False)

    class Meta(InventoryDocument.Meta):
        verbose_name = _("stock count")
        verbose_name_plural = _("stock counts")

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class StockCountLine(models.Model):
    count = models.ForeignKey(StockCount, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    book_quantity = quantity_field(_("book quantity"), default=Decimal(0))
    counted_quantity = quantity_field(_("counted quantity"), null=True, blank=True)
    frozen_quantity = quantity_field(_("frozen quantity"), default=Decimal(0))

    class Meta:
        ordering = ["location_id", "product_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["count", "product", "location", "lot"], name="count_line_unique"
            ),
            models.CheckConstraint(
                condition=Q(counted_quantity__gte=0) | Q(counted_quantity__isnull=True),
                name="counted_not_negative",
            ),
        ]


class StockFreeze(OrganizationScopedModel):
    """冻结: stock held back (e.g. for a quality check); frozen stock cannot be issued."""

    class State(models.TextChoices):
        ACTIVE = "active", _("Frozen")
        RELEASED = "released", _("Released")

    audit_module = "inventory"

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    quantity = quantity_field(_("quantity"))
    reason = models.CharField(_("reason"), max_length=255)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("stock freeze")
        verbose_name_plural = _("stock freezes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="freeze_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"{self.product_id} × {self.quantity}"


class CostAdjustment(InventoryDocument):
    """出入库成本调整单: changes the value of the stock on hand on a date, without moving it.

    ``warehouse`` is where the adjusted stock is reported; cost is organization-wide, so the new
    value flows into every later issue of the product wherever it leaves from.
    """

    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta(InventoryDocument.Meta):
        verbose_name = _("cost adjustment")
        verbose_name_plural = _("cost adjustments")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "number"],
                condition=~Q(number=""),
                name="cost_adjustment_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class CostAdjustmentLine(models.Model):
    """Either an amount to add (negative to take away) or the new unit cost of what is on hand."""

    document = models.ForeignKey(CostAdjustment, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    amount = amount_field(_("adjustment amount"), null=True, blank=True)
    new_unit_cost = price_field(_("new unit cost"), null=True, blank=True)
    # filled at posting: the stock and value the adjustment found, and what it added
    quantity = quantity_field(_("quantity on hand"), null=True, blank=True)
    value_before = amount_field(_("value before"), null=True, blank=True)
    value_change = amount_field(_("value change"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) ^ Q(new_unit_cost__isnull=True),
                name="cost_adjustment_amount_or_cost",
            ),
        ]
