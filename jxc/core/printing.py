"""Printed business documents (订单确认书, 出库单, 发票, 采购订单 …) as PDFs, in one A4 layout.

The apps that print (sales, purchasing) only build a :class:`PrintedDocument`: the title, the
parties, the header facts, the columns and rows, the totals and the signature boxes.
``core/printed_document.html`` lays it out the way Chinese business forms are: the company's
header over the title, the document number and date, a ruled table of lines, the totals with
the amount in capitals (大写) and the signature boxes at the foot. A long document continues on
further pages: the company header, the title and the column heads repeat on every page (the
table's ``thead``) and the pages are numbered "第 n/N 页".

The amount in capitals is written by ``jxc.finance.printing.amount_in_words``; core sits below
finance, so the apps pass the words in already written.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string

from jxc.core.models import Organization

#: the kinds of a column: how its cells are aligned and written
TEXT, NUMBER, AMOUNT = "text", "number", "amount"


@dataclass
class Column:
    label: str
    kind: str = TEXT
    width: str = ""  # a CSS width ("18%"); blank shares what is left


@dataclass
class Row:
    cells: list
    group: str = ""  # a heading row over the rows that follow (a pick list's warehouse)
    details: list[str] = field(default_factory=list)  # small print under one cell (below)


@dataclass
class Party:
    """One side of the document (购买方, 供应商 …) and its facts, in the order printed."""

    role: str
    facts: list[tuple[str, str]]


@dataclass
class PrintedDocument:
    title: str
    organization: Organization
    number: str
    date: str
    columns: list[Column]
    rows: list[Row]
    parties: list[Party] = field(default_factory=list)
    facts: list[tuple[str, str]] = field(default_factory=list)  # 交货日期, 仓库, 币种 …
    total_cells: list = field(default_factory=list)  # the 合计 row, under the columns
    words_label: str = ""  # "价税合计（大写）"
    words: str = ""
    words_figure: str = ""  # the same amount in figures: "¥1,130.00"
    notes: list[str] = field(default_factory=list)
    signatures: list[tuple[str, str]] = field(default_factory=list)
    is_draft: bool = False
    min_rows: int = 5  # a short document still shows a few ruled lines, as printed forms do
    details_column: int = 0  # the column whose cells carry the rows' small print


def priced_columns() -> list[Column]:
    """The columns of an order's lines: what, how many, at what price, tax and totals."""
    return [
        Column("序号", NUMBER, "6%"),
        Column("商品编码", width="11%"),
        Column("商品名称"),
        Column("规格型号", width="10%"),
        Column("单位", width="6%"),
        Column("数量", NUMBER, "8%"),
        Column("单价", NUMBER, "9%"),
        Column("税率", NUMBER, "6%"),
        Column("金额", AMOUNT, "11%"),
        Column("税额", AMOUNT, "9%"),
        Column("价税合计", AMOUNT, "11%"),
    ]


def priced_rows(lines, details=lambda line: []) -> list[Row]:
    """The rows of an order's lines under :func:`priced_columns`, numbered from 1; ``details``
    gives a line's small print (discount, delivery date …) under the product's name."""
    return [
        Row(
            cells=[
                str(index),
                line.product.code,
                line.product.name,
                line.product.specification,
                line.unit.name,
                format_quantity(line.quantity),
                format_price(line.unit_price),
                format_percent(line.tax_percent),
                format_amount(line.net_amount),
                format_amount(line.tax_amount),
                format_amount(line.gross_amount),
            ],  # fmt: skip
            details=details(line),
        )
        for index, line in enumerate(lines, start=1)
    ]


def priced_totals(document) -> list[str]:
    """The 合计 row under :func:`priced_columns`: the document's net, tax and gross amounts."""
    return ["合计", *[""] * 7] + [
        format_amount(document.net_amount),
        format_amount(document.tax_amount),
        format_amount(document.gross_amount),
    ]


def priced_document(document, *, title: str, in_words: tuple[str, str], details, **printed):
    """A priced document (an order, a quotation …) printed under :func:`priced_columns`, with
    its totals and ``in_words``, the gross amount in capitals and in figures (finance writes
    them; core sits below it). ``details`` gives a line's small print; ``printed`` the rest of
    the :class:`PrintedDocument` (parties, facts, signatures, draft mark)."""
    lines = document.lines.select_related("product", "unit").order_by("position", "id")
    words, figure = in_words
    return PrintedDocument(
        title=title,
        organization=document.organization,
        number=document_number(document),
        date=format_date(document.business_date),
        columns=priced_columns(),
        details_column=2,  # under the product's name
        rows=priced_rows(lines, details),
        total_cells=priced_totals(document),
        words_label="价税合计（大写）",
        words=words,
        words_figure=figure,
        notes=[f"备注：{document.note}"] if document.note else [],
        **printed,
    )


def format_amount(value: Decimal | None) -> str:
    """1,234.56: thousands separators, two places; blank when there is no value."""
    if value is None:
        return ""
    return f"{value:,.2f}"


def format_quantity(value: Decimal | None) -> str:
    """A quantity without trailing zeros: 10.5000 → 10.5, 12.0000 → 12."""
    if value is None:
        return ""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_price(value: Decimal | None) -> str:
    """A unit price with at least two places and at most the six it is kept with."""
    if value is None:
        return ""
    text = f"{value:,.6f}".rstrip("0")
    head, _dot, tail = text.partition(".")
    return f"{head}.{tail.ljust(2, '0')}"


def format_percent(value: Decimal | None) -> str:
    return "" if value is None else f"{format_quantity(value)}%"


def format_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def document_number(document) -> str:
    """The document's number, or 草稿 while it has none."""
    return document.number or "草稿"


def user_name(user) -> str:
    return str(user) if user is not None else ""


def organization_facts(organization: Organization) -> list[tuple[str, str]]:
    """The company's own facts as a party of the document (名称, 纳税人识别号, 地址、电话)."""
    address = " ".join(part for part in (organization.address, organization.phone) if part)
    return [
        ("名称", organization.name),
        ("纳税人识别号", organization.tax_id),
        ("地址、电话", address),
    ]


def partner_facts(partner, *, with_bank: bool = False) -> list[tuple[str, str]]:
    """A partner's facts as printed on a form: its name, tax id (统一社会信用代码), address and
    phone, and for an invoice its bank account (开户行及账号)."""
    address = " ".join(part for part in (partner.invoice_address, partner.invoice_phone) if part)
    facts = [
        ("名称", partner.name),
        ("纳税人识别号", partner.credit_code),
        ("地址、电话", address),
    ]
    if with_bank:
        facts.append(
            ("开户行及账号", " ".join(p for p in (partner.bank_name, partner.bank_account) if p))
        )
    return facts


def render_html(document: PrintedDocument) -> str:
    kinds = [column.kind for column in document.columns]
    rows = [
        {
            "group": row.group,
            "cells": [
                (kind, text, row.details if index == document.details_column else [])
                for index, (kind, text) in enumerate(zip(kinds, row.cells, strict=not row.group))
            ],
        }
        for row in document.rows
    ]
    lines = sum(1 for row in document.rows if not row.group)
    return render_to_string(
        "core/printed_document.html",
        {
            "doc": document,
            "rows": rows,
            "total": list(zip(kinds, document.total_cells, strict=bool(document.total_cells))),
            "blank_rows": range(max(0, document.min_rows - lines)),
            "span": len(document.columns),
        },
    )


def render_pdf(document: PrintedDocument) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(document)).write_pdf()
