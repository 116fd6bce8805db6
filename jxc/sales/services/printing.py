"""Sales documents printed as PDFs: the quotation (销售报价单), the order confirmation
(销售订单确认书), the delivery note with its pick list (销售出库单), the invoice (销售发票) and
its red credit note, and the sales return (销售退货单), in the layout of ``jxc.core.printing``.

The delivery note is the warehouse's pick list: its lines are sorted by warehouse, then by
bin (库位) code, so a picker walks the shelves once, and each line shows the lot and serial
number to take. Amounts in capitals (大写) are written for documents in 人民币 only: the words
end in 元/角/分. An invoice prints its prices before tax, as 增值税发票 do; a red credit note
(红字发票) prints its amounts negative.
"""

from decimal import Decimal

from jxc.core.printing import (
    AMOUNT,
    NUMBER,
    Column,
    Party,
    PrintedDocument,
    Row,
    document_number,
    format_amount,
    format_date,
    format_percent,
    format_price,
    format_quantity,
    organization_facts,
    partner_facts,
    priced_document,
    render_pdf,
    user_name,
)
from jxc.core.states import DocumentState
from jxc.finance.printing import total_in_words
from jxc.sales.models import CustomerInvoice, Delivery, SalesOrder, SalesQuotation, SalesReturn
from jxc.sales.services import deliveries

PRICE_PLACES = Decimal("0.000001")
# printed in Chinese whatever the reader's language, as the rest of the form
INVOICE_TYPES = {"special": "增值税专用发票", "ordinary": "增值税普通发票", "none": "不开票"}
ZERO = Decimal(0)


def _discount(line) -> list[str]:
    return [f"折扣 {format_percent(line.discount_percent)}"] if line.discount_percent else []


def _order_line_details(line) -> list[str]:
    details = _discount(line)
    if line.delivery_date:
        details.append(f"交货日期 {format_date(line.delivery_date)}")
    return details


def order_document(order: SalesOrder) -> PrintedDocument:
    """销售订单确认书: what the customer ordered, at what price, and when it is delivered."""
    facts = [("币种", order.currency.code)]
    if order.delivery_date:
        facts.append(("交货日期", format_date(order.delivery_date)))
    if order.payment_terms:
        facts.append(("付款条件", order.payment_terms))
    if order.deposit_requested:
        facts.append(("订金", format_amount(order.deposit_requested)))
    return priced_document(
        order,
        title="销售订单确认书",
        in_words=total_in_words(order.gross_amount, order.currency.code),
        details=_order_line_details,
        parties=[
            Party("购货单位", partner_facts(order.customer)),
            Party("供货单位", organization_facts(order.organization)),
        ],
        facts=facts,
        signatures=[
            ("供方（盖章）", ""),
            ("需方确认（盖章）", ""),
            ("制单", user_name(order.created_by)),
        ],
        is_draft=order.state == DocumentState.DRAFT,
    )


def _warehouse_of(location, delivery: Delivery):
    """The pick's warehouse: the delivery's (all its stock is taken there, as posting checks),
    unless a bin says otherwise."""
    if location is None or location.warehouse_id in (None, delivery.warehouse_id):
        return delivery.warehouse
    return location.warehouse


def pick_order(picks, delivery: Delivery) -> list:
    """(line, move) picks in the order a picker walks: by warehouse, then bin, then product; a
    pick without a bin comes last in its warehouse."""

    def key(pick):
        line, move = pick
        location = move.from_location
        return (
            _warehouse_of(location, delivery).code,
            location is None,
            location.code if location is not None else "",
            line.product.code,
            line.position,
            line.pk,
        )

    return sorted(picks, key=key)


