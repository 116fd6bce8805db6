"""Serializers of the purchasing documents: ids are scoped to the active organization; the
amounts, quantities taken and states are read-only (the services compute them)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jxc.core.api.fields import DisplayNameField, OrganizationScopedPKField
from jxc.core.states import DocumentState
from jxc.finance.api.accounts import account_field
from jxc.finance.models import Account
from jxc.inventory.models import Lot
from jxc.masterdata.api.common import (
    ProductLabels,
    currency_field,
    location_field,
    partner_field,
    product_field,
    scoped,
    tax_rate_field,
    unit_field,
    warehouse_field,
)
from jxc.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    InvoiceTolerance,
    LandedCost,
    LandedCostAllocation,
    LandedCostLine,
    PaymentRequest,
    PaymentRequestLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseOrderRevision,
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseReturn,
    PurchaseReturnLine,
    ReceiptTolerance,
    ReorderRule,
    RequestForQuotation,
    RequestForQuotationLine,
    SupplierInvoice,
    SupplierInvoiceLine,
    SupplierQuote,
)
from jxc.purchasing.selectors import line_stock
from jxc.purchasing.services import printing
from jxc.purchasing.services.invoice_tolerances import beyond_by_line
from jxc.purchasing.services.return_credits import open_return_credits

QUANTITY = {"max_digits": 18, "decimal_places": 4, "max_value": 10**12}
PRICE = {"max_digits": 20, "decimal_places": 6, "max_value": 10**12}
PERCENT = {"max_digits": 5, "decimal_places": 2}
FOUR_PLACES = Decimal("0.0001")
OPTIONAL_DATE = {"business_date": {"required": False}}


def order_line_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: PurchaseOrderLine.objects.filter(order__organization=org), **kwargs
    )


def request_line_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: PurchaseRequestLine.objects.filter(
            request__organization=org
        ).select_related("request", "product__base_unit", "unit"),
        **kwargs,
    )


def receipt_line_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: GoodsReceiptLine.objects.filter(receipt__organization=org), **kwargs
    )


class LineStock(serializers.Serializer):
    on_hand = serializers.DecimalField(**QUANTITY)
    available = serializers.DecimalField(**QUANTITY)
    incoming = serializers.DecimalField(**QUANTITY)


class StockNextToLines(serializers.Serializer):
    """On hand, available and incoming per product of the lines, at the document's warehouse
    (``stock`` keyed by product id); filled when one document is read."""

    stock = serializers.SerializerMethodField(label=_("stock of the lines' products"))

    @extend_schema_field(serializers.DictField(child=LineStock()))
    def get_stock(self, document) -> dict:
        if not self.context.get("with_stock"):
            return {}
        products = {line.product_id for line in document.lines.all()}
        found = line_stock(document.organization, document.warehouse_id, products)
        return {
            str(pid): {k: str(v.quantize(FOUR_PLACES)) for k, v in row.items()}
            for pid, row in found.items()
        }


class PurchaseOrderLineSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit price")
    )
    tax_rate = tax_rate_field(required=False, allow_null=True, label=_("tax rate"))
    tax_inclusive = serializers.BooleanField(required=False, label=_("price includes tax"))
    discount_percent = serializers.DecimalField(**PERCENT, required=False, label=_("discount (%)"))
    request_line = request_line_field(required=False, allow_null=True, label=_("request line"))
    request_number = serializers.CharField(
        source="request_line.request.number", read_only=True, default=None
    )
    rfq_number = serializers.CharField(
        source="supplier_quote.rfq_line.rfq.number", read_only=True, default=None
    )

    class Meta:
        model = PurchaseOrderLine
        fields = [
            "id", "product", "product_code", "product_name", "unit", "unit_name", "quantity",
            "base_quantity", "unit_price", "tax_rate", "tax_percent", "tax_inclusive",
            "discount_percent", "expected_date", "net_amount", "tax_amount", "gross_amount",
            "received_quantity", "returned_quantity", "invoiced_quantity", "note",
            "request_line", "request_number", "supplier_quote", "rfq_number",
        ]  # fmt: skip
        read_only_fields = [
            "base_quantity", "tax_percent", "net_amount", "tax_amount", "gross_amount",
            "received_quantity", "returned_quantity", "invoiced_quantity", "supplier_quote",
        ]  # fmt: skip


class PurchaseOrderRevisionSerializer(serializers.ModelSerializer):
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))

    class Meta:
        model = PurchaseOrderRevision
        fields = [
            "id", "revision", "state", "reason", "changes", "gross_before", "gross_after",
            "created_by_name", "created_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


class PurchaseOrderSerializer(StockNextToLines, serializers.ModelSerializer):
    supplier = partner_field(label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = PurchaseOrderLineSerializer(many=True, required=False, label=_("lines"))
    supplier_email = serializers.SerializerMethodField(label=_("supplier e-mail"))
    revisions = PurchaseOrderRevisionSerializer(many=True, read_only=True, label=_("revisions"))

    class Meta:
        model = PurchaseOrder
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "supplier", "supplier_name", "currency",
            "currency_code", "rate", "warehouse", "warehouse_name", "payment_terms",
            "payment_days", "note", "net_amount", "tax_amount", "gross_amount",
            "created_by_name", "created_at", "approved_at", "closed_at", "revision", "lines",
            "revisions", "stock", "supplier_email",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "rate", "payment_terms", "net_amount", "tax_amount",
            "gross_amount", "created_at", "approved_at", "closed_at", "revision",
        ]  # fmt: skip

    def get_supplier_email(self, order) -> str | None:
        """Where the order is e-mailed unless told otherwise (on one order, not in lists)."""
        if not self.context.get("with_stock"):
            return None
        return printing.supplier_email(order) or None


class EmailOrderSerializer(serializers.Serializer):
    to = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        max_length=20,
        label=_("to"),
        help_text=_("Blank: the supplier's contact's e-mail address."),
    )
    cc = serializers.ListField(
        child=serializers.EmailField(), required=False, max_length=20, label=_("cc")
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label=_("message")
    )


class EmailSentSerializer(serializers.Serializer):
    to = serializers.ListField(child=serializers.EmailField(), label=_("to"))
    cc = serializers.ListField(child=serializers.EmailField(), label=_("cc"))


class EmailRfqSerializer(EmailOrderSerializer):
    """发送邮件: the request's PDF to each chosen supplier, sent in the background."""

    suppliers = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        max_length=200,
        label=_("suppliers"),
        help_text=_("Blank: every supplier the request asks."),
    )
    to = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        max_length=20,
        label=_("to"),
        help_text=_("Only for one supplier; blank: each supplier's contact's e-mail address."),
    )


class RfqSendSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(label=_("supplier"))
    supplier_name = serializers.CharField(label=_("supplier name"))
    to = serializers.ListField(child=serializers.EmailField(), label=_("to"))


class EmailRfqQueuedSerializer(serializers.Serializer):
    job = serializers.CharField(label=_("job"), help_text=_("The send's id in the history."))
    to = serializers.ListField(child=serializers.EmailField(), label=_("to"))
    cc = serializers.ListField(child=serializers.EmailField(), label=_("cc"))
    suppliers = RfqSendSerializer(many=True, label=_("suppliers"))


class PurchaseRequestLineSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    base_unit_name = serializers.CharField(source="product.base_unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    supplier = partner_field(required=False, allow_null=True, label=_("suggested supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True, default=None)
    open_quantity = serializers.DecimalField(**QUANTITY, read_only=True)

    class Meta:
        model = PurchaseRequestLine
        fields = [
            "id", "product", "product_code", "product_name", "unit", "unit_name",
            "base_unit_name", "quantity", "base_quantity", "supplier", "supplier_name",
            "needed_by", "ordered_quantity", "open_quantity", "note",
        ]  # fmt: skip
        read_only_fields = ["base_quantity", "ordered_quantity"]


class PurchaseRequestSerializer(StockNextToLines, serializers.ModelSerializer):
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    requester_name = DisplayNameField(source="requester", label=_("requester"))
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = PurchaseRequestLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = PurchaseRequest
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "department", "requester",
            "requester_name", "warehouse", "warehouse_name", "needed_by", "note",
            "created_by_name", "created_at", "approved_at", "closed_at", "lines", "stock",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "requester", "created_at", "approved_at", "closed_at",
        ]  # fmt: skip


class RequestChoiceSerializer(serializers.Serializer):
    request_line = request_line_field(label=_("request line"))
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    quantity = serializers.DecimalField(
        required=False, allow_null=True, label=_("quantity"), **QUANTITY
    )
    unit_price = serializers.DecimalField(
        required=False, allow_null=True, label=_("unit price"), **PRICE
    )


class OrdersFromRequestsSerializer(serializers.Serializer):
    lines = RequestChoiceSerializer(many=True, label=_("lines"))


class GoodsReceiptLineSerializer(ProductLabels, serializers.ModelSerializer):
    order_line = order_line_field(required=False, allow_null=True, label=_("order line"))
    order_number = serializers.CharField(
        source="order_line.order.number", read_only=True, default=None
    )
    product = product_field(required=False, allow_null=True, label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    location = location_field(required=False, allow_null=True, label=_("location"))
    location_code = serializers.CharField(source="location.code", read_only=True)
    lot = OrganizationScopedPKField(
        scope=scoped(Lot), required=False, allow_null=True, label=_("lot")
    )
    lot_code = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("lot number")
    )
    serial = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("serial number")
    )
    unit_price = serializers.DecimalField(
        **PRICE, min_value=0, required=False, allow_null=True, label=_("unit price excluding tax")
    )

    class Meta:
        model = GoodsReceiptLine
        fields = [
            "id", "order_line", "order_number", "product", "product_code", "product_name",
            "unit", "unit_name", "quantity", "base_quantity", "location", "location_code", "lot",
            "lot_code", "production_date", "expiry_date", "serial", "unit_price", "unit_cost",
            "tax_percent", "value", "invoiced_quantity", "returned_quantity",
        ]  # fmt: skip
        read_only_fields = [
            "base_quantity", "unit_cost", "tax_percent", "value", "invoiced_quantity",
            "returned_quantity",
        ]  # fmt: skip

    def to_representation(self, line):
        data = super().to_representation(line)
        access = self.context.get("access")
        if access is None or not access.can_see_costs:
            for name in ("unit_price", "unit_cost", "value"):
                data.pop(name, None)
        return data


