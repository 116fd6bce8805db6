"""The stock ledger (moves), the balances kept equal to it, reservations, lots, serials and
the valuation state of each product.

Moves are facts: a done move is never edited or deleted, a mistake is corrected by a reversing
move. Balances and valuation rows are derived from the moves and written in the same transaction
as them, under row locks taken in key order (see :mod:`jxc.inventory.locks`).
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.masterdata.fields import amount_field, price_field, quantity_field
from jxc.masterdata.models import Location, Product, Unit, Warehouse

ZERO = Decimal(0)


class Lot(OrganizationScopedModel):
    audit_module = "inventory"

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="lots", verbose_name=_("product")
    )
    code = models.CharField(_("lot number"), max_length=64)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["expiry_date", "code"]
        constraints = [models.UniqueConstraint(fields=["product", "code"], name="lot_unique")]

    def __str__(self) -> str:
        return self.code


class SerialNumber(OrganizationScopedModel):
    """One serialized unit; ``location`` is where it is now (a serial is in one place only)."""

    audit_module = "inventory"

    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="serials", verbose_name=_("product")
    )
    serial = models.CharField(_("serial number"), max_length=64)
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("location")
    )

    class Meta:
        verbose_name = _("serial number")
        verbose_name_plural = _("serial numbers")
        constraints = [
            models.UniqueConstraint(fields=["product", "serial"], name="serial_unique"),
        ]

    def __str__(self) -> str:
        return self.serial


class StockMove(models.Model):
    """A quantity of one product (and lot/serial) moved from one location to another.

    A move with quantity 0 carries value only: a cost adjustment (出入库成本调整) or the
    month-end difference of 全月一次加权平均.
    """

    class Flow(models.TextChoices):
        IN = "in", _("In")  # into stock the organization holds, from outside
        OUT = "out", _("Out")  # out of it
        INTERNAL = "internal", _("Internal")  # between two locations that hold stock

    # organization, product and the two warehouses are the first columns of the composite
    # indexes below, which serve their foreign keys too: an index of their own would only cost
    # every posting another write per move
    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
        db_index=False,
    )
    quantity = quantity_field(_("quantity"))
    entered_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("unit"),
    )
    entered_quantity = quantity_field(_("entered quantity"), null=True, blank=True)
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
        verbose_name=_("lot"),
    )
    serial = models.ForeignKey(
        SerialNumber,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="moves",
        verbose_name=_("serial number"),
    )
    from_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("from location")
    )
    to_location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("to location")
    )
    # denormalized from the locations: per-warehouse figures without joins
    from_warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    to_warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    flow = models.CharField(_("flow"), max_length=8, choices=Flow.choices, default=Flow.INTERNAL)
    unit_cost = price_field(_("unit cost"), default=ZERO)
    value = amount_field(_("value"), default=ZERO)
    # the cost came from outside the valuation (a supplier's price, a receipt sent back at its own
    # cost, an adjustment): replaying history keeps it instead of recomputing it
    cost_fixed = models.BooleanField(_("cost given"), default=False)
    cost_explanation = models.JSONField(_("cost explanation"), default=list, blank=True)
    business_date = models.DateField(_("business date"))
    posted_at = models.DateTimeField(_("posted at"), auto_now_add=True)
    origin_type = models.CharField(_("origin type"), max_length=64, blank=True)
    origin_id = models.BigIntegerField(_("origin id"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    # the document's reason (领用, 样品 …): the posting rules book by it
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        verbose_name=_("reversal of"),
    )

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["business_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | Q(quantity=0, flow__in=["in", "out"]),
                name="move_quantity_positive",
            ),
            models.CheckConstraint(
                condition=~Q(from_location=F("to_location")), name="move_between_two_locations"
            ),
        ]
        indexes = [
            models.Index(fields=["product", "business_date", "id"], name="move_product_date"),
            models.Index(fields=["to_warehouse", "product", "business_date"], name="move_to_wh"),
            models.Index(
                fields=["from_warehouse", "product", "business_date"], name="move_from_wh"
            ),
            models.Index(fields=["origin_type", "origin_id"], name="move_origin"),
            models.Index(fields=["organization", "business_date"], name="move_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.quantity} {self.from_location_id}→{self.to_location_id}"


class StockBalance(models.Model):
    """On-hand and frozen quantity of one product (and lot) in one location that holds stock:
    a warehouse location, or the in-transit location (no warehouse) for two-step transfers."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(
        Warehouse, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lot_key = models.BigIntegerField(default=0)  # lot id or 0: NULL-free uniqueness
    on_hand = quantity_field(_("on hand"), default=ZERO)
    frozen = quantity_field(_("frozen"), default=ZERO)
    allow_negative = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "location", "lot_key"], name="balance_unique"
            ),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) | Q(allow_negative=True), name="balance_not_negative"
            ),
            models.CheckConstraint(condition=Q(frozen__gte=0), name="balance_frozen_positive"),
        ]
        indexes = [models.Index(fields=["warehouse", "product"], name="balance_wh_product")]


