"""Purchasing documents printed as PDFs: the purchase order (采购订单) sent to the supplier, the
request for quotation (询价单) sent to each supplier asked, and the goods receipt (采购入库单)
signed in the warehouse, in the layout of ``jxc.core.printing``; and the purchase order e-mailed
to the supplier with its PDF attached (the request for quotation: ``rfq_mailing``).

The receipt prints quantities, bins, lots and serials but no values: what the stock came in
at is a cost, which not everyone who receives goods may see.
"""

from django.utils.translation import gettext as _

from jxc.core import audit
from jxc.core.errors import ValidationFailed
from jxc.core.mail import (
    DocumentMail,
    addresses,
    partner_email,
    require_mail_configured,
    send_document,
)
from jxc.core.printing import (
    NUMBER,
    Column,
    Party,
    PrintedDocument,
    Row,
    document_number,
    format_date,
    format_percent,
    format_quantity,
    organization_facts,
    partner_facts,
    priced_document,
    render_pdf,
    user_name,
)
from jxc.core.states import DocumentState
from jxc.finance.printing import total_in_words
from jxc.masterdata.models import Partner
from jxc.purchasing.models import GoodsReceipt, PurchaseOrder, RequestForQuotation

PAYMENT_TERMS = {
    Partner.PaymentTerms.IMMEDIATE: "货到付款",
    Partner.PaymentTerms.NET: "发票后 {days} 天",
    Partner.PaymentTerms.MONTH_END: "月结 {days} 天",
}


def _payment_terms(order: PurchaseOrder) -> str:
    text = PAYMENT_TERMS.get(order.payment_terms, order.payment_terms)
    return text.format(days=order.payment_days)


def _order_line_details(line) -> list[str]:
    details = [f"折扣 {format_percent(line.discount_percent)}"] if line.discount_percent else []
    if line.expected_date:
        details.append(f"交货日期 {format_date(line.expected_date)}")
    if line.note:
        details.append(line.note)
    return details


def order_document(order: PurchaseOrder) -> PrintedDocument:
    """采购订单: what is ordered from the supplier, at what price, for which warehouse."""
    warehouse = order.warehouse
    facts = [("收货仓库", f"{warehouse.code} {warehouse.name}"), ("币种", order.currency.code)]
    if order.payment_terms:
        facts.append(("付款条件", _payment_terms(order)))
    return priced_document(
        order,
        title="采购订单",
        in_words=total_in_words(order.gross_amount, order.currency.code),
        details=_order_line_details,
        parties=[
            Party("供应商", partner_facts(order.supplier)),
            Party("采购方", organization_facts(order.organization)),
        ],
        facts=facts,
        signatures=[
            ("采购员", user_name(order.created_by)),
            ("审核", ""),
            ("供应商确认（盖章）", ""),
        ],  # fmt: skip
        is_draft=order.state in (DocumentState.DRAFT, DocumentState.SUBMITTED),
    )


def rfq_document(rfq: RequestForQuotation, supplier: Partner) -> PrintedDocument:
    """询价单 to one supplier: what is asked, how much, by when it is needed and by when the
    supplier is to reply (both dates are the request's, printed once over the lines). No
    prices: the supplier is asked for them."""
    lines = rfq.lines.select_related("product", "unit").order_by("position", "id")
    rows = [
        Row(
            cells=[
                str(index),
                line.product.code,
                line.product.name,
                line.product.specification,
                line.unit.name,
                format_quantity(line.quantity),
                line.note,
            ],  # fmt: skip
        )
        for index, line in enumerate(lines, start=1)
    ]
    warehouse = rfq.warehouse
    facts = [("收货仓库", f"{warehouse.code} {warehouse.name}")]
    if rfq.needed_by:
        facts.append(("需求日期", format_date(rfq.needed_by)))
    if rfq.reply_by:
        facts.append(("报价截止", format_date(rfq.reply_by)))
    notes = ["请在报价截止日期前回复含税单价、交货周期及报价有效期。"]
    if rfq.note:
        notes.append(f"备注：{rfq.note}")
    return PrintedDocument(
        title="询价单",
        organization=rfq.organization,
        number=document_number(rfq),
        date=format_date(rfq.business_date),
        parties=[
            Party("供应商", partner_facts(supplier)),
            Party("询价方", organization_facts(rfq.organization)),
        ],
        facts=facts,
        columns=[
            Column("序号", NUMBER, "5%"),
            Column("商品编码", width="12%"),
            Column("商品名称"),
            Column("规格型号", width="13%"),
            Column("单位", width="6%"),
            Column("数量", NUMBER, "10%"),
            Column("备注", width="22%"),
        ],  # fmt: skip
        rows=rows,
        notes=notes,
        signatures=[("询价人", user_name(rfq.created_by)), ("供应商报价（盖章）", "")],
        is_draft=rfq.state == DocumentState.DRAFT,
    )