class GoodsReceiptSerializer(StockNextToLines, serializers.ModelSerializer):
    supplier = partner_field(label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = GoodsReceiptLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = GoodsReceipt
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "supplier", "supplier_name", "currency",
            "currency_code", "rate", "warehouse", "warehouse_name", "note", "created_by_name",
            "created_at", "posted_at", "lines", "stock",
        ]  # fmt: skip
        read_only_fields = ["number", "state", "rate", "created_at", "posted_at"]


TOLERANCE_KINDS = [("price", _("price")), ("quantity", _("quantity"))]
BEYOND_KEY = "beyond_tolerance"  # context: line id → tolerances it is beyond


class SupplierInvoiceLineSerializer(ProductLabels, serializers.ModelSerializer):
    """The invoice line with its three-way match: what was ordered and received (base unit)
    and the order's price next to the invoice's (tax-exclusive, per base unit)."""

    receipt_line = receipt_line_field(
        required=False, allow_null=True, label=_("receipt line"),
        help_text=_("A line of goods bills a receipt line; an expense line leaves it empty."),
    )  # fmt: skip
    receipt_number = serializers.CharField(
        source="receipt_line.receipt.number", read_only=True, default=None
    )
    product_code = serializers.CharField(
        source="product.code", read_only=True, default=None, label=_("product code")
    )
    product_name = serializers.CharField(
        source="product.name", read_only=True, default=None, label=_("product name")
    )
    account = account_field(
        required=False, allow_null=True, label=_("expense account"),
        help_text=_("An expense line (费用行): an active expense or cost account of the chart."),
    )  # fmt: skip
    account_code = serializers.CharField(source="account.code", read_only=True, default=None)
    account_name = serializers.CharField(source="account.name", read_only=True, default=None)
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, label=_("description")
    )
    department = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("department")
    )
    project = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("project")
    )
    ordered_quantity = serializers.DecimalField(
        source="receipt_line.order_line.base_quantity", max_digits=18, decimal_places=4,
        read_only=True, default=None, label=_("ordered"),
    )  # fmt: skip
    received_quantity = serializers.DecimalField(
        source="receipt_line.base_quantity", max_digits=18, decimal_places=4, read_only=True,
        default=None, label=_("received"),
    )  # fmt: skip
    order_price = serializers.DecimalField(
        source="receipt_line.unit_price", max_digits=20, decimal_places=6, read_only=True,
        default=None, label=_("order price excluding tax"),
    )  # fmt: skip
    invoice_price = serializers.SerializerMethodField(label=_("invoice price excluding tax"))
    price_difference = serializers.SerializerMethodField(label=_("price difference"))
    quantity = serializers.DecimalField(
        **QUANTITY, required=False, label=_("quantity"),
        help_text=_("Base unit; an expense line's defaults to 1."),
    )  # fmt: skip
    unit_price = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit price")
    )
    tax_percent = serializers.DecimalField(
        **PERCENT, required=False, allow_null=True, label=_("tax rate (%)")
    )
    tax_inclusive = serializers.BooleanField(required=False, label=_("price includes tax"))
    beyond_tolerance = serializers.SerializerMethodField(
        label=_("beyond tolerance"),
        help_text=_("Draft or submitted: the tolerances (price, quantity) the line is beyond."),
    )

    class Meta:
        model = SupplierInvoiceLine
        fields = [
            "id", "receipt_line", "receipt_number", "product", "product_code", "product_name",
            "account", "account_code", "account_name", "description", "department", "project",
            "quantity", "unit_price", "tax_percent", "tax_inclusive", "net_amount",
            "tax_amount", "gross_amount", "receipt_value", "variance", "variance_to_stock",
            "ordered_quantity", "received_quantity", "order_price", "invoice_price",
            "price_difference", "beyond_tolerance",
        ]  # fmt: skip
        read_only_fields = [
            "product", "net_amount", "tax_amount", "gross_amount", "receipt_value", "variance",
            "variance_to_stock",
        ]  # fmt: skip

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(choices=TOLERANCE_KINDS))
    )
    def get_beyond_tolerance(self, line) -> list[str]:
        return self.context.get(BEYOND_KEY, {}).get(line.pk, [])

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6))
    def get_invoice_price(self, line) -> str:
        return str(_net_unit_price(line))

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6, allow_null=True))
    def get_price_difference(self, line) -> str | None:
        """Invoice less order price per base unit (in the document's currency); none for an
        expense line."""
        if line.receipt_line_id is None:
            return None
        return str(_net_unit_price(line) - line.receipt_line.unit_price)


