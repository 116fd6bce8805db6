"""红字冲销 of a posted supplier invoice (采购发票): the way out for a clerk who posted a wrong one.

Allowed while the invoice's AP open item is untouched: nothing paid, offset (return credits,
核销) or written off, and no open payment request (付款申请) asks for it; otherwise the error
says what to undo first. Goods of the invoice returned to the supplier after invoicing keep the
invoice too (the return reversed their cost and VAT): the return is undone first.

In one transaction, the invoice locked first, then its open item (as payment requests and
payments lock it), then the receipt lines and order lines (in key order, as posting does), then
the stock:

- the invoice's voucher is reversed in red (finance's ``reverse_voucher``), dated the reversal's
  business date, in an open period: the 暂估 is back on 220202, the payable, the input VAT, the
  variance on goods sold and each expense line's cost are gone;
- the AP open item is closed (nothing open, so nothing can pay it), as a reversed payment's is;
- the invoiced quantity goes back on the receipt lines (and the 暂估 cleared with it) and on
  the order lines, so they can be invoiced again and the order execution shows them uninvoiced;
- the price variance posting put onto the stock (``variance_to_stock``) is taken off the part of
  that quantity still in stock now, as a value-only move (Dr 1405 / Cr 220202 in red); what of
  it went out since went out at that cost, so that part is taken off cost of sales
  (Dr 220202 / Cr 5401) — when nothing moved, exactly what posting did is undone.

The invoice becomes ``reversed`` with who reversed it, when, the date and the reason (the audit
trail records the change); its supplier's invoice number is free to enter again.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import money
from jxc.finance.models import Allocation, OpenItem
from jxc.finance.services.periods import open_period
from jxc.finance.services.posting import Entry, post_entries
from jxc.finance.services.vouchers import reverse_voucher
from jxc.inventory.selectors import on_hand
from jxc.purchasing.models import GoodsReceiptLine, PurchaseOrderLine, SupplierInvoice
from jxc.purchasing.selectors import requested_of_invoices
from jxc.purchasing.services import invoices
from jxc.purchasing.services.accounting import INVOICE, RETURN
from jxc.purchasing.services.common import ZERO, plain
from jxc.purchasing.states import INVOICE_TRANSITIONS

MAX_REASON = 255


def _check_input(invoice: SupplierInvoice, reason: str, business_date) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the invoice is reversed."), field="reason")
    if len(reason) > MAX_REASON:
        raise ValidationFailed(_("At most %(n)d characters.") % {"n": MAX_REASON}, field="reason")
    if not isinstance(business_date, datetime.date):
        raise ValidationFailed(_("Enter the reversal's date."), field="business_date")
    if business_date < invoice.business_date:
        raise ValidationFailed(
            _("The reversal cannot be dated before the invoice (%(date)s).")
            % {"date": invoice.business_date.isoformat()},
            field="business_date",
        )
    return reason


def _check_untouched(invoice: SupplierInvoice, item: OpenItem) -> None:
    """Refused, saying what to undo first, unless the whole amount is still open."""
    settled = Allocation.objects.filter(owed_item=item, undone=False)
    if settled.filter(paid_item__document_type=RETURN).exists():
        raise ValidationFailed(
            _(
                "Return credits were offset against this invoice: undo the offset (反核销) in "
                "finance first."
            ),
            field="state",
            code="invoice_offset",
        )
    if settled.exists() or item.open_amount != item.amount:
        raise ValidationFailed(
            _(
                "This invoice has been paid or settled in part or in full: reverse the payment "
                "or undo the allocation (反核销) in finance first."
            ),
            field="state",
            code="invoice_paid",
        )
    if requested_of_invoices([invoice.pk]):
        raise ValidationFailed(
            _(
                "An open payment request asks for this invoice: cancel the payment request, or "
                "take the invoice off it, first."
            ),
            field="state",
            code="invoice_requested",
        )


def _lock_lines(model, ids):
    return {
        row.pk: row
        for row in model.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted(ids))
        .order_by("pk")
    }


def _give_back_quantities(invoice: SupplierInvoice, goods) -> dict[int, GoodsReceiptLine]:
    """The invoiced quantity and the 暂估 it cleared go back on the receipt lines, the invoiced
    quantity on the order lines; refused when goods of the invoice were returned since."""
    fresh = _lock_lines(GoodsReceiptLine, {line.receipt_line_id for line in goods})
    by_order_line: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(goods):
        receipt_line = fresh[line.receipt_line_id]
        receipt_line.invoiced_quantity -= line.quantity
        receipt_line.estimate_cleared -= line.receipt_value
        if receipt_line.invoiced_quantity < receipt_line.returned_invoiced:
            raise ValidationFailed(
                _(
                    "Line %(line)d: %(quantity)s of the invoiced goods were returned to the "
                    "supplier since: undo the purchase return first."
                )
                % {"line": index + 1, "quantity": plain(receipt_line.returned_invoiced)},
                field="state",
                code="invoice_returned",
            )
        if receipt_line.order_line_id:
            by_order_line[receipt_line.order_line_id] += line.quantity
    order_lines = _lock_lines(PurchaseOrderLine, by_order_line)
    for order_line in order_lines.values():
        order_line.invoiced_quantity -= by_order_line[order_line.pk]
    PurchaseOrderLine.objects.bulk_update(list(order_lines.values()), ["invoiced_quantity"])
    GoodsReceiptLine.objects.bulk_update(
        list(fresh.values()), ["invoiced_quantity", "estimate_cleared"]
    )
    return fresh


def _variance_back(goods, fresh) -> list[tuple]:
    """Per line whose variance went onto stock: (line, receipt line, off the stock, off cost of
    sales). The part still in stock is what of the line's ``stock_quantity`` the product still
    has on hand, shared over the invoice's lines latest receipts first, as posting shared it."""
    left: dict[int, Decimal] = {}
    found = []
    ordered = sorted(
        (line for line in goods if line.variance_to_stock),
        key=lambda line: (fresh[line.receipt_line_id].receipt_id, line.receipt_line_id),
        reverse=True,
    )
    for line in ordered:
        receipt_line = fresh[line.receipt_line_id]
        product_id = receipt_line.product_id
        if product_id not in left:
            left[product_id] = max(on_hand(product_id=product_id), ZERO)
        was = line.stock_quantity if line.stock_quantity else line.quantity
        still = min(left[product_id], was)
        left[product_id] -= still
        off_stock = money(line.variance_to_stock * still / was)
        found.append((line, receipt_line, off_stock, line.variance_to_stock - off_stock))
    return found


