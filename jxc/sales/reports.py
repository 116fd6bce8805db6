"""Sales reports: the summary and detail of what was sold (销售汇总表 / 销售明细表), the order
execution (销售订单执行表), gross profit (销售毛利表), backorders (缺货订单) and credit usage
(信用额度使用).

Every figure is read with aggregate queries over the document lines; Python only adds up the
few grouped rows the deliveries and the returns give (a return subtracts from its group).

What counts as sold is what was delivered (posted 销售出库单) less what came back (posted
销售退货单), valued at the order line's price in base currency: that is where the goods and their
cost of goods sold are (see :func:`gross_profit`).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    CharField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least, NullIf, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jxc.core.expressions import EXACT, Ratio
from jxc.core.states import DocumentState as S
from jxc.finance.models import Allocation, OpenItem
from jxc.finance.services.receivables import PAYMENT_ORIGIN
from jxc.inventory.domain.costing import money, quantity4
from jxc.inventory.models import Reservation
from jxc.masterdata.models import Partner
from jxc.masterdata.selectors import category_and_descendants
from jxc.sales.models import (
    CustomerInvoice,
    CustomerInvoiceLine,
    DeliveryLine,
    SalesOrderLine,
    SalesReturnLine,
)
from jxc.sales.services.common import ORDER_LINE
from jxc.sales.services.orders import OPEN_STATES, credit_exposures

ZERO = Decimal(0)
DETAIL_LIMIT = 5001  # one more than a report shows, so it knows it was cut


@dataclass(frozen=True)
class Filters:
    """What every sales report can be narrowed to; ``None`` is everything."""

    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    customer_id: int | None = None
    product_id: int | None = None
    category_id: int | None = None
    salesperson_id: int | None = None
    warehouse_id: int | None = None
    #: orders of this sales channel only (a free-standing return has no order: none)
    channel_id: int | None = None


@dataclass(frozen=True)
class _Source:
    """Where a kind of sales line finds its document, order line and so on (ORM paths)."""

    document: str
    order_line: str
    warehouse: str
    sign: int


DELIVERED = _Source(
    document="delivery", order_line="order_line", warehouse="delivery__warehouse", sign=1
)
RETURNED = _Source(
    document="sales_return",
    order_line="delivery_line__order_line",
    # the location the goods came back to: a free-standing return has no delivery
    warehouse="sales_return__location__warehouse",
    sign=-1,
)


def _salesperson_name(prefix: str):
    return Coalesce(NullIf(f"{prefix}__display_name", Value("")), f"{prefix}__username")


# group-by → (key, code, name) of a sales line; a new dimension is one more entry here and in
# GROUP_LABELS. Lines of orders taken directly (no channel) group together with a blank name.
GROUPS: dict[str, Callable[[_Source], tuple]] = {
    "customer": lambda s: (
        F(f"{s.document}__customer_id"),
        F(f"{s.document}__customer__code"),
        F(f"{s.document}__customer__name"),
    ),
    "product": lambda s: (F("product_id"), F("product__code"), F("product__name")),
    "category": lambda s: (
        F("product__category_id"),
        F("product__category__code"),
        F("product__category__name"),
    ),
    "salesperson": lambda s: (
        F(f"{s.order_line}__order__created_by_id"),
        F(f"{s.order_line}__order__created_by__username"),
        _salesperson_name(f"{s.order_line}__order__created_by"),
    ),
    "warehouse": lambda s: (
        F(f"{s.warehouse}_id"),
        F(f"{s.warehouse}__code"),
        F(f"{s.warehouse}__name"),
    ),
    "channel": lambda s: (
        F(f"{s.order_line}__order__channel_id"),
        F(f"{s.order_line}__order__channel__code"),
        F(f"{s.order_line}__order__channel__name"),
    ),
    "month": lambda s: (
        TruncMonth(f"{s.document}__business_date"),
        Value("", output_field=CharField()),
        Value("", output_field=CharField()),
    ),
}
GROUP_LABELS = {
    "customer": _("customer"),
    "product": _("product"),
    "category": _("category"),
    "salesperson": _("salesperson"),
    "warehouse": _("warehouse"),
    "channel": _("sales channel"),
    "month": _("month"),
}


def _lines(model, source: _Source, organization, filters: Filters):
    """Posted lines of one kind, narrowed by the filters."""
    doc = source.document
    lines = model.objects.filter(**{f"{doc}__organization": organization, f"{doc}__state": S.DONE})
    wanted = {
        f"{doc}__business_date__gte": filters.date_from,
        f"{doc}__business_date__lte": filters.date_to,
        f"{doc}__customer_id": filters.customer_id,
        "product_id": filters.product_id,
        f"{source.order_line}__order__created_by_id": filters.salesperson_id,
        f"{source.warehouse}_id": filters.warehouse_id,
        f"{source.order_line}__order__channel_id": filters.channel_id,
    }
    lines = lines.filter(**{path: value for path, value in wanted.items() if value is not None})
    if filters.category_id is not None:
        lines = lines.filter(
            product__category_id__in=category_and_descendants(organization, filters.category_id)
        )
    return lines


def _per_unit(source: _Source, amount: str):
    """An order line amount per base unit, in base currency; a free-standing return (no
    delivery, so no order line) at its own price (tax included, base currency)."""
    line = source.order_line
    ordered = Ratio(F(f"{line}__{amount}") * F(f"{line}__order__rate"), F(f"{line}__base_quantity"))
    if source is DELIVERED:
        return ordered
    own = (
        F("unit_price")
        if amount == "gross_amount"
        else Ratio(F("unit_price") * 100, F("tax_percent") + 100)
    )
    return Coalesce(ordered, own, Value(ZERO), output_field=EXACT)


def _figures(source: _Source) -> dict:
    """The sums of a kind of line: quantity, value before tax and with it, cost of goods."""
    if source is DELIVERED:
        cost = Coalesce(Sum("cost_amount"), Value(ZERO), output_field=EXACT)
    else:
        # goods come back at the unit cost their delivery moves left with
        unit_cost = Coalesce(
            F("unit_cost"),
            Ratio(F("delivery_line__cost_amount"), F("delivery_line__quantity")),
            output_field=EXACT,
        )
        cost = Sum(ExpressionWrapper(F("quantity") * unit_cost, output_field=EXACT))
    return {
        "sum_quantity": Sum("quantity"),
        "sum_amount": Sum(
            ExpressionWrapper(F("quantity") * _per_unit(source, "net_amount"), output_field=EXACT)
        ),
        "sum_total": Sum(
            ExpressionWrapper(F("quantity") * _per_unit(source, "gross_amount"), output_field=EXACT)
        ),
        "sum_cost": cost,
    }


def _grouped(organization, filters: Filters, group_by: str) -> list[dict]:
    rows: dict = {}
    for model, source in ((DeliveryLine, DELIVERED), (SalesReturnLine, RETURNED)):
        key, code, name = GROUPS[group_by](source)
        found = (
            _lines(model, source, organization, filters)
            .annotate(group_key=key, group_code=code, group_name=name)
            .values("group_key", "group_code", "group_name")
            .annotate(**_figures(source))
        )
        for found_row in found:
            row = rows.setdefault(
                found_row["group_key"],
                {
                    "key": found_row["group_key"],
                    "code": found_row["group_code"] or "",
                    "name": found_row["group_name"] or "",
                    "quantity": ZERO,
                    "amount": ZERO,
                    "total": ZERO,
                    "cost": ZERO,
                    "returned_quantity": ZERO,
                },
            )
            for figure in ("quantity", "amount", "total", "cost"):
                row[figure] += source.sign * Decimal(found_row[f"sum_{figure}"] or 0)
            if source is RETURNED:
                row["returned_quantity"] += Decimal(found_row["sum_quantity"] or 0)
    result = []
    for row in rows.values():
        if isinstance(row["key"], datetime.date | datetime.datetime):
            month = row["key"]
            row["key"] = row["code"] = row["name"] = month.strftime("%Y-%m")
        row["quantity"] = quantity4(row["quantity"])
        row["returned_quantity"] = quantity4(row["returned_quantity"])
        for figure in ("amount", "total", "cost"):
            row[figure] = money(row[figure])
        row["tax"] = row["total"] - row["amount"]
        result.append(row)
    return sorted(result, key=lambda r: (r["code"] or "", r["name"] or "", str(r["key"])))


def sales_summary(organization, filters: Filters, *, group_by: str = "customer") -> list[dict]:
    """销售汇总表: per customer, product, category, salesperson, warehouse or month, the quantity
    sold (delivered less returned), its value before tax, the tax and the total, in base
    currency at the order prices."""
    rows = _grouped(organization, filters, group_by)
    for row in rows:
        del row["cost"]
    return rows


def gross_profit(organization, filters: Filters, *, group_by: str = "product") -> list[dict]:
    """销售毛利表: revenue − cost of goods per product, customer, salesperson (or any group of
    :data:`GROUPS`), net of returns.

    Revenue is the *delivered* quantity at the order line's price before tax, in base currency
    — not the invoiced amount — because cost of goods sold is booked when the goods leave (the
    cost each delivery line left with), so both sides then count the same goods: an invoice
    lagging behind its delivery would otherwise show cost without revenue. Returns take off
    their quantity at the same price and the cost they came back at."""
    rows = _grouped(organization, filters, group_by)
    for row in rows:
        row["profit"] = row["amount"] - row["cost"]
        row["margin"] = (
            (row["profit"] * 100 / row["amount"]).quantize(Decimal("0.01"))
            if row["amount"]
            else None
        )
    return rows


def sales_detail(organization, filters: Filters) -> list[dict]:
    """销售明细表: each posted delivery line and return line (negative) with its value."""
    rows = []
    for model, source in ((DeliveryLine, DELIVERED), (SalesReturnLine, RETURNED)):
        doc = source.document
        sign = Value(Decimal(source.sign), output_field=EXACT)
        found = (
            _lines(model, source, organization, filters)
            .annotate(
                signed_amount=ExpressionWrapper(
                    sign * F("quantity") * _per_unit(source, "net_amount"), output_field=EXACT
                ),
                signed_total=ExpressionWrapper(
                    sign * F("quantity") * _per_unit(source, "gross_amount"), output_field=EXACT
                ),
                signed_quantity=ExpressionWrapper(sign * F("quantity"), output_field=EXACT),
                # per base unit before tax, in the order's currency (named apart from the
                # return line's own unit_price field)
                price_each=Coalesce(
                    Ratio(
                        F(f"{source.order_line}__net_amount"),
                        F(f"{source.order_line}__base_quantity"),
                    ),
                    _per_unit(source, "net_amount"),
                    output_field=EXACT,
                ),
                salesperson=_salesperson_name(f"{source.order_line}__order__created_by"),
            )
            .values(
                "signed_amount",
                "signed_total",
                "signed_quantity",
                "price_each",
                "salesperson",
                date=F(f"{doc}__business_date"),
                number=F(f"{doc}__number"),
                document_id=F(f"{doc}_id"),
                order_number=F(f"{source.order_line}__order__number"),
                customer_name=F(f"{doc}__customer__name"),
                product_code=F("product__code"),
                product_name=F("product__name"),
                warehouse_name=F(f"{source.warehouse}__name"),
                channel_name=F(f"{source.order_line}__order__channel__name"),
            )
            .order_by(f"{doc}__business_date", "id")[:DETAIL_LIMIT]
        )
        for row in found:
            rows.append(
                {
                    **row,
                    "kind": "delivery" if source is DELIVERED else "return",
                    "quantity": quantity4(Decimal(row.pop("signed_quantity"))),
                    "unit_price": Decimal(row.pop("price_each")).quantize(Decimal("0.000001")),
                    "amount": money(Decimal(row.pop("signed_amount"))),
                    "total": money(Decimal(row.pop("signed_total"))),
                    "salesperson": row["salesperson"] or "",
                    "channel_name": row["channel_name"] or "",
                }
            )
    rows.sort(key=lambda r: (r["date"], r["kind"] == "return", r["number"]))
    return rows[:DETAIL_LIMIT]


def _order_lines(organization, filters: Filters, *, states=None):
    lines = SalesOrderLine.objects.filter(order__organization=organization)
    lines = (
        lines.filter(order__state__in=states)
        if states
        else lines.exclude(order__state__in=(S.DRAFT, S.CANCELLED))
    )
    wanted = {
        "order__business_date__gte": filters.date_from,
        "order__business_date__lte": filters.date_to,
        "order__customer_id": filters.customer_id,
        "product_id": filters.product_id,
        "order__created_by_id": filters.salesperson_id,
        "order__warehouse_id": filters.warehouse_id,
        "order__channel_id": filters.channel_id,
    }
    lines = lines.filter(**{path: value for path, value in wanted.items() if value is not None})
    if filters.category_id is not None:
        lines = lines.filter(
            product__category_id__in=category_and_descendants(organization, filters.category_id)
        )
    return lines


def _order_line_values(lines, *annotated: str, **figures) -> list[dict]:
    rows = list(
        lines.annotate(**figures)
        .values(
            *annotated,
            *figures,
            "order_id",
            "base_quantity",
            "delivered_quantity",
            line_id=F("id"),
            order_number=F("order__number"),
            date=F("order__business_date"),
            state=F("order__state"),
            customer_name=F("order__customer__name"),
            product_code=F("product__code"),
            product_name=F("product__name"),
            warehouse_name=F("order__warehouse__name"),
            promised=Coalesce("delivery_date", "order__delivery_date"),
        )
        .order_by("order__business_date", "order_id", "position", "id")[:DETAIL_LIMIT]
    )
    for row in rows:  # the line's delivery date, or the order's
        row["delivery_date"] = row.pop("promised")
    return rows


def _invoice_share_paid():
    """What of an invoice line its customer has paid: the invoice's allocations (核销, not
    undone) by receipts (收款单; a credit note settling the invoice is no money), spread over
    its lines in proportion to their totals, as allocation is per invoice."""
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
    return Ratio(
        Coalesce(Subquery(allocated, output_field=EXACT), Value(ZERO), output_field=EXACT)
        * F("gross_amount"),
        NullIf(F("invoice__gross_amount"), Value(ZERO)),
    )


def order_execution(organization, filters: Filters) -> list[dict]:
    """销售订单执行表: per order line (confirmed orders) the quantity ordered, delivered, returned,
    invoiced (less credit notes' returns) and the amount received, in base units and the order
    currency.

    Invoiced is what the line's deliveries count as invoiced (their own invoices, and what an
    invoice made before delivery covered when they shipped) plus what is still invoiced ahead
    of delivery (``prepaid_quantity``, less what credit notes gave back). Received comes from
    the allocations of the invoices of the line — of its deliveries, or billed ahead from the
    order; an allocation settles a whole invoice, so it is spread over the invoice's lines by
    their totals."""
    invoiced = (
        DeliveryLine.objects.filter(order_line=OuterRef("pk"), delivery__state=S.DONE)
        .values("order_line")
        .annotate(s=Sum("invoiced_quantity"))
        .values("s")
    )
    returned = (
        DeliveryLine.objects.filter(order_line=OuterRef("pk"), delivery__state=S.DONE)
        .values("order_line")
        .annotate(s=Sum("returned_quantity"))
        .values("s")
    )
    received = (
        CustomerInvoiceLine.objects.filter(
            Q(delivery_line__order_line=OuterRef("pk")) | Q(order_line=OuterRef("pk")),
            invoice__state=S.DONE,
            invoice__kind=CustomerInvoice.Kind.INVOICE,
        )
        .annotate(
            paid=_invoice_share_paid(),
            of_line=Coalesce("delivery_line__order_line", "order_line"),  # delivered, or ahead
        )
        .values("of_line")
        .annotate(s=Sum("paid"))
        .values("s")
    )
    rows = _order_line_values(
        _order_lines(organization, filters),
        invoiced=Coalesce(Subquery(invoiced, output_field=EXACT), Value(ZERO), output_field=EXACT)
        + F("prepaid_quantity"),
        returned=Coalesce(Subquery(returned, output_field=EXACT), Value(ZERO), output_field=EXACT),
        received=Coalesce(Subquery(received, output_field=EXACT), Value(ZERO), output_field=EXACT),
        total=F("gross_amount"),
    )
    for row in rows:
        row["ordered"] = quantity4(row.pop("base_quantity"))
        row["delivered"] = quantity4(row.pop("delivered_quantity"))
        row["returned"] = quantity4(Decimal(row["returned"]))
        row["invoiced"] = quantity4(Decimal(row["invoiced"]))
        row["open"] = row["ordered"] - row["delivered"]
        row["total"] = money(Decimal(row["total"]))
        row["received"] = money(Decimal(row["received"]))
    return rows


def backorders(organization, filters: Filters) -> list[dict]:
    """缺货订单: lines of confirmed orders still open whose open quantity no reservation covers,
    or whose presale reservation the stock on hand does not cover yet.

    What is still reserved for a line is what its open reservations hold (a delivery consumes
    them first, an allocation adds to them), never more than the line has open; the rest of the
    open quantity is waiting for stock. (Reserved at confirmation less delivered would be
    wrong for a line delivered beyond its reservation from free stock and allocated again.)
    A presale line reserves everything ahead of the stock: what waits is its
    ``backorder_quantity`` (lowered as the stock it holds arrives, see
    :mod:`jxc.sales.services.backorders`), never more than it has open."""
    held = (
        Reservation.objects.filter(
            origin_type=ORDER_LINE, origin_id=OuterRef("pk"), state=Reservation.State.OPEN
        )
        .values("origin_id")
        .annotate(s=Sum("quantity"))
        .values("s")
    )
    open_quantity = F("base_quantity") - F("delivered_quantity")
    reserved_left = Greatest(
        Least(
            Coalesce(Subquery(held, output_field=EXACT), Value(ZERO), output_field=EXACT),
            open_quantity,
        ),
        Value(ZERO),
    )
    lines = _order_lines(organization, filters, states=OPEN_STATES).annotate(
        reserved_left=ExpressionWrapper(reserved_left, output_field=EXACT),
        short=ExpressionWrapper(
            Greatest(open_quantity - reserved_left, Least(F("backorder_quantity"), open_quantity)),
            output_field=EXACT,
        ),
    )
    rows = _order_line_values(lines.filter(short__gt=0), "reserved_left", "short")
    today = timezone.localdate()
    for row in rows:
        row["ordered"] = quantity4(row.pop("base_quantity"))
        row["delivered"] = quantity4(row.pop("delivered_quantity"))
        row["open"] = row["ordered"] - row["delivered"]
        row["reserved"] = quantity4(Decimal(row.pop("reserved_left")))
        row["backorder"] = quantity4(Decimal(row.pop("short")))
        row["overdue"] = bool(row["delivery_date"] and row["delivery_date"] < today)
    return rows


def credit_usage(organization, *, customer_id: int | None = None) -> list[dict]:
    """信用额度使用: per customer with a credit limit or anything owed or ordered, the open
    receivables and undelivered confirmed orders (the credit check's own figures, see
    :func:`jxc.sales.services.orders.credit_exposures`) against the limit."""
    customers = Partner.objects.filter(organization=organization, is_customer=True)
    if customer_id is not None:
        customers = customers.filter(pk=customer_id)
    with_activity = customers.filter(
        Q(credit_limit__isnull=False)
        | Q(pk__in=OpenItem.objects.filter(
            organization=organization, kind=OpenItem.Kind.RECEIVABLE
        ).exclude(open_base_amount=0).values("partner_id"))
        | Q(pk__in=SalesOrderLine.objects.filter(
            order__organization=organization, order__state__in=OPEN_STATES
        ).values("order__customer_id"))
    )  # fmt: skip
    found = list(
        with_activity.values("id", "code", "name", "credit_limit").order_by("code")[:DETAIL_LIMIT]
    )
    exposures = credit_exposures(organization, [c["id"] for c in found])
    rows = []
    for customer in found:
        owed, pending = exposures.get(customer["id"], (ZERO, ZERO))
        limit = customer["credit_limit"]
        used = owed + pending
        rows.append(
            {
                "customer": customer["id"],
                "code": customer["code"],
                "name": customer["name"],
                "credit_limit": limit,
                "open_receivables": owed,
                "open_orders": pending,
                "exposure": used,
                "available": None if limit is None else limit - used,
                "used_percent": (used * 100 / limit).quantize(Decimal("0.01")) if limit else None,
                "over_limit": limit is not None and used > limit,
            }
        )
    return rows


__all__ = [
    "GROUPS",
    "GROUP_LABELS",
    "Filters",
    "backorders",
    "credit_usage",
    "gross_profit",
    "order_execution",
    "sales_detail",
    "sales_summary",
]
