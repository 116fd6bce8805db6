"""Sales quotations (销售报价单)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.printing import PdfMixin
from jxc.inventory.models import Reservation
from jxc.masterdata.api.common import (
    ProductLabels,
    currency_field,
    product_field,
    tax_rate_field,
    unit_field,
    warehouse_field,
)
from jxc.sales.api.common import PRICE, QUANTITY, DocumentViewSet, HeaderFields
from jxc.sales.api.orders import SalesOrderSerializer, customer_field
from jxc.sales.models import SalesOrder, SalesQuotation, SalesQuotationLine
from jxc.sales.services import printing, quotations
from jxc.sales.services.common import QUOTATION_LINE, ZERO

RESERVED = "quotation_reserved"


class QuotationLineSerializer(ProductLabels, serializers.ModelSerializer):
    reserved_open = serializers.SerializerMethodField(label=_("reserved now"))

    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(
        **PRICE, required=False, allow_null=True, label=_("unit price")
    )
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, label=_("discount (%)")
    )
    tax_rate = tax_rate_field(required=False, allow_null=True, label=_("tax rate"))
    tax_included = serializers.BooleanField(
        required=False, allow_null=True, default=None, label=_("price includes tax")
    )

    class Meta:
        model = SalesQuotationLine
        fields = ["id", "product", "product_code", "product_name", "unit", "unit_name",
                  "quantity", "base_quantity", "list_price", "unit_price", "discount_percent",
                  "tax_rate", "tax_percent", "tax_included", "net_amount", "tax_amount",
                  "gross_amount", "below_floor", "reserved_open"]  # fmt: skip
        read_only_fields = ["base_quantity", "list_price", "tax_percent", "net_amount",
                            "tax_amount", "gross_amount", "below_floor"]  # fmt: skip

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4))
    def get_reserved_open(self, line) -> str:
        """What the quotation's soft reservation holds for the line now."""
        found = self.context.get(RESERVED, {}).get(line.pk, ZERO)
        return f"{found:.4f}"


def load_reserved(context: dict, found_quotations) -> None:
    ids = [line.pk for quotation in found_quotations for line in quotation.lines.all()]
    context.setdefault(RESERVED, {}).update(
        Reservation.objects.filter(
            origin_type=QUOTATION_LINE, origin_id__in=ids, state=Reservation.State.OPEN
        ).values_list("origin_id", "quantity")
    )


class QuotationListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        found = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        load_reserved(self.context, found)
        return super().to_representation(found)


class SalesQuotationSerializer(HeaderFields):
    customer = customer_field(label=_("customer"))
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    valid_until = serializers.DateField(label=_("valid until"))
    order = serializers.SerializerMethodField(label=_("sales order"))
    order_number = serializers.SerializerMethodField(label=_("sales order number"))
    lines = QuotationLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = SalesQuotation
        list_serializer_class = QuotationListSerializer
        fields = [*HeaderFields.HEADER, "currency", "currency_code", "rate", "warehouse",
                  "warehouse_name", "valid_until", "reserve_stock", "payment_terms",
                  "net_amount", "tax_amount", "gross_amount", "below_floor", "sent_at", "order",
                  "order_number", "lines"]  # fmt: skip
        read_only_fields = [*HeaderFields.READ_ONLY, "rate", "net_amount", "tax_amount",
                            "gross_amount", "below_floor", "sent_at"]  # fmt: skip

    def _order(self, quotation):
        try:
            return quotation.order
        except SalesOrder.DoesNotExist:
            return None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_order(self, quotation) -> int | None:
        """The sales order the quotation was converted to."""
        order = self._order(quotation)
        return order.pk if order else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_order_number(self, quotation) -> str | None:
        order = self._order(quotation)
        return (order.number or f"#{order.pk}") if order else None

    def to_representation(self, instance):
        if RESERVED not in self.context:
            load_reserved(self.context, [instance])
        return super().to_representation(instance)


class SalesQuotationViewSet(PdfMixin, DocumentViewSet):
    """销售报价单: drafts priced like orders, valid until a date; send (numbered, the stock
    reserved softly when asked), cancel, convert to a draft sales order in one step. A
    quotation past its validity expires (its reservation released) when read."""

    serializer_class = SalesQuotationSerializer
    queryset = SalesQuotation.objects.select_related(
        "customer", "currency", "warehouse", "created_by", "order"
    ).prefetch_related("lines__product", "lines__unit")
    filterset_fields = {
        "state": ["exact", "in"],
        "customer": ["exact"],
        "warehouse": ["exact"],
        "business_date": ["gte", "lte"],
        "valid_until": ["gte", "lte"],
    }
    search_fields = ["number", "note", "customer__name", "lines__product__code",
                     "lines__product__name"]  # fmt: skip
    export_exclude = ("lines", "customer", "warehouse", "currency", "order")
    action_permissions = {"send": "edit", "cancel": "edit", "convert": "create"}
    save_service = quotations.save_quotation
    document_argument = "quotation"
    pdf_renderer = printing.quotation_pdf  # 销售报价单
    pdf_name = "quotation"

    def list(self, request, *args, **kwargs):
        quotations.expire_quotations(organization=request.organization)
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        quotations.expire_if_due(quotation=self.get_object())
        return self._done(self.get_object())

    @extend_schema(request=None, responses=SalesQuotationSerializer)
    @action(detail=True, methods=["post"])
    def send(self, request, pk=None):
        """Send (发出): numbered; with ``reserve_stock`` the quoted quantities are reserved
        softly until the quotation is converted, cancelled or expires."""
        return self._done(quotations.send_quotation(quotation=self.get_object(), user=request.user))

    @extend_schema(request=None, responses=SalesQuotationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel (作废) a draft or sent quotation (its reservation released)."""
        return self._done(quotations.cancel_quotation(quotation=self.get_object()))

    @extend_schema(request=None, responses={201: SalesOrderSerializer})
    @action(detail=True, methods=["post"])
    def convert(self, request, pk=None):
        """Convert (转为订单) a sent quotation into a draft sales order with its lines, linked
        to it; the soft reservation is released. Refused when expired or already converted."""
        order = quotations.convert_quotation(quotation=self.get_object(), user=request.user)
        order = SalesOrder.objects.select_related(
            "customer", "currency", "warehouse", "created_by"
        ).get(pk=order.pk)
        return Response(SalesOrderSerializer(order, context=self.get_serializer_context()).data,
                        status=201)  # fmt: skip
