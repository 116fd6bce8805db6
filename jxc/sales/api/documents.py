"""Deliveries, customer invoices and sales returns."""

from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.export import XLSX
from jxc.core.api.fields import (
    CostFieldsMixin,
    OrganizationScopedPKField,
    ReadAheadListSerializer,
)
from jxc.core.api.printing import PdfMixin
from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Lot
from jxc.masterdata.api.common import (
    ProductLabels,
    location_field,
    product_field,
    scoped,
    warehouse_field,
)
from jxc.sales.api.common import (
    PRICE,
    QUANTITY,
    DocumentViewSet,
    EmailDocumentSerializer,
    EmailQueuedSerializer,
    HeaderFields,
)
from jxc.sales.api.orders import customer_field
from jxc.sales.models import (
    CustomerInvoice,
    CustomerInvoiceLine,
    Delivery,
    DeliveryLine,
    SalesOrder,
    SalesOrderLine,
    SalesReturn,
    SalesReturnLine,
)
from jxc.sales.services import (
    deliveries,
    einvoice,
    invoices,
    mailing,
    prepaid,
    printing,
    returns,
)


def _scoped_field(model, path, **kwargs):
    def scope(organization):
        return model.objects.filter(**{path: organization})

    return OrganizationScopedPKField(scope=scope, **kwargs)


