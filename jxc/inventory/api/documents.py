"""Stock documents and stock counts: drafts, posting, transfers' second step, reversals."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import CostFieldsMixin, DisplayNameField, OrganizationScopedPKField
from jxc.core.api.views import OrganizationScopedViewSet
from jxc.inventory.domain.costing import ZERO, money, unit
from jxc.inventory.models import (
    Lot,
    StockCount,
    StockCountLine,
    StockDocument,
    StockDocumentLine,
)
from jxc.inventory.selectors import current_unit_cost, posted_count_values
from jxc.inventory.services import counts, documents
from jxc.masterdata.api.common import (
    ProductLabels,
    location_field,
    product_field,
    scoped,
    unit_field,
    warehouse_field,
)

QUANTITY = {"max_digits": 18, "decimal_places": 4, "max_value": 10**12}


def lot_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Lot), **kwargs)


class StockLineSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    unit = unit_field(required=False, allow_null=True, label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, min_value=0, label=_("quantity"))
    location = location_field(required=False, allow_null=True, label=_("location"))
    to_location = location_field(required=False, allow_null=True, label=_("destination location"))
    lot = lot_field(required=False, allow_null=True, label=_("lot"))
    lot_code = serializers.CharField(
        max_length=64, required=False, allow_blank=True, label=_("lot number")
    )
    production_date = serializers.DateField(
        required=False, allow_null=True, label=_("production date")
    )
    expiry_date = serializers.DateField(required=False, allow_null=True, label=_("expiry date"))
    unit_cost = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        min_value=0,
        max_value=10**12,
        required=False,
        allow_null=True,
        label=_("unit cost"),
    )

    class Meta:
        model = StockDocumentLine
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "unit",
            "unit_name",
            "quantity",
            "base_quantity",
            "location",
            "to_location",
            "lot",
            "lot_code",
            "production_date",
            "expiry_date",
            "serial",
            "unit_cost",
        ]
        read_only_fields = ["base_quantity"]

    def to_representation(self, line):
        """The lot's number and dates: of the lot, once the line has one; of the new lot a draft
        receipt will make when it is posted (the expiry as entered: blank lets the product's
        shelf life decide)."""
        data = super().to_representation(line)
        if line.lot_id:
            data["lot_code"] = line.lot.code
            data["production_date"] = self.fields["production_date"].to_representation(
                line.lot.production_date
            )
            data["expiry_date"] = self.fields["expiry_date"].to_representation(line.lot.expiry_date)
        access = self.context.get("access")
        if access is None or not access.can_see_costs:
            data.pop("unit_cost", None)
        return data


class StockDocumentSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    to_warehouse = warehouse_field(
        required=False, allow_null=True, label=_("destination warehouse")
    )
    to_warehouse_name = serializers.CharField(
        source="to_warehouse.name", read_only=True, default=None
    )
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = StockLineSerializer(many=True, required=False, label=_("lines"))
    reversed_by = serializers.SerializerMethodField(label=_("reversed by"))

    class Meta:
        model = StockDocument
        fields = [
            "id",
            "kind",
            "number",
            "state",
            "business_date",
            "warehouse",
            "warehouse_name",
            "to_warehouse",
            "to_warehouse_name",
            "two_step",
            "reason",
            "note",
            "created_by_name",
            "created_at",
            "shipped_on",
            "received_on",
            "posted_at",
            "reversal_of",
            "reversed_by",
            "lines",
        ]
        read_only_fields = [
            "number",
            "state",
            "created_at",
            "shipped_on",
            "received_on",
            "posted_at",
            "reversal_of",
        ]

    def get_reversed_by(self, document) -> int | None:
        """The reversal document, once this one has been reversed."""
        reversal = getattr(document, "reversed_by", None)
        return reversal.pk if reversal else None


class DateSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, label=_("date"))


class StockDocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """其他入库单, 其他出库单 and 调拨单."""

    module = "inventory"
    serializer_class = StockDocumentSerializer
    queryset = StockDocument.objects.select_related(
        "warehouse", "to_warehouse", "created_by"
    ).prefetch_related("lines__product", "lines__unit", "lines__lot")
    filterset_fields = {
        "kind": ["exact"],
        "state": ["exact"],
        "warehouse": ["exact"],
        "reason": ["exact"],
        "business_date": ["gte", "lte"],
    }
    search_fields = ["number", "note", "lines__product__code", "lines__product__name"]
    ordering_fields = ["business_date", "number", "created_at"]
    ordering = ["-business_date", "-id"]
    export_exclude = ("lines", "warehouse", "to_warehouse", "reversal_of")
    action_permissions = {
        "submit": "edit",
        "post": "post",
        "receive": "post",
        "reverse": "post",
        "cancel": "edit",
    }

    def get_queryset(self):
        return super().get_queryset().distinct()

    def perform_create(self, serializer):
        serializer.instance = documents.save_stock_document(
            organization=self.request.organization,
            user=self.request.user,
            data=serializer.validated_data,
        )

    def perform_update(self, serializer):
        serializer.instance = documents.save_stock_document(
            organization=self.request.organization,
            user=self.request.user,
            data=serializer.validated_data,
            document=serializer.instance,
        )

    def _done(self, document):
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)

    def _date(self, request):
        body = DateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data.get("date")

    @extend_schema(request=None, responses=StockDocumentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft for approval (提交审批): it waits as submitted, or is approved at
        once when no approval rule applies to it."""
        return self._done(
            documents.submit_stock_document(document=self.get_object(), user=request.user)
        )

    @extend_schema(request=DateSerializer, responses=StockDocumentSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post an approved document, or a draft no approval rule applies to: stock moves now
        (a two-step transfer is shipped)."""
        return self._done(
            documents.post_stock_document(document=self.get_object(), on_date=self._date(request))
        )

    @extend_schema(request=DateSerializer, responses=StockDocumentSerializer)
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        """Receive a two-step transfer at its destination."""
        return self._done(
            documents.receive_transfer(document=self.get_object(), on_date=self._date(request))
        )

    @extend_schema(request=DateSerializer, responses=StockDocumentSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """红字冲销: a new document undoing this one; returns the reversal."""
        return self._done(
            documents.reverse_stock_document(
                document=self.get_object(), user=request.user, on_date=self._date(request)
            )
        )

    @extend_schema(request=None, responses=StockDocumentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(documents.cancel_stock_document(document=self.get_object()))


POSTED = "posted_count_values"


def load_posted_values(context: dict, stock_counts) -> None:
    """Keep in the serializer context what the posted counts' lines booked (one query)."""
    access = context.get("access")
    if access is None or not access.can_see_costs:
        return
    posted = context.setdefault(POSTED, {"counts": set(), "lines": {}})
    fresh = [c for c in stock_counts if c.pk not in posted["counts"]]
    posted["lines"].update(posted_count_values(fresh))
    posted["counts"].update(c.pk for c in fresh)


class CountLineSerializer(ProductLabels, CostFieldsMixin, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    location = location_field(label=_("location"))
    location_code = serializers.CharField(source="location.code", read_only=True)
    lot = lot_field(required=False, allow_null=True, label=_("lot"))
    lot_code = serializers.CharField(
        source="lot.code", read_only=True, default=None, label=_("lot number")
    )
    counted_quantity = serializers.DecimalField(
        **QUANTITY, min_value=0, allow_null=True, label=_("counted quantity")
    )
    difference = serializers.SerializerMethodField(label=_("difference"))
    unit_cost = serializers.SerializerMethodField(label=_("unit cost"))
    variance_value = serializers.SerializerMethodField(label=_("value of the difference"))

    class Meta:
        model = StockCountLine
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "location",
            "location_code",
            "lot",
            "lot_code",
            "book_quantity",
            "counted_quantity",
            "difference",
            "frozen_quantity",
            "unit_cost",
            "variance_value",
        ]
        read_only_fields = ["book_quantity", "frozen_quantity"]
        cost_fields = ("unit_cost", "variance_value")

    def get_difference(self, line) -> str | None:
        if line.counted_quantity is None:
            return None
        return str(line.counted_quantity - line.book_quantity)

    def _posted(self, line) -> tuple[Decimal, Decimal] | None:
        """The quantity and (signed) value the posted line moved, when it moved any."""
        return self.context.get(POSTED, {"lines": {}})["lines"].get(line.pk)

    @extend_schema_field(serializers.DecimalField(max_digits=20, decimal_places=6))
    def get_unit_cost(self, line) -> str:
        """What one unit of the difference is worth: the cost the posted move took, or before
        posting the product's current cost (average on hand, else last cost, else purchase
        price)."""
        posted = self._posted(line)
        if posted is not None and posted[0]:
            return str(unit(abs(posted[1]) / posted[0]))
        return str(unit(current_unit_cost(line.product)))

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=2, allow_null=True))
    def get_variance_value(self, line) -> str | None:
        """The difference × the unit cost (gains +, losses −); once posted, what the move
        booked. Null while the line is not counted."""
        if line.counted_quantity is None:
            return None
        posted = self._posted(line)
        if posted is not None:
            value = posted[1]
        else:
            difference = line.counted_quantity - line.book_quantity
            value = difference * current_unit_cost(line.product)
        return str(money(value) + ZERO)  # + 0: no "-0.00"


class StockCountListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        stock_counts = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        load_posted_values(self.context, stock_counts)
        return super().to_representation(stock_counts)


class StockCountSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    scope = location_field(required=False, allow_null=True, label=_("zone or bin"))
    lines = CountLineSerializer(many=True, read_only=True)

    class Meta:
        model = StockCount
        list_serializer_class = StockCountListSerializer
        fields = [
            "id",
            "number",
            "state",
            "business_date",
            "warehouse",
            "warehouse_name",
            "scope",
            "freeze",
            "note",
            "created_at",
            "posted_at",
            "lines",
        ]
        read_only_fields = ["number", "state", "created_at", "posted_at"]

    def to_representation(self, instance):
        load_posted_values(self.context, [instance])
        return super().to_representation(instance)


class RecordCountsSerializer(serializers.Serializer):
    lines = CountLineSerializer(many=True, label=_("lines"))


class StockCountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """盘点单."""

    module = "inventory"
    serializer_class = StockCountSerializer
    queryset = StockCount.objects.select_related("warehouse").prefetch_related(
        "lines__product__valuation", "lines__location", "lines__lot"
    )
    filterset_fields = {"state": ["exact"], "warehouse": ["exact"], "business_date": ["gte", "lte"]}
    search_fields = ["number", "note"]
    ordering_fields = ["business_date", "number"]
    ordering = ["-business_date", "-id"]
    export_exclude = ("lines", "warehouse", "scope")
    action_permissions = {"start": "edit", "counts": "edit", "post": "post", "cancel": "edit"}

    def perform_create(self, serializer):
        serializer.instance = counts.create_count(
            organization=self.request.organization,
            user=self.request.user,
            **serializer.validated_data,
        )

    def _done(self, count):
        return Response(self.get_serializer(self.get_queryset().get(pk=count.pk)).data)

    @extend_schema(request=None, responses=StockCountSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """Snapshot the book quantities (and freeze them if the count says so)."""
        return self._done(counts.start_count(count=self.get_object()))

    @extend_schema(request=RecordCountsSerializer, responses=StockCountSerializer)
    @action(detail=True, methods=["post"])
    def counts(self, request, pk=None):
        """Enter counted quantities (by hand or from a scanner)."""
        count = self.get_object()
        body = RecordCountsSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return self._done(counts.record_counts(count=count, counts=body.validated_data["lines"]))

    @extend_schema(request=None, responses=StockCountSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the differences as gains and losses."""
        return self._done(counts.post_count(count=self.get_object()))

    @extend_schema(request=None, responses=StockCountSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(counts.cancel_count(count=self.get_object()))
