"""The sales reports' endpoints (see :mod:`jxc.sales.reports`); each answers ``{rows, totals,
truncated}`` and exports to Excel at ``export/``."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jxc.core.api.reports import PeriodQuerySerializer, ReportViewSet
from jxc.masterdata.api.common import (
    category_field,
    member_field,
    partner_field,
    product_field,
    warehouse_field,
)
from jxc.sales import reports
from jxc.sales.api.channels import channel_field
from jxc.sales.reports import GROUP_LABELS, Filters

QUANTITY = {"max_digits": 18, "decimal_places": 4}
AMOUNT = {"max_digits": 18, "decimal_places": 2}
PERCENT = {"max_digits": 12, "decimal_places": 2, "allow_null": True}


class SalesQuerySerializer(PeriodQuerySerializer):
    customer = partner_field(required=False, allow_null=True, label=_("customer"))
    product = product_field(required=False, allow_null=True, label=_("product"))
    category = category_field(required=False, allow_null=True, label=_("category"))
    salesperson = member_field(required=False, allow_null=True, label=_("salesperson"))
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))
    channel = channel_field(
        required=False, allow_null=True, label=_("sales channel"),
        help_text=_("Orders of this sales channel only."),
    )  # fmt: skip

    references = ("customer", "product", "category", "salesperson", "warehouse", "channel")


def filters_of(data: dict) -> Filters:
    return SalesQuerySerializer.filters(data, Filters)


class GroupedQuerySerializer(SalesQuerySerializer):
    group_by = serializers.ChoiceField(
        choices=list(GROUP_LABELS.items()), default="customer", label=_("group by")
    )


class ProfitQuerySerializer(SalesQuerySerializer):
    group_by = serializers.ChoiceField(
        choices=list(GROUP_LABELS.items()), default="product", label=_("group by")
    )


class SalesGroupRowSerializer(serializers.Serializer):
    key = serializers.CharField(label=_("key"))
    code = serializers.CharField(label=_("code"))
    name = serializers.CharField(label=_("name"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    returned_quantity = serializers.DecimalField(**QUANTITY, label=_("returned"))


class SalesSummaryRowSerializer(SalesGroupRowSerializer):
    amount = serializers.DecimalField(**AMOUNT, label=_("amount before tax"))
    tax = serializers.DecimalField(**AMOUNT, label=_("tax"))
    total = serializers.DecimalField(**AMOUNT, label=_("total"))

    totals = ("quantity", "returned_quantity", "amount", "tax", "total")


class ProfitRowSerializer(SalesGroupRowSerializer):
    amount = serializers.DecimalField(**AMOUNT, label=_("revenue"))
    cost = serializers.DecimalField(**AMOUNT, label=_("cost of goods sold"))
    profit = serializers.DecimalField(**AMOUNT, label=_("gross profit"))
    margin = serializers.DecimalField(**PERCENT, label=_("gross margin (%)"))

    totals = ("quantity", "returned_quantity", "amount", "cost", "profit")


class SalesDetailRowSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("date"))
    kind = serializers.ChoiceField(
        choices=[("delivery", _("delivery")), ("return", _("return"))], label=_("kind")
    )
    number = serializers.CharField(label=_("number"))
    document_id = serializers.IntegerField(label=_("document id"))
    order_number = serializers.CharField(label=_("order number"))
    customer_name = serializers.CharField(label=_("customer"))
    salesperson = serializers.CharField(label=_("salesperson"))
    warehouse_name = serializers.CharField(label=_("warehouse"))
    channel_name = serializers.CharField(label=_("sales channel"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(max_digits=20, decimal_places=6, label=_("unit price"))
    amount = serializers.DecimalField(**AMOUNT, label=_("amount before tax"))
    total = serializers.DecimalField(**AMOUNT, label=_("total"))

    totals = ("quantity", "amount", "total")


class SalesOrderLineRowSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(label=_("line id"))
    order_id = serializers.IntegerField(label=_("order id"))
    order_number = serializers.CharField(label=_("order number"))
    date = serializers.DateField(label=_("date"))
    state = serializers.CharField(label=_("state"))
    customer_name = serializers.CharField(label=_("customer"))
    warehouse_name = serializers.CharField(label=_("warehouse"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    delivery_date = serializers.DateField(allow_null=True, label=_("delivery date"))
    ordered = serializers.DecimalField(**QUANTITY, label=_("ordered"))
    delivered = serializers.DecimalField(**QUANTITY, label=_("delivered"))
    open = serializers.DecimalField(**QUANTITY, label=_("open quantity"))


class SalesExecutionRowSerializer(SalesOrderLineRowSerializer):
    returned = serializers.DecimalField(**QUANTITY, label=_("returned"))
    invoiced = serializers.DecimalField(**QUANTITY, label=_("invoiced"))
    total = serializers.DecimalField(**AMOUNT, label=_("total"))
    received = serializers.DecimalField(**AMOUNT, label=_("amount received"))

    totals = ("ordered", "delivered", "open", "returned", "invoiced", "total", "received")


class BackorderRowSerializer(SalesOrderLineRowSerializer):
    reserved = serializers.DecimalField(**QUANTITY, label=_("reserved"))
    backorder = serializers.DecimalField(**QUANTITY, label=_("backorder"))
    overdue = serializers.BooleanField(label=_("overdue"))

    totals = ("ordered", "delivered", "open", "reserved", "backorder")


class CreditQuerySerializer(serializers.Serializer):
    customer = partner_field(required=False, allow_null=True, label=_("customer"))


class CreditRowSerializer(serializers.Serializer):
    customer = serializers.IntegerField(label=_("customer id"))
    code = serializers.CharField(label=_("code"))
    name = serializers.CharField(label=_("customer"))
    credit_limit = serializers.DecimalField(**AMOUNT, allow_null=True, label=_("credit limit"))
    open_receivables = serializers.DecimalField(**AMOUNT, label=_("open receivables"))
    open_orders = serializers.DecimalField(**AMOUNT, label=_("open orders"))
    exposure = serializers.DecimalField(**AMOUNT, label=_("credit used"))
    available = serializers.DecimalField(**AMOUNT, allow_null=True, label=_("credit available"))
    used_percent = serializers.DecimalField(**PERCENT, label=_("used (%)"))
    over_limit = serializers.BooleanField(label=_("over the limit"))

    totals = ("open_receivables", "open_orders", "exposure")


class SalesReportViewSet(ReportViewSet):
    module = "sales"
    query_serializer_class = SalesQuerySerializer


class SalesSummaryViewSet(SalesReportViewSet):
    """``GET sales-summary/?group_by=&date_from=&…`` (销售汇总表)."""

    query_serializer_class = GroupedQuerySerializer
    serializer_class = SalesSummaryRowSerializer
    export_filename = "sales-summary"
    export_exclude = ("key",)

    def rows(self, query):
        return reports.sales_summary(
            self.request.organization, filters_of(query), group_by=query["group_by"]
        )


class SalesDetailViewSet(SalesReportViewSet):
    """``GET sales-detail/?date_from=&…`` (销售明细表)."""

    serializer_class = SalesDetailRowSerializer
    export_filename = "sales-detail"
    export_exclude = ("document_id",)

    def rows(self, query):
        return reports.sales_detail(self.request.organization, filters_of(query))


class GrossProfitViewSet(SalesReportViewSet):
    """``GET sales-gross-profit/?group_by=&…`` (销售毛利表): only for roles that may see costs."""

    query_serializer_class = ProfitQuerySerializer
    serializer_class = ProfitRowSerializer
    export_filename = "sales-gross-profit"
    export_exclude = ("key",)

    def check_permissions(self, request):
        super().check_permissions(request)
        access = getattr(request, "access", None)
        if access is None or not access.can_see_costs:
            self.permission_denied(
                request, message=_("Your roles may not see costs and margins."), code="costs"
            )

    def rows(self, query):
        return reports.gross_profit(
            self.request.organization, filters_of(query), group_by=query["group_by"]
        )


class OrderExecutionViewSet(SalesReportViewSet):
    """``GET sales-order-execution/?…`` (销售订单执行表), per order line."""

    serializer_class = SalesExecutionRowSerializer
    export_filename = "sales-order-execution"
    export_exclude = ("line_id", "order_id")

    def rows(self, query):
        return reports.order_execution(self.request.organization, filters_of(query))


class BackorderViewSet(SalesReportViewSet):
    """``GET sales-backorders/?…`` (缺货订单): open order lines no reservation covers."""

    serializer_class = BackorderRowSerializer
    export_filename = "sales-backorders"
    export_exclude = ("line_id", "order_id")

    def rows(self, query):
        return reports.backorders(self.request.organization, filters_of(query))


class CreditUsageViewSet(SalesReportViewSet):
    """``GET sales-credit-usage/?customer=`` (信用额度使用), per customer."""

    query_serializer_class = CreditQuerySerializer
    serializer_class = CreditRowSerializer
    export_filename = "sales-credit-usage"
    export_exclude = ("customer",)

    def rows(self, query):
        customer = query.get("customer")
        return reports.credit_usage(
            self.request.organization, customer_id=customer.pk if customer else None
        )


SalesSummaryViewSet.documented("SalesSummary")
SalesDetailViewSet.documented("SalesDetail")
GrossProfitViewSet.documented("GrossProfit")
OrderExecutionViewSet.documented("SalesOrderExecution")
BackorderViewSet.documented("Backorder")
CreditUsageViewSet.documented("CreditUsage")
