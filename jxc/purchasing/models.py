"""Purchasing documents: purchase requests (请购单), purchase orders (采购订单), goods receipts (采购入库单), supplier invoices
(采购发票) and purchase returns (采购退货单), and the over-receipt tolerances.

Quantities a later document took from a line (received, returned, invoiced) are kept on the
line in the product's base unit, so the order execution (采购订单执行表) is a read of the lines.
Every line keeps the link to the line it came from: order line → receipt line → invoice line
and return line."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.core.states import DocumentState
from jxc.inventory.models import Lot
from jxc.masterdata.fields import amount_field, price_field, quantity_field
from jxc.masterdata.models import Currency, Location, Partner, Product, TaxRate, Unit, Warehouse

ZERO = Decimal(0)


class PurchaseDocument(OrganizationScopedModel):
    """What every purchasing document has: a number, a state, a date, a supplier and the
    currency and rate its prices are in."""

    audit_module = "purchasing"

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    supplier = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    rate = price_field(_("exchange rate"), default=Decimal(1))
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

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


def _number_unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["organization", "number"], condition=~Q(number=""), name=name
    )


class PurchaseRequest(OrganizationScopedModel):
    """请购单: what a department needs bought; approved through workflow, then turned into
    purchase orders (several requests into one order, or one request across suppliers)."""

    audit_module = "purchasing"

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    department = models.CharField(_("department"), max_length=64, blank=True)
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requester"),
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-business_date", "-id"]
        constraints = [_number_unique("purchase_request_number_unique")]
        indexes = [models.Index(fields=["organization", "state"], name="preq_org_state")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class PurchaseRequestLine(models.Model):
    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    supplier = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("suggested supplier"),
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    # what purchase orders took, in the base unit (never above the quantity requested)
    ordered_quantity = quantity_field(_("ordered"), default=ZERO)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="preq_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(ordered_quantity__gte=0)
                & Q(ordered_quantity__lte=models.F("base_quantity")),
                name="preq_line_ordered_within_quantity",
            ),
        ]

    @property
    def open_quantity(self) -> Decimal:
        """Requested and not yet ordered, in the base unit."""
        return max(self.base_quantity - self.ordered_quantity, ZERO)


class PurchaseOrder(PurchaseDocument):
    """采购订单."""

    # what the history shows of entries that are not field changes
    audit_labels = {"emailed_to": _("e-mailed to the supplier")}

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    payment_terms = models.CharField(_("payment terms"), max_length=16, blank=True)
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=0)
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # the approved revision in force (0: as first approved)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)

    class Meta(PurchaseDocument.Meta):
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        constraints = [_number_unique("purchase_order_number_unique")]
        indexes = [models.Index(fields=["organization", "state"], name="po_org_state")]


class PurchaseOrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    # as entered: tax-inclusive when ``tax_inclusive``, per entered unit, before the discount
    unit_price = price_field(_("unit price"))
    tax_rate = models.ForeignKey(
        TaxRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tax rate"),
    )
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_inclusive = models.BooleanField(_("price includes tax"), default=True)
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    expected_date = models.DateField(_("expected date"), null=True, blank=True)
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    # what later documents took, in the base unit
    received_quantity = quantity_field(_("received"), default=ZERO)
    returned_quantity = quantity_field(_("returned"), default=ZERO)
    invoiced_quantity = quantity_field(_("invoiced"), default=ZERO)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # the purchase request line the order line was made from (请购单 → 采购订单)
    request_line = models.ForeignKey(
        PurchaseRequestLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("request line"),
    )
    # the supplier quote it was ordered at (询价 → 采购订单)
    supplier_quote = models.ForeignKey(
        "SupplierQuote",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("supplier quote"),
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="po_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__gte=0)
                & Q(returned_quantity__gte=0)
                & Q(invoiced_quantity__gte=0),
                name="po_line_progress_not_negative",
            ),
        ]

    @property
    def net_unit_price(self) -> Decimal:
        """Tax-exclusive, after discount, per base unit, in the order's currency."""
        return self.net_amount / self.base_quantity if self.base_quantity else ZERO


