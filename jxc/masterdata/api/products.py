"""Products: list with search (code, name, mnemonic, specification, barcode), CRUD, image."""

import django_filters
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.settings import api_settings

from jxc.core.api.fields import CostFieldsMixin
from jxc.core.api.views import RecordViewSet
from jxc.core.errors import NotFound, ValidationFailed
from jxc.masterdata.api.common import (
    CustomFieldExportMixin,
    CustomFieldFilter,
    category_field,
    partner_field,
    tax_rate_field,
    unit_field,
)
from jxc.masterdata.api.labels import LabelRequestSerializer, product_labels
from jxc.masterdata.models import Category, Product, ProductImage
from jxc.masterdata.selectors import search_products
from jxc.masterdata.services.products import save_product, set_product_image

MONEY = {"max_digits": 20, "decimal_places": 6, "min_value": 0, "max_value": 10**12}
QUANTITY = {"max_digits": 18, "decimal_places": 4, "min_value": 0, "max_value": 10**12}


class ProductUnitSerializer(serializers.Serializer):
    unit = unit_field(label=_("unit"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    factor = serializers.DecimalField(
        max_digits=18, decimal_places=6, max_value=10**9, label=_("conversion factor")
    )


class ProductBarcodeSerializer(serializers.Serializer):
    barcode = serializers.CharField(max_length=48, label=_("barcode"))
    symbology = serializers.CharField(read_only=True)
    unit = unit_field(allow_null=True, required=False, label=_("unit"))


class ProductSerializer(CostFieldsMixin, serializers.ModelSerializer):
    category = category_field(allow_null=True, required=False, label=_("category"))
    category_name = serializers.CharField(
        source="category.name", read_only=True, default=None, label=_("category name")
    )
    base_unit = unit_field(label=_("base unit"))
    base_unit_name = serializers.CharField(
        source="base_unit.name", read_only=True, label=_("base unit name")
    )
    tax_rate = tax_rate_field(allow_null=True, required=False, label=_("default tax rate"))
    default_supplier = partner_field(allow_null=True, required=False, label=_("default supplier"))
    default_supplier_name = serializers.CharField(
        source="default_supplier.name",
        read_only=True,
        default=None,
        label=_("default supplier name"),
    )
    purchase_price = serializers.DecimalField(**MONEY, required=False, label=_("purchase price"))
    sale_price = serializers.DecimalField(**MONEY, required=False, label=_("sale price"))
    price_floor = serializers.DecimalField(**MONEY, required=False, label=_("price floor"))
    safety_stock = serializers.DecimalField(**QUANTITY, required=False, label=_("safety stock"))
    reorder_point = serializers.DecimalField(**QUANTITY, required=False, label=_("reorder point"))
    reorder_quantity = serializers.DecimalField(
        **QUANTITY, required=False, label=_("reorder quantity")
    )
    max_stock = serializers.DecimalField(
        **QUANTITY, required=False, allow_null=True, label=_("maximum stock")
    )
    shelf_life_days = serializers.IntegerField(
        min_value=0, max_value=36500, required=False, allow_null=True, label=_("shelf life (days)")
    )
    units = ProductUnitSerializer(many=True, required=False, label=_("alternative units"))
    barcodes = ProductBarcodeSerializer(many=True, required=False, label=_("barcodes"))
    custom = serializers.DictField(required=False, label=_("custom fields"))
    has_image = serializers.SerializerMethodField(label=_("image"))
    image_version = serializers.SerializerMethodField(label=_("image version"))

    class Meta:
        model = Product
        fields = [
            "id",
            "code",
            "name",
            "specification",
            "category",
            "category_name",
            "brand",
            "base_unit",
            "base_unit_name",
            "pinyin",
            "tax_rate",
            "costing_method",
            "tracking",
            "shelf_life_days",
            "safety_stock",
            "reorder_point",
            "reorder_quantity",
            "max_stock",
            "default_supplier",
            "default_supplier_name",
            "purchase_price",
            "sale_price",
            "price_floor",
            "allow_negative_stock",
            "is_active",
            "units",
            "barcodes",
            "custom",
            "has_image",
            "image_version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        cost_fields = ("purchase_price",)
        extra_kwargs = {"pinyin": {"required": False}}

    def get_image_version(self, product) -> str | None:
        """Changes whenever the image does: the UI appends it to the image URL."""
        stamp = getattr(product, "image_stamp", None)
        if stamp is None and not hasattr(product, "image_stamp"):
            image = ProductImage.objects.filter(product=product).values("updated_at").first()
            stamp = image["updated_at"] if image else None
        return str(int(stamp.timestamp() * 1000)) if stamp else None

    def get_has_image(self, product) -> bool:
        return (
            getattr(product, "has_image_flag", None)
            or ProductImage.objects.filter(product=product).exists()
        )


class ProductFilter(django_filters.FilterSet):
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), method="in_category", label=_("category")
    )
    barcode = django_filters.CharFilter(field_name="barcodes__barcode", label=_("barcode"))

    class Meta:
        model = Product
        fields = [
            "is_active",
            "tracking",
            "costing_method",
            "base_unit",
            "brand",
            "default_supplier",
            "allow_negative_stock",
        ]

    def in_category(self, queryset, name, category):
        """The category and all of its sub-categories."""
        ids, frontier = {category.pk}, [category.pk]
        while frontier:
            frontier = list(
                Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.update(frontier)
        return queryset.filter(category_id__in=ids)


class ProductSearchFilter(CustomFieldFilter):
    """``?search=`` on the one lower-cased search column (code, name, mnemonic, spec, barcodes)."""

    def filter_queryset(self, request, queryset, view):
        queryset = super().filter_queryset(request, queryset, view)
        term = request.query_params.get("search", "").strip().lower()[:64]
        return queryset.filter(search_text__contains=term) if term else queryset


class ProductViewSet(CustomFieldExportMixin, RecordViewSet):
    module = "masterdata"
    custom_field_target = "product"
    serializer_class = ProductSerializer
    queryset = Product.objects.select_related(
        "category", "base_unit", "default_supplier"
    ).prefetch_related("units__unit", "barcodes")
    filterset_class = ProductFilter
    filter_backends = [
        f for f in api_settings.DEFAULT_FILTER_BACKENDS if f.__name__ != "SearchFilter"
    ] + [ProductSearchFilter]
    ordering_fields = ["code", "name", "sale_price", "created_at", "updated_at"]
    ordering = ["code"]
    export_exclude = ("category", "base_unit", "tax_rate", "default_supplier", "units", "has_image")
    action_permissions = {
        "search": "view",
        "image": "view",
        "upload_image": "edit",
        "labels": "view",
    }
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]

    def get_queryset(self):
        from django.db.models import Exists, OuterRef, Subquery

        images = ProductImage.objects.filter(product=OuterRef("pk"))
        return (
            super()
            .get_queryset()
            .annotate(
                has_image_flag=Exists(images), image_stamp=Subquery(images.values("updated_at")[:1])
            )
        )

    def get_export_columns(self, serializer):
        """Barcodes and alternative units as the import reads them (``a; b``, ``箱=24``)."""
        columns = []
        for header, value in super().get_export_columns(serializer):
            if header == str(serializer.fields["barcodes"].label):
                columns.append(
                    (header, lambda row: "; ".join(b["barcode"] for b in row.get("barcodes") or []))
                )
                columns.append(
                    (
                        str(_("alternative units")),
                        lambda row: "; ".join(
                            f"{u['unit_name']}={u['factor'].rstrip('0').rstrip('.')}"
                            for u in row.get("units") or []
                        ),
                    )
                )
            else:
                columns.append((header, value))
        return columns

    def save_instance(self, data, instance=None):
        return save_product(organization=self.request.organization, data=data, product=instance)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q", str, description="code, name, pinyin initials, specification or barcode"
            ),
            OpenApiParameter("limit", int),
        ],
        responses=ProductSerializer(many=True),
    )
    @action(detail=False, methods=["get"], pagination_class=None)
    def search(self, request):
        """The product picker: up to ``limit`` (20) active products, exact code/barcode first."""
        try:
            limit = max(1, min(int(request.query_params.get("limit", 20)), 100))
        except ValueError:
            raise ValidationFailed(_("Must be a whole number."), field="limit") from None
        products = search_products(
            request.organization, request.query_params.get("q", ""), limit=limit
        )
        return Response(self.get_serializer(products, many=True).data)

    @extend_schema(
        request=LabelRequestSerializer,
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["post"])
    def labels(self, request):
        """Barcode labels (Code128/EAN-13 plus QR, name, code, price) as a PDF."""
        return product_labels(request, self.get_queryset())

    @extend_schema(responses={(200, "image/*"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def image(self, request, pk=None):
        product = self.get_object()
        image = ProductImage.objects.filter(product=product).first()
        if image is None:
            raise NotFound(_("This product has no image."))
        response = HttpResponse(bytes(image.data), content_type=image.content_type)
        response["Cache-Control"] = "private, max-age=300"
        return response

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"image": {"type": "string", "format": "binary"}},
            }
        },
        responses=ProductSerializer,
    )
    @image.mapping.post
    def upload_image(self, request, pk=None):
        product = self.get_object()
        upload = request.FILES.get("image")
        if upload is None:
            raise ValidationFailed(_("Choose an image file."), field="image")
        set_product_image(
            product=product,
            content_type=upload.content_type or "",
            data=upload.read(2 * 1024 * 1024 + 1),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=product.pk)).data)
