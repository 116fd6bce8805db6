"""The purchasing API: orders, receipts, supplier invoices, returns and over-receipt
tolerances. Thin: parse, call a service, render the document again."""

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.export import XLSX, build_workbook
from jxc.core.api.printing import PDF, PdfMixin, pdf_response
from jxc.core.api.views import JxcViewSet, OrganizationScopedViewSet, RecordViewSet
from jxc.core.errors import ValidationFailed
from jxc.masterdata.models import Partner, Warehouse
from jxc.purchasing.api import serializers as s
from jxc.purchasing.models import (
    GoodsReceipt,
    InvoiceTolerance,
    LandedCost,
    PaymentRequest,
    PurchaseOrder,
    PurchaseRequest,
    PurchaseReturn,
    ReceiptTolerance,
    ReorderRule,
    RequestForQuotation,
    SupplierInvoice,
)
from jxc.purchasing.selectors import (
    cash_and_bank_accounts,
    due_invoices,
    expense_accounts,
    quote_comparison,
)
from jxc.purchasing.services import (
    invoice_reversals,
    invoices,
    landed_costs,
    orders,
    payment_requests,
    printing,
    quotes,
    receipts,
    requests,
    return_credits,
    returns,
    revisions,
    rfq_mailing,
    suggestions,
)
from jxc.purchasing.suggestions import purchase_suggestions

DOCUMENT_FILTERS = {
    "state": ["exact"],
    "supplier": ["exact"],
    "business_date": ["gte", "lte"],
}
# what without the approve permission of purchasing may not be done: take goods in without
# an order (a receipt line without an order line)
WITHOUT_ORDER = "purchasing.approve"


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    module = "purchasing"
    filterset_fields = DOCUMENT_FILTERS
    search_fields = ["number", "note", "supplier__name", "supplier__code"]
    ordering_fields = ["business_date", "number", "created_at"]
    ordering = ["-business_date", "-id"]
    action_permissions = {"submit": "edit", "post": "edit", "cancel": "edit", "close": "edit"}

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["with_stock"] = self.action not in ("list", "export")
        return context

    def _done(self, document, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data, code)

    def _save(self, serializer, service, name, **extra):
        serializer.instance = service(
            organization=self.request.organization,
            user=self.request.user,
            data=serializer.validated_data,
            **({name: serializer.instance} if serializer.instance else {}),
            **extra,
        )


