"""The purchasing reports' endpoints (see :mod:`jxc.purchasing.reports`); each answers
``{rows, totals, truncated}`` and exports to Excel at ``export/``."""

from django.utils import timezone
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
from jxc.purchasing import reports
from jxc.purchasing.reports import GROUP_LABELS, Filters

QUANTITY = {"max_digits": 18, "decimal_places": 4}
AMOUNT = {"max_digits": 18, "decimal_places": 2}
PRICE = {"max_digits": 20, "decimal_places": 6, "allow_null": True}
PERCENT = {"max_digits": 12, "decimal_places": 2, "allow_null": True}


class PurchaseQuerySerializer(PeriodQuerySerializer):
    supplier = partner_field(required=False, allow_null=True, label=_("supplier"))
    product = product_field(required=False, allow_null=True, label=_("product"))
    category = category_field(required=False, allow_null=True, label=_("category"))
    purchaser = member_field(required=False, allow_null=True, label=_("purchaser"))
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))

    references = ("supplier", "product", "category", "purchaser", "warehouse")


def filters_of(data: dict) -> Filters:
    return PurchaseQuerySerializer.filters(data, Filters)


class GroupedQuerySerializer(PurchaseQuerySerializer):
    group_by = serializers.ChoiceField(
        choices=list(GROUP_LABELS.items()), default="supplier", label=_("group by")
    )


class OpenOrdersQuerySerializer(PurchaseQuerySerializer):
    overdue = serializers.BooleanField(
        required=False, default=False, label=_("only overdue deliveries")
    )


