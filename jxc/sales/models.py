"""Sales documents: orders (销售订单), deliveries (销售出库单), returns (销售退货单) and customer
invoices (销售发票), each line keeping the line it came from (order line → delivery line →
invoice or return line); and the organization's sales settings (availability and credit
policies)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel
from jxc.core.states import DocumentState
from jxc.finance.models import OpenItem, Payment, Voucher
from jxc.inventory.models import Lot
from jxc.masterdata.fields import amount_field, price_field, quantity_field
from jxc.masterdata.models import Currency, Location, Partner, Product, TaxRate, Unit, Warehouse

ZERO = Decimal(0)


class AvailabilityPolicy(models.TextChoices):
    BLOCK = "block", _("Block: confirm only what is available")
    WARN = "warn", _("Warn: reserve what is available, backorder the rest")
    PRESALE = "presale", _("Presale: confirm against incoming stock")


class CreditPolicy(models.TextChoices):
    OFF = "off", _("No credit check")
    BLOCK = "block", _("Block orders over the credit limit")
    APPROVAL = "approval", _("Orders over the credit limit need approval")


class SalesSettings(OrganizationScopedModel):
    """One row per organization (made when first read)."""

    audit_module = "sales"

    availability_policy = models.CharField(
        _("availability policy"),
        max_length=10,
        choices=AvailabilityPolicy.choices,
        default=AvailabilityPolicy.BLOCK,
    )
    credit_policy = models.CharField(
        _("credit policy"), max_length=10, choices=CreditPolicy.choices, default=CreditPolicy.BLOCK
    )
    #: stock arriving in a warehouse goes to the open backorders at once (a background job)
    allocate_on_arrival = models.BooleanField(
        _("allocate arriving stock to backorders"), default=True
    )

    class Meta:
        verbose_name = _("sales settings")
        constraints = [
            models.UniqueConstraint(fields=["organization"], name="sales_settings_one_per_org")
        ]


class PolicyOverride(OrganizationScopedModel):
    """The availability policy of one warehouse or one product (a product's wins)."""

    audit_module = "sales"

    warehouse = models.ForeignKey(
        Warehouse,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("warehouse"),
    )
    product = models.ForeignKey(
        Product,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("product"),
    )
    availability_policy = models.CharField(
        _("availability policy"), max_length=10, choices=AvailabilityPolicy.choices
    )

    class Meta:
        verbose_name = _("availability policy override")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warehouse__isnull=True) ^ Q(product__isnull=True),
                name="policy_override_warehouse_or_product",
            ),
            models.UniqueConstraint(
                fields=["organization", "warehouse"],
                condition=Q(warehouse__isnull=False),
                name="policy_override_warehouse_unique",
            ),
            models.UniqueConstraint(
                fields=["organization", "product"],
                condition=Q(product__isnull=False),
                name="policy_override_product_unique",
            ),
        ]


