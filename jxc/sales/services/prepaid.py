"""Invoices made from a confirmed order before it is delivered (prepaid sales, 先开票后发货).

Such an invoice bills order lines, not delivery lines: posting it books the receivable, revenue
and output VAT as any invoice does, and adds the quantity to the order line's
``prepaid_quantity``. Only what is neither delivered nor already billed ahead can be billed
ahead, so an order is never invoiced for more than was ordered. Each later delivery takes its
quantity off ``prepaid_quantity`` first and counts it as invoiced on its own line, so the
delivery is not invoiced again; its cost of goods sold is still booked when it ships.

Goods billed ahead that will not be delivered (the customer cancels, or part of the order is
dropped) are credited without a return: a red credit note against the prepaid invoice's lines
(:func:`jxc.sales.services.invoices.credit_prepaid_invoice`) takes the quantity off
``prepaid_quantity`` again. Only what is still billed ahead — not what later deliveries already
counted as invoiced — and not more than the invoice line billed, less its earlier credits, can
be credited (:func:`check_credits`).
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.sales.models import CustomerInvoice, CustomerInvoiceLine, SalesOrderLine
from jxc.sales.services.common import positive, taxed_part

ZERO = Decimal(0)
PRICE_PLACES = Decimal("0.000001")
INVOICEABLE_STATES = (S.APPROVED, S.PARTIALLY_DONE)


def invoiceable_ahead(line: SalesOrderLine) -> Decimal:
    """What of an order line can still be billed before delivery, in base units."""
    return line.base_quantity - line.delivered_quantity - line.prepaid_quantity


def _over_ordered(index: int, asked: Decimal, line: SalesOrderLine) -> ValidationFailed:
    return ValidationFailed(
        _("Line %(n)d: %(asked)s is more than the %(open)s ordered and not delivered or invoiced.")
        % {"n": index + 1, "asked": asked.normalize(), "open": invoiceable_ahead(line).normalize()},
        field=f"lines.{index}.quantity",
        code="over_invoiced",
    )


def build_order_line(invoice, index: int, data: dict) -> CustomerInvoiceLine:
    """A draft invoice line billing ``quantity`` base units of a confirmed order line."""
    field = f"lines.{index}"
    line = data["order_line"]
    order = line.order
    if order.organization_id != invoice.organization_id:
        raise ValidationFailed(_("Unknown order line."), field=f"{field}.order_line")
    if order.state not in INVOICEABLE_STATES or order.customer_id != invoice.customer_id:
        raise ValidationFailed(
            _("Invoice confirmed, open orders of this customer only."),
            field=f"{field}.order_line",
        )
    quantity = positive(data.get("quantity"), f"{field}.quantity")
    if quantity > invoiceable_ahead(line):
        raise _over_ordered(index, quantity, line)
    amounts = taxed_part(line, quantity)
    basis = amounts.gross if line.tax_included else amounts.net
    return CustomerInvoiceLine(
        invoice=invoice,
        position=index,
        order_line=line,
        product_id=line.product_id,
        quantity=quantity,
        unit_price=(basis / quantity).quantize(PRICE_PLACES),
        tax_percent=line.tax_percent,
        tax_included=line.tax_included,
        net_amount=amounts.net,
        tax_amount=amounts.tax,
        gross_amount=amounts.gross,
    )


def lines_of_orders(organization, orders) -> list[dict]:
    """Every line of the orders with something left to bill ahead, for all of it."""
    lines = SalesOrderLine.objects.filter(
        order__organization=organization, order__in=orders
    ).select_related("order")
    return [
        {"order_line": line, "quantity": invoiceable_ahead(line)}
        for line in lines.order_by("order_id", "position", "pk")
        if invoiceable_ahead(line) > 0
    ]


def book_prepaid(lines: list[CustomerInvoiceLine]) -> None:
    """At posting: lock the billed order lines (in key order), check again that none is billed
    beyond what is ordered and not delivered, and add the quantities to ``prepaid_quantity``."""
    billed = [(index, line) for index, line in enumerate(lines) if line.order_line_id]
    if not billed:
        return
    locked = {
        row.pk: row
        for row in SalesOrderLine.objects.select_for_update(of=("self",))
        .select_related("order")
        .filter(pk__in=sorted({line.order_line_id for _i, line in billed}))
        .order_by("pk")
    }
    asked: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in billed:
        order_line = locked[line.order_line_id]
        if order_line.order.state not in INVOICEABLE_STATES:
            raise ValidationFailed(
                _("Line %(n)d: the order is no longer open.") % {"n": index + 1},
                field=f"lines.{index}.order_line",
            )
        asked[order_line.pk] += line.quantity
        if asked[order_line.pk] > invoiceable_ahead(order_line):
            raise _over_ordered(index, line.quantity, order_line)
    for pk, quantity in asked.items():
        locked[pk].prepaid_quantity += quantity
    SalesOrderLine.objects.bulk_update(locked.values(), ["prepaid_quantity"])


def cover_prepaid(delivery_lines, order_lines: dict[int, SalesOrderLine]) -> list:
    """At delivery, with the order lines locked: each delivery line counts as invoiced for what
    its order line was billed ahead, which that much less stays billed ahead. Returns the
    delivery lines it changed."""
    changed = []
    for line in delivery_lines:
        order_line = order_lines[line.order_line_id]
        covered = min(line.quantity, order_line.prepaid_quantity)
        if covered > 0:
            line.invoiced_quantity += covered
            order_line.prepaid_quantity -= covered
            changed.append(line)
    return changed


# --- crediting what was billed ahead and will not be delivered --------------------------------


def credited_so_far(lines) -> dict[int, Decimal]:
    """Per invoice line (id): what the posted credit notes already credited of it."""
    return {
        row["credited_line"]: row["total"]
        for row in CustomerInvoiceLine.objects.filter(
            credited_line__in=[line.pk for line in lines],
            invoice__kind=CustomerInvoice.Kind.CREDIT_NOTE,
            invoice__state=S.DONE,
        )
        .values("credited_line")
        .annotate(total=Sum("quantity"))
    }


def creditable(line: CustomerInvoiceLine, credited: Decimal, order_line: SalesOrderLine) -> Decimal:
    """What of a prepaid invoice line can still be credited without a return: not more than it
    billed less its credits, nor than its order line still has billed ahead (what deliveries
    counted as invoiced stays invoiced)."""
    return max(min(line.quantity - credited, order_line.prepaid_quantity), ZERO)


def _over_credited(index: int, asked: Decimal, open_: Decimal) -> ValidationFailed:
    return ValidationFailed(
        _(
            "Line %(n)d: %(asked)s is more than the %(open)s billed ahead and not delivered "
            "(credit delivered goods with a sales return)."
        )
        % {"n": index + 1, "asked": asked.normalize(), "open": open_.normalize()},
        field=f"lines.{index}.quantity",
        code="over_credited",
    )


def check_credits(invoice, asked: list[dict] | None) -> list[tuple[CustomerInvoiceLine, Decimal]]:
    """The lines to credit of a posted invoice (locked) and their quantities, checked with the
    order lines locked (in key order); ``asked`` (``invoice_line``, ``quantity``) or, when
    ``None``, everything the invoice can still credit. Takes the quantities off the order lines'
    ``prepaid_quantity``."""
    lines = list(invoice.lines.filter(order_line__isnull=False).order_by("position", "pk"))
    locked = {
        row.pk: row
        for row in SalesOrderLine.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted({line.order_line_id for line in lines}))
        .order_by("pk")
    }
    credited = credited_so_far(lines)
    if asked is None:
        asked = [
            {"invoice_line": line, "quantity": open_}
            for line in lines
            for open_ in [creditable(line, credited.get(line.pk, ZERO), locked[line.order_line_id])]
            if open_ > 0
        ]
        if not asked:
            raise ValidationFailed(
                _("Nothing on this invoice is billed ahead and still undelivered."),
                field="lines",
                code="over_credited",
            )
    mine = {line.pk: line for line in lines}
    taken: dict[int, Decimal] = defaultdict(Decimal)  # per invoice line
    ahead: dict[int, Decimal] = defaultdict(Decimal)  # per order line
    found = []
    for index, data in enumerate(asked):
        field = f"lines.{index}"
        wanted = data.get("invoice_line")
        wanted_id = getattr(wanted, "pk", wanted)
        line = mine.get(wanted_id)
        if line is None:
            on_invoice = invoice.lines.filter(pk=wanted_id).exists()
            raise ValidationFailed(
                _(
                    "Line %(n)d was invoiced from a delivery: credit delivered goods with a "
                    "sales return."
                ) % {"n": index + 1}
                if on_invoice
                else _("This line is not on the invoice."),
                field=f"{field}.invoice_line",
            )  # fmt: skip
        quantity = positive(data.get("quantity"), f"{field}.quantity")
        order_line = locked[line.order_line_id]
        open_ = min(
            line.quantity - credited.get(line.pk, ZERO) - taken[line.pk],
            order_line.prepaid_quantity - ahead[order_line.pk],
        )  # less what earlier lines of this request credit
        if quantity > open_:
            raise _over_credited(index, quantity, max(open_, ZERO))
        taken[line.pk] += quantity
        ahead[order_line.pk] += quantity
        found.append((line, quantity))
    for pk, quantity in ahead.items():
        locked[pk].prepaid_quantity -= quantity
    SalesOrderLine.objects.bulk_update([locked[pk] for pk in ahead], ["prepaid_quantity"])
    return found