class WarehouseStock(models.Model):
    """Per product and warehouse: on hand, reserved and frozen. The row reservations lock.

    available to promise = on hand − reserved − frozen.
    """

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="+")
    on_hand = quantity_field(_("on hand"), default=ZERO)
    reserved = quantity_field(_("reserved"), default=ZERO)
    frozen = quantity_field(_("frozen"), default=ZERO)
    allow_negative = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["product", "warehouse"], name="warehouse_stock_unique"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="reserved_not_negative"),
            models.CheckConstraint(condition=Q(frozen__gte=0), name="frozen_not_negative"),
            models.CheckConstraint(
                condition=Q(on_hand__gte=0) | Q(allow_negative=True),
                name="warehouse_stock_not_negative",
            ),
        ]

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved - self.frozen


class Reservation(models.Model):
    """Stock promised to a document line at a warehouse; ``quantity`` is what is still open."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CONSUMED = "consumed", _("Consumed")
        RELEASED = "released", _("Released")

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    quantity = quantity_field(_("open quantity"))
    reserved_quantity = quantity_field(_("reserved quantity"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    origin_type = models.CharField(_("origin type"), max_length=64)
    origin_id = models.BigIntegerField(_("origin id"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reservation")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="reservation_not_negative"),
        ]
        indexes = [
            models.Index(fields=["origin_type", "origin_id"], name="reservation_origin"),
            models.Index(fields=["product", "warehouse", "state"], name="reservation_open"),
        ]


class ProductValuation(models.Model):
    """The valuation state of one product in one organization (cost is organization-wide)."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.OneToOneField(Product, on_delete=models.PROTECT, related_name="valuation")
    quantity = quantity_field(_("quantity"), default=ZERO)
    value = amount_field(_("value"), default=ZERO)
    # FIFO: quantity issued beyond the layers (negative stock) and the value it took
    short_quantity = quantity_field(_("quantity below zero"), default=ZERO)
    short_value = amount_field(_("value below zero"), default=ZERO)
    last_cost = price_field(_("last cost"), default=ZERO)
    # the latest business date valued: a move dated before it re-values what came after
    valued_through = models.DateField(null=True, blank=True)


class CostLayer(models.Model):
    """A FIFO layer: what is left of one receipt."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    move = models.OneToOneField(StockMove, on_delete=models.PROTECT, related_name="layer")
    quantity = quantity_field(_("remaining quantity"))
    value = amount_field(_("remaining value"))

    class Meta:
        ordering = ["move_id"]
        indexes = [models.Index(fields=["product", "move"], name="layer_product")]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="layer_quantity_positive"),
        ]


class StockMonthClose(models.Model):
    """Closing quantity and value of one product in one warehouse at the end of a month.

    Derived from the moves and rebuilt when a back-dated move lands in or before the month, so
    period reports read one snapshot and one month of moves instead of the whole ledger.
    """

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="+"
    )
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="+")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    quantity = quantity_field(_("closing quantity"), default=ZERO)
    value = amount_field(_("closing value"), default=ZERO)
    # the month's flows in and out of the warehouse: a whole-month summary reads only snapshots
    in_quantity = quantity_field(_("quantity in"), default=ZERO)
    in_value = amount_field(_("value in"), default=ZERO)
    out_quantity = quantity_field(_("quantity out"), default=ZERO)
    out_value = amount_field(_("value out"), default=ZERO)
    # the same per kind of move: {"transfer" | origin type: [q in, v in, q out, v out]}
    flows_by_kind = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse", "month"], name="month_close_unique"
            )
        ]
        indexes = [models.Index(fields=["organization", "month"], name="month_close_org")]


class StockPeriodClose(OrganizationScopedModel):
    """A closed stock month (库存月结): nothing is posted on or before its last day, and the
    month-end average cost of its products is fixed. Closing and reopening are audited."""

    audit_module = "inventory"

    month = models.DateField(_("month"))  # the first day of the month
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        "core.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("closed by"),
    )

    class Meta:
        verbose_name = _("closed stock period")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="stock_period_unique")
        ]

    def __str__(self) -> str:
        return self.month.strftime("%Y-%m")


class Revaluation(models.Model):
    """One re-valuation of a product's later moves: after a back-dated move, a cost adjustment
    or a month-end average close. Moves keep their quantities; the value of the moves it
    changed is rewritten and the total change recorded here, for finance to book."""

    class Cause(models.TextChoices):
        BACKDATED = "backdated", _("Back-dated move")
        MONTH_CLOSE = "month_close", _("Month-end average close")

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.PROTECT, related_name="+"
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    cause = models.CharField(_("cause"), max_length=16, choices=Cause.choices)
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    date_from = models.DateField(_("from date"))
    moves_replayed = models.PositiveIntegerField(_("moves replayed"), default=0)
    moves_changed = models.PositiveIntegerField(_("moves changed"), default=0)
    # value change of the moves out of stock (cost of goods sold …) and of the stock left
    issued_value_change = amount_field(_("change in issued value"), default=ZERO)
    stock_value_change = amount_field(_("change in stock value"), default=ZERO)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("revaluation")
        ordering = ["-id"]
        indexes = [models.Index(fields=["organization", "product"], name="revaluation_product")]
