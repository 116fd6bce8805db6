"""Stock figures: current stock (现存量), moves (出入库明细), availability, lots, reservations."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import CostFieldsMixin, OrganizationScopedPKField
from jxc.core.api.views import JxcAPIView, OrganizationScopedViewSet, ReadOnlyScopedViewSet
from jxc.core.errors import ValidationFailed
from jxc.inventory.models import (
    Lot,
    Reservation,
    StockBalance,
    StockFreeze,
    StockMove,
    WarehouseStock,
)
from jxc.inventory.selectors import Availability, incoming
from jxc.inventory.services.freezes import freeze_stock, release_freeze
from jxc.inventory.services.reservations import release_reservation
from jxc.masterdata.api.common import ProductLabels, location_field, product_field, scoped
from jxc.masterdata.models import Product, Warehouse


class BalanceSerializer(ProductLabels, serializers.ModelSerializer):
    specification = serializers.CharField(
        source="product.specification", read_only=True, label=_("specification")
    )
    unit_name = serializers.CharField(
        source="product.base_unit.name", read_only=True, label=_("unit")
    )
    warehouse_name = serializers.CharField(
        source="warehouse.name", read_only=True, default=None, label=_("warehouse")
    )
    location_code = serializers.CharField(
        source="location.code", read_only=True, label=_("location")
    )
    lot_code = serializers.CharField(
        source="lot.code", read_only=True, default=None, label=_("lot number")
    )
    expiry_date = serializers.DateField(
        source="lot.expiry_date", read_only=True, default=None, label=_("expiry date")
    )
    available = serializers.SerializerMethodField(label=_("available"))

    class Meta:
        model = StockBalance
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "specification",
            "unit_name",
            "warehouse",
            "warehouse_name",
            "location",
            "location_code",
            "lot",
            "lot_code",
            "expiry_date",
            "on_hand",
            "frozen",
            "available",
        ]

    def get_available(self, balance) -> str:
        return str(balance.on_hand - balance.frozen)


class BalanceFilter(django_filters.FilterSet):
    nonzero = django_filters.BooleanFilter(method="only_nonzero", label=_("hide zero stock"))

    class Meta:
        model = StockBalance
        fields = ["product", "warehouse", "location", "lot"]

    def only_nonzero(self, queryset, name, value):
        return queryset.exclude(on_hand=0) if value else queryset


class StockViewSet(ReadOnlyScopedViewSet):
    """现存量查询: on hand and frozen per product, location and lot."""

    module = "inventory"
    serializer_class = BalanceSerializer
    queryset = StockBalance.objects.select_related(
        "product__base_unit", "warehouse", "location", "lot"
    )
    filterset_class = BalanceFilter
    search_fields = ["product__search_text", "location__code", "lot__code"]
    ordering_fields = ["product__code", "on_hand", "location__code", "lot__expiry_date"]
    ordering = ["product__code", "location__code"]
    export_exclude = ("id", "product", "warehouse", "location", "lot")


class MoveSerializer(ProductLabels, CostFieldsMixin, serializers.ModelSerializer):
    from_location_code = serializers.CharField(
        source="from_location.code", read_only=True, label=_("from location")
    )
    to_location_code = serializers.CharField(
        source="to_location.code", read_only=True, label=_("to location")
    )
    lot_code = serializers.CharField(
        source="lot.code", read_only=True, default=None, label=_("lot number")
    )
    serial_number = serializers.CharField(
        source="serial.serial", read_only=True, default=None, label=_("serial number")
    )

    class Meta:
        model = StockMove
        fields = [
            "id",
            "business_date",
            "reference",
            "product",
            "product_code",
            "product_name",
            "flow",
            "quantity",
            "from_location",
            "from_location_code",
            "to_location",
            "to_location_code",
            "from_warehouse",
            "to_warehouse",
            "lot",
            "lot_code",
            "serial_number",
            "unit_cost",
            "value",
            "cost_explanation",
            "origin_type",
            "origin_id",
            "reversal_of",
            "posted_at",
        ]
        cost_fields = ("unit_cost", "value", "cost_explanation")


class MoveFilter(django_filters.FilterSet):
    warehouse = django_filters.NumberFilter(method="in_warehouse", label=_("warehouse"))
    location = django_filters.NumberFilter(method="at_location", label=_("location"))
    date_from = django_filters.DateFilter(
        field_name="business_date", lookup_expr="gte", label=_("from date")
    )
    date_to = django_filters.DateFilter(
        field_name="business_date", lookup_expr="lte", label=_("to date")
    )

    class Meta:
        model = StockMove
        fields = ["product", "lot", "serial", "reference", "origin_type"]

    def in_warehouse(self, queryset, name, value):
        return queryset.filter(Q(from_warehouse_id=value) | Q(to_warehouse_id=value))

    def at_location(self, queryset, name, value):
        return queryset.filter(Q(from_location_id=value) | Q(to_location_id=value))


class MoveViewSet(ReadOnlyScopedViewSet):
    """出入库明细: every move of the ledger (moves are never edited or deleted)."""

    module = "inventory"
    serializer_class = MoveSerializer
    queryset = StockMove.objects.select_related(
        "product", "from_location", "to_location", "lot", "serial"
    )
    filterset_class = MoveFilter
    search_fields = ["reference", "product__code", "product__name"]
    ordering_fields = ["business_date", "id", "quantity"]
    ordering = ["-business_date", "-id"]
    export_exclude = (
        "product",
        "from_location",
        "to_location",
        "from_warehouse",
        "to_warehouse",
        "lot",
        "cost_explanation",
        "origin_id",
        "reversal_of",
    )


class LotSerializer(ProductLabels, serializers.ModelSerializer):
    class Meta:
        model = Lot
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "code",
            "production_date",
            "expiry_date",
            "created_at",
        ]


class LotViewSet(ReadOnlyScopedViewSet):
    module = "inventory"
    serializer_class = LotSerializer
    queryset = Lot.objects.select_related("product")
    filterset_fields = {"product": ["exact"], "expiry_date": ["lte", "gte"]}
    search_fields = ["code", "product__code", "product__name"]
    ordering_fields = ["expiry_date", "code", "created_at"]
    ordering = ["expiry_date", "code"]

    @extend_schema(responses=MoveSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def trace(self, request, pk=None):
        """Every move of the lot, oldest first: where it came from and where it went."""
        lot = self.get_object()
        moves = (
            StockMove.objects.filter(lot=lot)
            .select_related("product", "from_location", "to_location", "lot", "serial")
            .order_by("id")[:5000]
        )
        return Response(
            MoveSerializer(moves, many=True, context=self.get_serializer_context()).data
        )


class ReservationSerializer(ProductLabels, serializers.ModelSerializer):
    warehouse_name = serializers.CharField(
        source="warehouse.name", read_only=True, label=_("warehouse")
    )
    lot_code = serializers.CharField(
        source="lot.code", read_only=True, default=None, label=_("lot number")
    )

    class Meta:
        model = Reservation
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "warehouse",
            "warehouse_name",
            "lot",
            "lot_code",
            "quantity",
            "reserved_quantity",
            "state",
            "origin_type",
            "origin_id",
            "created_at",
        ]


class ReservationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    """预留: stock promised to document lines; searched by product (code, name, mnemonic,
    barcode) or origin (its type, or the id of the line)."""

    module = "inventory"
    serializer_class = ReservationSerializer
    queryset = Reservation.objects.select_related("product", "warehouse", "lot")
    filterset_fields = ["product", "warehouse", "state", "origin_type", "origin_id"]
    search_fields = ["product__search_text", "origin_type", "=origin_id"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    action_permissions = {"release": "edit"}

    @extend_schema(request=None, responses=ReservationSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        reservation = release_reservation(reservation=self.get_object())
        return Response(self.get_serializer(reservation).data)


class AvailabilityRowSerializer(serializers.Serializer):
    warehouse = serializers.IntegerField()
    warehouse_name = serializers.CharField()
    on_hand = serializers.DecimalField(max_digits=18, decimal_places=4)
    reserved = serializers.DecimalField(max_digits=18, decimal_places=4)
    frozen = serializers.DecimalField(max_digits=18, decimal_places=4)
    available = serializers.DecimalField(max_digits=18, decimal_places=4)
    incoming = serializers.DecimalField(max_digits=18, decimal_places=4)
    projected = serializers.DecimalField(max_digits=18, decimal_places=4)


class AvailabilityView(JxcAPIView):
    """``GET stock/availability/?product=`` (``&warehouse=``): on hand, reserved, frozen and
    available to promise per warehouse — what an order line shows while it is typed."""

    module = "inventory"

    @extend_schema(
        parameters=[
            OpenApiParameter("product", int, required=True),
            OpenApiParameter("warehouse", int),
        ],
        responses=inline_serializer(
            "Availability",
            {
                "product": serializers.IntegerField(),
                "warehouses": AvailabilityRowSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        product_id = self._id(request, "product", Product)
        warehouses = Warehouse.objects.filter(organization=request.organization)
        if request.query_params.get("warehouse"):
            warehouses = warehouses.filter(pk=self._id(request, "warehouse", Warehouse))
        warehouses = {w.pk: w for w in warehouses}
        stock = {
            s.warehouse_id: s
            for s in WarehouseStock.objects.filter(
                product_id=product_id, warehouse_id__in=warehouses
            )
        }
        expected = incoming(product_id=product_id, warehouse_ids=list(warehouses))
        data = []
        for warehouse in sorted(warehouses.values(), key=lambda w: w.code):
            row = stock.get(warehouse.pk)
            if row is None and warehouse.pk not in expected:
                continue
            figures = Availability(*((row.on_hand, row.reserved, row.frozen) if row else (0, 0, 0)))
            coming = expected.get(warehouse.pk, 0)
            data.append(
                {
                    "warehouse": warehouse.pk,
                    "warehouse_name": warehouse.name,
                    "on_hand": figures.on_hand,
                    "reserved": figures.reserved,
                    "frozen": figures.frozen,
                    "available": figures.available,
                    "incoming": coming,
                    "projected": figures.available + coming,
                }
            )
        return Response(
            {"product": product_id, "warehouses": AvailabilityRowSerializer(data, many=True).data}
        )

    def _id(self, request, name, model) -> int:
        raw = request.query_params.get(name, "")
        if (
            not raw.isdigit()
            or not model.objects.filter(pk=int(raw), organization=request.organization).exists()
        ):
            raise ValidationFailed(_("Unknown id."), field=name)
        return int(raw)


class VerifyView(JxcAPIView):
    """``GET stock/verify/``: run every inventory invariant check (what ``jxc verify`` runs)
    for the active organization and list the violations with the rows involved."""

    module = "inventory"

    @extend_schema(
        responses=inline_serializer(
            "VerifyResult",
            {
                "consistent": serializers.BooleanField(),
                "problems": serializers.ListField(child=serializers.DictField()),
            },
        )
    )
    def get(self, request):
        from jxc.inventory.verify import verify

        problems = verify(request.organization)
        return Response({"consistent": not problems, "problems": problems[:1000]})


class FreezeSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    location = location_field(label=_("location"))
    location_code = serializers.CharField(source="location.code", read_only=True)
    lot = OrganizationScopedPKField(
        scope=scoped(Lot), required=False, allow_null=True, label=_("lot")
    )
    lot_code = serializers.CharField(
        source="lot.code", read_only=True, default=None, label=_("lot number")
    )
    quantity = serializers.DecimalField(
        max_digits=18, decimal_places=4, min_value=0, max_value=10**12, label=_("quantity")
    )

    class Meta:
        model = StockFreeze
        fields = [
            "id",
            "product",
            "product_code",
            "product_name",
            "location",
            "location_code",
            "lot",
            "lot_code",
            "quantity",
            "reason",
            "state",
            "created_at",
            "released_at",
        ]
        read_only_fields = ["state", "created_at", "released_at"]


class FreezeViewSet(mixins.CreateModelMixin, ReadOnlyScopedViewSet):
    """冻结 / 解冻: quality holds on stock at a location."""

    module = "inventory"
    serializer_class = FreezeSerializer
    queryset = StockFreeze.objects.select_related("product", "location", "lot")
    filterset_fields = ["product", "location", "state"]
    search_fields = ["product__code", "product__name", "reason"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    action_permissions = {"create": "edit", "release": "edit"}

    def perform_create(self, serializer):
        serializer.instance = freeze_stock(
            organization=self.request.organization,
            user=self.request.user,
            **serializer.validated_data,
        )

    @extend_schema(request=None, responses=FreezeSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return Response(self.get_serializer(release_freeze(freeze=self.get_object())).data)
