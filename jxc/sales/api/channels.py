"""Sales channels, their quotas, and channel orders received through the API or an upload."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import parsers, serializers, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from jxc.core.api.errors import error_body
from jxc.core.api.fields import OrganizationScopedPKField
from jxc.core.api.views import JxcAPIView, RecordViewSet
from jxc.core.errors import ValidationFailed
from jxc.masterdata.api.common import product_field, warehouse_field
from jxc.sales.api.common import PRICE, QUANTITY
from jxc.sales.api.orders import SalesOrderSerializer, customer_field
from jxc.sales.models import ChannelQuota, SalesChannel, SalesOrder
from jxc.sales.services import channels
from jxc.sales.services.common import MAX_LINES

CONFIGURE = {"create": "configure", "update": "configure", "partial_update": "configure",
             "destroy": "configure"}  # fmt: skip


class SalesChannelSerializer(serializers.ModelSerializer):
    default_customer = customer_field(required=False, allow_null=True, label=_("default customer"))
    default_customer_name = serializers.CharField(
        source="default_customer.name", read_only=True, default=None
    )
    default_warehouse = warehouse_field(label=_("default warehouse"))
    default_warehouse_name = serializers.CharField(source="default_warehouse.name", read_only=True)
    quota_percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
        allow_null=True,
        # xgettext:no-python-format
        label=_("quota (% of available stock)"),
    )
    column_mapping = serializers.DictField(
        child=serializers.CharField(max_length=64, allow_blank=True),
        required=False,
        label=_("upload column mapping"),
        help_text=_("Per field (%(fields)s), the header of its column in the channel's files.")
        % {"fields": ", ".join(channels.UPLOAD_FIELDS)},
    )

    class Meta:
        model = SalesChannel
        fields = ["id", "code", "name", "default_customer", "default_customer_name",
                  "default_warehouse", "default_warehouse_name", "is_active", "auto_confirm",
                  "quota_percent", "column_mapping"]  # fmt: skip

    def validate_column_mapping(self, value):
        unknown = sorted(set(value) - set(channels.UPLOAD_FIELDS))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)}
            )
        return {key: text.strip() for key, text in value.items() if text.strip()}


class SalesChannelViewSet(RecordViewSet):
    """销售渠道: online shops, marketplaces, a POS; their defaults, quota and upload columns."""

    module = "sales"
    serializer_class = SalesChannelSerializer
    queryset = SalesChannel.objects.select_related("default_customer", "default_warehouse")
    search_fields = ["code", "name"]
    filterset_fields = ["is_active"]
    export_exclude = ("column_mapping", "default_customer", "default_warehouse")
    action_permissions = CONFIGURE


def channel_field(**kwargs):
    return OrganizationScopedPKField(
        scope=lambda organization: SalesChannel.objects.filter(organization=organization),
        **kwargs,
    )


class ChannelQuotaSerializer(serializers.ModelSerializer):
    channel = channel_field(label=_("sales channel"))
    product = product_field(label=_("product"))
    product_code = serializers.CharField(source="product.code", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    quantity = serializers.DecimalField(**QUANTITY, min_value=0, label=_("quota"))

    class Meta:
        model = ChannelQuota
        fields = ["id", "channel", "product", "product_code", "product_name", "quantity"]


class ChannelQuotaViewSet(RecordViewSet):
    """What of a product a channel's open orders may hold reserved (base units)."""

    module = "sales"
    serializer_class = ChannelQuotaSerializer
    queryset = ChannelQuota.objects.select_related("product", "channel")
    filterset_fields = ["channel", "product"]
    export_exclude = ("channel", "product")
    action_permissions = CONFIGURE


class ChannelOrderLineInput(serializers.Serializer):
    product_code = serializers.CharField(
        required=False, allow_blank=True, max_length=40, label=_("product code")
    )
    barcode = serializers.CharField(
        required=False, allow_blank=True, max_length=64, label=_("barcode")
    )
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(
        **PRICE,
        required=False,
        allow_null=True,
        label=_("unit price"),
        help_text=_("Left out: the price list's."),
    )


class ChannelOrderInput(serializers.Serializer):
    channel = serializers.CharField(max_length=32, label=_("channel code"))
    channel_order_id = serializers.CharField(max_length=64, label=_("channel order id"))
    customer_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=40,
        label=_("customer code"),
        help_text=_("Left out: the channel's default customer."),
    )
    warehouse_code = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=32,
        label=_("warehouse code"),
        help_text=_("Left out: the channel's default warehouse."),
    )
    business_date = serializers.DateField(required=False, allow_null=True, label=_("business date"))
    shipping_address = serializers.CharField(
        required=False, allow_blank=True, max_length=255, label=_("shipping address")
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)
    confirm = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        label=_("confirm"),
        help_text=_(
            "Submit and confirm at once (reserving the stock); left out: the channel's "
            "auto-confirm setting."
        ),  # fmt: skip
    )
    lines = ChannelOrderLineInput(many=True, max_length=MAX_LINES, label=_("lines"))


