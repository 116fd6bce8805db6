"""科目余额表 and 明细账."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.export import XLSX, build_workbook
from jxc.core.api.views import JxcAPIView, ReadOnlyScopedViewSet
from jxc.core.errors import ValidationFailed
from jxc.finance.api.accounts import account_field
from jxc.finance.models import VoucherLine
from jxc.finance.selectors import account_ledger, general_ledger, trial_balance
from jxc.finance.services.opening import enter_opening_balances, opening_trial_balance
from jxc.masterdata.api.common import partner_field, warehouse_field

AMOUNT = {"max_digits": 18, "decimal_places": 2}
MAX_DAYS = 3660
TB_FIGURES = (
    ("opening_debit", gettext_lazy("opening debit")),
    ("opening_credit", gettext_lazy("opening credit")),
    ("debit", gettext_lazy("debit this period")),
    ("credit", gettext_lazy("credit this period")),
    ("year_debit", gettext_lazy("debit this year")),
    ("year_credit", gettext_lazy("credit this year")),
    ("closing_debit", gettext_lazy("closing debit")),
    ("closing_credit", gettext_lazy("closing credit")),
)


class DatesSerializer(serializers.Serializer):
    date_from = serializers.DateField(label=gettext_lazy("from date"))
    date_to = serializers.DateField(label=gettext_lazy("to date"))

    def validate(self, attrs):
        if attrs["date_to"] < attrs["date_from"]:
            raise ValidationFailed(_("The end date is before the start date."), field="date_to")
        if (attrs["date_to"] - attrs["date_from"]).days > MAX_DAYS:
            raise ValidationFailed(_("Choose at most ten years."), field="date_from")
        return attrs


class TrialBalanceQuery(DatesSerializer):
    include_zero = serializers.BooleanField(required=False, default=False)


class TrialBalanceRow(serializers.Serializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.IntegerField()
    is_leaf = serializers.BooleanField()
    direction = serializers.CharField()
    opening_debit = serializers.DecimalField(**AMOUNT)
    opening_credit = serializers.DecimalField(**AMOUNT)
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    year_debit = serializers.DecimalField(**AMOUNT)
    year_credit = serializers.DecimalField(**AMOUNT)
    closing_debit = serializers.DecimalField(**AMOUNT)
    closing_credit = serializers.DecimalField(**AMOUNT)


class TrialBalanceTotals(serializers.Serializer):
    opening_debit = serializers.DecimalField(**AMOUNT)
    opening_credit = serializers.DecimalField(**AMOUNT)
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    year_debit = serializers.DecimalField(**AMOUNT)
    year_credit = serializers.DecimalField(**AMOUNT)
    closing_debit = serializers.DecimalField(**AMOUNT)
    closing_credit = serializers.DecimalField(**AMOUNT)


class TrialBalanceSerializer(serializers.Serializer):
    rows = TrialBalanceRow(many=True)
    totals = TrialBalanceTotals()
    balanced = serializers.BooleanField()


class TrialBalanceView(JxcAPIView):
    """``GET finance/trial-balance/?date_from=&date_to=&include_zero=`` (科目余额表)."""

    module = "finance"
    action = "list"

    def _result(self, request) -> tuple[dict, dict]:
        query = TrialBalanceQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        result = trial_balance(
            request.organization,
            data["date_from"],
            data["date_to"],
            include_zero=data["include_zero"],
        )
        return result, data

    @extend_schema(parameters=[TrialBalanceQuery], responses=TrialBalanceSerializer)
    def get(self, request):
        result, _data = self._result(request)
        return Response(TrialBalanceSerializer(result).data)


class TrialBalanceExportView(TrialBalanceView):
    """``GET finance/trial-balance/export/?…``: the same as an Excel workbook."""

    action = "export"

    @extend_schema(
        parameters=[TrialBalanceQuery],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    def get(self, request):
        result, data = self._result(request)
        return _workbook(result, data)


def _workbook(result: dict, data: dict) -> HttpResponse:
    headers = [_("account code"), _("account name"), *[str(label) for _n, label in TB_FIGURES]]
    rows = [
        [row["code"], "  " * (row["level"] - 1) + row["name"], *[row[n] for n, _l in TB_FIGURES]]
        for row in result["rows"]
    ]
    rows.append(["", _("Total"), *[result["totals"][n] for n, _l in TB_FIGURES]])
    content = build_workbook(_("Trial balance"), headers, rows)
    stamp = f"{data['date_from']:%Y%m%d}-{data['date_to']:%Y%m%d}"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="trial-balance-{stamp}.xlsx"'
    return response


class AccountLedgerQuery(DatesSerializer):
    account = account_field(label=gettext_lazy("account"))


class AccountLedgerRow(serializers.Serializer):
    date = serializers.DateField()
    voucher = serializers.IntegerField()
    voucher_number = serializers.CharField()
    account_code = serializers.CharField()
    summary = serializers.CharField()
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    balance = serializers.DecimalField(**AMOUNT)
    origin_type = serializers.CharField()
    origin_id = serializers.IntegerField(allow_null=True)
    reference = serializers.CharField()


class AccountLedgerSerializer(serializers.Serializer):
    opening = serializers.DecimalField(**AMOUNT)
    closing = serializers.DecimalField(**AMOUNT)
    truncated = serializers.BooleanField()
    rows = AccountLedgerRow(many=True)


class AccountLedgerView(JxcAPIView):
    """``GET finance/account-ledger/?account=&date_from=&date_to=`` (明细账)."""

    module = "finance"

    @extend_schema(parameters=[AccountLedgerQuery], responses=AccountLedgerSerializer)
    def get(self, request):
        query = AccountLedgerQuery(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        result = account_ledger(
            request.organization, data["account"], data["date_from"], data["date_to"]
        )
        return Response(AccountLedgerSerializer(result).data)


class GeneralLedgerQuery(serializers.Serializer):
    account = account_field(label=gettext_lazy("account"))
    year = serializers.IntegerField(min_value=1900, max_value=2999)


class GeneralLedgerRow(serializers.Serializer):
    month = serializers.IntegerField()
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    balance = serializers.DecimalField(**AMOUNT)
    year_debit = serializers.DecimalField(**AMOUNT)
    year_credit = serializers.DecimalField(**AMOUNT)


class GeneralLedgerSerializer(serializers.Serializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    direction = serializers.CharField()
    opening = serializers.DecimalField(**AMOUNT)
    rows = GeneralLedgerRow(many=True)


class GeneralLedgerView(JxcAPIView):
    """``GET finance/general-ledger/?account=&year=`` (总账): month by month."""

    module = "finance"
    action = "list"

    @extend_schema(parameters=[GeneralLedgerQuery], responses=GeneralLedgerSerializer)
    def get(self, request):
        query = GeneralLedgerQuery(data=request.query_params, context=self.get_serializer_context())
        query.is_valid(raise_exception=True)
        data = query.validated_data
        result = general_ledger(request.organization, data["account"], data["year"])
        return Response(GeneralLedgerSerializer(result).data)


class JournalLineSerializer(serializers.ModelSerializer):
    voucher_number = serializers.CharField(source="voucher.display_number", read_only=True)
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True, default=None)
    reference = serializers.CharField(source="voucher.reference", read_only=True)

    class Meta:
        model = VoucherLine
        fields = [
            "id",
            "date",
            "voucher",
            "voucher_number",
            "summary",
            "account",
            "account_code",
            "account_name",
            "debit",
            "credit",
            "partner",
            "partner_name",
            "department",
            "project",
            "reference",
        ]


class JournalViewSet(ReadOnlyScopedViewSet):
    """序时账: every posted line in date and voucher order; search, filters, Excel export."""

    module = "finance"
    serializer_class = JournalLineSerializer
    queryset = VoucherLine.objects.filter(posted=True).select_related(
        "voucher", "account", "partner"
    )
    filterset_fields = {
        "date": ["gte", "lte"],
        "account": ["exact"],
        "partner": ["exact"],
        "voucher__word": ["exact"],
    }
    search_fields = ["summary", "account__code", "account__name", "voucher__reference"]
    ordering_fields = ["date", "id"]
    ordering = ["date", "voucher__word", "voucher__number", "position"]
    export_filename = "journal"


class OpeningLineSerializer(serializers.Serializer):
    account = account_field(label=gettext_lazy("account"))
    debit = serializers.DecimalField(**AMOUNT, min_value=0, required=False, default=0)
    credit = serializers.DecimalField(**AMOUNT, min_value=0, required=False, default=0)
    partner = partner_field(required=False, allow_null=True, default=None)
    warehouse = warehouse_field(required=False, allow_null=True, default=None)
    department = serializers.CharField(required=False, allow_blank=True, default="")
    project = serializers.CharField(required=False, allow_blank=True, default="")


class OpeningSerializer(serializers.Serializer):
    go_live = serializers.DateField(label=gettext_lazy("go-live date"))
    lines = OpeningLineSerializer(many=True)


class OpeningQuery(serializers.Serializer):
    go_live = serializers.DateField(label=gettext_lazy("go-live date"))


class OpeningRow(serializers.Serializer):
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)


class OpeningBalanceSerializer(serializers.Serializer):
    rows = OpeningRow(many=True)
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    balanced = serializers.BooleanField()


class OpeningBalancesView(JxcAPIView):
    """期初余额: ``GET ?go_live=`` the balances before the go-live date (with the stock's and
    the partners' openings) and whether they balance; ``POST`` the other accounts' balances."""

    module = "finance"

    def get_permissions(self):
        self.action = "create" if self.request.method == "POST" else "list"
        return super().get_permissions()

    @extend_schema(parameters=[OpeningQuery], responses=OpeningBalanceSerializer)
    def get(self, request):
        query = OpeningQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = opening_trial_balance(request.organization, query.validated_data["go_live"])
        return Response(OpeningBalanceSerializer(result).data)

    @extend_schema(request=OpeningSerializer, responses=OpeningBalanceSerializer)
    def post(self, request):
        body = OpeningSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        enter_opening_balances(
            organization=request.organization,
            go_live=data["go_live"],
            lines=[dict(line) for line in data["lines"]],
            user=request.user,
        )
        result = opening_trial_balance(request.organization, data["go_live"])
        return Response(OpeningBalanceSerializer(result).data, status=201)
