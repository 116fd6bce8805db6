"""Partner ledgers: open items (and other receivables / payables), allocations, receipts and
payments, ageing and statements of account."""

import datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.export import XLSX, build_workbook
from jxc.core.api.fields import DisplayNameField, OrganizationScopedPKField
from jxc.core.api.views import JxcAPIView, OrganizationScopedViewSet, ReadOnlyScopedViewSet
from jxc.core.errors import ValidationFailed
from jxc.finance.api.accounts import account_field
from jxc.finance.models import Allocation, OpenItem, Payment, PaymentLine
from jxc.finance.selectors import DEFAULT_BUCKETS, ageing, statement
from jxc.finance.services import receivables
from jxc.masterdata.api.common import currency_field, partner_field, scoped
from jxc.masterdata.selectors import base_currency

MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": 0, "max_value": 10**13}
RATE = {"max_digits": 20, "decimal_places": 6, "min_value": 0, "max_value": 10**6}


def item_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(OpenItem), **kwargs)


class OpenItemSerializer(serializers.ModelSerializer):
    partner = partner_field(label=gettext_lazy("partner"))
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    account_code = serializers.CharField(source="account.code", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=gettext_lazy("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    amount = serializers.DecimalField(**{**MONEY, "min_value": Decimal("0.01")})
    rate = serializers.DecimalField(**RATE, required=False, allow_null=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    counter_account = account_field(
        write_only=True, label=gettext_lazy("counter account"),
        help_text=gettext_lazy("The account the amount is booked against (revenue, expense …)."),
    )  # fmt: skip

    class Meta:
        model = OpenItem
        fields = [
            "id",
            "kind",
            "partner",
            "partner_name",
            "account",
            "account_code",
            "document_type",
            "document_id",
            "reference",
            "date",
            "due_date",
            "currency",
            "currency_code",
            "rate",
            "amount",
            "base_amount",
            "open_amount",
            "open_base_amount",
            "summary",
            "voucher",
            "counter_account",
        ]
        read_only_fields = [
            "account",
            "document_type",
            "document_id",
            "reference",
            "base_amount",
            "open_amount",
            "open_base_amount",
            "voucher",
        ]


class AllocateSerializer(serializers.Serializer):
    owed_item = item_field(label=gettext_lazy("item owed"))
    paid_item = item_field(label=gettext_lazy("item paid"))
    amount = serializers.DecimalField(**MONEY)
    date = serializers.DateField(required=False)


class WriteOffSerializer(serializers.Serializer):
    amount = serializers.DecimalField(**MONEY)
    account = account_field(label=gettext_lazy("account"))
    date = serializers.DateField(required=False)


class AllocationSerializer(serializers.ModelSerializer):
    owed_reference = serializers.CharField(source="owed_item.reference", read_only=True)
    paid_reference = serializers.CharField(
        source="paid_item.reference", read_only=True, default=None
    )
    write_off_account_code = serializers.CharField(
        source="write_off_account.code", read_only=True, default=None
    )
    partner_name = serializers.CharField(source="owed_item.partner.name", read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "owed_item",
            "owed_reference",
            "paid_item",
            "paid_reference",
            "write_off_account",
            "write_off_account_code",
            "partner_name",
            "amount",
            "owed_base",
            "paid_base",
            "exchange_difference",
            "date",
            "voucher",
            "undone",
        ]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "open", OpenApiTypes.BOOL, description="Only items with an amount still open."
            )
        ]
    )
)
class OpenItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """往来明细: open items of receivables and payables; POST books an other receivable or
    payable (其他应收单 / 其他应付单)."""

    module = "finance"
    serializer_class = OpenItemSerializer
    queryset = OpenItem.objects.select_related("partner", "account", "currency")
    filterset_fields = {
        "kind": ["exact"],
        "partner": ["exact"],
        "currency": ["exact"],
        "date": ["gte", "lte"],
        "due_date": ["gte", "lte"],
        "document_type": ["exact"],
    }
    search_fields = ["reference", "summary", "partner__name", "partner__code"]
    ordering_fields = ["date", "due_date", "open_amount"]
    ordering = ["date", "id"]
    action_permissions = {"allocate": "post", "write_off": "post"}

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.request.query_params.get("open") in ("true", "1"):
            queryset = queryset.exclude(open_amount=0)
        return queryset

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = receivables.book_other_item(
            organization=self.request.organization,
            kind=data["kind"],
            partner=data["partner"],
            amount=data["amount"],
            counter_account=data["counter_account"],
            date=data["date"],
            due_date=data.get("due_date"),
            currency=data.get("currency"),
            rate=data.get("rate"),
            summary=data.get("summary", ""),
            user=self.request.user,
        )

    @extend_schema(request=AllocateSerializer, responses=AllocationSerializer)
    @action(detail=False, methods=["post"])
    def allocate(self, request):
        """核销: settle an amount of an item owed with an item paid."""
        body = AllocateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        allocation = receivables.allocate(
            organization=request.organization,
            owed=data["owed_item"],
            paid=data["paid_item"],
            amount=data["amount"],
            date=data.get("date"),
            user=request.user,
        )
        return Response(AllocationSerializer(allocation).data, status=201)

    @extend_schema(request=WriteOffSerializer, responses=AllocationSerializer)
    @action(detail=True, methods=["post"], url_path="write-off")
    def write_off(self, request, pk=None):
        """Write off (part of) what stays open, against an account."""
        body = WriteOffSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        allocation = receivables.write_off(
            organization=request.organization,
            item=self.get_object(),
            amount=data["amount"],
            account=data["account"],
            date=data.get("date"),
            user=request.user,
        )
        return Response(AllocationSerializer(allocation).data, status=201)


