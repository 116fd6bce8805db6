"""Sales orders and the sales settings."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import OrganizationScopedPKField, ReadAheadListSerializer
from jxc.core.api.printing import PdfMixin
from jxc.core.api.views import JxcAPIView, RecordViewSet
from jxc.core.states import DocumentState as S
from jxc.finance.api.accounts import account_field
from jxc.finance.models import Payment
from jxc.inventory.models import Reservation
from jxc.masterdata.api.common import (
    ProductLabels,
    currency_field,
    product_field,
    tax_rate_field,
    unit_field,
    warehouse_field,
)
from jxc.masterdata.models import Partner
from jxc.sales.api.common import (
    PRICE,
    QUANTITY,
    DocumentViewSet,
    EmailDocumentSerializer,
    EmailQueuedSerializer,
    HeaderFields,
)
from jxc.sales.models import PolicyOverride, SalesOrder, SalesOrderDeposit, SalesOrderLine
from jxc.sales.services import deposits, mailing, orders, printing, splits
from jxc.sales.services.common import ORDER_LINE, ZERO, sales_settings


def customer_field(**kwargs):
    def scope(organization):
        return Partner.objects.filter(organization=organization, is_customer=True)

    return OrganizationScopedPKField(scope=scope, **kwargs)


class OrderLineSerializer(ProductLabels, serializers.ModelSerializer):
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
    delivery_date = serializers.DateField(required=False, allow_null=True, label=_("delivery date"))

    class Meta:
        model = SalesOrderLine
        list_serializer_class = ReadAheadListSerializer
        read_ahead = {"product": ("tax_rate",)}  # all the lines' products in one query
        fields = ["id", "product", "product_code", "product_name", "unit", "unit_name",
                  "quantity", "base_quantity", "list_price", "unit_price", "discount_percent",
                  "tax_rate", "tax_percent", "tax_included", "delivery_date", "net_amount",
                  "tax_amount", "gross_amount", "below_floor", "reserved_quantity",
                  "reserved_open", "backorder_quantity", "delivered_quantity",
                  "prepaid_quantity"]  # fmt: skip
        read_only_fields = ["base_quantity", "list_price", "tax_percent", "net_amount",
                            "tax_amount", "gross_amount", "below_floor", "reserved_quantity",
                            "backorder_quantity", "delivered_quantity", "prepaid_quantity"]  # fmt: skip

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=4))
    def get_reserved_open(self, line) -> str:
        """What the line's reservation still holds (delivered or released parts are gone)."""
        found = self.context.get(OPEN_RESERVED, {}).get(line.pk, ZERO)
        return f"{found:.4f}"


OPEN_RESERVED = "open_reserved"


class SalesOrderListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        orders_ = list(data.all() if isinstance(data, models.manager.BaseManager) else data)
        load_open_reserved(self.context, orders_)
        return super().to_representation(orders_)


def open_reserved_now():
    """What a line's open reservation holds, as a subquery the lines' read carries (the API's
    lines prefetch): the answer needs no read of the reservations of its own."""
    return models.Subquery(
        Reservation.objects.filter(
            origin_type=ORDER_LINE, origin_id=models.OuterRef("pk"), state=Reservation.State.OPEN
        ).values("quantity")[:1]
    )


def load_open_reserved(context: dict, orders_) -> None:
    """The open reservations of the orders' lines, in one query, for the serializer (none when
    the lines were read with :func:`open_reserved_now`); a draft has none (stock is reserved on
    confirmation), so drafts alone read nothing."""
    lines = [line for order in orders_ if order.state != S.DRAFT for line in order.lines.all()]
    found = context.setdefault(OPEN_RESERVED, {})
    for line in lines:
        if getattr(line, "open_reserved_now", None) is not None:
            found[line.pk] = line.open_reserved_now
    ids = [line.pk for line in lines if not hasattr(line, "open_reserved_now")]
    if not ids:
        return
    found.update(
        (origin_id, quantity)
        for origin_id, quantity in Reservation.objects.filter(
            origin_type=ORDER_LINE, origin_id__in=ids, state=Reservation.State.OPEN
        ).values_list("origin_id", "quantity")
    )


MONEY = {"max_digits": 18, "decimal_places": 2, "max_value": 10**12}


class DepositSerializer(serializers.ModelSerializer):
    """A deposit (订金) of the order: its receipt, and what of it is still unused (on 预收)."""

    payment_number = serializers.CharField(source="payment.number", read_only=True)
    date = serializers.DateField(source="payment.date", read_only=True)
    amount = serializers.DecimalField(**MONEY, source="payment.amount", read_only=True)
    state = serializers.CharField(source="payment.state", read_only=True)
    unused = serializers.SerializerMethodField(label=_("unused"))

    class Meta:
        model = SalesOrderDeposit
        fields = ["id", "payment", "payment_number", "date", "amount", "state", "unused"]

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=2))
    def get_unused(self, deposit) -> str:
        item = deposit.payment.item
        if deposit.payment.state != Payment.State.POSTED or item is None:
            return "0.00"
        return f"{-item.open_amount:.2f}"


class ReceiveDepositSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY, min_value=Decimal("0.01"), label=_("amount"))
    account = account_field(label=_("cash or bank account"))
    date = serializers.DateField(required=False, allow_null=True, label=_("date"))
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, label=_("note"))


class SalesOrderSerializer(HeaderFields):
    customer = customer_field(label=_("customer"))
    currency = currency_field(required=False, allow_null=True, label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    warehouse = warehouse_field(label=_("warehouse"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    quotation_number = serializers.CharField(
        source="quotation.number", read_only=True, default=None, label=_("quotation number")
    )
    lines = OrderLineSerializer(many=True, required=False, label=_("lines"))
    shipping_address = serializers.CharField(
        required=False, allow_blank=True, max_length=255, label=_("shipping address")
    )
    channel_code = serializers.CharField(
        source="channel.code", read_only=True, default=None, label=_("sales channel")
    )
    channel_name = serializers.CharField(source="channel.name", read_only=True, default=None)
    split_from_number = serializers.CharField(
        source="split_from.number", read_only=True, default=None, label=_("split from")
    )
    deposits = DepositSerializer(many=True, read_only=True, label=_("deposits"))
    deposit_received = serializers.SerializerMethodField(label=_("deposit received"))

    class Meta:
        model = SalesOrder
        list_serializer_class = SalesOrderListSerializer
        fields = [*HeaderFields.HEADER, "currency", "currency_code", "rate", "warehouse",
                  "warehouse_name", "delivery_date", "payment_terms", "deposit_requested",
                  "net_amount", "tax_amount", "gross_amount", "below_floor", "credit_exceeded",
                  "confirmed_at", "quotation", "quotation_number", "shipping_address",
                  "channel", "channel_code", "channel_name", "channel_order_id", "split_from",
                  "split_from_number", "deposit_received", "deposits", "lines"]  # fmt: skip
        read_only_fields = [*HeaderFields.READ_ONLY, "rate", "net_amount", "tax_amount",
                            "gross_amount", "below_floor", "credit_exceeded", "confirmed_at",
                            "quotation", "channel", "channel_order_id", "split_from"]  # fmt: skip

    @extend_schema_field(serializers.DecimalField(max_digits=18, decimal_places=2))
    def get_deposit_received(self, order) -> str:
        """What the order's posted deposits received (reversed receipts do not count)."""
        return f"{deposits.deposit_totals(order)[0]:.2f}"

    def to_representation(self, instance):
        if OPEN_RESERVED not in self.context:
            load_open_reserved(self.context, [instance])
        return super().to_representation(instance)


class SplitLineInput(serializers.Serializer):
    line = OrganizationScopedPKField(
        scope=lambda organization: SalesOrderLine.objects.filter(order__organization=organization),
        label=_("order line"),
    )
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))


class SplitInput(serializers.Serializer):
    warehouse = warehouse_field(label=_("warehouse"))
    lines = SplitLineInput(many=True, max_length=1000, label=_("lines"))


class SalesOrderViewSet(PdfMixin, DocumentViewSet):
    """销售订单: drafts priced from the price lists; submit (credit and floor checks, approval,
    stock reserved on confirmation), close, cancel."""

    serializer_class = SalesOrderSerializer
    queryset = SalesOrder.objects.select_related(
        "customer", "currency", "warehouse", "created_by", "quotation", "channel", "split_from"
    ).prefetch_related(
        # the lines with their products and units joined (one query, not three), and what their
        # open reservations hold (no read of the reservations of its own)
        models.Prefetch(
            "lines",
            SalesOrderLine.objects.select_related("product", "unit").annotate(
                open_reserved_now=open_reserved_now()
            ),
        ),
        "deposits__payment__item",
    )
    filterset_fields = {
        "state": ["exact", "in"],
        "customer": ["exact"],
        "warehouse": ["exact"],
        "channel": ["exact", "isnull"],
        "business_date": ["gte", "lte"],
    }
    search_fields = ["number", "note", "customer__name", "lines__product__code",
                     "lines__product__name", "channel_order_id"]  # fmt: skip
    export_exclude = ("lines", "deposits", "customer", "warehouse", "currency", "channel",
                      "split_from")  # fmt: skip
    # taking money is finance's work
    action_permissions = {"submit": "edit", "cancel": "edit", "close": "edit", "split": "edit",
                          "email": "edit", "deposit": "finance.post"}  # fmt: skip
    save_service = orders.save_sales_order
    document_argument = "order"
    pdf_renderer = printing.order_pdf  # 销售订单确认书
    pdf_name = "sales-order"

    @extend_schema(request=None, responses=SalesOrderSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit (提交): numbered, checked against the credit limit and the price floor, sent
        for approval; confirmed at once (stock reserved) when no approval rule applies."""
        return self._done(orders.submit_sales_order(order=self.action_target(), user=request.user))

    @extend_schema(request=EmailDocumentSerializer, responses={202: EmailQueuedSerializer})
    @action(detail=True, methods=["post"])
    def email(self, request, pk=None):
        """发送邮件: the order confirmation's PDF to the customer (to: its contact's address
        unless given), sent in the background; the send is recorded in the order's history."""
        return self._email(request, lambda order, **kw: mailing.email_order(order=order, **kw))

    @extend_schema(request=None, responses=SalesOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a draft, or a confirmed order with nothing delivered (reservations released)."""
        return self._done(orders.cancel_sales_order(order=self.action_target()))

    @extend_schema(request=None, responses=SalesOrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close (关闭): nothing more will be delivered; what is still reserved is released."""
        return self._done(orders.close_sales_order(order=self.action_target()))

    @extend_schema(request=SplitInput, responses={201: SalesOrderSerializer})
    @action(detail=True, methods=["post"])
    def split(self, request, pk=None):
        """Split (拆单): lines or parts of lines of a draft move to a new draft order shipping
        from another warehouse; answers the new order."""
        order = self.get_object()
        body = SplitInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        new = splits.split_sales_order(
            order=order,
            user=request.user,
            warehouse=body.validated_data["warehouse"],
            lines=[dict(line) for line in body.validated_data["lines"]],
        )
        found = self.get_serializer(self.get_queryset().get(pk=new.pk)).data
        return Response(found, status=201)

    @extend_schema(request=ReceiveDepositSerializer, responses=SalesOrderSerializer)
    @action(detail=True, methods=["post"])
    def deposit(self, request, pk=None):
        """收订金: post a receipt of the customer for the order; it sits on 预收 and settles the
        order's invoices when they post."""
        order = self.get_object()
        body = ReceiveDepositSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        deposits.receive_deposit(order=order, user=request.user, data=body.validated_data)
        return self._done(order)


class SalesSettingsSerializer(serializers.Serializer):
    availability_policy = serializers.ChoiceField(
        choices=orders.AvailabilityPolicy.choices, required=False, label=_("availability policy")
    )
    credit_policy = serializers.ChoiceField(
        choices=orders.CreditPolicy.choices, required=False, label=_("credit policy")
    )
    allocate_on_arrival = serializers.BooleanField(
        required=False, label=_("allocate arriving stock to backorders")
    )


class SalesSettingsView(JxcAPIView):
    """``GET``/``PATCH sales/settings/``: the organization's availability and credit policies,
    and whether stock arriving in a warehouse goes to the open backorders at once."""

    module = "sales"
    action_permissions = {"patch": "configure"}

    @property
    def action(self):
        return "patch" if self.request.method == "PATCH" else "retrieve"

    @extend_schema(responses=SalesSettingsSerializer)
    def get(self, request):
        found = sales_settings(request.organization)
        return self._render(found)

    @extend_schema(request=SalesSettingsSerializer, responses=SalesSettingsSerializer)
    def patch(self, request):
        body = SalesSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        found = sales_settings(request.organization)
        for name, value in body.validated_data.items():
            setattr(found, name, value)
        found.save()
        return self._render(found)

    def _render(self, found):
        return Response(SalesSettingsSerializer(found).data)


class PolicyOverrideSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))
    product = product_field(required=False, allow_null=True, label=_("product"))
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True, default=None)
    product_name = serializers.CharField(source="product.name", read_only=True, default=None)

    class Meta:
        model = PolicyOverride
        fields = [
            "id",
            "warehouse",
            "warehouse_name",
            "product",
            "product_name",
            "availability_policy",
        ]


class PolicyOverrideViewSet(RecordViewSet):
    """Availability policy of one warehouse or one product (a product's wins)."""

    module = "sales"
    serializer_class = PolicyOverrideSerializer
    queryset = PolicyOverride.objects.select_related("warehouse", "product")
    action_permissions = {"create": "configure", "update": "configure",
                          "partial_update": "configure", "destroy": "configure"}  # fmt: skip

    def check_instance(self, instance) -> None:
        from jxc.core.errors import ValidationFailed

        if (instance.warehouse_id is None) == (instance.product_id is None):
            raise ValidationFailed(_("Choose either a warehouse or a product."), field="warehouse")
