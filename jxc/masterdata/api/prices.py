"""Price lists and the price lookup the sales and purchasing documents use."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.fields import OrganizationScopedPKField
from jxc.core.api.views import JxcAPIView, RecordViewSet
from jxc.masterdata.api.common import (
    ProductLabels,
    currency_field,
    partner_field,
    product_field,
    scoped,
)
from jxc.masterdata.models import Partner, PriceList, PriceListItem, Product
from jxc.masterdata.selectors import price_for
from jxc.masterdata.services.prices import save_price_list


class PriceListItemSerializer(ProductLabels, serializers.ModelSerializer):
    product = product_field(label=_("product"))
    min_quantity = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=0,
        max_value=10**12,
        required=False,
        label=_("minimum quantity"),
    )
    price = serializers.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, max_value=10**12, label=_("price")
    )
    discount_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        label=_("discount (%)"),
    )

    class Meta:
        model = PriceListItem
        fields = [
            "product",
            "product_code",
            "product_name",
            "min_quantity",
            "price",
            "discount_percent",
        ]


class PriceListSerializer(serializers.ModelSerializer):
    currency = currency_field(label=_("currency"))
    partner = partner_field(allow_null=True, required=False, label=_("partner"))
    partner_name = serializers.CharField(
        source="partner.name", read_only=True, default=None, label=_("partner name")
    )
    items = PriceListItemSerializer(many=True, required=False, label=_("items"), max_length=20000)
    item_count = serializers.SerializerMethodField(label=_("items"))

    class Meta:
        model = PriceList
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "currency",
            "tax_included",
            "partner",
            "partner_name",
            "customer_group",
            "valid_from",
            "valid_to",
            "is_active",
            "items",
            "item_count",
        ]

    def get_item_count(self, price_list) -> int:
        total = getattr(price_list, "items_total", None)
        return total if total is not None else len(price_list.items.all())


class PriceListViewSet(RecordViewSet):
    module = "masterdata"
    serializer_class = PriceListSerializer
    queryset = PriceList.objects.select_related("partner", "currency").prefetch_related(
        "items__product"
    )
    filterset_fields = ["kind", "is_active", "partner", "customer_group", "currency"]
    search_fields = ["code", "name", "partner__name", "customer_group"]
    ordering_fields = ["code", "name", "valid_from", "valid_to"]
    ordering = ["kind", "code"]
    export_exclude = ("items", "partner", "currency")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action in ("list", "export"):  # a list shows headers; items come per list
            from django.db.models import Count

            queryset = queryset.prefetch_related(None).annotate(items_total=Count("items"))
        return queryset

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self.action in ("list", "export"):
            (serializer.child if hasattr(serializer, "child") else serializer).fields.pop(
                "items", None
            )
        return serializer

    def save_instance(self, data, instance=None):
        return save_price_list(
            organization=self.request.organization, data=data, price_list=instance
        )


class PriceQuerySerializer(serializers.Serializer):
    product = OrganizationScopedPKField(scope=scoped(Product), label=_("product"))
    partner = OrganizationScopedPKField(
        scope=scoped(Partner), required=False, allow_null=True, label=_("partner")
    )
    quantity = serializers.DecimalField(
        max_digits=18,
        decimal_places=4,
        min_value=0,
        max_value=10**12,
        default=Decimal(1),
        label=_("quantity"),
    )
    date = serializers.DateField(required=False, label=_("date"))
    kind = serializers.ChoiceField(choices=PriceList.Kind.choices, default="sales", label=_("kind"))


class PriceQuoteSerializer(serializers.Serializer):
    price = serializers.DecimalField(max_digits=20, decimal_places=6)
    discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    net_price = serializers.DecimalField(max_digits=20, decimal_places=6)
    tax_included = serializers.BooleanField()
    currency = serializers.CharField(allow_null=True)
    source = serializers.CharField()
    price_list = serializers.IntegerField(source="price_list_id", allow_null=True)


class PriceLookupView(JxcAPIView):
    """``GET prices/lookup/?product=&partner=&quantity=&date=&kind=``: the applicable price."""

    module = "masterdata"

    @extend_schema(parameters=[PriceQuerySerializer], responses=PriceQuoteSerializer)
    def get(self, request):
        query = PriceQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        data = query.validated_data
        quote = price_for(
            partner=data.get("partner"),
            product=data["product"],
            quantity=data["quantity"],
            on_date=data.get("date") or timezone.localdate(),
            kind=data["kind"],
        )
        return Response(PriceQuoteSerializer(quote).data)