class PurchaseSummaryRowSerializer(serializers.Serializer):
    key = serializers.CharField(label=_("key"))
    code = serializers.CharField(label=_("code"))
    name = serializers.CharField(label=_("name"))
    received_quantity = serializers.DecimalField(**QUANTITY, label=_("received"))
    returned_quantity = serializers.DecimalField(**QUANTITY, label=_("returned"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("net quantity"))
    amount = serializers.DecimalField(**AMOUNT, label=_("amount excluding tax"))
    average_price = serializers.DecimalField(**PRICE, label=_("average price"))

    totals = ("received_quantity", "returned_quantity", "quantity", "amount")


class PurchaseDetailRowSerializer(serializers.Serializer):
    date = serializers.DateField(label=_("date"))
    kind = serializers.ChoiceField(
        choices=[("receipt", _("receipt")), ("return", _("return"))], label=_("kind")
    )
    number = serializers.CharField(label=_("number"))
    document_id = serializers.IntegerField(label=_("document id"))
    order_number = serializers.CharField(label=_("order number"))
    supplier_name = serializers.CharField(label=_("supplier"))
    purchaser_name = serializers.CharField(label=_("purchaser"))
    warehouse_name = serializers.CharField(label=_("warehouse"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    unit_price = serializers.DecimalField(**PRICE, label=_("unit price excluding tax"))
    amount = serializers.DecimalField(**AMOUNT, label=_("amount excluding tax"))

    totals = ("quantity", "amount")


class PurchaseOrderLineRowSerializer(serializers.Serializer):
    line_id = serializers.IntegerField(label=_("line id"))
    order_id = serializers.IntegerField(label=_("order id"))
    order_number = serializers.CharField(label=_("order number"))
    date = serializers.DateField(label=_("date"))
    state = serializers.CharField(label=_("state"))
    supplier_name = serializers.CharField(label=_("supplier"))
    warehouse_name = serializers.CharField(label=_("warehouse"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    expected_date = serializers.DateField(allow_null=True, label=_("expected date"))
    ordered = serializers.DecimalField(**QUANTITY, label=_("ordered"))
    received = serializers.DecimalField(**QUANTITY, label=_("received"))
    returned = serializers.DecimalField(**QUANTITY, label=_("returned"))
    invoiced = serializers.DecimalField(**QUANTITY, label=_("invoiced"))
    open = serializers.DecimalField(**QUANTITY, label=_("quantity to receive"))
    total = serializers.DecimalField(**AMOUNT, label=_("amount including tax"))


class PurchaseExecutionRowSerializer(PurchaseOrderLineRowSerializer):
    invoiced_amount = serializers.DecimalField(**AMOUNT, label=_("invoiced amount"))
    paid = serializers.DecimalField(**AMOUNT, label=_("paid"))

    totals = (
        "ordered", "received", "returned", "invoiced", "open", "total", "invoiced_amount", "paid"
    )  # fmt: skip


class OpenOrderRowSerializer(PurchaseOrderLineRowSerializer):
    overdue = serializers.BooleanField(label=_("overdue"))
    days_overdue = serializers.IntegerField(label=_("days overdue"))

    totals = ("ordered", "received", "returned", "invoiced", "open", "total")


class PerformanceRowSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(label=_("supplier id"))
    code = serializers.CharField(label=_("code"))
    name = serializers.CharField(label=_("supplier"))
    receipts = serializers.IntegerField(label=_("number of receipts"))
    lines = serializers.IntegerField(label=_("receipt lines"))
    timed_lines = serializers.IntegerField(label=_("lines with an expected date"))
    on_time_lines = serializers.IntegerField(label=_("lines on time"))
    on_time_rate = serializers.DecimalField(**PERCENT, label=_("on-time rate (%)"))
    received_quantity = serializers.DecimalField(**QUANTITY, label=_("received"))
    returned_quantity = serializers.DecimalField(**QUANTITY, label=_("returned"))
    return_rate = serializers.DecimalField(**PERCENT, label=_("return rate (%)"))
    amount = serializers.DecimalField(**AMOUNT, label=_("amount excluding tax"))

    totals = (
        "receipts", "lines", "timed_lines", "on_time_lines", "received_quantity",
        "returned_quantity", "amount",
    )  # fmt: skip


class PriceTrendRowSerializer(serializers.Serializer):
    product = serializers.IntegerField(label=_("product id"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    month = serializers.CharField(label=_("month"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("quantity"))
    amount = serializers.DecimalField(**AMOUNT, label=_("amount excluding tax"))
    average_price = serializers.DecimalField(**PRICE, label=_("average price"))
    lowest = serializers.DecimalField(**PRICE, label=_("lowest price"))
    highest = serializers.DecimalField(**PRICE, label=_("highest price"))

    totals = ("quantity", "amount")


class PurchaseReportViewSet(ReportViewSet):
    module = "purchasing"
    query_serializer_class = PurchaseQuerySerializer


class PurchaseSummaryViewSet(PurchaseReportViewSet):
    """``GET purchase-summary/?group_by=&date_from=&…`` (采购汇总表)."""

    query_serializer_class = GroupedQuerySerializer
    serializer_class = PurchaseSummaryRowSerializer
    export_filename = "purchase-summary"
    export_exclude = ("key",)

    def rows(self, query):
        return reports.purchase_summary(
            self.request.organization, filters_of(query), group_by=query["group_by"]
        )


class PurchaseDetailViewSet(PurchaseReportViewSet):
    """``GET purchase-detail/?…`` (采购明细表)."""

    serializer_class = PurchaseDetailRowSerializer
    export_filename = "purchase-detail"
    export_exclude = ("document_id",)

    def rows(self, query):
        return reports.purchase_detail(self.request.organization, filters_of(query))


class PurchaseOrderExecutionViewSet(PurchaseReportViewSet):
    """``GET purchase-order-execution/?…`` (采购订单执行表), per order line."""

    serializer_class = PurchaseExecutionRowSerializer
    export_filename = "purchase-order-execution"
    export_exclude = ("line_id", "order_id")

    def rows(self, query):
        return reports.order_execution(self.request.organization, filters_of(query))


class OpenPurchaseOrdersViewSet(PurchaseReportViewSet):
    """``GET purchase-open-orders/?overdue=&…`` (未交货 / 逾期未交的采购订单行)."""

    query_serializer_class = OpenOrdersQuerySerializer
    serializer_class = OpenOrderRowSerializer
    export_filename = "purchase-open-orders"
    export_exclude = ("line_id", "order_id")

    def rows(self, query):
        return reports.open_orders(
            self.request.organization,
            filters_of(query),
            overdue_only=query["overdue"],
            today=timezone.localdate(),
        )


class SupplierPerformanceViewSet(PurchaseReportViewSet):
    """``GET supplier-performance/?…`` (供应商考核): on-time and return rates per supplier."""

    serializer_class = PerformanceRowSerializer
    export_filename = "supplier-performance"
    export_exclude = ("supplier",)

    def rows(self, query):
        return reports.supplier_performance(self.request.organization, filters_of(query))


class PriceTrendViewSet(PurchaseReportViewSet):
    """``GET purchase-price-trend/?…`` (采购价格走势): per product and month."""

    serializer_class = PriceTrendRowSerializer
    export_filename = "purchase-price-trend"
    export_exclude = ("product",)

    def rows(self, query):
        return reports.price_trend(self.request.organization, filters_of(query))


PurchaseSummaryViewSet.documented("PurchaseSummary")
PurchaseDetailViewSet.documented("PurchaseDetail")
PurchaseOrderExecutionViewSet.documented("PurchaseOrderExecution")
OpenPurchaseOrdersViewSet.documented("OpenPurchaseOrders")
SupplierPerformanceViewSet.documented("SupplierPerformance")
PriceTrendViewSet.documented("PriceTrend")
