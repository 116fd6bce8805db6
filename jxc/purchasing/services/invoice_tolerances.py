"""Three-way match tolerances of supplier invoices (发票容差).

An invoice line is beyond tolerance when

- its price (tax-exclusive, per base unit, as the three-way match columns show it) is further
  from the order's price (what the receipt booked) than the price tolerance, either way: a
  cheaper invoice is as much a mismatch to look at as a dearer one;
- or, for a receipt line of an order, what the order line has been invoiced plus this
  invoice's quantity on it goes beyond the quantity ordered by more than the quantity
  tolerance (receipts may take more than ordered within their own tolerance; paying for it is
  asked again here). An invoice for more than was received is refused before any tolerance.

Expense lines (an account instead of a receipt line) have no order to compare with and are
never beyond a tolerance.

The supplier's tolerance applies, else the organization's default; a blank percent, or no
record at all, is not checked, so an organization that sets no tolerance posts as before.
Beyond a tolerance the invoice is submitted to workflow (``supplier_invoice``) instead of
posting; see ``invoices.post_supplier_invoice``."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from jxc.purchasing.models import InvoiceTolerance, PurchaseOrderLine
from jxc.purchasing.services.common import plain

PRICE = "price"
QUANTITY = "quantity"
CENT_PERCENT = Decimal("0.01")


@dataclass(frozen=True)
class Beyond:
    """One line beyond one tolerance: ``index`` counts from 0, ``kind`` is price/quantity."""

    index: int
    line_id: int | None
    kind: str
    message: str

    @property
    def field(self) -> str:
        return f"lines.{self.index}.{'unit_price' if self.kind == PRICE else 'quantity'}"


def invoice_tolerance_for(organization, supplier) -> InvoiceTolerance:
    """The supplier's tolerance, else the default, else an unsaved record checking nothing."""
    found = {
        t.supplier_id: t
        for t in InvoiceTolerance.objects.filter(organization=organization).filter(
            Q(supplier=supplier) | Q(supplier__isnull=True)
        )
    }
    return found.get(supplier.pk) or found.get(None) or InvoiceTolerance()


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(CENT_PERCENT) if whole else Decimal(100)


def _price_beyond(index, line, receipt_line, tolerance) -> Beyond | None:
    limit = tolerance.price_percent
    if limit is None or not line.quantity:
        return None
    invoice_price = line.net_amount / line.quantity
    order_price = receipt_line.unit_price
    difference = abs(invoice_price - order_price)
    if difference * 100 <= order_price * limit:
        return None
    message = _(
        "Line %(line)d: the invoice price %(price)s is %(percent)s %% away from the order "
        "price %(order)s, beyond the %(tolerance)s %% price tolerance."
    ) % {
        "line": index + 1,
        "price": plain(invoice_price.quantize(Decimal("0.000001"))),
        "order": plain(order_price),
        "percent": plain(_percent(difference, order_price)),
        "tolerance": plain(limit),
    }
    return Beyond(index, line.pk, PRICE, message)


def _quantities_beyond(lines, receipt_lines, tolerance, order_lines) -> list[Beyond]:
    limit = tolerance.quantity_percent
    if limit is None:
        return []
    invoiced: dict[int, Decimal] = defaultdict(Decimal)
    found = []
    for index, line in enumerate(lines):
        if line.receipt_line_id is None:  # an expense line: nothing ordered
            continue
        order_line_id = receipt_lines[line.receipt_line_id].order_line_id
        if order_line_id is None:  # received without an order: nothing ordered to compare
            continue
        order_line = order_lines[order_line_id]
        invoiced[order_line_id] += line.quantity
        total = order_line.invoiced_quantity + invoiced[order_line_id]
        ordered = order_line.base_quantity
        if (total - ordered) * 100 <= ordered * limit:
            continue
        message = _(
            "Line %(line)d: %(total)s invoiced on an order line of %(ordered)s ordered, "
            "beyond the %(tolerance)s %% quantity tolerance."
        ) % {
            "line": index + 1,
            "total": plain(total),
            "ordered": plain(ordered),
            "tolerance": plain(limit),
        }
        found.append(Beyond(index, line.pk, QUANTITY, message))
    return found


def lines_beyond_tolerance(invoice, lines, receipt_lines=None, *, lock=False) -> list[Beyond]:
    """The invoice's lines beyond its supplier's tolerances, in line order. ``receipt_lines``
    by id (the locked ones when posting), else the lines' own; ``lock``: the order lines are
    locked (key order, after the receipt lines, as posting does anyway) so two invoices of
    one order line cannot both slip under the quantity tolerance."""
    tolerance = invoice_tolerance_for(invoice.organization_id, invoice.supplier)
    if tolerance.price_percent is None and tolerance.quantity_percent is None:
        return []
    if receipt_lines is None:
        receipt_lines = {
            line.receipt_line_id: line.receipt_line for line in lines if line.receipt_line_id
        }
    found = [
        beyond
        for index, line in enumerate(lines)
        if line.receipt_line_id is not None  # expense lines are never beyond a tolerance
        and (beyond := _price_beyond(index, line, receipt_lines[line.receipt_line_id], tolerance))
    ]
    if tolerance.quantity_percent is not None:
        ids = sorted(
            {rl.order_line_id for rl in receipt_lines.values() if rl.order_line_id is not None}
        )
        rows = PurchaseOrderLine.objects.filter(pk__in=ids).order_by("pk")
        if lock:
            rows = rows.select_for_update()
        order_lines = {row.pk: row for row in rows}
        found += _quantities_beyond(lines, receipt_lines, tolerance, order_lines)
    return sorted(found, key=lambda beyond: (beyond.index, beyond.kind))


def beyond_by_line(invoice) -> dict[int, list[str]]:
    """For showing a draft or submitted invoice: line id → the tolerances it is beyond."""
    lines = list(invoice.lines.all())
    if not lines:
        return {}
    shown: dict[int, list[str]] = defaultdict(list)
    for beyond in lines_beyond_tolerance(invoice, lines):
        shown[beyond.line_id].append(beyond.kind)
    return dict(shown)
