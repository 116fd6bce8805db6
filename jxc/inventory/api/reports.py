"""库存台账 and 进销存汇总表."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.export import ExportMixin
from jxc.core.api.views import JxcViewSet
from jxc.core.errors import ValidationFailed
from jxc.inventory.domain.costing import money, quantity4
from jxc.inventory.models import StockMonthClose
from jxc.inventory.reports import MOVE_KINDS, kinds_of, stock_ledger, stock_summary
from jxc.masterdata.api.common import product_field, warehouse_field
from jxc.masterdata.models import Product, Warehouse

QUANTITY = {"max_digits": 18, "decimal_places": 4}
AMOUNT = {"max_digits": 18, "decimal_places": 2}
MAX_DAYS = 3660
KIND_FIGURES = ("in_quantity", "in_value", "out_quantity", "out_value")


class PeriodSerializer(serializers.Serializer):
    date_from = serializers.DateField(label=_("from date"))
    date_to = serializers.DateField(label=_("to date"))
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise ValidationFailed(_("The end date is before the start date."), field="date_to")
        if (attrs["date_to"] - attrs["date_from"]).days > MAX_DAYS:
            raise ValidationFailed(_("Choose at most ten years."), field="date_from")
        return attrs


class LedgerQuerySerializer(PeriodSerializer):
    product = product_field(label=_("product"))


class LedgerRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    business_date = serializers.DateField()
    reference = serializers.CharField()
    origin_type = serializers.CharField()
    quantity_in = serializers.DecimalField(**QUANTITY)
    quantity_out = serializers.DecimalField(**QUANTITY)
    balance = serializers.DecimalField(**QUANTITY)
    value_in = serializers.DecimalField(**AMOUNT)
    value_out = serializers.DecimalField(**AMOUNT)


class LedgerSerializer(serializers.Serializer):
    opening = serializers.DecimalField(**QUANTITY)
    closing = serializers.DecimalField(**QUANTITY)
    truncated = serializers.BooleanField()
    rows = LedgerRowSerializer(many=True)


class SummaryRowSerializer(serializers.Serializer):
    product = serializers.IntegerField(source="product_id", label=_("product"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    warehouse = serializers.IntegerField(source="warehouse_id", label=_("warehouse"))
    warehouse_name = serializers.CharField(label=_("warehouse name"))
    opening_quantity = serializers.DecimalField(**QUANTITY, label=_("opening quantity"))
    opening_value = serializers.DecimalField(**AMOUNT, label=_("opening value"))
    in_quantity = serializers.DecimalField(**QUANTITY, label=_("quantity in"))
    in_value = serializers.DecimalField(**AMOUNT, label=_("value in"))
    out_quantity = serializers.DecimalField(**QUANTITY, label=_("quantity out"))
    out_value = serializers.DecimalField(**AMOUNT, label=_("value out"))
    closing_quantity = serializers.DecimalField(**QUANTITY, label=_("closing quantity"))
    closing_value = serializers.DecimalField(**AMOUNT, label=_("closing value"))
    by_kind = serializers.SerializerMethodField(label=_("by kind of move"))

    def _sees_costs(self) -> bool:
        access = self.context.get("access")
        return access is not None and access.can_see_costs

    @extend_schema_field(
        {
            "type": "object",
            "description": "Per kind of move (transfer, or the origin of the moves): quantity "
            "and (for roles that may see costs) value in and out.",
            "additionalProperties": {
                "type": "object",
                "properties": {name: {"type": "string"} for name in KIND_FIGURES},
            },
        }
    )
    def get_by_kind(self, row) -> dict:
        shown = KIND_FIGURES if self._sees_costs() else KIND_FIGURES[::2]

        def text(name, figure):
            figure = Decimal(figure)
            return str(money(figure) if name.endswith("_value") else quantity4(figure))

        return {
            kind: {name: text(name, figures[KIND_FIGURES.index(name)]) for name in shown}
            for kind, figures in sorted(kinds_of(row).items())
        }

    def get_fields(self):
        fields = super().get_fields()
        access = self.context.get("access")
        if access is None or not access.can_see_costs:
            for name in [n for n in fields if n.endswith("_value")]:
                fields.pop(name)
        return fields


def _hide_values(data: dict, access) -> dict:
    if access is None or not access.can_see_costs:
        for row in data["rows"]:
            row.pop("value_in", None)
            row.pop("value_out", None)
    return data


class StockLedgerViewSet(JxcViewSet):
    """``GET stock-ledger/?product=&warehouse=&date_from=&date_to=`` (库存台账)."""

    module = "inventory"
    queryset = StockMonthClose.objects.none()  # the report reads the ledger itself

    @extend_schema(parameters=[LedgerQuerySerializer], responses=LedgerSerializer)
    def list(self, request):
        query = LedgerQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        warehouse = data.get("warehouse")
        result = stock_ledger(
            request.organization,
            product_id=data["product"].pk,
            warehouse_id=warehouse.pk if warehouse else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )
        return Response(_hide_values(LedgerSerializer(result).data, request.access))


class StockSummaryViewSet(ExportMixin, JxcViewSet):
    """``GET stock-summary/?date_from=&date_to=&warehouse=`` (进销存汇总表), paginated."""

    module = "inventory"
    serializer_class = SummaryRowSerializer
    export_filename = "stock-summary"
    export_exclude = ("by_kind",)

    def get_export_columns(self, serializer):
        """The totals, then quantity (and value) in and out per kind of move."""
        columns = super().get_export_columns(serializer)
        shown = KIND_FIGURES if serializer._sees_costs() else KIND_FIGURES[::2]
        labels = dict(
            zip(
                KIND_FIGURES,
                (_("quantity in"), _("value in"), _("quantity out"), _("value out")),
                strict=True,
            )
        )
        for kind, label in MOVE_KINDS.items():
            for name in shown:
                columns.append(
                    (
                        f"{label} {labels[name]}",
                        lambda row, kind=kind, name=name: row["by_kind"].get(kind, {}).get(name),
                    )
                )
        return columns

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no query
            return StockMonthClose.objects.none()
        query = PeriodSerializer(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        warehouse = data.get("warehouse")
        rows = stock_summary(
            self.request.organization,
            date_from=data["date_from"],
            date_to=data["date_to"],
            warehouse_id=warehouse.pk if warehouse else None,
        )
        products = dict(
            Product.objects.filter(pk__in={r["product_id"] for r in rows}).values_list("pk", "code")
        )
        names = dict(Product.objects.filter(pk__in=products).values_list("pk", "name"))
        warehouses = dict(
            Warehouse.objects.filter(organization=self.request.organization).values_list(
                "pk", "name"
            )
        )
        for row in rows:
            row["product_code"] = products.get(row["product_id"], "")
            row["product_name"] = names.get(row["product_id"], "")
            row["warehouse_name"] = warehouses.get(row["warehouse_id"], "")
        return sorted(rows, key=lambda r: (r["product_code"], r["warehouse_name"]))

    def filter_queryset(self, queryset):
        return queryset

    @extend_schema(parameters=[PeriodSerializer], responses=SummaryRowSerializer(many=True))
    def list(self, request):
        rows = self.get_queryset()
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