def _net_unit_price(line) -> Decimal:
    return (line.net_amount / line.quantity).quantize(Decimal("0.000001"))


class ReturnCreditSerializer(serializers.Serializer):
    """An open return credit of the invoice's supplier (what 抵扣退货 would use)."""

    id = serializers.IntegerField(label=_("open item"))
    return_id = serializers.IntegerField(source="document_id", label=_("purchase return"))
    reference = serializers.CharField(label=_("number"))
    date = serializers.DateField(label=_("date"))
    open_amount = serializers.DecimalField(max_digits=18, decimal_places=2, label=_("open credit"))


class SupplierInvoiceSerializer(serializers.ModelSerializer):
    supplier = partner_field(label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    open_amount = serializers.DecimalField(
        source="open_item.open_amount", max_digits=18, decimal_places=2, read_only=True,
        default=None, label=_("open amount"),
    )  # fmt: skip
    lines = SupplierInvoiceLineSerializer(many=True, required=False, label=_("lines"))
    return_credits = serializers.SerializerMethodField(
        label=_("open return credits"),
        help_text=_("Posted with an amount open: the supplier's return credits to offset."),
    )
    reversed_by_name = DisplayNameField(source="reversed_by", label=_("reversed by"))
    reversal_voucher_number = serializers.CharField(
        source="reversal_voucher.display_number", read_only=True, default=None,
        label=_("reversal voucher"),
    )  # fmt: skip

    class Meta:
        model = SupplierInvoice
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "supplier", "supplier_name", "currency",
            "currency_code", "rate", "invoice_type", "invoice_number", "due_date", "note",
            "net_amount", "tax_amount", "gross_amount", "variance", "open_item", "open_amount",
            "created_by_name", "created_at", "posted_at", "lines", "return_credits",
            "reversed_at", "reversed_by_name", "reversal_date", "reversal_reason",
            "reversal_voucher", "reversal_voucher_number",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "rate", "net_amount", "tax_amount", "gross_amount", "variance",
            "open_item", "created_at", "posted_at", "reversed_at", "reversal_date",
            "reversal_reason", "reversal_voucher",
        ]  # fmt: skip

    @extend_schema_field(ReturnCreditSerializer(many=True))
    def get_return_credits(self, invoice) -> list:
        item = invoice.open_item
        if not self.context.get("with_stock") or item is None or item.open_amount <= 0:
            return []
        credits = open_return_credits(supplier_id=item.partner_id, currency_id=item.currency_id)
        return ReturnCreditSerializer(
            [
                {"id": x.pk, "document_id": x.document_id, "reference": x.reference,
                 "date": x.date, "open_amount": -x.open_amount}
                for x in credits
            ],
            many=True,
        ).data  # fmt: skip

    def to_representation(self, invoice):
        # the three-way match against the tolerances as they stand, until the invoice posts
        if invoice.state in (DocumentState.DRAFT, DocumentState.SUBMITTED):
            self.context.setdefault(BEYOND_KEY, {}).update(beyond_by_line(invoice))
        return super().to_representation(invoice)


class PurchaseReturnLineSerializer(ProductLabels, serializers.ModelSerializer):
    """A receipt line's goods, or (free-standing) a product from a bin, lot or serial, with
    the price the supplier credits (per base unit, like an invoice line)."""

    receipt_line = receipt_line_field(required=False, allow_null=True, label=_("receipt line"))
    product = product_field(required=False, allow_null=True, label=_("product"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    location = location_field(required=False, allow_null=True, label=_("location"))
    location_code = serializers.CharField(source="location.code", read_only=True, default=None)
    lot = OrganizationScopedPKField(
        scope=scoped(Lot), required=False, allow_null=True, label=_("lot")
    )
    lot_code = serializers.CharField(source="lot.code", read_only=True, default=None)
    serial = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("serial number")
    )
    unit_price = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit price")
    )
    tax_percent = serializers.DecimalField(
        **PERCENT, required=False, allow_null=True, label=_("tax rate (%)")
    )
    tax_inclusive = serializers.BooleanField(required=False, label=_("price includes tax"))

    class Meta:
        model = PurchaseReturnLine
        fields = [
            "id", "receipt_line", "product", "product_code", "product_name", "quantity",
            "location", "location_code", "lot", "lot_code", "serial", "unit_price",
            "tax_percent", "tax_inclusive", "net_amount", "tax_amount", "gross_amount", "value",
        ]  # fmt: skip
        read_only_fields = ["net_amount", "tax_amount", "gross_amount", "value"]