def _ids(text: str) -> list[int]:
    """ "1,2,3" → [1, 2, 3]; anything else is refused on ``ids``."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > einvoice.MAX_INVOICES or not all(p.isdigit() and len(p) < 19 for p in parts):
        raise ValidationFailed(_("Give invoice ids separated by commas."), field="ids")
    return [int(part) for part in parts]


class DeliveryLineSerializer(ProductLabels, CostFieldsMixin, serializers.ModelSerializer):
    order_line = _scoped_field(SalesOrderLine, "order__organization", label=_("order line"))
    order_number = serializers.CharField(source="order_line.order.number", read_only=True)
    order_open = serializers.DecimalField(
        source="order_line.open_quantity", max_digits=18, decimal_places=4, read_only=True,
        label=_("still to deliver on the order"),
    )  # fmt: skip
    unit_name = serializers.CharField(source="product.base_unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    location = location_field(required=False, allow_null=True, label=_("location"))
    lot = OrganizationScopedPKField(
        scope=scoped(Lot), required=False, allow_null=True, label=_("lot")
    )
    lot_code = serializers.CharField(source="lot.code", read_only=True, default=None)
    serial = serializers.CharField(max_length=64, required=False, allow_blank=True)

    class Meta:
        model = DeliveryLine
        list_serializer_class = ReadAheadListSerializer
        read_ahead = {"order_line": ("order",)}  # all the lines' order lines in one query
        fields = ["id", "order_line", "order_number", "order_open", "product", "product_code", "product_name",
                  "unit_name", "quantity", "location", "lot", "lot_code", "serial",
                  "cost_amount", "invoiced_quantity", "returned_quantity"]  # fmt: skip
        read_only_fields = ["product", "cost_amount", "invoiced_quantity", "returned_quantity"]
        cost_fields = ("cost_amount",)


class SalesDeliverySerializer(HeaderFields):
    customer = customer_field(required=False, label=_("customer"))
    warehouse = warehouse_field(required=False, label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    lines = DeliveryLineSerializer(many=True, required=False, label=_("lines"))
    orders = serializers.ListField(
        child=_scoped_field(SalesOrder, "organization"),
        required=False,
        write_only=True,
        label=_("orders"),
        help_text=_("Instead of lines: deliver everything these orders still have open."),
    )

    class Meta:
        model = Delivery
        fields = [*HeaderFields.HEADER, "warehouse", "warehouse_name", "carrier",
                  "tracking_number", "lines", "orders"]  # fmt: skip
        read_only_fields = HeaderFields.READ_ONLY

    def validate(self, attrs):
        if self.instance is None and not attrs.get("orders"):
            for name in ("customer", "warehouse"):
                if name not in attrs:
                    raise serializers.ValidationError({name: [_("This field is required.")]})
        return attrs


class DeliveryViewSet(PdfMixin, DocumentViewSet):
    """销售出库单: from confirmed orders of one customer; post ships the goods."""

    serializer_class = SalesDeliverySerializer
    queryset = Delivery.objects.select_related(
        "customer", "warehouse", "created_by"
    ).prefetch_related("lines__product__base_unit", "lines__lot", "lines__order_line__order")
    filterset_fields = {"state": ["exact"], "customer": ["exact"], "warehouse": ["exact"],
                        "business_date": ["gte", "lte"]}  # fmt: skip
    search_fields = ["number", "note", "customer__name", "tracking_number"]
    export_exclude = ("lines", "customer", "warehouse", "orders")
    # the warehouse drafts and ships deliveries: inventory's create / edit / post
    action_permissions = {"create": "inventory.create", "update": "inventory.edit",
                          "partial_update": "inventory.edit", "post": "inventory.post",
                          "cancel": "inventory.edit"}  # fmt: skip
    save_service = deliveries.save_delivery
    document_argument = "delivery"
    pdf_renderer = printing.delivery_pdf  # 销售出库单 with the pick list
    pdf_name = "delivery"

    @extend_schema(request=None, responses=SalesDeliverySerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Ship (出库): stock leaves, reservations are consumed, cost of goods sold is booked."""
        return self._done(deliveries.post_delivery(delivery=self.action_target()))

    @extend_schema(request=None, responses=SalesDeliverySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(deliveries.cancel_delivery(delivery=self.action_target()))


class InvoiceLineSerializer(ProductLabels, serializers.ModelSerializer):
    delivery_line = _scoped_field(
        DeliveryLine, "delivery__organization", required=False, allow_null=True,
        label=_("delivery line"),
    )  # fmt: skip
    delivery_number = serializers.CharField(
        source="delivery_line.delivery.number", read_only=True, default=None
    )
    order_line = _scoped_field(
        SalesOrderLine, "order__organization", required=False, allow_null=True,
        label=_("order line"), help_text=_("Before delivery (prepaid sales): the order line billed."),
    )  # fmt: skip
    order_number = serializers.CharField(
        source="order_line.order.number", read_only=True, default=None
    )
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    credited_line = serializers.PrimaryKeyRelatedField(
        read_only=True, label=_("credited invoice line")
    )
    creditable_quantity = serializers.SerializerMethodField(
        label=_("creditable without a return"),
        help_text=_(
            "A posted invoice's line billed before delivery: what a credit note can still "
            "credit (billed ahead, not delivered, not credited yet); null otherwise."
        ),
    )

    class Meta:
        model = CustomerInvoiceLine
        fields = ["id", "delivery_line", "delivery_number", "order_line", "order_number",
                  "product", "product_code", "product_name", "quantity", "unit_price",
                  "tax_percent", "tax_included",
                  "net_amount", "tax_amount", "gross_amount", "credited_line",
                  "creditable_quantity"]  # fmt: skip
        read_only_fields = ["product", "unit_price", "tax_percent", "tax_included", "net_amount",
                            "tax_amount", "gross_amount"]  # fmt: skip

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True))
    def get_creditable_quantity(self, line) -> str | None:
        invoice = line.invoice
        if not line.order_line_id or invoice.kind != "invoice" or invoice.state != "done":
            return None
        credited = sum(
            (red.quantity for red in line.credit_lines.all()
             if red.invoice.kind == "credit_note" and red.invoice.state == "done"),
            Decimal(0),
        )  # fmt: skip
        open_ = prepaid.creditable(line, credited, line.order_line)
        return f"{open_:.4f}"


class CustomerInvoiceSerializer(HeaderFields):
    customer = customer_field(required=False, label=_("customer"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    lines = InvoiceLineSerializer(many=True, required=False, label=_("lines"))
    open_amount = serializers.DecimalField(
        source="open_item.open_amount", max_digits=18, decimal_places=2, read_only=True,
        default=None,
    )  # fmt: skip
    deliveries = serializers.ListField(
        child=_scoped_field(Delivery, "organization"),
        required=False,
        write_only=True,
        label=_("deliveries"),
        help_text=_("Instead of lines: invoice everything these deliveries have not invoiced."),
    )
    orders = serializers.ListField(
        child=_scoped_field(SalesOrder, "organization"),
        required=False,
        write_only=True,
        label=_("orders"),
        help_text=_(
            "Prepaid sales, instead of lines: invoice all these confirmed orders have neither "
            "delivered nor invoiced yet."
        ),
    )

    class Meta:
        model = CustomerInvoice
        fields = [*HeaderFields.HEADER, "kind", "invoice_type", "invoice_number", "currency",
                  "currency_code", "rate", "due_date", "net_amount", "tax_amount",
                  "gross_amount", "open_item", "open_amount", "voucher", "credit_of", "lines",
                  "deliveries", "orders"]  # fmt: skip
        read_only_fields = [*HeaderFields.READ_ONLY, "kind", "currency", "rate", "due_date",
                            "net_amount", "tax_amount", "gross_amount", "open_item", "voucher",
                            "credit_of"]  # fmt: skip

    def validate(self, attrs):
        sources = attrs.get("deliveries") or attrs.get("orders")
        if self.instance is None and not sources and "customer" not in attrs:
            raise serializers.ValidationError({"customer": [_("This field is required.")]})
        return attrs


class CreditLineInput(serializers.Serializer):
    invoice_line = _scoped_field(
        CustomerInvoiceLine, "invoice__organization", label=_("invoice line")
    )
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))