class PurchaseOrderViewSet(PdfMixin, DocumentViewSet):
    """采购订单: drafts, submission for approval, closing and cancelling."""

    serializer_class = s.PurchaseOrderSerializer
    queryset = PurchaseOrder.objects.select_related(
        "supplier", "currency", "warehouse", "created_by", "organization"
    ).prefetch_related(
        "lines__product",
        "lines__unit",
        "lines__supplier_quote__rfq_line__rfq",
        "revisions__created_by",
    )
    filterset_fields = {**DOCUMENT_FILTERS, "warehouse": ["exact"]}
    export_exclude = ("lines", "stock", "supplier", "currency", "warehouse", "supplier_email",
                      "revisions")  # fmt: skip
    action_permissions = {**DocumentViewSet.action_permissions, "email": "edit", "revise": "edit"}
    pdf_renderer = printing.order_pdf
    pdf_name = "purchase-order"

    def perform_create(self, serializer):
        self._save(serializer, orders.save_purchase_order, "order")

    def perform_update(self, serializer):
        self._save(serializer, orders.save_purchase_order, "order")

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft for approval (提交审批); approved at once when no rule applies."""
        return self._done(orders.submit_purchase_order(order=self.get_object(), user=request.user))

    @extend_schema(request=s.EmailOrderSerializer, responses=s.EmailSentSerializer)
    @action(detail=True, methods=["post"])
    def email(self, request, pk=None):
        """E-mail the order's PDF to the supplier (to: its contact's address unless given);
        recorded in the order's history."""
        body = s.EmailOrderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        sent = printing.email_order(
            order=self.get_object(),
            user=request.user,
            to=data.get("to"),
            cc=data.get("cc", []),
            message=data.get("message", ""),
        )
        return Response(s.EmailSentSerializer(sent).data)

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """关闭: nothing more is received; the open remainder is no longer expected."""
        return self._done(orders.close_purchase_order(order=self.get_object()))

    @extend_schema(request=None, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(orders.cancel_purchase_order(order=self.get_object()))

    @extend_schema(request=s.ReviseOrderSerializer, responses=s.PurchaseOrderSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        """修订: propose new lines for an approved order (``line``: the order line a row
        changes; a line left out is removed) with the reason; approved again through the
        order's approval rules, and applied once approved (at once without a rule). The order
        with its revision history is returned."""
        order = self.get_object()
        body = s.ReviseOrderSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        revisions.revise_purchase_order(
            order=order,
            user=request.user,
            reason=body.validated_data["reason"],
            lines=body.validated_data["lines"],
        )
        return self._done(order)


class RequestForQuotationViewSet(DocumentViewSet):
    """询价单: drafted with the products, quantities and the suppliers asked; sent; the
    suppliers' quotes recorded; compared (比价); orders made from the chosen quotes."""

    serializer_class = s.RequestForQuotationSerializer
    queryset = RequestForQuotation.objects.select_related(
        "warehouse", "created_by", "organization"
    ).prefetch_related(
        "suppliers",
        "lines__product",
        "lines__unit",
        "lines__quotes__supplier",
        "lines__quotes__currency",
    )
    filterset_fields = {
        "state": ["exact"],
        "warehouse": ["exact"],
        "suppliers": ["exact"],
        "business_date": ["gte", "lte"],
    }
    search_fields = ["number", "note", "lines__product__name", "lines__product__code"]
    export_exclude = ("lines", "warehouse", "suppliers", "supplier_names")
    action_permissions = {
        **DocumentViewSet.action_permissions,
        "quotes": "edit",
        "comparison": "view",
        "create_orders": "create",
        "pdf": "view",
        "email": "edit",
    }

    def perform_create(self, serializer):
        self._save(serializer, quotes.save_rfq, "rfq")

    def perform_update(self, serializer):
        self._save(serializer, quotes.save_rfq, "rfq")

    @extend_schema(request=None, responses=s.RequestForQuotationSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """发出询价: lines and suppliers are fixed; quotes can be recorded."""
        return self._done(quotes.send_rfq(rfq=self.get_object()))

    @extend_schema(request=None, responses=s.RequestForQuotationSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """关闭: no order is made from it."""
        return self._done(quotes.close_rfq(rfq=self.get_object()))

    @extend_schema(request=None, responses=s.RequestForQuotationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(quotes.cancel_rfq(rfq=self.get_object()))

    @extend_schema(request=s.RecordQuotesSerializer, responses=s.RequestForQuotationSerializer)
    @action(detail=True, methods=["post"])
    def quotes(self, request, pk=None):
        """录入报价: one supplier's quotes for lines of the request (a line quoted again
        replaces that supplier's earlier quote)."""
        rfq = self.get_object()
        body = s.RecordQuotesSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        quotes.record_quotes(rfq=rfq, supplier=data.pop("supplier"), data=data)
        return self._done(rfq)

    @extend_schema(
        summary="Print the request for quotation (打印) to one supplier as a PDF",
        parameters=[
            OpenApiParameter(
                "supplier",
                OpenApiTypes.INT,
                required=True,
                description="A supplier the request asks: its name and contact head the page.",
            )  # fmt: skip
        ],
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        """询价单 to one supplier: products, specifications, units, quantities, the dates needed
        and of the reply, the notes; no prices."""
        rfq = self.get_object()
        supplier = rfq_mailing.asked_supplier(rfq, request.query_params.get("supplier"))
        content = printing.rfq_pdf(rfq, supplier)
        return pdf_response(content, printing.rfq_filename(rfq, supplier))

    @extend_schema(request=s.EmailRfqSerializer, responses={202: s.EmailRfqQueuedSerializer})
    @action(detail=True, methods=["post"])
    def email(self, request, pk=None):
        """发送邮件: the request's PDF to each chosen supplier (all it asks when none is chosen),
        each to its contact's address unless ``to`` is given for a single supplier; sent in the
        background (202 with the job's id), each send recorded in the request's history."""
        body = s.EmailRfqSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        queued = rfq_mailing.email_rfq(
            rfq=self.get_object(),
            user=request.user,
            suppliers=data.get("suppliers"),
            to=data.get("to"),
            cc=data.get("cc", []),
            message=data.get("message", ""),
        )
        return Response(s.EmailRfqQueuedSerializer(queued).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=s.QuoteComparisonSerializer)
    @action(detail=True, methods=["get"])
    def comparison(self, request, pk=None):
        """比价: lines × suppliers, the price at the line's quantity, lead time, validity; the
        cheapest valid quote of each line flagged, expired quotes marked."""
        found = quote_comparison(self.get_object(), timezone.localdate())
        return Response(s.QuoteComparisonSerializer(found).data)

    @extend_schema(
        request=s.OrdersFromQuotesSerializer,
        responses={201: s.CreatedOrderSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], url_path="create-orders")
    def create_orders(self, request, pk=None):
        """生成采购订单: one draft order per supplier (and currency) of the chosen quotes;
        optionally the accepted prices go on the suppliers' purchase price lists."""
        rfq = self.get_object()
        body = s.OrdersFromQuotesSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        created = quotes.orders_from_quotes(
            rfq=rfq,
            user=request.user,
            lines=body.validated_data["lines"],
            update_price_list=body.validated_data["update_price_list"],
        )
        return Response(s.CreatedOrderSerializer(created, many=True).data, status.HTTP_201_CREATED)


class PurchaseRequestViewSet(DocumentViewSet):
    """请购单: any member drafts, submits and cancels their own requests (users who may view
    purchasing see every request); closing needs purchasing's edit permission and turning
    approved lines into purchase orders (转采购订单) its create permission."""

    serializer_class = s.PurchaseRequestSerializer
    queryset = PurchaseRequest.objects.select_related(
        "warehouse", "requester", "created_by", "organization"
    ).prefetch_related("lines__product__base_unit", "lines__unit", "lines__supplier")
    filterset_fields = {
        "state": ["exact"],
        "warehouse": ["exact"],
        "requester": ["exact"],
        "business_date": ["gte", "lte"],
    }
    search_fields = ["number", "note", "department"]
    export_exclude = ("lines", "stock", "warehouse", "requester")
    # None: any member (what they see is narrowed in get_queryset)
    action_permissions = {
        "list": None,
        "retrieve": None,
        "create": None,
        "update": None,
        "partial_update": None,
        "submit": None,
        "cancel": None,
        "close": "edit",
        "convert": "create",
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.access.allows("purchasing.view"):
            user = self.request.user
            queryset = queryset.filter(Q(requester=user) | Q(created_by=user))
        return queryset

    def perform_create(self, serializer):
        self._save(serializer, requests.save_purchase_request, "request")

    def perform_update(self, serializer):
        self._save(serializer, requests.save_purchase_request, "request")

    @extend_schema(request=None, responses=s.PurchaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft for approval (提交审批); approved at once when no rule applies."""
        return self._done(
            requests.submit_purchase_request(request=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=s.PurchaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """关闭: nothing more is ordered of the request."""
        return self._done(requests.close_purchase_request(request=self.get_object()))

    @extend_schema(request=None, responses=s.PurchaseRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(requests.cancel_purchase_request(request=self.get_object()))

    @extend_schema(
        request=s.OrdersFromRequestsSerializer,
        responses={201: s.CreatedOrderSerializer(many=True)},
    )
    @action(detail=False, methods=["post"])
    def convert(self, request):
        """转采购订单: lines of approved requests (one or several) become one draft purchase
        order per supplier and warehouse; each request line keeps what was ordered."""
        body = s.OrdersFromRequestsSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        body.is_valid(raise_exception=True)
        created = requests.orders_from_requests(
            organization=request.organization,
            user=request.user,
            lines=body.validated_data["lines"],
        )
        return Response(s.CreatedOrderSerializer(created, many=True).data, status.HTTP_201_CREATED)


class GoodsReceiptViewSet(PdfMixin, DocumentViewSet):
    """采购入库单: drafted (by hand, by scanning, or from orders in one click), then posted."""

    serializer_class = s.GoodsReceiptSerializer
    queryset = GoodsReceipt.objects.select_related(
        "supplier", "currency", "warehouse", "created_by", "organization"
    ).prefetch_related("lines__product", "lines__unit", "lines__location", "lines__lot",
                       "lines__order_line__order")  # fmt: skip
    filterset_fields = {**DOCUMENT_FILTERS, "warehouse": ["exact"]}
    export_exclude = ("lines", "stock", "supplier", "currency", "warehouse")
    action_permissions = {**DocumentViewSet.action_permissions, "from_orders": "create"}
    pdf_renderer = printing.receipt_pdf
    pdf_name = "goods-receipt"

    def _without_order(self) -> bool:
        return self.request.access.allows(WITHOUT_ORDER)

    def perform_create(self, serializer):
        self._save(serializer, receipts.save_goods_receipt, "receipt",
                   allow_without_order=self._without_order())  # fmt: skip

    def perform_update(self, serializer):
        self._save(serializer, receipts.save_goods_receipt, "receipt",
                   allow_without_order=self._without_order())  # fmt: skip

    @extend_schema(request=None, responses=s.GoodsReceiptSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the receipt: the goods come into stock and the 暂估 is booked; beyond an
        over-receipt tolerance that asks for approval it is submitted to workflow instead."""
        return self._done(receipts.post_goods_receipt(receipt=self.get_object(), user=request.user))

    @extend_schema(request=None, responses=s.GoodsReceiptSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(receipts.cancel_goods_receipt(receipt=self.get_object()))

    @extend_schema(request=s.FromOrdersSerializer, responses={201: s.GoodsReceiptSerializer})
    @action(detail=False, methods=["post"], url_path="from-orders")
    def from_orders(self, request):
        """一键入库: a draft receipt of everything still open on the orders (one supplier)."""
        body = s.FromOrdersSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "orders"}
        receipt = receipts.receipt_from_orders(
            organization=request.organization,
            user=request.user,
            orders=body.validated_data["orders"],
            data=data,
        )
        return self._done(receipt, status.HTTP_201_CREATED)


class SupplierInvoiceViewSet(DocumentViewSet):
    """采购发票: entered by hand or from receipts, then posted (AP, input VAT, 暂估 reversed)."""

    serializer_class = s.SupplierInvoiceSerializer
    queryset = SupplierInvoice.objects.select_related(
        "supplier",
        "currency",
        "created_by",
        "organization",
        "open_item",
        "reversed_by",
        "reversal_voucher",
    ).prefetch_related(
        "lines__product",
        "lines__account",
        "lines__receipt_line__receipt",
        "lines__receipt_line__order_line",
    )
    filterset_fields = {**DOCUMENT_FILTERS, "invoice_type": ["exact"]}
    search_fields = [*DocumentViewSet.search_fields, "invoice_number"]
    export_exclude = ("lines", "supplier", "currency", "open_item", "reversal_voucher")
    action_permissions = {
        **DocumentViewSet.action_permissions,
        "from_receipts": "create",
        "offset_returns": "edit",
        "expense_accounts": "view",
        "reverse": "edit",  # as posting
    }

    def perform_create(self, serializer):
        self._save(serializer, invoices.save_supplier_invoice, "invoice")

    def perform_update(self, serializer):
        self._save(serializer, invoices.save_supplier_invoice, "invoice")

    @extend_schema(request=None, responses=s.SupplierInvoiceSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the invoice: the 暂估 is reversed, AP and input VAT are booked; beyond a price
        or quantity tolerance it is submitted to workflow instead (state ``submitted``)."""
        return self._done(
            invoices.post_supplier_invoice(invoice=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=s.SupplierInvoiceSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(invoices.cancel_supplier_invoice(invoice=self.get_object()))

    @extend_schema(request=s.ReverseInvoiceSerializer, responses=s.SupplierInvoiceSerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """红字冲销: the voucher reversed in red, the payable closed, the invoiced quantities
        back on the receipt and order lines; only while nothing is paid, offset or requested."""
        invoice = self.get_object()
        body = s.ReverseInvoiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._done(
            invoice_reversals.reverse_supplier_invoice(
                invoice=invoice,
                user=request.user,
                reason=body.validated_data["reason"],
                business_date=body.validated_data.get("business_date"),
            )
        )

    @extend_schema(request=s.OffsetReturnsSerializer, responses=s.SupplierInvoiceSerializer)
    @action(detail=True, methods=["post"], url_path="offset-returns")
    def offset_returns(self, request, pk=None):
        """抵扣退货: the supplier's open return credits settle the invoice, oldest first."""
        invoice = self.get_object()
        body = s.OffsetReturnsSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return_credits.offset_invoice_with_returns(
            invoice=invoice, user=request.user, **body.validated_data
        )
        return self._done(invoice)

    @extend_schema(
        parameters=[OpenApiParameter("search", str, description="code (start) or name")],
        responses=s.ExpenseAccountSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="expense-accounts", pagination_class=None)
    def expense_accounts(self, request):
        """The accounts an expense line (费用行) may book: active cost and expense accounts of
        the chart (at most 50, by code), for the clerk's account picker."""
        found = expense_accounts(request.organization, request.query_params.get("search", ""))
        return Response(s.ExpenseAccountSerializer(found, many=True).data)

    @extend_schema(request=s.FromReceiptsSerializer, responses={201: s.SupplierInvoiceSerializer})
    @action(detail=False, methods=["post"], url_path="from-receipts")
    def from_receipts(self, request):
        """选单开票: a draft invoice of everything not yet invoiced on the receipts."""
        body = s.FromReceiptsSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = {k: v for k, v in body.validated_data.items() if k != "receipts"}
        invoice = invoices.invoice_from_receipts(
            organization=request.organization,
            user=request.user,
            receipts=body.validated_data["receipts"],
            data=data,
        )
        return self._done(invoice, status.HTTP_201_CREATED)


class LandedCostViewSet(DocumentViewSet):
    """到岸成本: freight, duty and insurance allocated onto posted receipts, then posted (stock
    revalued, the share of goods sold to cost of sales, AP to the cost's supplier)."""

    serializer_class = s.LandedCostSerializer
    queryset = LandedCost.objects.select_related(
        "supplier", "currency", "created_by", "organization", "open_item"
    ).prefetch_related(
        "lines", "receipts", "allocations__product", "allocations__receipt_line__receipt"
    )
    search_fields = [*DocumentViewSet.search_fields, "invoice_number"]
    export_exclude = ("lines", "allocations", "receipts", "supplier", "currency", "open_item")

    def perform_create(self, serializer):
        self._save(serializer, landed_costs.save_landed_cost, "document")

    def perform_update(self, serializer):
        self._save(serializer, landed_costs.save_landed_cost, "document")

    @extend_schema(request=None, responses=s.LandedCostSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post: the stock is revalued, the share of goods sold goes to cost of sales, the
        payable is booked."""
        return self._done(
            landed_costs.post_landed_cost(document=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=s.LandedCostSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(landed_costs.cancel_landed_cost(document=self.get_object()))


class PurchaseReturnViewSet(DocumentViewSet):
    """采购退货单: goods of a receipt sent back, or free-standing (a supplier and a warehouse, no
    receipt); a posted return's credit is refunded or offset against an invoice."""

    serializer_class = s.PurchaseReturnSerializer
    queryset = PurchaseReturn.objects.select_related(
        "supplier", "currency", "receipt", "warehouse", "organization", "open_item"
    ).prefetch_related("lines__product", "lines__location", "lines__lot")
    filterset_fields = {**DOCUMENT_FILTERS, "warehouse": ["exact"]}
    export_exclude = ("lines", "supplier", "currency", "receipt", "warehouse", "open_item")
    action_permissions = {**DocumentViewSet.action_permissions, "refund": "approve",
                          "offset": "edit"}  # fmt: skip

    def perform_create(self, serializer):
        self._save(serializer, returns.save_purchase_return, "purchase_return")

    def perform_update(self, serializer):
        self._save(serializer, returns.save_purchase_return, "purchase_return")

    @extend_schema(request=None, responses=s.PurchaseReturnSerializer)
    @action(detail=True, methods=["post"])
    def post(self, request, pk=None):
        """Post the return: the goods leave, the 暂估 or AP and VAT are reversed."""
        return self._done(
            returns.post_purchase_return(purchase_return=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=s.PurchaseReturnSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._done(returns.cancel_purchase_return(purchase_return=self.get_object()))

    @extend_schema(request=s.ReturnRefundSerializer, responses=s.PurchaseReturnSerializer)
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """退款: the supplier paid the credit back (a supplier refund, posted at once)."""
        purchase_return = self.get_object()
        body = s.ReturnRefundSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return_credits.refund_purchase_return(
            purchase_return=purchase_return, user=request.user, **body.validated_data
        )
        return self._done(purchase_return)

    @extend_schema(request=s.ReturnOffsetSerializer, responses=s.PurchaseReturnSerializer)
    @action(detail=True, methods=["post"])
    def offset(self, request, pk=None):
        """抵扣: the credit settles an invoice of the same supplier."""
        purchase_return = self.get_object()
        body = s.ReturnOffsetSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        return_credits.offset_purchase_return(
            purchase_return=purchase_return, user=request.user, **body.validated_data
        )
        return self._done(purchase_return)


class ReceiptToleranceViewSet(RecordViewSet):
    """超收容差: per product, per supplier, or the organization's default (neither)."""

    module = "purchasing"
    serializer_class = s.ReceiptToleranceSerializer
    queryset = ReceiptTolerance.objects.select_related("product", "supplier")
    filterset_fields = {"product": ["exact"], "supplier": ["exact"]}
    ordering = ["id"]
    export_exclude = ("product", "supplier")
    action_permissions = {"create": "approve", "update": "approve", "partial_update": "approve",
                          "destroy": "approve"}  # fmt: skip


class InvoiceToleranceViewSet(RecordViewSet):
    """发票容差: a supplier's price and quantity tolerances, or the organization's default
    (no supplier); beyond them an invoice posts after approval."""

    module = "purchasing"
    serializer_class = s.InvoiceToleranceSerializer
    queryset = InvoiceTolerance.objects.select_related("supplier")
    filterset_fields = {"supplier": ["exact"]}
    ordering = ["id"]
    export_exclude = ("supplier",)
    action_permissions = {"create": "approve", "update": "approve", "partial_update": "approve",
                          "destroy": "approve"}  # fmt: skip


class ReorderRuleViewSet(RecordViewSet):
    """补货规则: per product and warehouse, when and how much to buy."""

    module = "purchasing"
    serializer_class = s.ReorderRuleSerializer
    queryset = ReorderRule.objects.select_related("product", "warehouse", "supplier")
    filterset_fields = {"product": ["exact"], "warehouse": ["exact"], "supplier": ["exact"],
                        "is_active": ["exact"]}  # fmt: skip
    search_fields = ["product__code", "product__name"]
    ordering_fields = ["id", "product__code"]
    ordering = ["product__code", "id"]
    export_exclude = ("product", "warehouse", "supplier")
    action_permissions = {"create": "edit", "update": "edit", "partial_update": "edit",
                          "destroy": "edit"}  # fmt: skip


FILTERS = [
    OpenApiParameter("warehouse", int, description="warehouse id"),
    OpenApiParameter("supplier", int, description="supplier id"),
]
EXPORT_COLUMNS = [
    (gettext_lazy("supplier"), "supplier_name"),
    (gettext_lazy("product code"), "product_code"),
    (gettext_lazy("product name"), "product_name"),
    (gettext_lazy("warehouse"), "warehouse_name"),
    (gettext_lazy("on hand"), "on_hand"),
    (gettext_lazy("available"), "available"),
    (gettext_lazy("incoming"), "incoming"),
    (gettext_lazy("open demand"), "demand"),
    (gettext_lazy("reorder point"), "reorder_point"),
    (gettext_lazy("safety stock"), "safety_stock"),
    (gettext_lazy("suggested quantity"), "quantity"),
    (gettext_lazy("unit"), "unit_name"),
    (gettext_lazy("expected date"), "expected_date"),
    (gettext_lazy("reason"), "reason"),
]


class PurchaseSuggestionViewSet(JxcViewSet):
    """采购建议: what to buy by the reorder rules, grouped by supplier; chosen lines become
    draft purchase orders (one per supplier and warehouse) in one step."""

    module = "purchasing"
    serializer_class = s.SuggestionGroupSerializer
    queryset = ReorderRule.objects.none()  # computed, not rows: for the schema only
    pagination_class = None
    action_permissions = {"create_orders": "create"}

    def _suggestions(self, request):
        return purchase_suggestions(
            request.organization,
            warehouse=_scoped_id(request, "warehouse", Warehouse),
            supplier=_scoped_id(request, "supplier", Partner),
        )

    @extend_schema(parameters=FILTERS, responses=s.SuggestionGroupSerializer(many=True))
    def list(self, request):
        return Response(s.SuggestionGroupSerializer(self._suggestions(request), many=True).data)

    @extend_schema(
        parameters=FILTERS,
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request):
        """The suggestions as an Excel file, one row per line, with the same filters."""
        groups = self._suggestions(request)
        rows = (
            [getattr(line, name) for _label, name in EXPORT_COLUMNS]
            for group in groups
            for line in group["lines"]
        )
        name = str(_("Purchase suggestions"))
        content = build_workbook(name, [str(label) for label, _n in EXPORT_COLUMNS], rows)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="purchase-suggestions-{stamp}.xlsx"'
        )
        return response

    @extend_schema(
        request=s.CreateOrdersSerializer, responses={201: s.CreatedOrderSerializer(many=True)}
    )
    @action(detail=False, methods=["post"], url_path="create-orders")
    def create_orders(self, request):
        """生成采购订单: one draft order per supplier and warehouse of the chosen lines."""
        body = s.CreateOrdersSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        created = suggestions.orders_from_suggestions(
            organization=request.organization,
            user=request.user,
            lines=body.validated_data["lines"],
        )
        return Response(s.CreatedOrderSerializer(created, many=True).data, status.HTTP_201_CREATED)


def _scoped_id(request, name: str, model) -> int | None:
    """A filter id of the active organization; anything else is refused naming the field."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if (
        not raw.isdigit()
        or not model.objects.filter(organization=request.organization, pk=int(raw)).exists()
    ):
        unknown = _("Unknown warehouse.") if name == "warehouse" else _("Unknown supplier.")
        raise ValidationFailed(unknown, field=name)
    return int(raw)


class PaymentRequestViewSet(DocumentViewSet):
    """付款申请单: posted invoices of one supplier to pay, submitted for approval, then paid
    (付款: one posted payment settling each invoice) or cancelled while unpaid."""

    serializer_class = s.SupplierPaymentRequestSerializer
    queryset = PaymentRequest.objects.select_related(
        "supplier", "currency", "account", "payment", "created_by", "organization"
    ).prefetch_related("lines__invoice__open_item")
    search_fields = ["number", "note", "supplier__name", "supplier__code"]
    export_exclude = ("lines", "supplier", "currency", "account", "payment")
    action_permissions = {
        **DocumentViewSet.action_permissions,
        "pay": "finance.post",  # the accountant pays
        "due_invoices": "view",
        "accounts": "view",
    }

    def perform_create(self, serializer):
        self._save(serializer, payment_requests.save_payment_request, "request")

    def perform_update(self, serializer):
        self._save(serializer, payment_requests.save_payment_request, "request")

    @extend_schema(request=None, responses=s.SupplierPaymentRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the draft for approval (提交审批); approved at once when no rule applies."""
        return self._done(
            payment_requests.submit_payment_request(request=self.get_object(), user=request.user)
        )

    @extend_schema(request=None, responses=s.SupplierPaymentRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a draft or an approved request that is not paid yet."""
        return self._done(payment_requests.cancel_payment_request(request=self.get_object()))

    @extend_schema(
        request=s.PayPaymentRequestSerializer, responses=s.SupplierPaymentRequestSerializer
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """付款: post one payment from the request's account settling each invoice's open item
        (dated ``date``, default today); paid once."""
        body = s.PayPaymentRequestSerializer(data=request.data or {})
        body.is_valid(raise_exception=True)
        return self._done(
            payment_requests.pay_payment_request(
                request=self.get_object(),
                user=request.user,
                date=body.validated_data.get("date"),
            )
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("supplier", OpenApiTypes.INT, required=True),
            OpenApiParameter("until", OpenApiTypes.DATE, description="due by (default: all)"),
            OpenApiParameter(
                "request", OpenApiTypes.INT, description="leave this request's amounts out"
            ),
        ],
        responses=s.DueInvoiceSerializer(many=True),
    )
    @action(detail=False, methods=["get"], url_path="due-invoices")
    def due_invoices(self, request):
        """Posted invoices of the supplier due by ``until`` with something open that open
        payment requests do not ask for yet (``to_request``)."""
        query = s.DueInvoicesQuerySerializer(
            data=request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        found = due_invoices(
            request.organization,
            query.validated_data["supplier"],
            query.validated_data.get("until"),
            exclude_request_id=getattr(query.validated_data.get("request"), "pk", None),
        )
        return Response(s.DueInvoiceSerializer(found[:500], many=True).data)

    @extend_schema(responses=s.PaymentAccountSerializer(many=True))
    @action(detail=False, methods=["get"])
    def accounts(self, request):
        """The cash and bank accounts (库存现金, 银行存款, 其他货币资金) a request pays from."""
        found = cash_and_bank_accounts(request.organization)
        return Response(s.PaymentAccountSerializer(found, many=True).data)