class ReceiptTolerance(OrganizationScopedModel):
    """How much more than ordered may be received (超收容差), in percent of the ordered
    quantity: for a product, for a supplier, or (neither) the organization's default. The most
    specific applies: product, then supplier, then the default; none at all means 0 % and
    refused beyond it."""

    audit_module = "purchasing"

    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product"),
    )
    supplier = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supplier"),
    )
    percent = models.DecimalField(_("tolerance (%)"), max_digits=6, decimal_places=2)

    class Above(models.TextChoices):
        """What a receipt beyond the tolerance does: refused, or sent for approval (workflow's
        rules for goods receipts) and posted when approved."""

        BLOCK = "block", _("Refuse")
        APPROVAL = "approval", _("Needs approval")

    above = models.CharField(
        _("above the tolerance"), max_length=16, choices=Above.choices, default=Above.BLOCK
    )

    class Meta:
        verbose_name = _("over-receipt tolerance")
        verbose_name_plural = _("over-receipt tolerances")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "product", "supplier"],
                name="receipt_tolerance_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=1000), name="tolerance_range"
            ),
        ]


class InvoiceTolerance(OrganizationScopedModel):
    """Three-way match tolerances of supplier invoices (发票容差), in percent: how far an
    invoice's price may be from the order's (either way), and how far the quantity invoiced on
    an order line may go beyond the quantity ordered. The supplier's record, else the
    organization's default (no supplier); blank (or no record at all) is not checked. Beyond a
    tolerance an invoice posts only once workflow approves it."""

    audit_module = "purchasing"

    supplier = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("supplier"),
    )
    price_percent = models.DecimalField(
        _("price tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    quantity_percent = models.DecimalField(
        _("quantity tolerance (%)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("invoice tolerance")
        verbose_name_plural = _("invoice tolerances")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "supplier"],
                name="invoice_tolerance_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=(Q(price_percent__isnull=True) | Q(price_percent__gte=0))
                & (Q(quantity_percent__isnull=True) | Q(quantity_percent__gte=0)),
                name="invoice_tolerance_not_negative",
            ),
        ]


class ReorderRule(OrganizationScopedModel):
    """补货规则: when and how much of a product to buy for a warehouse. A product without a rule
    for a warehouse is replenished by the figures of its master data (safety stock, reorder
    point, reorder quantity, maximum, default supplier); see ``selectors_suggestions``."""

    audit_module = "purchasing"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.CASCADE, related_name="+", verbose_name=_("warehouse")
    )
    safety_stock = quantity_field(_("safety stock"), default=ZERO)
    reorder_point = quantity_field(_("reorder point"), default=ZERO)
    reorder_quantity = quantity_field(_("reorder quantity"), default=ZERO)
    max_stock = quantity_field(_("maximum stock"), null=True, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    min_order_quantity = quantity_field(_("minimum order quantity"), default=ZERO)
    pack_size = quantity_field(_("pack size"), default=Decimal(1))
    supplier = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("supplier"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reorder rule")
        verbose_name_plural = _("reorder rules")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "product", "warehouse"], name="reorder_rule_unique"
            ),
            models.CheckConstraint(
                condition=Q(
                    safety_stock__gte=0,
                    reorder_point__gte=0,
                    reorder_quantity__gte=0,
                    min_order_quantity__gte=0,
                    pack_size__gt=0,
                )
                & (Q(max_stock__isnull=True) | Q(max_stock__gte=0)),
                name="reorder_rule_figures",
            ),  # fmt: skip
        ]

    def __str__(self) -> str:
        return f"{self.product} @ {self.warehouse}"