def receipt_document(receipt: GoodsReceipt) -> PrintedDocument:
    """采购入库单: what came in, into which bin, with lot and serial numbers."""
    lines = receipt.lines.select_related("product", "unit", "location", "lot", "order_line__order")
    rows = []
    for index, line in enumerate(lines.order_by("position", "id"), start=1):
        lot = line.lot.code if line.lot else line.lot_code
        order = line.order_line.order.number if line.order_line else ""
        rows.append(
            Row(
                cells=[
                    str(index),
                    line.location.code,
                    line.product.code,
                    line.product.name,
                    line.product.specification,
                    line.unit.name,
                    format_quantity(line.quantity),
                    lot,
                    line.serial,
                    order,
                ],  # fmt: skip
                details=[f"有效期至 {format_date(line.expiry_date)}"] if line.expiry_date else [],
            )
        )
    warehouse = receipt.warehouse
    return PrintedDocument(
        title="采购入库单",
        organization=receipt.organization,
        number=document_number(receipt),
        date=format_date(receipt.business_date),
        parties=[Party("供应商", partner_facts(receipt.supplier)[:1])],
        facts=[("入库仓库", f"{warehouse.code} {warehouse.name}")],
        columns=[
            Column("序号", NUMBER, "5%"),
            Column("库位", width="10%"),
            Column("商品编码", width="10%"),
            Column("商品名称"),
            Column("规格型号", width="9%"),
            Column("单位", width="5%"),
            Column("数量", NUMBER, "8%"),
            Column("批次", width="10%"),
            Column("序列号", width="10%"),
            Column("订单号", width="16%"),
        ],  # fmt: skip
        rows=rows,
        details_column=3,  # the expiry date under the product's name
        notes=[f"备注：{receipt.note}"] if receipt.note else [],
        signatures=[
            ("仓管", ""),
            ("验收", ""),
            ("送货人", ""),
            ("制单", user_name(receipt.created_by)),
        ],
        is_draft=receipt.state == DocumentState.DRAFT,
    )


def order_pdf(order: PurchaseOrder) -> bytes:
    return render_pdf(order_document(order))


def receipt_pdf(receipt: GoodsReceipt) -> bytes:
    return render_pdf(receipt_document(receipt))


def rfq_pdf(rfq: RequestForQuotation, supplier: Partner) -> bytes:
    return render_pdf(rfq_document(rfq, supplier))


def rfq_filename(rfq: RequestForQuotation, supplier: Partner) -> str:
    return f"rfq-{rfq.number or rfq.pk}-{supplier.code}.pdf"


def order_filename(order: PurchaseOrder) -> str:
    return f"purchase-order-{order.number or order.pk}.pdf"


# --- e-mail to the supplier --------------------------------------------------------------------


def supplier_email(order: PurchaseOrder) -> str:
    """The address an order goes to unless another is given: the supplier's primary contact's,
    else its first contact's that has one."""
    return partner_email(order.supplier)


def email_order(*, order: PurchaseOrder, user, to=None, cc=(), message: str = "") -> dict:
    """E-mail the order's PDF to the supplier (``to`` defaults to the supplier's contact) and
    record it in the order's history. A draft or cancelled order is not sent: what the supplier
    receives is what was approved."""
    require_mail_configured()
    if order.state in (DocumentState.DRAFT, DocumentState.SUBMITTED, DocumentState.CANCELLED):
        raise ValidationFailed(
            _("Only an approved purchase order is sent to the supplier."), field="state"
        )
    recipients = addresses(to or [], "to") or addresses([supplier_email(order)], "to")
    if not recipients:
        raise ValidationFailed(
            _("The supplier has no contact with an e-mail address: enter one."), field="to"
        )
    copies = addresses(cc or [], "cc")
    organization = order.organization
    body = message.strip() or _(
        "Please find attached our purchase order %(number)s. Kindly confirm receipt."
    ) % {"number": order.number}
    sent = send_document(
        DocumentMail(
            subject=_("Purchase order %(number)s from %(organization)s")
            % {"number": order.number, "organization": organization.name},
            body=body,
            to=recipients,
            cc=copies,
            filename=order_filename(order),
            pdf=order_pdf(order),
            reply_to=getattr(user, "email", ""),
        )
    )
    audit.record(action="update", instance=order, changes={"emailed_to": [None, sent]})
    return sent
