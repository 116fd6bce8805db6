"""Vouchers (记账凭证) and accounting periods."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import OrganizationScopedViewSet, ReadOnlyScopedViewSet, RecordViewSet
from jxc.finance.api.accounts import account_field
from jxc.finance.models import Account, Period, Voucher, VoucherLine, VoucherTemplate
from jxc.finance.printing import render_voucher_pdf
from jxc.finance.services import closing, periods, vouchers
from jxc.masterdata.api.common import currency_field, partner_field, warehouse_field
from jxc.masterdata.api.labels import pdf_response

ZERO = Decimal(0)
MONEY = {"max_digits": 18, "decimal_places": 2, "min_value": -(10**13), "max_value": 10**13}


class VoucherLineSerializer(serializers.ModelSerializer):
    account = account_field(label=_("account"))
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    debit = serializers.DecimalField(**MONEY, required=False, default=ZERO, label=_("debit"))
    credit = serializers.DecimalField(**MONEY, required=False, default=ZERO, label=_("credit"))
    currency = currency_field(required=False, allow_null=True, default=None)
    original_amount = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    rate = serializers.DecimalField(
        max_digits=20, decimal_places=6, min_value=0, max_value=10**6, required=False,
        allow_null=True,
    )  # fmt: skip
    partner = partner_field(required=False, allow_null=True, default=None)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default=None)
    warehouse = warehouse_field(required=False, allow_null=True, default=None)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True, default=None)

    class Meta:
        model = VoucherLine
        fields = [
            "id",
            "summary",
            "account",
            "account_code",
            "account_name",
            "debit",
            "credit",
            "currency",
            "original_amount",
            "rate",
            "partner",
            "partner_name",
            "warehouse",
            "warehouse_name",
            "department",
            "project",
        ]


class VoucherSerializer(serializers.ModelSerializer):
    display_number = serializers.CharField(read_only=True)
    period = serializers.CharField(source="period.__str__", read_only=True)
    reversed_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    reversal_of_number = serializers.CharField(
        source="reversal_of.display_number", read_only=True, default=None
    )
    reversed_by_number = serializers.CharField(
        source="reversed_by.display_number", read_only=True, default=None
    )
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))
    posted_by_name = DisplayNameField(source="posted_by", label=_("posted by"))
    lines = VoucherLineSerializer(many=True, label=_("lines"))

    class Meta:
        model = Voucher
        fields = [
            "id",
            "word",
            "number",
            "display_number",
            "date",
            "period",
            "state",
            "attachments",
            "note",
            "origin_type",
            "origin_id",
            "reference",
            "reversal_of",
            "reversal_of_number",
            "reversed_by",
            "reversed_by_number",
            "total",
            "created_by_name",
            "created_at",
            "posted_by_name",
            "posted_at",
            "lines",
        ]
        read_only_fields = [
            "number",
            "state",
            "origin_type",
            "origin_id",
            "reference",
            "reversal_of",
            "total",
            "created_at",
            "posted_at",
        ]


class ReverseSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, label=_("date of the reversal"))


class VoucherViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """记账凭证: manual drafts, posting, red-letter reversal; the automatic ones too."""

    module = "finance"
    serializer_class = VoucherSerializer
    queryset = Voucher.objects.select_related(
        "period", "created_by", "posted_by", "reversed_by", "reversal_of"
    ).prefetch_related("lines__account", "lines__partner", "lines__warehouse")
    filterset_fields = {
        "word": ["exact"],
        "state": ["exact"],
        "date": ["gte", "lte"],
        "origin_type": ["exact"],
        "origin_id": ["exact"],
        "lines__account": ["exact"],
    }
    search_fields = ["reference", "note", "lines__summary", "lines__account__code"]
    ordering_fields = ["date", "number", "created_at"]
    ordering = ["-date", "-id"]
    export_exclude = ("lines",)
    action_permissions = {"post": "post", "reverse": "post", "print": "view"}

    def get_queryset(self):
        return super().get_queryset().distinct()

    def _save(self, serializer, voucher=None):
        data = dict(serializer.validated_data)
        data["lines"] = [dict(line) for line in data.get("lines", [])]
        serializer.instance = vouchers.save_voucher(
            organization=self.request.organization,
            user=self.request.user,
            data=data,
            voucher=voucher,
        )

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance):
        vouchers.delete_draft(voucher=instance)

    def _done(self, voucher):
        return Response(self.get_serializer(self.get_queryset().get(pk=voucher.pk)).data)

    @extend_schema(request=None, responses=VoucherSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the draft: it gets its number and can no longer change."""
        return self._done(vouchers.post_voucher(voucher=self.get_object(), user=request.user))

    @extend_schema(request=ReverseSerializer, responses=VoucherSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """红字冲销: a new voucher with the same lines in red, linked to this one."""
        body = ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reversal = vouchers.reverse_voucher(
            voucher=self.get_object(), user=request.user, date=body.validated_data.get("date")
        )
        return self._done(reversal)

    @extend_schema(
        request=None,
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")
        },
    )
    @action(detail=True, methods=["get"], url_path="print")
    def print(self, request, pk=None):
        """The voucher in the 记账凭证 layout, as a PDF."""
        voucher = self.get_object()
        name = f"voucher-{voucher.period}-{voucher.number or 'draft'}-{voucher.pk}.pdf"  # ASCII
        return pdf_response(render_voucher_pdf(voucher), name)


