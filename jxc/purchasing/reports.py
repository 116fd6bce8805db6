"""Purchasing reports: the summary and detail of what was bought (采购汇总表 / 采购明细表), the
order execution (采购订单执行表), open orders and overdue deliveries (未交货 / 逾期), supplier
performance (供应商考核: on-time rate, return rate) and the price trend per product.

Every figure is read with aggregate queries over the document lines; Python only adds up the
few grouped rows the receipts and the returns give (a return subtracts from its group).

What counts as bought is what was received (posted 采购入库单) less what was sent back (posted
采购退货单), at the value the stock came in at (tax-exclusive, base currency).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.utils.translation import gettext_lazy as _

from jxc.core.expressions import EXACT, Ratio
from jxc.core.states import DocumentState as S
from jxc.finance.models import Allocation
from jxc.finance.services.receivables import PAYMENT_ORIGIN
from jxc.inventory.domain.costing import money, quantity4
from jxc.masterdata.selectors import category_and_descendants
from jxc.purchasing.models import (
    GoodsReceiptLine,
    PurchaseOrderLine,
    PurchaseReturnLine,
    SupplierInvoiceLine,
)
from jxc.purchasing.states import OPEN_ORDER_STATES

ZERO = Decimal(0)
DETAIL_LIMIT = 5001  # one more than a report shows, so it knows it was cut
PRICE = Decimal("0.000001")


@dataclass(frozen=True)
class Filters:
    """What every purchasing report can be narrowed to; ``None`` is everything."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    supplier_id: int | None = None
    product_id: int | None = None
    category_id: int | None = None
    purchaser_id: int | None = None
    warehouse_id: int | None = None


@dataclass(frozen=True)
class _Source:
    """Where a kind of purchase line finds its document and receipt line (ORM paths)."""

    document: str
    receipt_line: str  # "" for the receipt line itself
    sign: int
    warehouse: str  # the document's warehouse (a free-standing return has no receipt)

    def path(self, name: str) -> str:
        return f"{self.receipt_line}__{name}" if self.receipt_line else name


RECEIVED = _Source(document="receipt", receipt_line="", sign=1, warehouse="receipt__warehouse")
RETURNED = _Source(
    document="purchase_return",
    receipt_line="receipt_line",
    sign=-1,
    warehouse="purchase_return__warehouse",
)


def _purchaser(source: _Source, suffix: str = "id"):
    """The purchaser: who made the order, or the receipt when it had none (or the return,
    free-standing)."""
    return Coalesce(
        F(source.path(f"order_line__order__created_by__{suffix}")),
        F(source.path(f"receipt__created_by__{suffix}")),
        F(f"{source.document}__created_by__{suffix}"),
    )


def _purchaser_name(source: _Source):
    return Coalesce(
        NullIf(_purchaser(source, "display_name"), Value("")), _purchaser(source, "username")
    )


# group-by → (key, code, name) of a purchase line
GROUPS: dict[str, Callable[[_Source], tuple]] = {
    "supplier": lambda s: (
        F(f"{s.document}__supplier_id"),
        F(f"{s.document}__supplier__code"),
        F(f"{s.document}__supplier__name"),
    ),
    "product": lambda s: (F("product_id"), F("product__code"), F("product__name")),
    "category": lambda s: (
        F("product__category_id"),
        F("product__category__code"),
        F("product__category__name"),
    ),
    "purchaser": lambda s: (_purchaser(s), _purchaser(s, "username"), _purchaser_name(s)),
    "warehouse": lambda s: (
        F(f"{s.warehouse}_id"),
        F(f"{s.warehouse}__code"),
        F(f"{s.warehouse}__name"),
    ),
    "month": lambda s: (
        TruncMonth(f"{s.document}__business_date"),
        Value("", output_field=CharField()),
        Value("", output_field=CharField()),
    ),
}
GROUP_LABELS = {
    "supplier": _("supplier"),
    "product": _("product"),
    "category": _("category"),
    "purchaser": _("purchaser"),
    "warehouse": _("warehouse"),
    "month": _("month"),
}