class PurchaseReturnSerializer(serializers.ModelSerializer):
    receipt = OrganizationScopedPKField(
        scope=scoped(GoodsReceipt), required=False, allow_null=True, label=_("receipt")
    )
    receipt_number = serializers.CharField(source="receipt.number", read_only=True, default=None)
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True, default=None)
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    open_amount = serializers.DecimalField(
        source="open_item.open_amount", max_digits=18, decimal_places=2, read_only=True,
        default=None, label=_("open credit"),
    )  # fmt: skip
    lines = PurchaseReturnLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = PurchaseReturn
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "receipt", "receipt_number", "supplier",
            "supplier_name", "warehouse", "warehouse_name", "currency", "currency_code", "rate",
            "note", "net_amount", "tax_amount", "gross_amount", "open_item", "open_amount",
            "created_at", "posted_at", "lines",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "rate", "net_amount", "tax_amount", "gross_amount", "open_item",
            "created_at", "posted_at",
        ]  # fmt: skip


class ReturnRefundSerializer(serializers.Serializer):
    """退款: the supplier paid the return's credit back."""

    account = OrganizationScopedPKField(scope=scoped(Account), label=_("cash or bank account"))
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True, label=_("amount"),
        help_text=_("Default: all that is open."),
    )  # fmt: skip
    date = serializers.DateField(required=False, allow_null=True, label=_("date"))


class ReturnOffsetSerializer(serializers.Serializer):
    """抵扣: the return's credit settles an invoice of the supplier."""

    invoice = OrganizationScopedPKField(scope=scoped(SupplierInvoice), label=_("supplier invoice"))
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, required=False, allow_null=True, label=_("amount"),
        help_text=_("Default: as much as both have open."),
    )  # fmt: skip
    date = serializers.DateField(required=False, allow_null=True, label=_("date"))


class ReverseInvoiceSerializer(serializers.Serializer):
    """红字冲销 of a posted invoice: why, and the reversal's business date (default today)."""

    reason = serializers.CharField(
        max_length=255, allow_blank=True, trim_whitespace=True, label=_("reversal reason")
    )
    business_date = serializers.DateField(required=False, allow_null=True, label=_("reversal date"))


class OffsetReturnsSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, label=_("date"))


class LandedCostLineSerializer(serializers.ModelSerializer):
    cost_type = serializers.ChoiceField(
        choices=LandedCostLine.CostType.choices, label=_("cost type")
    )
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal("0.01"), max_value=10**12,
        label=_("amount excluding tax"),
    )  # fmt: skip
    tax_percent = serializers.DecimalField(
        **PERCENT, min_value=0, max_value=100, required=False, label=_("tax rate (%)")
    )

    class Meta:
        model = LandedCostLine
        fields = ["id", "cost_type", "description", "amount", "tax_percent", "tax_amount",
                  "gross_amount"]  # fmt: skip
        read_only_fields = ["tax_amount", "gross_amount"]


class LandedCostAllocationSerializer(ProductLabels, serializers.ModelSerializer):
    """A receipt line's share; only ``weight`` is entered (by weight), the rest is computed."""

    receipt_line = receipt_line_field(label=_("receipt line"))
    receipt_number = serializers.CharField(source="receipt_line.receipt.number", read_only=True)
    quantity = serializers.DecimalField(
        source="receipt_line.base_quantity", max_digits=18, decimal_places=4, read_only=True,
        label=_("quantity"),
    )  # fmt: skip
    receipt_value = serializers.DecimalField(
        source="receipt_line.value", max_digits=18, decimal_places=2, read_only=True,
        label=_("receipt value"),
    )  # fmt: skip
    weight = serializers.DecimalField(
        **QUANTITY, min_value=0, required=False, allow_null=True, label=_("weight (kg)")
    )

    class Meta:
        model = LandedCostAllocation
        fields = [
            "id", "receipt_line", "receipt_number", "product", "product_code", "product_name",
            "quantity", "receipt_value", "weight", "basis", "amount", "to_stock", "to_sold",
        ]  # fmt: skip
        read_only_fields = ["product", "basis", "amount", "to_stock", "to_sold"]


class LandedCostSerializer(serializers.ModelSerializer):
    supplier = partner_field(label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    receipts = OrganizationScopedPKField(
        scope=scoped(GoodsReceipt), many=True, required=False, label=_("receipts")
    )
    receipt_numbers = serializers.SerializerMethodField(label=_("receipts"))
    open_amount = serializers.DecimalField(
        source="open_item.open_amount", max_digits=18, decimal_places=2, read_only=True,
        default=None, label=_("open amount"),
    )  # fmt: skip
    lines = LandedCostLineSerializer(many=True, required=False, label=_("lines"))
    allocations = LandedCostAllocationSerializer(many=True, required=False, label=_("allocations"))

    class Meta:
        model = LandedCost
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "supplier", "supplier_name", "currency",
            "currency_code", "rate", "method", "invoice_type", "invoice_number", "due_date",
            "note", "receipts", "receipt_numbers", "net_amount", "tax_amount", "gross_amount",
            "to_stock", "to_sold", "open_item", "open_amount", "created_by_name", "created_at",
            "posted_at", "lines", "allocations",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "rate", "net_amount", "tax_amount", "gross_amount", "to_stock",
            "to_sold", "open_item", "created_at", "posted_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_receipt_numbers(self, document) -> list[str]:
        return [receipt.number for receipt in document.receipts.all()]


class ReceiptToleranceSerializer(serializers.ModelSerializer):
    product = product_field(required=False, allow_null=True, label=_("product"))
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, max_value=1000, label=_("tolerance (%)")
    )

    above = serializers.ChoiceField(
        choices=ReceiptTolerance.Above.choices, required=False, label=_("above the tolerance")
    )
    product_name = serializers.CharField(
        source="product.name", read_only=True, default=None, label=_("product name")
    )
    supplier_name = serializers.CharField(
        source="supplier.name", read_only=True, default=None, label=_("supplier name")
    )

    class Meta:
        model = ReceiptTolerance
        fields = ["id", "product", "product_name", "supplier", "supplier_name", "percent", "above"]