class GoodsReceipt(PurchaseDocument):
    """采购入库单: goods from one supplier, against lines of its approved orders."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )

    class Meta(PurchaseDocument.Meta):
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        constraints = [_number_unique("goods_receipt_number_unique")]


class GoodsReceiptLine(models.Model):
    receipt = models.ForeignKey(GoodsReceipt, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    order_line = models.ForeignKey(
        PurchaseOrderLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipt_lines",
        verbose_name=_("order line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
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
    lot_code = models.CharField(_("lot number"), max_length=64, blank=True)
    production_date = models.DateField(_("production date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    serial = models.CharField(_("serial number"), max_length=64, blank=True)
    # tax-exclusive, after discount, per base unit: in the receipt's currency, and in base
    # currency (what the stock comes in at)
    unit_price = price_field(_("unit price excluding tax"), default=ZERO)
    unit_cost = price_field(_("unit cost"), default=ZERO)
    tax_percent = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    # the value the stock came in at (booked on 暂估 until invoiced), base currency
    value = amount_field(_("value"), default=ZERO)
    invoiced_quantity = quantity_field(_("invoiced"), default=ZERO)
    returned_quantity = quantity_field(_("returned"), default=ZERO)
    # of the returned quantity, what had been invoiced (its AP and VAT were reversed)
    returned_invoiced = quantity_field(_("returned after invoicing"), default=ZERO)
    # what invoices and returns have taken off the 暂估 so far (the last takes the rest)
    estimate_cleared = amount_field(_("estimate cleared"), default=ZERO)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="gr_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(invoiced_quantity__gte=0)
                & Q(returned_quantity__gte=0)
                & Q(invoiced_quantity__lte=models.F("base_quantity"))
                & Q(returned_quantity__lte=models.F("base_quantity")),
                name="gr_line_progress_within_received",
            ),
        ]


class SupplierInvoice(PurchaseDocument):
    """采购发票: the supplier's invoice, matched to receipt lines; posting reverses the 暂估
    and books the payable."""

    class InvoiceType(models.TextChoices):
        SPECIAL = "special", _("Special VAT invoice (专票)")
        ORDINARY = "ordinary", _("Ordinary VAT invoice (普票)")
        E_SPECIAL = "e_special", _("Digital special VAT invoice (数电专票)")
        E_ORDINARY = "e_ordinary", _("Digital ordinary VAT invoice (数电普票)")

    invoice_type = models.CharField(
        _("invoice type"), max_length=16, choices=InvoiceType.choices, default=InvoiceType.SPECIAL
    )
    invoice_number = models.CharField(_("invoice number"), max_length=64)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    # posted: the difference to the receipts' value (base currency), and the AP open item
    variance = amount_field(_("price variance"), default=ZERO)
    open_item = models.ForeignKey(
        "finance.OpenItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("open item"),
    )
    # 红字冲销 (state ``reversed``): who reversed it, when, on which business date, why, and
    # the red voucher of the reversal
    reversed_at = models.DateTimeField(_("reversed at"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reversed by"),
    )
    reversal_date = models.DateField(_("reversal date"), null=True, blank=True)
    reversal_reason = models.CharField(_("reversal reason"), max_length=255, blank=True)
    reversal_voucher = models.ForeignKey(
        "finance.Voucher",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reversal voucher"),
    )

    class Meta(PurchaseDocument.Meta):
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        constraints = [
            _number_unique("supplier_invoice_number_unique"),
            models.UniqueConstraint(
                fields=["organization", "supplier", "invoice_number"],
                condition=~Q(state__in=[DocumentState.CANCELLED, DocumentState.REVERSED]),
                name="supplier_invoice_number_per_supplier",
            ),
        ]


class SupplierInvoiceLine(models.Model):
    """A line bills either a receipt line (goods: three-way match) or an expense (费用行:
    freight, processing, repairs, rent … never received into stock) on an expense account
    of the chart, with a description."""

    invoice = models.ForeignKey(SupplierInvoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    receipt_line = models.ForeignKey(
        GoodsReceiptLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("receipt line"),
    )
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("product"),
    )
    account = models.ForeignKey(
        "finance.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("expense account"),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=64, blank=True)
    project = models.CharField(_("project"), max_length=64, blank=True)
    quantity = quantity_field(_("quantity"))  # base unit
    unit_price = price_field(_("unit price"))  # as entered, per base unit
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_inclusive = models.BooleanField(_("price includes tax"), default=False)
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    # posted: what the receipt booked for this quantity, and the difference to the invoice
    receipt_value = amount_field(_("receipt value"), default=ZERO)
    # base currency: the cost (net, plus the VAT when it is not deductible) and deductible VAT
    base_cost = amount_field(_("cost"), default=ZERO)
    base_tax = amount_field(_("deductible VAT"), default=ZERO)
    variance = amount_field(_("price variance"), default=ZERO)
    variance_to_stock = amount_field(_("variance to stock"), default=ZERO)
    # posted: the part of the quantity taken as still in stock, which ``variance_to_stock``
    # went onto (a reversal takes it off what of it is still there)
    stock_quantity = quantity_field(_("quantity in stock"), null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="si_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(receipt_line__isnull=False, account__isnull=True)
                | Q(receipt_line__isnull=True, account__isnull=False),
                name="si_line_receipt_or_account",
            ),
        ]

    @property
    def is_expense(self) -> bool:
        return self.account_id is not None


class PurchaseReturn(PurchaseDocument):
    """采购退货单: goods sent back against a receipt, or free-standing (无来源退货: no receipt;
    the supplier, the warehouse, and per line the stock and the price the supplier credits)."""

    receipt = models.ForeignKey(
        GoodsReceipt,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        verbose_name=_("receipt"),
    )
    warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    open_item = models.ForeignKey(
        "finance.OpenItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("open item"),
    )

    class Meta(PurchaseDocument.Meta):
        verbose_name = _("purchase return")
        verbose_name_plural = _("purchase returns")
        constraints = [
            _number_unique("purchase_return_number_unique"),
            models.CheckConstraint(
                condition=Q(receipt__isnull=False) | Q(warehouse__isnull=False),
                name="purchase_return_receipt_or_warehouse",
            ),
        ]


class PurchaseReturnLine(models.Model):
    """A line of a return: a receipt line's goods, or (free-standing) a product from a bin,
    lot and serial, with the price the supplier credits (per base unit, like invoice lines)."""

    purchase_return = models.ForeignKey(
        PurchaseReturn, on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(default=0)
    receipt_line = models.ForeignKey(
        GoodsReceiptLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_lines",
        verbose_name=_("receipt line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quantity"))  # base unit
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("location"),
    )
    lot = models.ForeignKey(
        Lot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("lot"),
    )  # fmt: skip
    serial = models.CharField(_("serial number"), max_length=64, blank=True)
    unit_price = price_field(_("unit price"), null=True, blank=True)
    tax_percent = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    tax_inclusive = models.BooleanField(_("price includes tax"), default=False)
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    value = amount_field(_("value"), default=ZERO)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="pr_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(receipt_line__isnull=False) | Q(location__isnull=False),
                name="pr_line_receipt_line_or_location",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__isnull=True) | Q(unit_price__gte=0),
                name="pr_line_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(tax_percent__isnull=True)
                | (Q(tax_percent__gte=0) & Q(tax_percent__lte=100)),
                name="pr_line_tax_percent_range",
            ),
        ]


class RequestForQuotation(OrganizationScopedModel):
    """询价单: products and quantities asked of several suppliers. Sent (submitted), the
    suppliers' quotes are recorded against its lines, compared, one chosen per line, and the
    orders made from the choices (done)."""

    audit_module = "purchasing"

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    reply_by = models.DateField(_("reply by"), null=True, blank=True)
    suppliers = models.ManyToManyField(Partner, related_name="+", verbose_name=_("suppliers"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for quotation")
        verbose_name_plural = _("requests for quotation")
        ordering = ["-business_date", "-id"]
        constraints = [_number_unique("rfq_number_unique")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class RequestForQuotationLine(models.Model):
    rfq = models.ForeignKey(RequestForQuotation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="rfq_line_quantity_positive"),
        ]


class SupplierQuote(OrganizationScopedModel):
    """报价: one supplier's answer to one line of a request for quotation. The price is per
    the line's unit; ``price_breaks`` (``[{"min_quantity", "unit_price"}]``, quantities in the
    line's unit) lower it for larger quantities. Accepted: chosen when orders were made."""

    audit_module = "purchasing"

    rfq_line = models.ForeignKey(
        RequestForQuotationLine,
        on_delete=models.CASCADE,
        related_name="quotes",
        verbose_name=_("request line"),
    )
    supplier = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    unit_price = price_field(_("unit price"))
    tax_inclusive = models.BooleanField(_("price includes tax"), default=True)
    price_breaks = models.JSONField(_("quantity breaks"), default=list, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), default=0)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_accepted = models.BooleanField(_("accepted"), default=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("supplier quote")
        verbose_name_plural = _("supplier quotes")
        ordering = ["rfq_line_id", "supplier_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rfq_line", "supplier"], name="supplier_quote_one_per_line"
            ),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="supplier_quote_price"),
        ]

    def price_at(self, quantity: Decimal) -> Decimal:
        """The price per the line's unit for ``quantity`` (that unit): the largest break not
        above it, else the quote's price."""
        price, reached = self.unit_price, ZERO
        for found in self.price_breaks or []:
            floor = Decimal(found["min_quantity"])
            if reached <= floor <= quantity:
                price, reached = Decimal(found["unit_price"]), floor
        return price