def _lines(model, source: _Source, organization, filters: Filters):
    """Posted lines of one kind, narrowed by the filters."""
    doc = source.document
    lines = model.objects.filter(**{f"{doc}__organization": organization, f"{doc}__state": S.DONE})
    wanted = {
        f"{doc}__business_date__gte": filters.date_from,
        f"{doc}__business_date__lte": filters.date_to,
        f"{doc}__supplier_id": filters.supplier_id,
        "product_id": filters.product_id,
        f"{source.warehouse}_id": filters.warehouse_id,
    }
    lines = lines.filter(**{path: value for path, value in wanted.items() if value is not None})
    if filters.purchaser_id is not None:
        lines = lines.annotate(purchaser_id=_purchaser(source)).filter(
            purchaser_id=filters.purchaser_id
        )
    if filters.category_id is not None:
        lines = lines.filter(
            product__category_id__in=category_and_descendants(organization, filters.category_id)
        )
    return lines


def _quantity(source: _Source) -> str:
    return "base_quantity" if source is RECEIVED else "quantity"


def purchase_summary(organization, filters: Filters, *, group_by: str = "supplier") -> list[dict]:
    """采购汇总表: per supplier, product, category, purchaser, warehouse or month, the quantity
    received less returned (base unit) and its value (tax-exclusive, base currency), with the
    average price that makes."""
    rows: dict = {}
    for model, source in ((GoodsReceiptLine, RECEIVED), (PurchaseReturnLine, RETURNED)):
        key, code, name = GROUPS[group_by](source)
        found = (
            _lines(model, source, organization, filters)
            .annotate(group_key=key, group_code=code, group_name=name)
            .values("group_key", "group_code", "group_name")
            .annotate(q=Sum(_quantity(source)), v=Sum("value"))
        )
        for found_row in found:
            row = rows.setdefault(
                found_row["group_key"],
                {
                    "key": found_row["group_key"],
                    "code": found_row["group_code"] or "",
                    "name": found_row["group_name"] or "",
                    "received_quantity": ZERO,
                    "returned_quantity": ZERO,
                    "amount": ZERO,
                },
            )
            quantity, value = Decimal(found_row["q"] or 0), Decimal(found_row["v"] or 0)
            row["received_quantity" if source is RECEIVED else "returned_quantity"] += quantity
            row["amount"] += source.sign * value
    result = []
    for row in rows.values():
        if isinstance(row["key"], datetime.date | datetime.datetime):
            row["key"] = row["code"] = row["name"] = row["key"].strftime("%Y-%m")
        row["received_quantity"] = quantity4(row["received_quantity"])
        row["returned_quantity"] = quantity4(row["returned_quantity"])
        row["quantity"] = row["received_quantity"] - row["returned_quantity"]
        row["amount"] = money(row["amount"])
        row["average_price"] = (
            (row["amount"] / row["quantity"]).quantize(PRICE) if row["quantity"] else None
        )
        result.append(row)
    return sorted(result, key=lambda r: (r["code"], r["name"], str(r["key"])))


def purchase_detail(organization, filters: Filters) -> list[dict]:
    """采购明细表: each posted receipt line, and each return line (negative)."""
    rows = []
    for model, source in ((GoodsReceiptLine, RECEIVED), (PurchaseReturnLine, RETURNED)):
        doc = source.document
        found = (
            _lines(model, source, organization, filters)
            .annotate(purchaser_name=_purchaser_name(source))
            .values(
                "purchaser_name",
                "value",
                line_quantity=F(_quantity(source)),
                date=F(f"{doc}__business_date"),
                number=F(f"{doc}__number"),
                document_id=F(f"{doc}_id"),
                order_number=F(source.path("order_line__order__number")),
                supplier_name=F(f"{doc}__supplier__name"),
                product_code=F("product__code"),
                product_name=F("product__name"),
                warehouse_name=F(f"{source.warehouse}__name"),
            )
            .order_by(f"{doc}__business_date", "id")[:DETAIL_LIMIT]
        )
        for row in found:
            quantity = quantity4(Decimal(row.pop("line_quantity")))
            value = money(Decimal(row.pop("value")))
            rows.append(
                {
                    **row,
                    "kind": "receipt" if source is RECEIVED else "return",
                    "purchaser_name": row["purchaser_name"] or "",
                    "order_number": row["order_number"] or "",
                    "quantity": quantity * source.sign,
                    "unit_price": (value / quantity).quantize(PRICE) if quantity else None,
                    "amount": value * source.sign,
                }
            )
    rows.sort(key=lambda r: (r["date"], r["kind"] == "return", r["number"]))
    return rows[:DETAIL_LIMIT]