class InvoiceToleranceSerializer(serializers.ModelSerializer):
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    price_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, max_value=1000, required=False,
        allow_null=True, label=_("price tolerance (%)"),
    )  # fmt: skip
    quantity_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, min_value=0, max_value=1000, required=False,
        allow_null=True, label=_("quantity tolerance (%)"),
    )  # fmt: skip
    supplier_name = serializers.CharField(
        source="supplier.name", read_only=True, default=None, label=_("supplier name")
    )

    class Meta:
        model = InvoiceTolerance
        fields = ["id", "supplier", "supplier_name", "price_percent", "quantity_percent"]


class FromOrdersSerializer(serializers.Serializer):
    orders = serializers.ListField(
        child=OrganizationScopedPKField(scope=scoped(PurchaseOrder)),
        min_length=1,
        max_length=100,
        label=_("orders"),
    )
    business_date = serializers.DateField(required=False, label=_("business date"))


class ExpenseAccountSerializer(serializers.Serializer):
    """An account an expense line may book, with the dimensions its lines take."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    dimensions = serializers.DictField(child=serializers.CharField())


class FromReceiptsSerializer(serializers.Serializer):
    receipts = serializers.ListField(
        child=OrganizationScopedPKField(scope=scoped(GoodsReceipt)),
        min_length=1,
        max_length=100,
        label=_("receipts"),
    )
    invoice_number = serializers.CharField(max_length=64, label=_("invoice number"))
    invoice_type = serializers.ChoiceField(
        choices=SupplierInvoice.InvoiceType.choices, label=_("invoice type")
    )
    business_date = serializers.DateField(required=False, label=_("invoice date"))


class ReorderRuleSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    warehouse = warehouse_field(label=_("warehouse"))
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True, default="")
    safety_stock = serializers.DecimalField(min_value=0, required=False, **QUANTITY)
    reorder_point = serializers.DecimalField(min_value=0, required=False, **QUANTITY)
    reorder_quantity = serializers.DecimalField(min_value=0, required=False, **QUANTITY)
    max_stock = serializers.DecimalField(min_value=0, required=False, allow_null=True, **QUANTITY)
    min_order_quantity = serializers.DecimalField(min_value=0, required=False, **QUANTITY)
    pack_size = serializers.DecimalField(min_value=Decimal("0.0001"), required=False, **QUANTITY)
    lead_time_days = serializers.IntegerField(min_value=0, max_value=3650, required=False)

    class Meta:
        model = ReorderRule
        fields = [
            "id", "product", "product_code", "product_name", "warehouse", "warehouse_name",
            "supplier", "supplier_name", "safety_stock", "reorder_point", "reorder_quantity",
            "max_stock", "lead_time_days", "min_order_quantity", "pack_size", "is_active",
        ]  # fmt: skip


class SuggestionLineSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id")
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    unit_name = serializers.CharField()
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_name = serializers.CharField()
    supplier = serializers.IntegerField(source="supplier_id", allow_null=True)
    supplier_name = serializers.CharField()
    rule = serializers.IntegerField(source="rule_id", allow_null=True)
    on_hand = serializers.DecimalField(**QUANTITY)
    available = serializers.DecimalField(**QUANTITY)
    incoming = serializers.DecimalField(**QUANTITY)
    demand = serializers.DecimalField(**QUANTITY)
    projected = serializers.DecimalField(**QUANTITY)
    safety_stock = serializers.DecimalField(**QUANTITY)
    reorder_point = serializers.DecimalField(**QUANTITY)
    max_stock = serializers.DecimalField(allow_null=True, **QUANTITY)
    lead_time_days = serializers.IntegerField()
    quantity = serializers.DecimalField(**QUANTITY)
    expected_date = serializers.DateField()
    reason = serializers.CharField()


class SuggestionGroupSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(allow_null=True)
    supplier_name = serializers.CharField()
    lines = SuggestionLineSerializer(many=True)


class SuggestionChoiceSerializer(serializers.Serializer):
    product = product_field(label=_("product"))
    warehouse = warehouse_field(label=_("warehouse"))
    supplier = partner_field(allow_null=True, label=_("supplier"))
    quantity = serializers.DecimalField(label=_("quantity"), **QUANTITY)
    unit_price = serializers.DecimalField(
        required=False, allow_null=True, label=_("unit price"), **PRICE
    )
    expected_date = serializers.DateField(required=False, allow_null=True)


class CreateOrdersSerializer(serializers.Serializer):
    lines = SuggestionChoiceSerializer(many=True, label=_("lines"))


class CreatedOrderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    supplier = serializers.IntegerField(source="supplier_id")
    supplier_name = serializers.CharField(source="supplier.name")
    warehouse = serializers.IntegerField(source="warehouse_id")
    warehouse_name = serializers.CharField(source="warehouse.name")
    lines = serializers.IntegerField(source="lines.count")
    gross_amount = serializers.DecimalField(max_digits=18, decimal_places=2)


class RevisionLineSerializer(serializers.Serializer):
    """A line of a revision: ``line`` is the order line it changes (none: a new line)."""

    line = order_line_field(required=False, allow_null=True, label=_("order line"))
    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(**PRICE, label=_("unit price"))
    tax_rate = tax_rate_field(required=False, allow_null=True, label=_("tax rate"))
    tax_inclusive = serializers.BooleanField(required=False, label=_("price includes tax"))
    discount_percent = serializers.DecimalField(**PERCENT, required=False, label=_("discount (%)"))
    expected_date = serializers.DateField(required=False, allow_null=True, label=_("expected date"))
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("note"))


class ReviseOrderSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, label=_("reason"))
    lines = RevisionLineSerializer(many=True, label=_("lines"))


def rfq_line_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: RequestForQuotationLine.objects.filter(rfq__organization=org), **kwargs
    )


def supplier_quote_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: SupplierQuote.objects.filter(organization=org).select_related(
            "supplier", "currency", "rfq_line"
        ),
        **kwargs,
    )


class SupplierQuoteSerializer(serializers.ModelSerializer):
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True)

    class Meta:
        model = SupplierQuote
        fields = [
            "id", "rfq_line", "supplier", "supplier_name", "currency", "currency_code",
            "unit_price", "tax_inclusive", "price_breaks", "lead_time_days", "valid_until",
            "note", "is_accepted", "recorded_at",
        ]  # fmt: skip
        read_only_fields = fields


class RequestForQuotationLineSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    quotes = SupplierQuoteSerializer(many=True, read_only=True, label=_("supplier quotes"))

    class Meta:
        model = RequestForQuotationLine
        fields = [
            "id", "product", "product_code", "product_name", "unit", "unit_name", "quantity",
            "base_quantity", "note", "quotes",
        ]  # fmt: skip
        read_only_fields = ["base_quantity"]


class RfqSupplierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class SupplierIdsField(serializers.ListField):
    """The suppliers asked: ids in, ids out (each id checked on its own: ``suppliers.N``)."""

    def to_representation(self, data):
        return [partner.pk for partner in data.all()]


class RequestForQuotationSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    suppliers = SupplierIdsField(
        child=partner_field(), required=False, label=_("suppliers"), max_length=200
    )
    supplier_names = serializers.SerializerMethodField(label=_("suppliers"))
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = RequestForQuotationLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = RequestForQuotation
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "warehouse", "warehouse_name",
            "needed_by", "reply_by", "suppliers", "supplier_names", "note", "created_by_name",
            "created_at", "closed_at", "lines",
        ]  # fmt: skip
        read_only_fields = ["number", "state", "created_at", "closed_at"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_supplier_names(self, rfq) -> list[str]:
        return [partner.name for partner in rfq.suppliers.all()]


class PriceBreakSerializer(serializers.Serializer):
    min_quantity = serializers.DecimalField(**QUANTITY, label=_("minimum quantity"))
    unit_price = serializers.DecimalField(**PRICE, label=_("unit price"))


class QuotedLineSerializer(serializers.Serializer):
    line = rfq_line_field(label=_("request line"))
    unit_price = serializers.DecimalField(**PRICE, label=_("unit price"))
    tax_inclusive = serializers.BooleanField(required=False, label=_("price includes tax"))
    price_breaks = PriceBreakSerializer(
        many=True, required=False, max_length=50, label=_("quantity breaks")
    )
    lead_time_days = serializers.IntegerField(
        required=False, min_value=0, max_value=3650, label=_("lead time (days)")
    )
    valid_until = serializers.DateField(required=False, allow_null=True, label=_("valid until"))
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("note"))


class RecordQuotesSerializer(serializers.Serializer):
    supplier = partner_field(label=_("supplier"))
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    valid_until = serializers.DateField(required=False, allow_null=True, label=_("valid until"))
    lines = QuotedLineSerializer(many=True, label=_("lines"))


class QuoteChoiceSerializer(serializers.Serializer):
    line = rfq_line_field(label=_("request line"))
    quote = supplier_quote_field(label=_("supplier quote"))


class OrdersFromQuotesSerializer(serializers.Serializer):
    lines = QuoteChoiceSerializer(many=True, label=_("lines"))
    update_price_list = serializers.BooleanField(
        required=False, default=False, label=_("update the suppliers' price lists")
    )


class ComparedQuoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    supplier = serializers.IntegerField()
    supplier_name = serializers.CharField()
    unit_price = serializers.DecimalField(**PRICE)
    quoted_price = serializers.DecimalField(**PRICE)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    currency_code = serializers.CharField()
    tax_inclusive = serializers.BooleanField()
    price_breaks = PriceBreakSerializer(many=True)
    lead_time_days = serializers.IntegerField()
    valid_until = serializers.DateField(allow_null=True)
    note = serializers.CharField()
    expired = serializers.BooleanField()
    is_accepted = serializers.BooleanField()
    cheapest = serializers.BooleanField()


class ComparedLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    product = serializers.IntegerField()
    product_code = serializers.CharField()
    product_name = serializers.CharField()
    unit_name = serializers.CharField()
    quantity = serializers.DecimalField(**QUANTITY)
    quotes = ComparedQuoteSerializer(many=True)


class QuoteComparisonSerializer(serializers.Serializer):
    suppliers = RfqSupplierSerializer(many=True)
    lines = ComparedLineSerializer(many=True)


# --- payment requests (付款申请单) ----------------------------------------------------------

MONEY = {"max_digits": 18, "decimal_places": 2, "max_value": 10**12}


def supplier_invoice_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda org: SupplierInvoice.objects.filter(organization=org).select_related(
            "open_item"
        ),
        **kwargs,
    )


class SupplierPaymentRequestLineSerializer(serializers.ModelSerializer):
    invoice = supplier_invoice_field(label=_("supplier invoice"))
    amount = serializers.DecimalField(**MONEY, label=_("amount to pay"))
    invoice_number = serializers.CharField(source="invoice.invoice_number", read_only=True)
    invoice_document_number = serializers.CharField(source="invoice.number", read_only=True)
    invoice_date = serializers.DateField(source="invoice.business_date", read_only=True)
    due_date = serializers.DateField(
        source="invoice.open_item.due_date", read_only=True, default=None
    )
    gross_amount = serializers.DecimalField(source="invoice.gross_amount", read_only=True, **MONEY)
    open_amount = serializers.DecimalField(
        source="invoice.open_item.open_amount", read_only=True, default=None, **MONEY
    )

    class Meta:
        model = PaymentRequestLine
        fields = [
            "id", "invoice", "invoice_number", "invoice_document_number", "invoice_date",
            "due_date", "gross_amount", "open_amount", "amount",
        ]  # fmt: skip


class SupplierPaymentRequestSerializer(serializers.ModelSerializer):
    """付款申请单: the invoices of one supplier to pay and how much of each."""

    supplier = partner_field(label=_("supplier"))
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    account = OrganizationScopedPKField(
        scope=lambda org: Account.objects.filter(organization=org),
        label=_("cash or bank account"),
    )
    account_label = serializers.CharField(source="account", read_only=True)
    pay_date = serializers.DateField(required=False, allow_null=True, label=_("requested pay date"))
    payment_number = serializers.CharField(source="payment.number", read_only=True, default=None)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = SupplierPaymentRequestLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = PaymentRequest
        extra_kwargs = OPTIONAL_DATE
        fields = [
            "id", "number", "state", "business_date", "supplier", "supplier_name", "currency",
            "currency_code", "pay_date", "account", "account_label", "method", "amount", "note",
            "payment", "payment_number", "created_by_name", "created_at", "approved_at",
            "paid_at", "lines",
        ]  # fmt: skip
        read_only_fields = [
            "number", "state", "currency", "amount", "payment", "created_at", "approved_at",
            "paid_at",
        ]  # fmt: skip


class PayPaymentRequestSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True, label=_("payment date"))


class DueInvoicesQuerySerializer(serializers.Serializer):
    supplier = partner_field(label=_("supplier"))
    until = serializers.DateField(required=False, allow_null=True, label=_("due by"))
    request = OrganizationScopedPKField(
        scope=scoped(PaymentRequest), required=False, allow_null=True, label=_("payment request")
    )


class DueInvoiceSerializer(serializers.Serializer):
    """A posted invoice with something open that open payment requests do not ask for yet."""

    id = serializers.IntegerField()
    number = serializers.CharField()
    invoice_number = serializers.CharField()
    business_date = serializers.DateField()
    due_date = serializers.DateField(source="item_due_date")
    currency = serializers.IntegerField(source="currency_id")
    currency_code = serializers.CharField(source="currency.code")
    gross_amount = serializers.DecimalField(**MONEY)
    open_amount = serializers.DecimalField(**MONEY)
    requested = serializers.DecimalField(**MONEY)
    to_request = serializers.DecimalField(**MONEY)


class PaymentAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
