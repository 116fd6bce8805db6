"""Valuation: cost adjustments (出入库成本调整单), stock period close (库存月结) and the record of
every re-valuation. All of it is about cost, so only roles that may see costs reach it, and it
is inventory accounting (存货核算): the finance module's permissions govern it."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import OrganizationScopedViewSet, ReadOnlyScopedViewSet
from jxc.core.errors import PermissionDenied
from jxc.inventory.models import CostAdjustment, CostAdjustmentLine, Revaluation, StockPeriodClose
from jxc.inventory.services import cost_adjustments, periods
from jxc.masterdata.api.common import ProductLabels, product_field, warehouse_field

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": -(10**13), "max_value": 10**13}


class CostsOnly:
    """Refuses users whose roles may not see costs."""

    def check_permissions(self, request):
        super().check_permissions(request)
        access = getattr(request, "access", None)
        if access is None or not access.can_see_costs:
            raise PermissionDenied(_("Your roles may not see costs."))


class CostAdjustmentLineSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    amount = serializers.DecimalField(
        **MONEY, required=False, allow_null=True, label=_("adjustment amount")
    )
    new_unit_cost = serializers.DecimalField(
        max_digits=20,
        decimal_places=6,
        min_value=0,
        max_value=10**12,
        required=False,
        allow_null=True,
        label=_("new unit cost"),
    )

    class Meta:
        model = CostAdjustmentLine
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "amount",
            "new_unit_cost",
            "quantity",
            "value_before",
            "value_change",
            "note",
        ]
        read_only_fields = ["quantity", "value_before", "value_change"]


class CostAdjustmentSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    lines = CostAdjustmentLineSerializer(many=True, required=False, label=_("lines"))

    class Meta:
        model = CostAdjustment
        fields = [
            "id",
            "number",
            "state",
            "business_date",
            "warehouse",
            "warehouse_name",
            "reason",
            "note",
            "created_by_name",
            "created_at",
            "posted_at",
            "lines",
        ]
        read_only_fields = ["number", "state", "created_at", "posted_at"]


class CostAdjustmentViewSet(
    CostsOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """出入库成本调整单: revalue stock on hand on a date."""

    module = "finance"
    serializer_class = CostAdjustmentSerializer
    queryset = CostAdjustment.objects.select_related("warehouse", "created_by").prefetch_related(
        "lines__product"
    )
    filterset_fields = {
        "state": ["exact"],
        "warehouse": ["exact"],
        "business_date": ["gte", "lte"],
    }
    search_fields = ["number", "reason", "note", "lines__product__code", "lines__product__name"]
    ordering_fields = ["business_date", "number", "created_at"]
    ordering = ["-business_date", "-id"]
    export_exclude = ("lines", "warehouse")
    action_permissions = {"post": "post", "cancel": "edit"}

    def get_queryset(self):
        return super().get_queryset().distinct()

    def _save(self, serializer, document=None):
        serializer.instance = cost_adjustments.save_cost_adjustment(
            organization=self.request.organization,
            user=self.request.user,
            data=serializer.validated_data,
            document=document,
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _done(self, document):
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)

    @extend_schema(request=None, responses=CostAdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the draft: the stock's value changes on the document's date."""
        return self._done(cost_adjustments.post_cost_adjustment(document=self.get_object()))

    @extend_schema(request=None, responses=CostAdjustmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(cost_adjustments.cancel_cost_adjustment(document=self.get_object()))


class StockPeriodSerializer(serializers.ModelSerializer):
    closed_by_name = DisplayNameField(source="closed_by", label=_("closed by"))

    class Meta:
        model = StockPeriodClose
        fields = ["id", "month", "closed_at", "closed_by_name"]


class CloseMonthSerializer(serializers.Serializer):
    month = serializers.DateField(label=_("month"), help_text=_("Any day of the month to close."))


class PeriodStatusSerializer(serializers.Serializer):
    last_closed = serializers.DateField(allow_null=True)
    next_to_close = serializers.DateField(allow_null=True)


class StockPeriodViewSet(CostsOnly, ReadOnlyScopedViewSet):
    """库存月结: closed months; close the next one, reopen the latest."""

    module = "finance"
    serializer_class = StockPeriodSerializer
    queryset = StockPeriodClose.objects.select_related("closed_by")
    ordering_fields = ["month"]
    ordering = ["-month"]
    filterset_fields = {"month": ["gte", "lte"]}
    action_permissions = {"close": "post", "reopen": "post", "status": "view"}

    @extend_schema(responses=PeriodStatusSerializer)
    @action(detail=False, methods=["get"])
    def status(self, request):
        organization = request.organization
        return Response(
            {
                "last_closed": periods.last_closed_month(organization),
                "next_to_close": periods.next_month_to_close(organization),
            }
        )

    @extend_schema(request=CloseMonthSerializer, responses=StockPeriodSerializer)
    @action(detail=False, methods=["post"])
    def close(self, request):
        """Close a month: fix the month-end average costs and stop postings dated in it."""
        body = CloseMonthSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        closed = periods.close_month(
            organization=request.organization, month=body.validated_data["month"], user=request.user
        )
        return Response(self.get_serializer(closed).data, status=201)

    @extend_schema(request=None, responses=None)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """反结账: reopen the latest closed month."""
        periods.reopen_month(close=self.get_object())
        return Response(status=204)


class RevaluationSerializer(ProductLabels, serializers.ModelSerializer):
    class Meta:
        model = Revaluation
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "cause",
            "reference",
            "date_from",
            "moves_replayed",
            "moves_changed",
            "issued_value_change",
            "stock_value_change",
            "created_at",
        ]


class RevaluationViewSet(CostsOnly, ReadOnlyScopedViewSet):
    """Every re-valuation of later moves, with the change in issued and in stock value."""

    module = "finance"
    serializer_class = RevaluationSerializer
    queryset = Revaluation.objects.select_related("product")
    filterset_fields = {"product": ["exact"], "cause": ["exact"], "date_from": ["gte", "lte"]}
    search_fields = ["reference", "product__code", "product__name"]
    ordering_fields = ["created_at", "date_from"]
    ordering = ["-id"]