class PurchaseOrderRevision(models.Model):
    """修订: a change to an approved order, approved again through the order's approval rules
    before it takes effect. Until then the order keeps its approved lines (what receipts take).
    ``before`` and ``after`` hold the lines as they were and as proposed; ``changes`` what
    differs, line by line, for the history."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="revisions")
    revision = models.PositiveSmallIntegerField(_("revision"))
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.SUBMITTED
    )
    reason = models.CharField(_("reason"), max_length=255)
    before = models.JSONField(_("lines before"), default=list)
    after = models.JSONField(_("lines proposed"), default=list)
    changes = models.JSONField(_("changes"), default=list)
    gross_before = amount_field(_("amount before"), default=ZERO)
    gross_after = amount_field(_("amount after"), default=ZERO)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("purchase order revision")
        verbose_name_plural = _("purchase order revisions")
        ordering = ["order_id", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["order", "revision"], name="po_revision_unique"),
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(state=DocumentState.SUBMITTED),
                name="po_one_pending_revision",
            ),
        ]


class LandedCost(PurchaseDocument):
    """到岸成本 (采购费用分摊): the bill of a cost of buying — freight, customs duty,
    insurance — from the supplier of the cost (a carrier, a customs broker), allocated onto the
    lines of posted receipts by quantity, weight or value. Posting adds each line's share to
    the value of the goods still in stock, books the share of goods already sold as cost of
    sales, and books the payable to the cost's supplier."""

    class Method(models.TextChoices):
        QUANTITY = "quantity", _("By quantity")
        WEIGHT = "weight", _("By weight")
        VALUE = "value", _("By value")

    method = models.CharField(
        _("allocation method"), max_length=16, choices=Method.choices, default=Method.VALUE
    )
    invoice_type = models.CharField(
        _("invoice type"),
        max_length=16,
        choices=SupplierInvoice.InvoiceType.choices,
        default=SupplierInvoice.InvoiceType.SPECIAL,
    )
    invoice_number = models.CharField(_("invoice number"), max_length=64, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    receipts = models.ManyToManyField(
        GoodsReceipt, related_name="landed_costs", blank=True, verbose_name=_("receipts")
    )
    net_amount = amount_field(_("amount excluding tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)
    # posted, base currency: what went into the stock on hand and what into cost of sales
    to_stock = amount_field(_("to stock"), default=ZERO)
    to_sold = amount_field(_("to cost of sales"), default=ZERO)
    open_item = models.ForeignKey(
        "finance.OpenItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("open item"),
    )

    class Meta(PurchaseDocument.Meta):
        verbose_name = _("landed cost")
        verbose_name_plural = _("landed costs")
        constraints = [_number_unique("landed_cost_number_unique")]


class LandedCostLine(models.Model):
    """One cost on the bill: its kind, the amount excluding tax and the VAT on it."""

    class CostType(models.TextChoices):
        FREIGHT = "freight", _("Freight")
        DUTY = "duty", _("Customs duty")
        INSURANCE = "insurance", _("Insurance")
        OTHER = "other", _("Other")

    document = models.ForeignKey(LandedCost, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    cost_type = models.CharField(_("cost type"), max_length=16, choices=CostType.choices)
    description = models.CharField(_("description"), max_length=255, blank=True)
    amount = amount_field(_("amount excluding tax"))
    tax_percent = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("amount including tax"), default=ZERO)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="lc_line_amount_positive"),
        ]


class LandedCostAllocation(models.Model):
    """A receipt line's share of the landed cost (base currency), on the basis the method
    reads: the quantity kept (received less returned), the weight entered, or the value."""

    document = models.ForeignKey(LandedCost, on_delete=models.CASCADE, related_name="allocations")
    receipt_line = models.ForeignKey(
        GoodsReceiptLine,
        on_delete=models.PROTECT,
        related_name="landed_costs",
        verbose_name=_("receipt line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    weight = quantity_field(_("weight (kg)"), null=True, blank=True)
    basis = quantity_field(_("allocation basis"), default=ZERO)
    amount = amount_field(_("allocated amount"), default=ZERO)
    # posted: the share of goods still on hand (into the stock's value) and of goods sold
    to_stock = amount_field(_("to stock"), default=ZERO)
    to_sold = amount_field(_("to cost of sales"), default=ZERO)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "receipt_line"], name="lc_allocation_unique"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__gte=0), name="lc_weight_positive"
            ),
        ]