class SalesDocument(OrganizationScopedModel):
    """What every sales document has: a number given when it becomes official, a state, a
    business date, a customer, who made it and when."""

    audit_module = "sales"

    number = models.CharField(_("number"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT
    )
    business_date = models.DateField(_("business date"))
    customer = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="+", verbose_name=_("customer")
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

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"


class SalesChannel(OrganizationScopedModel):
    """销售渠道: an online shop, a marketplace or a POS whose orders arrive through the API or an
    upload. Its orders take its default customer and warehouse when they name none; its quota
    caps what of the shared stock its orders may reserve."""

    audit_module = "sales"

    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=128)
    default_customer = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("default customer"),
    )
    default_warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("default warehouse")
    )
    is_active = models.BooleanField(_("active"), default=True)
    auto_confirm = models.BooleanField(_("confirm orders on arrival"), default=False)
    # at most this share (%) of what is available when an order of the channel is confirmed
    quota_percent = models.DecimalField(
        # xgettext:no-python-format
        _("quota (% of available stock)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    # upload columns: {field: header in the channel's file}, fields as in ``UPLOAD_FIELDS``
    column_mapping = models.JSONField(_("upload column mapping"), default=dict, blank=True)

    class Meta:
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="sales_channel_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(quota_percent__isnull=True)
                | Q(quota_percent__gte=0, quota_percent__lte=100),
                name="sales_channel_quota_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ChannelQuota(OrganizationScopedModel):
    """At most ``quantity`` (base units) of a product reserved for the channel's open orders."""

    audit_module = "sales"

    channel = models.ForeignKey(
        SalesChannel,
        on_delete=models.CASCADE,
        related_name="quotas",
        verbose_name=_("sales channel"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quota"))

    class Meta:
        verbose_name = _("channel quota")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "product"], name="channel_quota_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="channel_quota_not_negative"),
        ]


def _number_unique(name: str):
    return models.UniqueConstraint(
        fields=["organization", "number"], condition=~Q(number=""), name=name
    )


class SalesOrder(SalesDocument):
    """销售订单."""

    audit_labels = {
        "emailed_to": _("e-mailed to the customer"),
        "email_failed": _("e-mail to the customer failed"),
        "backorder_allocated": _("stock allocated to backorders"),
    }

    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    rate = price_field(_("exchange rate"), default=Decimal(1))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    payment_terms = models.CharField(_("payment terms"), max_length=64, blank=True)
    deposit_requested = amount_field(_("deposit requested"), default=ZERO)
    net_amount = amount_field(_("amount before tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("total"), default=ZERO)
    below_floor = models.BooleanField(_("below the price floor"), default=False)
    credit_exceeded = models.BooleanField(_("over the credit limit"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    quotation = models.OneToOneField(
        "SalesQuotation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order",
        verbose_name=_("quotation"),
    )
    shipping_address = models.CharField(_("shipping address"), max_length=255, blank=True)
    channel = models.ForeignKey(
        SalesChannel,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("sales channel"),
    )
    channel_order_id = models.CharField(_("channel order id"), max_length=64, blank=True)
    # sha256 of the normalized intake body: a retry with the same body is the same order
    channel_body_hash = models.CharField(max_length=64, blank=True, editable=False)
    split_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="splits",
        verbose_name=_("split from"),
    )

    class Meta(SalesDocument.Meta):
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        constraints = [
            _number_unique("sales_order_number_unique"),
            models.UniqueConstraint(
                fields=["organization", "channel", "channel_order_id"],
                condition=~Q(channel_order_id=""),
                name="sales_order_channel_order_unique",
            ),
        ]


class SalesOrderLine(models.Model):
    order = models.ForeignKey(SalesOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    list_price = price_field(_("list price"), default=ZERO)
    unit_price = price_field(_("unit price"))
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    tax_rate = models.ForeignKey(
        TaxRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tax rate"),
    )
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_included = models.BooleanField(_("price includes tax"), default=True)
    delivery_date = models.DateField(_("delivery date"), null=True, blank=True)
    net_amount = amount_field(_("amount before tax"))
    tax_amount = amount_field(_("tax"))
    gross_amount = amount_field(_("total"))
    below_floor = models.BooleanField(_("below the price floor"), default=False)
    # in base units: reserved when the order was confirmed, not reservable then, delivered
    reserved_quantity = quantity_field(_("reserved"), default=ZERO)
    backorder_quantity = quantity_field(_("backorder"), default=ZERO)
    delivered_quantity = quantity_field(_("delivered"), default=ZERO)
    # invoiced from the order ahead of delivery (prepaid sales) and not delivered yet: each
    # delivery takes its quantity off here and counts it as invoiced on its own line
    prepaid_quantity = quantity_field(_("invoiced before delivery"), default=ZERO)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sales_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(delivered_quantity__lte=models.F("base_quantity")),
                name="sales_line_not_over_delivered",
            ),
            models.CheckConstraint(
                condition=Q(prepaid_quantity__gte=0)
                & Q(
                    prepaid_quantity__lte=models.F("base_quantity") - models.F("delivered_quantity")
                ),
                name="sales_line_prepaid_not_over_ordered",
            ),
        ]

    @property
    def open_quantity(self) -> Decimal:
        return self.base_quantity - self.delivered_quantity


class SalesOrderDeposit(OrganizationScopedModel):
    """订金: a receipt (收款单) taken against an order before it is invoiced. The money sits on
    预收账款 as the receipt's open item until the order's invoices post and are settled with it."""

    audit_module = "sales"

    order = models.ForeignKey(
        SalesOrder, on_delete=models.PROTECT, related_name="deposits", verbose_name=_("order")
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.PROTECT, related_name="+", verbose_name=_("deposit receipt")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order deposit")
        verbose_name_plural = _("order deposits")
        ordering = ["id"]


class QuotationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Sent")
    CONVERTED = "converted", _("Converted to an order")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class SalesQuotation(SalesDocument):
    """销售报价单: prices offered to a customer until ``valid_until``; optionally holds the stock
    (a soft reservation) while it is out; converted to an order in one step."""

    state = models.CharField(
        _("state"), max_length=16, choices=QuotationState.choices, default=QuotationState.DRAFT
    )
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    rate = price_field(_("exchange rate"), default=Decimal(1))
    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    valid_until = models.DateField(_("valid until"))
    reserve_stock = models.BooleanField(_("reserve the stock while valid"), default=False)
    payment_terms = models.CharField(_("payment terms"), max_length=64, blank=True)
    net_amount = amount_field(_("amount before tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("total"), default=ZERO)
    below_floor = models.BooleanField(_("below the price floor"), default=False)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta(SalesDocument.Meta):
        verbose_name = _("sales quotation")
        verbose_name_plural = _("sales quotations")
        constraints = [
            _number_unique("sales_quotation_number_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("business_date")),
                name="sales_quotation_valid_after_date",
            ),
        ]


class SalesQuotationLine(models.Model):
    quotation = models.ForeignKey(SalesQuotation, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    quantity = quantity_field(_("quantity"))
    base_quantity = quantity_field(_("quantity in base unit"))
    list_price = price_field(_("list price"), default=ZERO)
    unit_price = price_field(_("unit price"))
    discount_percent = models.DecimalField(
        _("discount (%)"), max_digits=5, decimal_places=2, default=ZERO
    )
    tax_rate = models.ForeignKey(
        TaxRate,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tax rate"),
    )
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_included = models.BooleanField(_("price includes tax"), default=True)
    net_amount = amount_field(_("amount before tax"))
    tax_amount = amount_field(_("tax"))
    gross_amount = amount_field(_("total"))
    below_floor = models.BooleanField(_("below the price floor"), default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="sales_quotation_line_quantity_positive"
            ),
        ]


class Delivery(SalesDocument):
    """销售出库单: goods of one or several orders of a customer leave one warehouse."""

    warehouse = models.ForeignKey(
        Warehouse, on_delete=models.PROTECT, related_name="+", verbose_name=_("warehouse")
    )
    carrier = models.CharField(_("carrier"), max_length=64, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True)

    class Meta(SalesDocument.Meta):
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [_number_unique("delivery_number_unique")]


class DeliveryLine(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    order_line = models.ForeignKey(
        SalesOrderLine,
        on_delete=models.PROTECT,
        related_name="delivery_lines",
        verbose_name=_("order line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quantity"))  # base units
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("location"),
    )
    lot = models.ForeignKey(
        Lot,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lot"),
    )
    serial = models.CharField(_("serial number"), max_length=64, blank=True)
    # filled at posting: the cost the goods left with
    cost_amount = amount_field(_("cost"), null=True, blank=True)
    invoiced_quantity = quantity_field(_("invoiced"), default=ZERO)
    returned_quantity = quantity_field(_("returned"), default=ZERO)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="delivery_line_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(invoiced_quantity__lte=models.F("quantity")),
                name="delivery_line_not_over_invoiced",
            ),
            models.CheckConstraint(
                condition=Q(returned_quantity__lte=models.F("quantity")),
                name="delivery_line_not_over_returned",
            ),
        ]


class CustomerInvoice(SalesDocument):
    """销售发票 (or, for a return of invoiced goods, its red credit note)."""

    audit_labels = {
        "emailed_to": _("e-mailed to the customer"),
        "email_failed": _("e-mail to the customer failed"),
    }

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    invoice_type = models.CharField(
        _("invoice type"),
        max_length=16,
        choices=TaxRate.InvoiceType.choices,
        default=TaxRate.InvoiceType.SPECIAL,
    )
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency")
    )
    rate = price_field(_("exchange rate"), default=Decimal(1))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    net_amount = amount_field(_("amount before tax"), default=ZERO)
    tax_amount = amount_field(_("tax"), default=ZERO)
    gross_amount = amount_field(_("total"), default=ZERO)
    open_item = models.ForeignKey(
        OpenItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    voucher = models.ForeignKey(
        Voucher, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    credit_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_notes",
        verbose_name=_("credit note of"),
    )

    class Meta(SalesDocument.Meta):
        verbose_name = _("customer invoice")
        verbose_name_plural = _("customer invoices")
        constraints = [_number_unique("customer_invoice_number_unique")]


class CustomerInvoiceLine(models.Model):
    invoice = models.ForeignKey(CustomerInvoice, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    # none on the credit note of a free-standing return
    delivery_line = models.ForeignKey(
        DeliveryLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("delivery line"),
    )
    # an invoice made from the order before delivery (prepaid sales) bills its order lines
    order_line = models.ForeignKey(
        SalesOrderLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoice_lines",
        verbose_name=_("order line"),
    )
    # a credit note of a prepaid invoice (nothing returned) credits this line of it
    credited_line = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit_lines",
        verbose_name=_("credited invoice line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quantity"))  # base units; a credit note's are positive too
    unit_price = price_field(_("unit price"))  # per base unit, as the order line's price
    tax_percent = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    tax_included = models.BooleanField(_("price includes tax"), default=True)
    net_amount = amount_field(_("amount before tax"))
    tax_amount = amount_field(_("tax"))
    gross_amount = amount_field(_("total"))

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="invoice_line_quantity_positive"
            )
        ]


class SalesReturn(SalesDocument):
    """销售退货单: goods of a delivery, or free-standing (without one), come back into a chosen
    location."""

    delivery = models.ForeignKey(
        Delivery,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
        verbose_name=_("delivery"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="+", verbose_name=_("return location")
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    credit_note = models.ForeignKey(
        CustomerInvoice,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("credit note"),
    )

    class Meta(SalesDocument.Meta):
        verbose_name = _("sales return")
        verbose_name_plural = _("sales returns")
        constraints = [_number_unique("sales_return_number_unique")]


class SalesReturnLine(models.Model):
    sales_return = models.ForeignKey(SalesReturn, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(default=0)
    # none on a free-standing return: the line then names its cost (or takes the product's
    # average cost) and, to be credited, its price
    delivery_line = models.ForeignKey(
        DeliveryLine,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="return_lines",
        verbose_name=_("delivery line"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="+", verbose_name=_("product")
    )
    quantity = quantity_field(_("quantity"))  # base units
    unit_cost = price_field(_("unit cost"), null=True, blank=True)
    unit_price = price_field(_("unit price"), null=True, blank=True)  # incl. tax, per base unit
    tax_percent = models.DecimalField(
        _("tax rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="return_line_quantity_positive"
            )
        ]
