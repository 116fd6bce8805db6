"""Purchase orders go through approval: registered with workflow when Django starts under the
code of their number series, so administrators can write rules on an order's value, currency,
supplier, warehouse and product categories.

Purchase requests likewise, on their warehouse and product categories.

Goods receipts beyond an over-receipt tolerance that asks for approval likewise (amount,
currency, supplier, warehouse, category); approval posts the receipt.

Supplier invoices beyond their price or quantity tolerance likewise (amount, currency,
supplier, category); approval posts the invoice.

Payment requests (付款申请单) likewise, on their amount, currency and supplier.

Workflow calls back inside the transaction that decides a request, after locking the request:
the order is locked next and moved (submitted → approved, or back to draft)."""

from django.utils.translation import gettext_lazy as _

from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.purchasing.models import (
    GoodsReceipt,
    PaymentRequest,
    PurchaseOrder,
    PurchaseRequest,
    SupplierInvoice,
)
from jxc.purchasing.selectors import (
    read_goods_receipt_facts,
    read_payment_request_facts,
    read_purchase_order_facts,
    read_purchase_request_facts,
    read_supplier_invoice_facts,
)
from jxc.purchasing.services import invoices, payment_requests, receipts, requests, revisions
from jxc.purchasing.services.orders import DOC_TYPE, mark_approved
from jxc.purchasing.states import ORDER_TRANSITIONS, REQUEST_TRANSITIONS
from jxc.workflow.registry import ApprovableType, ApprovalDecision, register_approvable

FIELDS = ("amount", "currency", "partner", "warehouse", "category")


def _locked(decision: ApprovalDecision) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_purchase_order_approved(decision: ApprovalDecision) -> None:
    """A submitted order is approved; an approved one had a revision (修订) approved."""
    order = _locked(decision)
    if order.state != S.SUBMITTED and (revision := revisions.pending_revision(order)):
        revisions.apply_revision(order=order, revision=revision)
        return
    mark_approved(order)


def return_purchase_order_to_draft(decision: ApprovalDecision) -> None:
    """Rejected or withdrawn: the order can be changed and submitted again (a revision is
    cancelled and the order stays as approved)."""
    order = _locked(decision)
    if order.state != S.SUBMITTED:
        revisions.reject_revision(order=order)
        return
    transition(order, S.DRAFT, ORDER_TRANSITIONS)
    order.save(update_fields=["state"])


def _locked_request(decision: ApprovalDecision) -> PurchaseRequest:
    return PurchaseRequest.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_purchase_request_approved(decision: ApprovalDecision) -> None:
    requests.mark_approved(_locked_request(decision))


def return_purchase_request_to_draft(decision: ApprovalDecision) -> None:
    request = _locked_request(decision)
    transition(request, S.DRAFT, REQUEST_TRANSITIONS)
    request.save(update_fields=["state"])


def _locked_receipt(decision: ApprovalDecision) -> GoodsReceipt:
    return GoodsReceipt.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_goods_receipt_approved(decision: ApprovalDecision) -> None:
    receipts.mark_receipt_approved(_locked_receipt(decision))


def return_goods_receipt_to_draft(decision: ApprovalDecision) -> None:
    receipts.return_receipt_to_draft(_locked_receipt(decision))


def _locked_invoice(decision: ApprovalDecision) -> SupplierInvoice:
    return SupplierInvoice.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_supplier_invoice_approved(decision: ApprovalDecision) -> None:
    invoices.mark_invoice_approved(_locked_invoice(decision))


def return_supplier_invoice_to_draft(decision: ApprovalDecision) -> None:
    invoices.return_invoice_to_draft(_locked_invoice(decision))


def _locked_payment_request(decision: ApprovalDecision) -> PaymentRequest:
    return PaymentRequest.objects.select_for_update().get(
        organization_id=decision.organization_id, pk=decision.document.id
    )


def mark_payment_request_approved(decision: ApprovalDecision) -> None:
    payment_requests.mark_approved(_locked_payment_request(decision))


def return_payment_request_to_draft(decision: ApprovalDecision) -> None:
    payment_requests.return_to_draft(_locked_payment_request(decision))


def register_purchasing_approvals() -> None:
    register_approvable(
        ApprovableType(
            code=DOC_TYPE,
            label=_("Purchase order"),
            fields=FIELDS,
            read_facts=read_purchase_order_facts,
            on_approved=mark_purchase_order_approved,
            on_returned=return_purchase_order_to_draft,
            view_permission="purchasing.view",
        )
    )
    # purchase requests (请购单): any member may request, so any member reads the history
    register_approvable(
        ApprovableType(
            code=requests.DOC_TYPE,
            label=_("Purchase request"),
            fields=("warehouse", "category"),
            read_facts=read_purchase_request_facts,
            on_approved=mark_purchase_request_approved,
            on_returned=return_purchase_request_to_draft,
            view_permission="",
        )
    )
    # goods receipts beyond an over-receipt tolerance that asks for approval
    register_approvable(
        ApprovableType(
            code=receipts.DOC_TYPE,
            label=_("Goods receipt beyond tolerance"),
            fields=FIELDS,
            read_facts=read_goods_receipt_facts,
            on_approved=mark_goods_receipt_approved,
            on_returned=return_goods_receipt_to_draft,
            view_permission="purchasing.view",
        )
    )
    # supplier invoices beyond their price or quantity tolerance
    register_approvable(
        ApprovableType(
            code=invoices.DOC_TYPE,
            label=_("Supplier invoice beyond tolerance"),
            fields=("amount", "currency", "partner", "category"),
            read_facts=read_supplier_invoice_facts,
            on_approved=mark_supplier_invoice_approved,
            on_returned=return_supplier_invoice_to_draft,
            view_permission="purchasing.view",
        )
    )
    # payment requests (付款申请单)
    register_approvable(
        ApprovableType(
            code=payment_requests.DOC_TYPE,
            label=_("Payment request"),
            fields=("amount", "currency", "partner"),
            read_facts=read_payment_request_facts,
            on_approved=mark_payment_request_approved,
            on_returned=return_payment_request_to_draft,
            view_permission="purchasing.view",
        )
    )