class PaymentRequest(OrganizationScopedModel):
    """付款申请单: posted invoices of one supplier to pay (each for at most what is still open
    on its AP item), on a date, from a cash or bank account; approved through workflow, then
    paid: one posted payment (付款单) settling each invoice's open item."""

    audit_module = "purchasing"

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash")
        CHEQUE = "cheque", _("Cheque")
        BANK_ACCEPTANCE = "acceptance", _("Bank acceptance bill")

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    supplier = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    pay_date = models.DateField(_("requested pay date"))
    account = models.ForeignKey(
        "finance.Account",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cash or bank account"),
    )
    method = models.CharField(
        _("payment method"), max_length=16, choices=Method.choices, default=Method.TRANSFER
    )
    amount = amount_field(_("amount"), default=ZERO)
    note = models.CharField(_("note"), max_length=255, blank=True)
    payment = models.ForeignKey(
        "finance.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("payment"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-business_date", "-id"]
        constraints = [_number_unique("payment_request_number_unique")]
        indexes = [models.Index(fields=["organization", "state"], name="payreq_org_state")]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class PaymentRequestLine(models.Model):
    """One invoice to pay and how much of it."""

    request = models.ForeignKey(PaymentRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    invoice = models.ForeignKey(
        SupplierInvoice,
        on_delete=models.PROTECT,
        related_name="payment_request_lines",
        verbose_name=_("supplier invoice"),
    )
    amount = amount_field(_("amount to pay"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payreq_line_amount_positive"),
            models.UniqueConstraint(fields=["request", "invoice"], name="payreq_line_invoice_once"),
        ]