def _order_lines(organization, filters: Filters, *, states=None):
    lines = PurchaseOrderLine.objects.filter(order__organization=organization)
    if states:
        lines = lines.filter(order__state__in=states)
    else:
        lines = lines.exclude(order__state__in=(S.DRAFT, S.SUBMITTED, S.CANCELLED))
    wanted = {
        "order__business_date__gte": filters.date_from,
        "order__business_date__lte": filters.date_to,
        "order__supplier_id": filters.supplier_id,
        "product_id": filters.product_id,
        "order__created_by_id": filters.purchaser_id,
        "order__warehouse_id": filters.warehouse_id,
    }
    lines = lines.filter(**{path: value for path, value in wanted.items() if value is not None})
    if filters.category_id is not None:
        lines = lines.filter(
            product__category_id__in=category_and_descendants(organization, filters.category_id)
        )
    return lines


def _order_line_values(lines, **figures) -> list[dict]:
    return list(
        lines.annotate(**figures)
        .values(
            *figures,
            "order_id",
            "expected_date",
            ordered=F("base_quantity"),
            received=F("received_quantity"),
            returned=F("returned_quantity"),
            invoiced=F("invoiced_quantity"),
            total=F("gross_amount"),
            line_id=F("id"),
            order_number=F("order__number"),
            date=F("order__business_date"),
            state=F("order__state"),
            supplier_name=F("order__supplier__name"),
            product_code=F("product__code"),
            product_name=F("product__name"),
            warehouse_name=F("order__warehouse__name"),
        )
        .order_by("order__business_date", "order_id", "position", "id")[:DETAIL_LIMIT]
    )


def _quantities(row: dict) -> dict:
    for name in ("ordered", "received", "returned", "invoiced"):
        row[name] = quantity4(row[name])
    row["open"] = max(row["ordered"] - row["received"], ZERO)
    row["total"] = money(row["total"])
    return row


def order_execution(organization, filters: Filters) -> list[dict]:
    """采购订单执行表: per line of approved orders, the quantity ordered, received, returned and
    invoiced (base unit), the line's total and what of it was paid (order currency).

    Paid comes from the allocations (核销, not undone) of the invoices of the line's receipts by
    payments (付款单; a supplier credit settling an invoice is no money);
    an allocation settles a whole invoice, so it is spread over the invoice's lines in
    proportion to their totals (prorated)."""
    allocated = (
        Allocation.objects.filter(
            owed_item=OuterRef("invoice__open_item"),
            undone=False,
            paid_item__document_type=PAYMENT_ORIGIN,
        )
        .values("owed_item")
        .annotate(s=Sum("amount"))
        .values("s")
    )
    share = Ratio(
        Coalesce(Subquery(allocated, output_field=EXACT), Value(ZERO), output_field=EXACT)
        * F("gross_amount"),
        NullIf(F("invoice__gross_amount"), Value(ZERO)),
    )
    paid = (
        SupplierInvoiceLine.objects.filter(
            receipt_line__order_line=OuterRef("pk"), invoice__state=S.DONE
        )
        .annotate(share=share)
        .values("receipt_line__order_line")
        .annotate(s=Sum("share"))
        .values("s")
    )
    invoiced_amount = (
        SupplierInvoiceLine.objects.filter(
            receipt_line__order_line=OuterRef("pk"), invoice__state=S.DONE
        )
        .values("receipt_line__order_line")
        .annotate(s=Sum("gross_amount"))
        .values("s")
    )
    rows = _order_line_values(
        _order_lines(organization, filters),
        paid=Coalesce(Subquery(paid, output_field=EXACT), Value(ZERO), output_field=EXACT),
        invoiced_amount=Coalesce(
            Subquery(invoiced_amount, output_field=EXACT), Value(ZERO), output_field=EXACT
        ),
    )
    for row in rows:
        _quantities(row)
        row["paid"] = money(Decimal(row["paid"]))
        row["invoiced_amount"] = money(Decimal(row["invoiced_amount"]))
    return rows