class AllocationViewSet(ReadOnlyScopedViewSet):
    """核销记录, and 反核销."""

    module = "finance"
    serializer_class = AllocationSerializer
    queryset = Allocation.objects.select_related(
        "owed_item__partner", "paid_item", "write_off_account"
    )
    filterset_fields = {
        "owed_item__partner": ["exact"],
        "undone": ["exact"],
        "date": ["gte", "lte"],
    }
    ordering = ["-date", "-id"]
    action_permissions = {"undo": "post"}

    @extend_schema(request=None, responses=AllocationSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        allocation = receivables.undo_allocation(allocation=self.get_object(), user=request.user)
        return Response(AllocationSerializer(allocation).data)


class PaymentLineSerializer(serializers.ModelSerializer):
    item = item_field(label=gettext_lazy("open item"))
    item_reference = serializers.CharField(source="item.reference", read_only=True)
    item_open_amount = serializers.DecimalField(
        source="item.open_amount", read_only=True, max_digits=18, decimal_places=2
    )
    item_document_type = serializers.CharField(source="item.document_type", read_only=True)
    item_date = serializers.DateField(source="item.date", read_only=True)
    item_due_date = serializers.DateField(source="item.due_date", read_only=True)
    item_summary = serializers.CharField(source="item.summary", read_only=True)
    amount = serializers.DecimalField(**{**MONEY, "min_value": Decimal("0.01")})

    class Meta:
        model = PaymentLine
        fields = [
            "id",
            "item",
            "item_reference",
            "item_document_type",
            "item_date",
            "item_due_date",
            "item_summary",
            "item_open_amount",
            "amount",
        ]


class PaymentSerializer(serializers.ModelSerializer):
    partner = partner_field(label=gettext_lazy("partner"))
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    currency = currency_field(required=False, allow_null=True, label=gettext_lazy("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    account = account_field(label=gettext_lazy("cash or bank account"))
    account_label = serializers.CharField(source="account", read_only=True)
    rate = serializers.DecimalField(**RATE, required=False, allow_null=True)
    amount = serializers.DecimalField(**{**MONEY, "min_value": Decimal("0.01")})
    fee = serializers.DecimalField(**MONEY, required=False)
    discount = serializers.DecimalField(**MONEY, required=False)
    created_by_name = DisplayNameField(source="created_by", label=gettext_lazy("created by"))
    voucher_number = serializers.CharField(
        source="voucher.display_number", read_only=True, default=None
    )
    lines = PaymentLineSerializer(many=True, required=False)

    class Meta:
        model = Payment
        fields = [
            "id",
            "kind",
            "number",
            "state",
            "date",
            "partner",
            "partner_name",
            "currency",
            "currency_code",
            "rate",
            "amount",
            "fee",
            "discount",
            "account",
            "account_label",
            "note",
            "item",
            "voucher",
            "voucher_number",
            "created_by_name",
            "created_at",
            "posted_at",
            "lines",
        ]
        read_only_fields = ["number", "state", "item", "voucher", "created_at", "posted_at"]


class PaymentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """收款单 / 付款单: drafts with the items to settle; post; reverse (红字)."""

    module = "finance"
    serializer_class = PaymentSerializer
    queryset = Payment.objects.select_related(
        "partner", "currency", "account", "created_by", "voucher"
    ).prefetch_related("lines__item")
    filterset_fields = {
        "kind": ["exact"],
        "state": ["exact"],
        "partner": ["exact"],
        "date": ["gte", "lte"],
    }
    search_fields = ["number", "note", "partner__name", "partner__code"]
    ordering_fields = ["date", "number", "amount"]
    ordering = ["-date", "-id"]
    export_exclude = ("lines",)
    action_permissions = {"post": "post", "reverse": "post"}

    def _save(self, serializer, payment=None):
        data = dict(serializer.validated_data)
        if "lines" in data:
            data["lines"] = [dict(line) for line in data["lines"]]
        serializer.instance = receivables.save_payment(
            organization=self.request.organization,
            user=self.request.user,
            data=data,
            payment=payment,
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def _done(self, payment):
        return Response(self.get_serializer(self.get_queryset().get(pk=payment.pk)).data)

    @extend_schema(request=None, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        return self._done(receivables.post_payment(payment=self.get_object(), user=request.user))

    @extend_schema(request=None, responses=PaymentSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        return self._done(receivables.reverse_payment(payment=self.get_object(), user=request.user))


class AgeingQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OpenItem.Kind.choices)
    as_of = serializers.DateField(required=False)
    buckets = serializers.CharField(
        required=False,
        help_text=gettext_lazy("Days that end each bucket, comma-separated (30,60,90,180)."),
    )
    basis = serializers.ChoiceField(
        choices=["due_date", "date"], required=False, default="due_date"
    )

    def validate_buckets(self, value):
        try:
            days = sorted({int(x) for x in value.split(",") if x.strip()})
        except ValueError:
            raise ValidationFailed(
                _("Enter whole days, comma-separated."), field="buckets"
            ) from None
        if not days or days[0] < 1 or days[-1] > 3650 or len(days) > 12:
            raise ValidationFailed(
                _("Enter 1 to 12 bucket ends between 1 and 3650 days."), field="buckets"
            )
        return days


class AgeingRow(serializers.Serializer):
    partner = serializers.IntegerField()
    partner_code = serializers.CharField()
    partner_name = serializers.CharField()
    total = serializers.DecimalField(max_digits=18, decimal_places=2)
    buckets = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))


class AgeingSerializer(serializers.Serializer):
    labels = serializers.ListField(child=serializers.CharField())
    rows = AgeingRow(many=True)
    totals = serializers.ListField(child=serializers.DecimalField(max_digits=18, decimal_places=2))
    total = serializers.DecimalField(max_digits=18, decimal_places=2)


def _ageing(request):
    query = AgeingQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    data = query.validated_data
    return ageing(
        request.organization,
        data["kind"],
        data.get("as_of") or timezone.localdate(),
        data.get("buckets") or DEFAULT_BUCKETS,
        data["basis"],
    )


class AgeingView(JxcAPIView):
    """``GET finance/ageing/?kind=receivable&as_of=&buckets=30,60,90,180&basis=due_date``."""

    module = "finance"
    action = "list"

    @extend_schema(parameters=[AgeingQuery], responses=AgeingSerializer)
    def get(self, request):
        return Response(AgeingSerializer(_ageing(request)).data)


class AgeingExportView(JxcAPIView):
    module = "finance"
    action = "export"

    @extend_schema(
        parameters=[AgeingQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    def get(self, request):
        result = _ageing(request)
        headers = [_("partner code"), _("partner"), _("total"), *result["labels"]]
        rows = [
            [r["partner_code"], r["partner_name"], r["total"], *r["buckets"]]
            for r in result["rows"]
        ]
        rows.append(["", _("Total"), result["total"], *result["totals"]])
        return _xlsx(_("Ageing"), headers, rows, "ageing")


class StatementQuery(serializers.Serializer):
    kind = serializers.ChoiceField(choices=OpenItem.Kind.choices)
    partner = partner_field(label=gettext_lazy("partner"))
    currency = currency_field(required=False, allow_null=True)
    date_from = serializers.DateField()
    date_to = serializers.DateField()

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise ValidationFailed(_("The end date is before the start date."), field="date_to")
        return attrs


class StatementRow(serializers.Serializer):
    date = serializers.DateField()
    reference = serializers.CharField()
    document_type = serializers.CharField()
    summary = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    increase = serializers.DecimalField(max_digits=18, decimal_places=2)
    decrease = serializers.DecimalField(max_digits=18, decimal_places=2)
    balance = serializers.DecimalField(max_digits=18, decimal_places=2)


class StatementSerializer(serializers.Serializer):
    opening = serializers.DecimalField(max_digits=18, decimal_places=2)
    closing = serializers.DecimalField(max_digits=18, decimal_places=2)
    rows = StatementRow(many=True)


def _statement(view, request):
    query = StatementQuery(data=request.query_params, context=view.get_serializer_context())
    query.is_valid(raise_exception=True)
    data = query.validated_data
    currency = data.get("currency") or base_currency(request.organization)
    return statement(
        request.organization,
        data["partner"],
        data["kind"],
        currency,
        data["date_from"],
        data["date_to"],
    ), data


class StatementView(JxcAPIView):
    """``GET finance/statement/?kind=&partner=&date_from=&date_to=&currency=`` (对账单)."""

    module = "finance"
    action = "list"

    @extend_schema(parameters=[StatementQuery], responses=StatementSerializer)
    def get(self, request):
        result, _data = _statement(self, request)
        return Response(StatementSerializer(result).data)


class StatementExportView(JxcAPIView):
    module = "finance"
    action = "export"

    @extend_schema(
        parameters=[StatementQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    def get(self, request):
        result, data = _statement(self, request)
        headers = [_("date"), _("document number"), _("summary"), _("due date"), _("increase"),
                   _("decrease"), _("balance")]  # fmt: skip
        rows = [["", _("Opening balance"), "", "", "", "", result["opening"]]]
        rows += [
            [r["date"], r["reference"], r["summary"], r["due_date"], r["increase"],
             r["decrease"], r["balance"]]
            for r in result["rows"]
        ]  # fmt: skip
        rows.append(["", _("Closing balance"), "", "", "", "", result["closing"]])
        return _xlsx(_("Statement of account"), headers, rows, f"statement-{data['partner'].code}")


def _xlsx(title, headers, rows, name) -> HttpResponse:
    response = HttpResponse(build_workbook(title, headers, rows), content_type=XLSX)
    stamp = datetime.date.today().strftime("%Y%m%d")  # noqa: DTZ011
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
    return response