def delivery_document(delivery: Delivery) -> PrintedDocument:
    """销售出库单 with its pick list: what to take from which bin, by warehouse and bin, with
    lot and serial; one row per bin and lot a line takes from."""
    picked = deliveries.picks(delivery)
    numbers = dict(
        delivery.lines.values_list("pk", "order_line__order__number")
    )  # the order each line delivers
    units = {line.pk: line.product.base_unit.name for line in delivery.lines.select_related(
        "product__base_unit")}  # fmt: skip
    rows: list[Row] = []
    group = None
    for index, (line, move) in enumerate(pick_order(picked, delivery), start=1):
        location = move.from_location
        warehouse = _warehouse_of(location, delivery)
        if warehouse != group:
            group = warehouse
            rows.append(Row(cells=[], group=f"仓库：{warehouse.code} {warehouse.name}"))
        rows.append(
            Row(
                cells=[
                    str(index),
                    location.code if location is not None else "",
                    line.product.code,
                    line.product.name,
                    line.product.specification,
                    units[line.pk],
                    format_quantity(move.quantity),
                    move.lot.code if move.lot else "",
                    move.serial,
                    numbers[line.pk],
                    "",
                ],  # fmt: skip
            )
        )
    total = sum((move.quantity for _line, move in picked), ZERO)
    orders = sorted({number for number in numbers.values() if number})
    facts = [("发货仓库", f"{delivery.warehouse.code} {delivery.warehouse.name}")]
    if orders:
        facts.append(("销售订单", "、".join(orders)))
    if delivery.carrier:
        facts.append(("承运商", delivery.carrier))
    if delivery.tracking_number:
        facts.append(("运单号", delivery.tracking_number))
    address = delivery.customer.addresses.first()
    customer = partner_facts(delivery.customer)[:1]
    if address is not None:
        customer += [
            ("收货地址", address.address),
            ("联系人", " ".join(p for p in (address.contact, address.phone) if p)),
        ]
    return PrintedDocument(
        title="销售出库单",
        organization=delivery.organization,
        number=document_number(delivery),
        date=format_date(delivery.business_date),
        parties=[Party("收货单位", customer)],
        facts=facts,
        columns=[
            Column("序号", NUMBER, "5%"),
            Column("库位", width="10%"),
            Column("商品编码", width="8%"),
            Column("商品名称"),
            Column("规格型号", width="9%"),
            Column("单位", width="5%"),
            Column("数量", NUMBER, "7%"),
            Column("批次", width="9%"),
            Column("序列号", width="9%"),
            Column("订单号", width="16%"),
            Column("拣货", width="5%"),
        ],  # fmt: skip
        rows=rows,
        total_cells=["合计", "", "", "", "", "", format_quantity(total), "", "", "", ""],
        notes=[f"备注：{delivery.note}"] if delivery.note else [],
        signatures=[
            ("仓管", ""),
            ("发货人", ""),
            ("收货人", ""),
            ("制单", user_name(delivery.created_by)),
        ],
        is_draft=delivery.state == DocumentState.DRAFT,
    )


def invoice_document(invoice: CustomerInvoice) -> PrintedDocument:
    """销售发票 in the layout of a VAT invoice: buyer and seller with their tax ids, the lines
    with price before tax, tax rate and tax, the totals and 价税合计（大写）."""
    sign = -1 if invoice.kind == CustomerInvoice.Kind.CREDIT_NOTE else 1
    lines = invoice.lines.select_related("product__base_unit").order_by("position", "id")
    rows = []
    for line in lines:
        price = (line.net_amount / line.quantity).quantize(PRICE_PLACES) if line.quantity else ZERO
        rows.append(
            Row(
                cells=[
                    line.product.name,
                    line.product.specification,
                    line.product.base_unit.name,
                    format_quantity(sign * line.quantity),
                    format_price(price),
                    format_amount(sign * line.net_amount),
                    format_percent(line.tax_percent),
                    format_amount(sign * line.tax_amount),
                ],  # fmt: skip
            )
        )
    gross = sign * invoice.gross_amount
    words, figure = total_in_words(gross, invoice.currency.code)
    facts = [("发票类型", INVOICE_TYPES[invoice.invoice_type]), ("币种", invoice.currency.code)]
    if invoice.invoice_number:
        facts.append(("发票号码", invoice.invoice_number))
    if invoice.due_date:
        facts.append(("到期日", format_date(invoice.due_date)))
    notes = [f"备注：{invoice.note}"] if invoice.note else []
    if invoice.credit_of_id:
        notes.append(f"红字冲销：{invoice.credit_of}")
    return PrintedDocument(
        title="销售发票（红字）" if sign < 0 else "销售发票",
        organization=invoice.organization,
        number=document_number(invoice),
        date=format_date(invoice.business_date),
        parties=[
            Party("购买方", partner_facts(invoice.customer, with_bank=True)),
            Party("销售方", organization_facts(invoice.organization)),
        ],
        facts=facts,
        columns=[
            Column("项目名称"),
            Column("规格型号", width="12%"),
            Column("单位", width="7%"),
            Column("数量", NUMBER, "9%"),
            Column("单价", NUMBER, "11%"),
            Column("金额", AMOUNT, "13%"),
            Column("税率", NUMBER, "7%"),
            Column("税额", AMOUNT, "12%"),
        ],  # fmt: skip
        rows=rows,
        total_cells=[
            "合计",
            "",
            "",
            "",
            "",
            format_amount(sign * invoice.net_amount),
            "",
            format_amount(sign * invoice.tax_amount),
        ],  # fmt: skip
        words_label="价税合计（大写）",
        words=words,
        words_figure=figure,
        notes=notes,
        signatures=[
            ("收款人", ""),
            ("复核", ""),
            ("开票人", user_name(invoice.created_by)),
            ("销售方（章）", ""),
        ],  # fmt: skip
        is_draft=invoice.state == DocumentState.DRAFT,
    )