def find_channel(organization, code: str) -> SalesChannel:
    found = SalesChannel.objects.filter(organization=organization, code=code.strip()).first()
    if found is None:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    return found


EXAMPLE = {
    "channel": "TMALL",
    "channel_order_id": "T20261127-000123",
    "shipping_address": "上海市浦东新区张江路 88 号",
    "lines": [{"product_code": "P-1001", "quantity": "2"}],
}
ERROR = OpenApiResponse(description=_("The error body: code, message, fields."))


class ChannelOrderView(JxcAPIView):
    """``POST sales/channel-orders/``: receive one channel order, idempotently."""

    module = "sales"
    action_permissions = {"post": "create"}
    action = "post"

    @extend_schema(
        request=ChannelOrderInput,
        responses={
            201: SalesOrderSerializer,
            200: OpenApiResponse(
                SalesOrderSerializer,
                description=_("Received before with the same body: the same order."),
            ),
            400: ERROR,
            409: OpenApiResponse(
                description=_("Received before with another body (names channel_order_id).")
            ),
        },
        examples=[OpenApiExample("channel order", value=EXAMPLE, request_only=True)],
    )
    def post(self, request):
        """Receive a channel order (多渠道订单): products by code or barcode, the customer by
        code or the channel's default. The same channel order id with the same body returns
        the order made the first time (200, ``Channel-Order-Replayed: true``); with another
        body it is refused (409). With ``confirm`` the order is confirmed at once, reserving
        stock by the availability policy and the channel's quota."""
        body = ChannelOrderInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["lines"] = [dict(line) for line in data["lines"]]
        channel = find_channel(request.organization, data.pop("channel"))
        order, created = channels.receive_channel_order(
            organization=request.organization, user=request.user, channel=channel, data=data
        )
        response = Response(
            SalesOrderSerializer(_reread(order), context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
        if not created:
            response["Channel-Order-Replayed"] = "true"
        return response


def _reread(order):
    return (
        SalesOrder.objects.select_related("customer", "currency", "warehouse", "channel")
        .prefetch_related("lines__product", "lines__unit")
        .get(pk=order.pk)
    )


class ChannelUploadInput(serializers.Serializer):
    channel = serializers.CharField(max_length=32, label=_("channel code"))
    file = serializers.FileField(label=_("file"))


UPLOADED = inline_serializer(
    "ChannelUploadResult",
    {
        "created": serializers.IntegerField(),
        "existing": serializers.IntegerField(),
        "orders": inline_serializer(
            "ChannelUploadOrder",
            {
                "id": serializers.IntegerField(),
                "number": serializers.CharField(),
                "state": serializers.CharField(),
                "channel_order_id": serializers.CharField(),
                "created": serializers.BooleanField(),
            },
            many=True,
        ),
    },
)
REJECTED = inline_serializer(
    "ChannelUploadRejected",
    {
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "fields": serializers.DictField(),
        "errors": inline_serializer(
            "ChannelUploadError",
            {
                "row": serializers.IntegerField(),
                "column": serializers.CharField(),
                "message": serializers.CharField(),
            },
            many=True,
        ),
    },
)


class ChannelUploadView(JxcAPIView):
    """``POST sales/channel-orders/upload/``: a channel's CSV or Excel file of orders."""

    module = "sales"
    action_permissions = {"post": "create"}
    action = "post"
    parser_classes = [parsers.MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ChannelUploadInput},
        responses={200: UPLOADED, 400: REJECTED},
    )
    def post(self, request):
        """One row a line, rows of one channel order id one order, columns found by the
        channel's mapping. Every row is checked first; any problem refuses the file, nothing
        written, each listed with its row and column. Orders received before (same body) are
        returned as they are."""
        body = ChannelUploadInput(data=request.data)
        body.is_valid(raise_exception=True)
        file = body.validated_data["file"]
        if file.size > 50 * 1024 * 1024:
            raise ValidationFailed(_("The file is larger than 50 MB."), field="file")
        channel = find_channel(request.organization, body.validated_data["channel"])
        try:
            done = channels.upload_channel_orders(
                organization=request.organization,
                user=request.user,
                channel=channel,
                filename=file.name,
                content=file.read(),
            )
        except channels.UploadRejected as exc:
            set_rollback()
            return Response(
                {**error_body(exc.code, exc.message, exc.fields), "errors": exc.errors},
                status=status.HTTP_400_BAD_REQUEST,
            )
        orders = [
            {"id": order.pk, "number": order.number, "state": order.state,
             "channel_order_id": order.channel_order_id, "created": created}
            for order, created in done
        ]  # fmt: skip
        created = sum(1 for item in orders if item["created"])
        return Response({"created": created, "existing": len(orders) - created, "orders": orders})