@transaction.atomic
def reverse_supplier_invoice(
    *, invoice: SupplierInvoice, user, reason: str, business_date: datetime.date | None = None
) -> SupplierInvoice:
    """红字冲销 a posted invoice whose payable is untouched; see the module docstring."""
    # FOR NO KEY UPDATE: a payment request being saved holds the open item and inserts a line
    # referencing the invoice (a key share lock), which a plain FOR UPDATE would deadlock with
    invoice = (
        SupplierInvoice.objects.select_for_update(of=("self",), no_key=True)
        .select_related("organization", "supplier")
        .get(pk=invoice.pk)
    )
    business_date = business_date or timezone.localdate()
    reason = _check_input(invoice, reason, business_date)
    transition(invoice, S.REVERSED, INVOICE_TRANSITIONS)
    organization = invoice.organization
    # the open item alone is locked (its voucher is read after, unlocked: posted, never changed)
    item = OpenItem.objects.select_for_update().get(pk=invoice.open_item_id)
    _check_untouched(invoice, item)
    open_period(organization, business_date, field="business_date")
    lines = list(invoice.lines.all())
    goods = [line for line in lines if line.receipt_line_id is not None]
    fresh = _give_back_quantities(invoice, goods)
    back = _variance_back(goods, fresh)
    on_stock = [(line, receipt_line, off) for line, receipt_line, off, _sold in back if off]
    if on_stock:
        invoices.revalue_invoiced_stock(
            invoice,
            business_date,
            [(line, receipt_line, -off) for line, receipt_line, off in on_stock],
        )
    sold = sum((sold for *_rest, sold in back), ZERO)
    if sold:  # went out of stock at the invoice's cost since: taken off cost of sales
        post_entries(
            organization=organization,
            date=business_date,
            entries=[
                Entry(INVOICE, "matched", sold, partner_id=invoice.supplier_id),
                Entry(INVOICE, "variance_sold", -sold, partner_id=invoice.supplier_id, red=True),
            ],
            reference=f"{invoice.number} {invoice.invoice_number}",
            origin_type=INVOICE,
            origin_id=invoice.pk,
            user=user,
        )
    if item.voucher_id:
        invoice.reversal_voucher = reverse_voucher(
            voucher=item.voucher, user=user, date=business_date
        )
    item.open_amount, item.open_base_amount = ZERO, ZERO
    item.save(update_fields=["open_amount", "open_base_amount"])
    invoice.reversed_at = timezone.now()
    invoice.reversed_by = user if getattr(user, "pk", None) else None
    invoice.reversal_date = business_date
    invoice.reversal_reason = reason
    invoice.save()
    return invoice