class CreditPrepaidInput(serializers.Serializer):
    business_date = serializers.DateField(
        required=False, label=_("business date"), help_text=_("Today unless given.")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=255,
                                 label=_("note"))  # fmt: skip
    lines = CreditLineInput(
        many=True, required=False, max_length=1000, label=_("lines"),
        help_text=_("The invoice's lines and quantities to credit; else all it still has "
                    "billed ahead and undelivered."),
    )  # fmt: skip


class CustomerInvoiceViewSet(PdfMixin, DocumentViewSet):
    """销售发票 (and the red credit notes of returns): post books revenue, output VAT and AR."""

    serializer_class = CustomerInvoiceSerializer
    queryset = CustomerInvoice.objects.select_related(
        "customer", "currency", "created_by", "open_item"
    ).prefetch_related(
        "lines__product",
        "lines__delivery_line__delivery",
        "lines__order_line__order",
        "lines__credit_lines__invoice",
    )
    filterset_fields = {"state": ["exact"], "kind": ["exact"], "customer": ["exact"],
                        "business_date": ["gte", "lte"]}  # fmt: skip
    search_fields = ["number", "invoice_number", "note", "customer__name"]
    export_exclude = ("lines", "customer", "currency", "deliveries", "orders", "open_item",
                      "voucher", "credit_of")  # fmt: skip
    # invoices are finance's work: its create / edit / post
    action_permissions = {"create": "finance.create", "update": "finance.edit",
                          "partial_update": "finance.edit", "post": "finance.post",
                          "cancel": "finance.edit", "email": "finance.edit",
                          "credit": "finance.post", "einvoice_export": "export"}  # fmt: skip
    save_service = invoices.save_invoice
    document_argument = "invoice"
    pdf_renderer = printing.invoice_pdf
    pdf_name = "invoice"

    @extend_schema(
        summary="Export posted invoices for the 数电票 batch import",
        parameters=[
            OpenApiParameter(
                "ids", str, description="Comma-separated invoice ids (else the filters below)."
            ),
            OpenApiParameter("business_date__gte", OpenApiTypes.DATE, description="From."),
            OpenApiParameter("business_date__lte", OpenApiTypes.DATE, description="Until."),
            OpenApiParameter("customer", int, description="Of this customer only."),
        ],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    @action(detail=False, methods=["get"], url_path="einvoice-export")
    def einvoice_export(self, request):
        """The 数电票 (全电发票) batch-import workbook of posted VAT invoices (docs/printing.md)."""
        invoices_ = self.filter_queryset(self.get_queryset())
        ids = request.query_params.get("ids")
        if ids:
            invoices_ = invoices_.filter(pk__in=_ids(ids))
        response = HttpResponse(einvoice.einvoice_workbook(invoices_), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="einvoice-import.xlsx"'
        return response

    @extend_schema(request=EmailDocumentSerializer, responses={202: EmailQueuedSerializer})
    @action(detail=True, methods=["post"])
    def email(self, request, pk=None):
        """发送邮件: the posted invoice's PDF to the customer (to: its contact's address unless
        given), sent in the background; the send is recorded in the invoice's history."""
        return self._email(
            request, lambda invoice, **kw: mailing.email_invoice(invoice=invoice, **kw)
        )

    @extend_schema(request=None, responses=CustomerInvoiceSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post (记账): revenue, output VAT and the receivable (an open item receipts settle)."""
        return self._done(invoices.post_invoice(invoice=self.action_target()))

    @extend_schema(request=None, responses=CustomerInvoiceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(invoices.cancel_invoice(invoice=self.action_target()))

    @extend_schema(request=CreditPrepaidInput, responses={201: CustomerInvoiceSerializer})
    @action(detail=True, methods=["post"])
    def credit(self, request, pk=None):
        """红冲预开票: a red credit note of a posted invoice billed from orders before delivery,
        for goods that will not be delivered (no return). The order lines' quantity billed
        ahead goes down; receivable, revenue and output VAT are reversed. Answers the credit
        note."""
        invoice = self.action_target()
        body = CreditPrepaidInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        note = invoices.credit_prepaid_invoice(
            invoice=invoice,
            lines=data.get("lines"),
            business_date=data.get("business_date"),
            note=data.get("note", ""),
            user=request.user,
        )
        answer = self.get_serializer(self.get_queryset().get(pk=note.pk))
        return Response(answer.data, status=status.HTTP_201_CREATED)


class ReturnLineSerializer(ProductLabels, CostFieldsMixin, serializers.ModelSerializer):
    delivery_line = _scoped_field(
        DeliveryLine, "delivery__organization", required=False, allow_null=True,
        label=_("delivery line"),
    )  # fmt: skip
    product = product_field(
        required=False, allow_null=True, label=_("product"),
        help_text=_("A free-standing return's line names its product."),
    )  # fmt: skip
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_cost = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit cost"),
        help_text=_("Free-standing: the cost the goods come back at (default: the current cost)."),
    )  # fmt: skip
    unit_price = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit price"),
        help_text=_("Free-standing: the price (tax included, per base unit) to credit."),
    )  # fmt: skip
    tax_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, label=_("tax rate (%)")
    )

    class Meta:
        model = SalesReturnLine
        fields = ["id", "delivery_line", "product", "product_code", "product_name", "quantity",
                  "unit_cost", "unit_price", "tax_percent"]  # fmt: skip
        cost_fields = ("unit_cost",)


class SalesReturnSerializer(HeaderFields):
    customer = customer_field(
        required=False, allow_null=True, label=_("customer"),
        help_text=_("Of a free-standing return; a delivery's return takes its customer."),
    )  # fmt: skip
    delivery = _scoped_field(
        Delivery, "organization", required=False, allow_null=True, label=_("delivery")
    )
    delivery_number = serializers.CharField(source="delivery.number", read_only=True, default=None)
    location = location_field(label=_("return location"))
    location_name = serializers.CharField(source="location.name", read_only=True)
    warehouse = serializers.IntegerField(
        source="location.warehouse_id", read_only=True, label=_("warehouse")
    )
    credit_note_number = serializers.CharField(
        source="credit_note.number", read_only=True, default=None
    )
    lines = ReturnLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = SalesReturn
        fields = [*HeaderFields.HEADER, "delivery", "delivery_number", "location",
                  "location_name", "warehouse", "reason", "credit_note", "credit_note_number",
                  "lines"]  # fmt: skip
        read_only_fields = [*HeaderFields.READ_ONLY, "credit_note"]

    def validate(self, attrs):
        if self.instance is None and not attrs.get("delivery") and not attrs.get("customer"):
            raise serializers.ValidationError(
                {"customer": [_("Choose the delivery, or the customer of a free-standing return.")]}
            )
        return attrs


class SalesReturnViewSet(PdfMixin, DocumentViewSet):
    """销售退货单: against a delivery, or free-standing (a customer, products, costs and prices);
    post brings the goods back and credits what was invoiced (or priced)."""

    serializer_class = SalesReturnSerializer
    queryset = SalesReturn.objects.select_related(
        "customer", "delivery", "location", "created_by", "credit_note"
    ).prefetch_related("lines__product")
    filterset_fields = {"state": ["exact"], "customer": ["exact"], "delivery": ["exact"],
                        "business_date": ["gte", "lte"]}  # fmt: skip
    search_fields = ["number", "note", "customer__name", "reason"]
    export_exclude = ("lines", "customer", "delivery", "location", "credit_note")
    # returned goods are received by the warehouse: inventory's create / edit / post
    action_permissions = {"create": "inventory.create", "update": "inventory.edit",
                          "partial_update": "inventory.edit", "post": "inventory.post",
                          "cancel": "inventory.edit"}  # fmt: skip
    save_service = returns.save_sales_return
    document_argument = "sales_return"
    pdf_renderer = printing.return_pdf  # 销售退货单
    pdf_name = "sales-return"

    @extend_schema(request=None, responses=SalesReturnSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post (入库): goods come back at the cost they left with; invoiced goods are credited."""
        return self._done(
            returns.post_sales_return(sales_return=self.action_target(), user=request.user)
        )

    @extend_schema(request=None, responses=SalesReturnSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(returns.cancel_sales_return(sales_return=self.action_target()))