def quotation_document(quotation: SalesQuotation) -> PrintedDocument:
    """销售报价单: the prices offered to the customer and until when they hold."""
    facts = [("币种", quotation.currency.code), ("有效期至", format_date(quotation.valid_until))]
    if quotation.payment_terms:
        facts.append(("付款条件", quotation.payment_terms))
    return priced_document(
        quotation,
        title="销售报价单",
        in_words=total_in_words(quotation.gross_amount, quotation.currency.code),
        details=_discount,
        parties=[
            Party("客户", partner_facts(quotation.customer)),
            Party("报价单位", organization_facts(quotation.organization)),
        ],
        facts=facts,
        signatures=[("报价人", user_name(quotation.created_by)), ("审核", ""), ("客户确认", "")],
        is_draft=quotation.state == "draft",
    )


def return_document(sales_return: SalesReturn) -> PrintedDocument:
    """销售退货单: what came back, from which delivery, into which location. Like the delivery
    note it prints no values: the refund is the credit note's, printed on its own."""
    lines = sales_return.lines.select_related(
        "product__base_unit", "delivery_line__delivery"
    ).order_by("position", "id")
    rows = [
        Row(
            cells=[
                str(index),
                line.product.code,
                line.product.name,
                line.product.specification,
                line.product.base_unit.name,
                format_quantity(line.quantity),
                line.delivery_line.delivery.number if line.delivery_line_id else "",
            ],  # fmt: skip
        )
        for index, line in enumerate(lines, start=1)
    ]
    location = sales_return.location
    facts = [("退回库位", f"{location.code} {location.name}")]
    if sales_return.delivery_id:
        facts.append(("原出库单", sales_return.delivery.number))
    if sales_return.credit_note_id:
        facts.append(("红字发票", sales_return.credit_note.number))
    notes = [f"退货原因：{sales_return.reason}"] if sales_return.reason else []
    if sales_return.note:
        notes.append(f"备注：{sales_return.note}")
    return PrintedDocument(
        title="销售退货单",
        organization=sales_return.organization,
        number=document_number(sales_return),
        date=format_date(sales_return.business_date),
        parties=[Party("退货单位", partner_facts(sales_return.customer)[:1])],
        facts=facts,
        columns=[
            Column("序号", NUMBER, "6%"),
            Column("商品编码", width="12%"),
            Column("商品名称"),
            Column("规格型号", width="12%"),
            Column("单位", width="7%"),
            Column("数量", NUMBER, "10%"),
            Column("原出库单", width="18%"),
        ],  # fmt: skip
        rows=rows,
        total_cells=[
            "合计",
            "",
            "",
            "",
            "",
            format_quantity(sum((line.quantity for line in lines), ZERO)),
            "",
        ],  # fmt: skip
        notes=notes,
        signatures=[
            ("仓管", ""),
            ("验收", ""),
            ("退货人", ""),
            ("制单", user_name(sales_return.created_by)),
        ],
        is_draft=sales_return.state == DocumentState.DRAFT,
    )


def quotation_pdf(quotation: SalesQuotation) -> bytes:
    return render_pdf(quotation_document(quotation))


def return_pdf(sales_return: SalesReturn) -> bytes:
    return render_pdf(return_document(sales_return))


def order_pdf(order: SalesOrder) -> bytes:
    return render_pdf(order_document(order))


def delivery_pdf(delivery: Delivery) -> bytes:
    return render_pdf(delivery_document(delivery))


def invoice_pdf(invoice: CustomerInvoice) -> bytes:
    return render_pdf(invoice_document(invoice))