class PeriodSerializer(serializers.ModelSerializer):
    closed_by_name = DisplayNameField(source="closed_by", label=_("closed by"))

    class Meta:
        model = Period
        fields = ["id", "year", "month", "start", "end", "state", "closed_at", "closed_by_name"]


class ChecklistItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    ok = serializers.BooleanField()
    problems = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("Each problem: a message and the ids of the rows involved (voucher, …)."),
    )


class PeriodViewSet(ReadOnlyScopedViewSet):
    """会计期间: monthly periods; close in order, reopen (反结账) the latest."""

    module = "finance"
    serializer_class = PeriodSerializer
    queryset = Period.objects.select_related("closed_by")
    filterset_fields = {"year": ["exact"], "state": ["exact"]}
    ordering = ["-year", "-month"]
    action_permissions = {"close": "post", "reopen": "configure", "checklist": "view"}

    @extend_schema(responses=ChecklistItemSerializer(many=True))
    @action(detail=True, methods=["get"])
    def checklist(self, request, pk=None):
        """The month-end checks, run now: what must pass before the period closes."""
        return Response(closing.checklist(request.organization, self.get_object()))

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        period = closing.close_period(period=self.get_object(), user=request.user)
        return Response(self.get_serializer(period).data)

    @extend_schema(request=None, responses=PeriodSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        period = periods.reopen_period(period=self.get_object())
        return Response(self.get_serializer(period).data)


class TemplateLineSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=128)
    account = account_field(label=_("account"))
    debit = serializers.DecimalField(**{**MONEY, "min_value": 0}, required=False, default=ZERO)
    credit = serializers.DecimalField(**{**MONEY, "min_value": 0}, required=False, default=ZERO)


class TemplateLinesField(serializers.ListField):
    """Lines in as accounts of the organization; stored and sent back with plain account ids
    (and codes), as a template keeps them in JSON."""

    child = TemplateLineSerializer()

    def to_internal_value(self, data):
        lines = super().to_internal_value(data)
        if not 1 <= len(lines) <= 100:
            raise serializers.ValidationError(_("A template has 1 to 100 lines."))
        return [
            {
                "summary": line["summary"],
                "account": line["account"].pk,
                "debit": f"{line['debit']:.2f}",
                "credit": f"{line['credit']:.2f}",
            }
            for line in lines
        ]

    def to_representation(self, lines):
        codes = dict(
            Account.objects.filter(pk__in=[x["account"] for x in lines]).values_list("pk", "code")
        )
        return [{**x, "account_code": codes.get(x["account"], "")} for x in lines]


class VoucherTemplateSerializer(serializers.ModelSerializer):
    lines = TemplateLinesField(label=_("lines"))

    class Meta:
        model = VoucherTemplate
        fields = ["id", "name", "word", "note", "lines"]


class VoucherTemplateViewSet(RecordViewSet):
    """常用凭证: lines to start a manual voucher from."""

    module = "finance"
    serializer_class = VoucherTemplateSerializer
    queryset = VoucherTemplate.objects.all()
    search_fields = ["name", "note"]
    ordering = ["name"]
    export_exclude = ("lines",)
