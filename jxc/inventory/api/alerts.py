"""Stock lists people act on: low stock (低库存预警) and lots expiring soon (近效期)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jxc.core.api.views import ReadOnlyScopedViewSet
from jxc.inventory.models import StockBalance, WarehouseStock
from jxc.inventory.selectors import expiring_stock, low_stock
from jxc.masterdata.api.common import ProductLabels

QUANTITY = {"max_digits": 18, "decimal_places": 4, "read_only": True}


class LowStockSerializer(ProductLabels, serializers.ModelSerializer):
    unit_name = serializers.CharField(
        source="product.base_unit.name", read_only=True, label=_("unit")
    )
    warehouse_name = serializers.CharField(
        source="warehouse.name", read_only=True, label=_("warehouse")
    )
    available = serializers.DecimalField(
        source="available_quantity", **QUANTITY, label=_("available")
    )
    safety_stock = serializers.DecimalField(
        source="product.safety_stock", **QUANTITY, label=_("safety stock")
    )
    reorder_point = serializers.DecimalField(
        source="product.reorder_point", **QUANTITY, label=_("reorder point")
    )
    reorder_quantity = serializers.DecimalField(
        source="product.reorder_quantity", **QUANTITY, label=_("reorder quantity")
    )
    max_stock = serializers.DecimalField(
        source="product.max_stock", **QUANTITY, allow_null=True, label=_("maximum stock")
    )
    status = serializers.ChoiceField(
        choices=[
            ("below_safety", _("Below safety stock")),
            ("reorder", _("At or below the reorder point")),
            ("above_max", _("Above the maximum")),
        ],
        read_only=True,
        label=_("status"),
    )

    class Meta:
        model = WarehouseStock
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "unit_name",
            "warehouse",
            "warehouse_name",
            "on_hand",
            "reserved",
            "frozen",
            "available",
            "safety_stock",
            "reorder_point",
            "reorder_quantity",
            "max_stock",
            "status",
        ]


class LowStockFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[
            ("below_safety", "below_safety"),
            ("reorder", "reorder"),
            ("above_max", "above_max"),
        ],
        label=_("status"),
    )

    class Meta:
        model = WarehouseStock
        fields = ["warehouse", "product", "status"]


class LowStockViewSet(ReadOnlyScopedViewSet):
    """低库存预警: stock at or below safety stock or the reorder point, or above the maximum,
    per product and warehouse (what is available counts)."""

    module = "inventory"
    serializer_class = LowStockSerializer
    queryset = WarehouseStock.objects.none()
    filterset_class = LowStockFilter
    search_fields = ["product__search_text"]
    ordering_fields = ["product__code", "available_quantity", "on_hand"]
    export_exclude = ("id", "product", "warehouse")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no organization
            return WarehouseStock.objects.none()
        return low_stock(self.request.organization).select_related(
            "product__base_unit", "warehouse"
        )


class ExpiringSerializer(ProductLabels, serializers.ModelSerializer):
    unit_name = serializers.CharField(
        source="product.base_unit.name", read_only=True, label=_("unit")
    )
    warehouse_name = serializers.CharField(
        source="warehouse.name", read_only=True, default=None, label=_("warehouse")
    )
    location_code = serializers.CharField(
        source="location.code", read_only=True, label=_("location")
    )
    lot_code = serializers.CharField(source="lot.code", read_only=True, label=_("lot number"))
    expiry_date = serializers.DateField(
        source="lot.expiry_date", read_only=True, label=_("expiry date")
    )
    days_left = serializers.SerializerMethodField(label=_("days left"))

    class Meta:
        model = StockBalance
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "unit_name",
            "warehouse",
            "warehouse_name",
            "location",
            "location_code",
            "lot",
            "lot_code",
            "expiry_date",
            "days_left",
            "on_hand",
            "frozen",
        ]

    def get_days_left(self, balance) -> int:
        """Negative once expired."""
        return (balance.lot.expiry_date - timezone.localdate()).days


class ExpiringFilter(django_filters.FilterSet):
    within_days = django_filters.NumberFilter(
        method="keep_all", label=_("expiring within (days)"), min_value=0, max_value=3660
    )

    class Meta:
        model = StockBalance
        fields = ["warehouse", "product", "within_days"]

    def keep_all(self, queryset, name, value):
        return queryset  # applied by the view, which needs it before the query is built


class ExpiringStockViewSet(ReadOnlyScopedViewSet):
    """近效期: lots with stock expiring within ``within_days`` (default 30) or already expired."""

    module = "inventory"
    serializer_class = ExpiringSerializer
    queryset = StockBalance.objects.none()
    filterset_class = ExpiringFilter
    search_fields = ["product__search_text", "lot__code", "location__code"]
    ordering_fields = ["lot__expiry_date", "product__code", "on_hand"]
    export_exclude = ("id", "product", "warehouse", "location", "lot")
    DEFAULT_DAYS = 30

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return StockBalance.objects.none()
        filters = ExpiringFilter(self.request.query_params)
        days = self.DEFAULT_DAYS
        if filters.is_valid() and filters.form.cleaned_data.get("within_days") is not None:
            days = int(filters.form.cleaned_data["within_days"])
        return expiring_stock(
            self.request.organization, within_days=days, today=timezone.localdate()
        )