def open_orders(
    organization, filters: Filters, *, overdue_only: bool = False, today: datetime.date
) -> list[dict]:
    """未交货订单: lines of approved or partly received orders with something still to
    receive; overdue when their expected date has passed (逾期未交)."""
    lines = _order_lines(organization, filters, states=OPEN_ORDER_STATES).filter(
        base_quantity__gt=F("received_quantity")
    )
    if overdue_only:
        lines = lines.filter(expected_date__lt=today)
    rows = [_quantities(row) for row in _order_line_values(lines)]
    for row in rows:
        expected = row["expected_date"]
        row["overdue"] = bool(expected and expected < today)
        row["days_overdue"] = (today - expected).days if row["overdue"] else 0
    return rows


def supplier_performance(organization, filters: Filters) -> list[dict]:
    """供应商考核: per supplier over the receipts of the period — how many receipt lines came by
    their order line's expected date (on-time rate, of the lines that had one) and what part of
    the quantity received was sent back (return rate)."""
    lines = _lines(GoodsReceiptLine, RECEIVED, organization, filters)
    timed = Q(order_line__expected_date__isnull=False)
    on_time = Case(
        When(receipt__business_date__lte=F("order_line__expected_date"), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    found = (
        lines.values(
            supplier=F("receipt__supplier_id"),
            code=F("receipt__supplier__code"),
            name=F("receipt__supplier__name"),
        )
        .annotate(
            receipts=Count("receipt", distinct=True),
            lines=Count("id"),
            timed_lines=Count("id", filter=timed),
            on_time_lines=Sum(on_time),
            received_quantity=Sum("base_quantity"),
            returned_quantity=Sum("returned_quantity"),
            amount=Sum("value"),
        )
        .order_by("receipt__supplier__code")
    )
    rows = []
    for row in found:
        received = quantity4(Decimal(row["received_quantity"] or 0))
        returned = quantity4(Decimal(row["returned_quantity"] or 0))
        rows.append(
            {
                **row,
                "on_time_lines": row["on_time_lines"] or 0,
                "received_quantity": received,
                "returned_quantity": returned,
                "amount": money(Decimal(row["amount"] or 0)),
                "on_time_rate": _percent(row["on_time_lines"] or 0, row["timed_lines"]),
                "return_rate": _percent(returned, received),
            }
        )
    return rows


def _percent(part, whole) -> Decimal | None:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01")) if whole else None


def price_trend(organization, filters: Filters) -> list[dict]:
    """采购价格走势: per product and month, the average price received at (value ÷ quantity,
    tax-exclusive, base currency) and the lowest and highest unit cost of its receipt lines."""
    found = (
        _lines(GoodsReceiptLine, RECEIVED, organization, filters)
        .annotate(month=TruncMonth("receipt__business_date"))
        .values(
            "month",
            "product_id",
            product_code=F("product__code"),
            product_name=F("product__name"),
        )
        .annotate(
            quantity=Sum("base_quantity"),
            amount=Sum("value"),
            lowest=Min("unit_cost"),
            highest=Max("unit_cost"),
        )
        .order_by("product__code", "month")[:DETAIL_LIMIT]
    )
    rows = []
    for row in found:
        quantity, amount = quantity4(Decimal(row["quantity"])), money(Decimal(row["amount"]))
        rows.append(
            {
                **row,
                "product": row["product_id"],
                "month": row["month"].strftime("%Y-%m"),
                "quantity": quantity,
                "amount": amount,
                "average_price": (amount / quantity).quantize(PRICE) if quantity else None,
                "lowest": Decimal(row["lowest"]).quantize(PRICE),
                "highest": Decimal(row["highest"]).quantize(PRICE),
            }
        )
    return rows
