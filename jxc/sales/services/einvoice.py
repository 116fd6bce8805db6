"""The export of posted customer invoices for the 数电票 (全电发票) batch import.

The e-invoicing service (电子发票服务平台, 税务数字账户 → 批量开具) imports an Excel workbook of
two sheets joined by the 发票流水号 (our invoice number): one row per invoice in
``1-发票基本信息`` (type, buyer and its tax id …) and one row per line in ``2-发票明细信息``
(项目名称, 商品和服务税收分类编码, 规格型号, 单位, 数量, 单价, 金额, 税率, 税额). Amounts are
before tax (是否含税 = 否), in 人民币 at the invoice's rate; the price is the line's amount
over its quantity. docs/printing.md describes every column.

Exported are posted invoices that are issued as VAT invoices: not credit notes (a red 数电票 is
issued against a 红字确认单 on the platform, not imported), not invoices of type "no invoice",
not drafts or cancelled ones. The 税收分类编码 comes from the product's custom field
``tax_code`` when master data has one (define it under custom fields, applies to products);
otherwise it is left blank, to be chosen on the platform.
"""

import io
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState
from jxc.masterdata.models import TaxRate
from jxc.sales.models import CustomerInvoice

TAX_CODE_KEY = "tax_code"
MAX_INVOICES = 5000
CENT = Decimal("0.01")
PRICE_PLACES = Decimal("0.000001")
INVOICE_TYPES = {
    TaxRate.InvoiceType.SPECIAL: "增值税专用发票",
    TaxRate.InvoiceType.ORDINARY: "普通发票",
}
HEADER_SHEET = "1-发票基本信息"
HEADER_COLUMNS = ["发票流水号", "发票类型", "是否含税", "购买方名称", "购买方纳税人识别号",
                  "购买方地址", "购买方电话", "购买方开户银行", "购买方银行账号", "备注"]  # fmt: skip
LINE_SHEET = "2-发票明细信息"
LINE_COLUMNS = ["发票流水号", "项目名称", "商品和服务税收分类编码", "规格型号", "单位", "数量",
                "单价", "金额", "税率", "税额"]  # fmt: skip


def exportable(invoices):
    """Of ``invoices``, those the platform issues: posted VAT invoices (see the module)."""
    return invoices.filter(
        state=DocumentState.DONE,
        kind=CustomerInvoice.Kind.INVOICE,
        invoice_type__in=list(INVOICE_TYPES),
    )


def _base(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, ROUND_HALF_UP)


def _header_row(invoice: CustomerInvoice) -> list:
    customer = invoice.customer
    return [
        invoice.number, INVOICE_TYPES[invoice.invoice_type], "否", customer.name,
        customer.credit_code, customer.invoice_address, customer.invoice_phone,
        customer.bank_name, customer.bank_account, invoice.note,
    ]  # fmt: skip


def _line_rows(invoice: CustomerInvoice) -> list[list]:
    rows = []
    for line in invoice.lines.all():
        product = line.product
        net = _base(line.net_amount, invoice.rate)
        tax = _base(line.tax_amount, invoice.rate)
        price = (net / line.quantity).quantize(PRICE_PLACES)
        code = (product.custom or {}).get(TAX_CODE_KEY) or ""
        rows.append([
            invoice.number, product.name, str(code), product.specification,
            product.base_unit.name, float(line.quantity), float(price), float(net),
            float(line.tax_percent / 100), float(tax),
        ])  # fmt: skip
    return rows


def einvoice_workbook(invoices) -> bytes:
    """The import workbook of the exportable ones of ``invoices`` (a queryset)."""
    chosen = list(
        exportable(invoices)
        .select_related("customer")
        .prefetch_related("lines__product__base_unit")
        .order_by("business_date", "number")[: MAX_INVOICES + 1]
    )
    if not chosen:
        raise ValidationFailed(
            _("No posted VAT invoice matches: there is nothing to export."),
            code="nothing_to_export",
        )
    if len(chosen) > MAX_INVOICES:
        raise ValidationFailed(
            _("At most %(n)d invoices at once: choose a shorter period.") % {"n": MAX_INVOICES},
            field="business_date__gte",
        )
    workbook = Workbook()
    headers = workbook.active
    headers.title = HEADER_SHEET
    headers.append(HEADER_COLUMNS)
    lines = workbook.create_sheet(LINE_SHEET)
    lines.append(LINE_COLUMNS)
    for invoice in chosen:
        headers.append(_header_row(invoice))
        for row in _line_rows(invoice):
            lines.append(row)
    for sheet in (headers, lines):
        for column in sheet.columns:
            sheet.column_dimensions[column[0].column_letter].width = 16
    for cell in lines["I"][1:]:
        cell.number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
