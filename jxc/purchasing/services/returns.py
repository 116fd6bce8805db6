"""Purchase returns (采购退货单): goods of a receipt sent back to the supplier.

Each line takes back part of a receipt line: the same bin, lot and serial, leaving through
inventory's move service; a whole line returned at once is a reversal of the receipt's move
(it leaves at the value it came in at, the 暂估 booked in red), a part of a line leaves at the
current cost. What of the returned quantity was not yet invoiced is taken first from
the 暂估; what was invoiced reverses its AP and input VAT in red and leaves the supplier owing
the organization: an AP credit (a negative payable item) to refund or offset against the next
invoice. See ``services.accounting`` for the vouchers.

A return without a receipt (无来源退货) names the supplier and the warehouse, and per line the
stock it takes and the price the supplier credits: see ``services.free_returns``.
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import money
from jxc.finance.models import OpenItem
from jxc.finance.services.posting import Entry, post_entries
from jxc.finance.services.receivables import book_item
from jxc.inventory.models import StockMove
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.purchasing.models import (
    GoodsReceiptLine,
    PurchaseOrderLine,
    PurchaseReturn,
    PurchaseReturnLine,
    SupplierInvoiceLine,
)
from jxc.purchasing.services.accounting import RECEIPT_LINE, RETURN, RETURN_LINE
from jxc.purchasing.services.common import (
    ZERO,
    check_lines_count,
    check_quantity,
    check_supplier,
    currency_and_rate,
    plain,
)
from jxc.purchasing.services.free_returns import check_in_stock, free_line, post_free_return
from jxc.purchasing.services.invoices import uninvoiced
from jxc.purchasing.states import POSTED_TRANSITIONS

DOC_TYPE = "purchase_return"


def returnable(line: GoodsReceiptLine) -> Decimal:
    return line.base_quantity - line.returned_quantity


def _check_quantities(lines, fresh) -> None:
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(lines):
        receipt_line = fresh[line.receipt_line_id]
        taken[receipt_line.pk] += line.quantity
        if taken[receipt_line.pk] > returnable(receipt_line):
            raise ValidationFailed(
                _(
                    "Line %(line)d: more than was received is returned: %(left)s of the "
                    "receipt line can still be returned."
                )
                % {"line": index + 1, "left": plain(returnable(receipt_line))},
                field=f"lines.{index}.quantity",
                code="over_return",
            )


def _build_line(purchase_return, index: int, data: dict) -> PurchaseReturnLine:
    if purchase_return.receipt_id is None:
        return free_line(purchase_return, index, data)
    prefix = f"lines.{index}"
    receipt_line = data.get("receipt_line")
    if receipt_line is None or receipt_line.receipt_id != purchase_return.receipt_id:
        raise ValidationFailed(_("Choose a line of the receipt."), field=f"{prefix}.receipt_line")
    quantity = data.get("quantity")
    check_quantity(quantity, f"{prefix}.quantity")
    return PurchaseReturnLine(
        purchase_return=purchase_return,
        position=index,
        receipt_line=receipt_line,
        product_id=receipt_line.product_id,
        quantity=quantity,
    )


def _header_of_receipt(organization, purchase_return) -> None:
    receipt = purchase_return.receipt
    if receipt.organization_id != organization.pk:
        raise ValidationFailed(_("Choose the receipt."), field="receipt")
    if receipt.state != S.DONE:
        raise ValidationFailed(_("Only a posted receipt can be returned."), field="receipt")
    purchase_return.supplier, purchase_return.currency = receipt.supplier, receipt.currency
    purchase_return.rate, purchase_return.warehouse_id = receipt.rate, receipt.warehouse_id


def _free_header(organization, purchase_return) -> None:
    """A free-standing return: its supplier, warehouse, and currency (the supplier's)."""
    check_supplier(organization, purchase_return.supplier)
    warehouse = purchase_return.warehouse if purchase_return.warehouse_id else None
    if warehouse is None or warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Choose the warehouse."), field="warehouse")
    currency = purchase_return.currency if purchase_return.currency_id else None
    purchase_return.currency, purchase_return.rate = currency_and_rate(
        organization, currency or purchase_return.supplier.currency, purchase_return.business_date
    )


@transaction.atomic
def save_purchase_return(*, organization, user, data: dict, purchase_return=None) -> PurchaseReturn:
    """Create or update a draft return of a posted receipt, or a free-standing one (a supplier
    and a warehouse, no receipt); ``lines`` replace its lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    if purchase_return is not None:
        purchase_return = PurchaseReturn.objects.select_for_update().get(pk=purchase_return.pk)
        if purchase_return.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
        data.pop("receipt", None)  # a draft stays a return of its receipt, or free-standing
    purchase_return = purchase_return or PurchaseReturn(organization=organization, created_by=user)
    free_fields = ("supplier", "warehouse", "currency") if not data.get("receipt") else ()
    for field in ("receipt", "business_date", "note", *free_fields):
        if field in data:
            setattr(purchase_return, field, data[field])
    if purchase_return.business_date is None:
        purchase_return.business_date = timezone.localdate()
    if purchase_return.receipt_id:
        _header_of_receipt(organization, purchase_return)
    elif not purchase_return.supplier_id:
        raise ValidationFailed(
            _("Choose the receipt, or the supplier of a free-standing return."), field="receipt"
        )
    else:
        _free_header(organization, purchase_return)
    check_lines_count(lines)
    built = None
    if lines is not None:
        built = [_build_line(purchase_return, i, line) for i, line in enumerate(lines)]
        if purchase_return.receipt_id:
            fresh = GoodsReceiptLine.objects.in_bulk({line.receipt_line_id for line in built})
            _check_quantities(built, fresh)
        else:
            check_in_stock(built)
        purchase_return.net_amount = sum((line.net_amount for line in built), ZERO)
        purchase_return.tax_amount = sum((line.tax_amount for line in built), ZERO)
        purchase_return.gross_amount = sum((line.gross_amount for line in built), ZERO)
    purchase_return.save()
    if built is not None:
        purchase_return.lines.all().delete()
        for line in built:
            line.purchase_return = purchase_return
        PurchaseReturnLine.objects.bulk_create(built)
    return purchase_return


def _invoiced_part(receipt_line: GoodsReceiptLine, quantity: Decimal) -> tuple[Decimal, Decimal]:
    """The cost and the deductible VAT (base currency) the invoices booked for ``quantity`` of
    the receipt line's invoiced goods, in proportion."""
    invoiced = SupplierInvoiceLine.objects.filter(
        receipt_line=receipt_line, invoice__state=S.DONE
    ).values_list("quantity", "base_cost", "base_tax")
    total = sum((row[0] for row in invoiced), ZERO)
    if not total or not quantity:
        return ZERO, ZERO
    cost = sum((row[1] for row in invoiced), ZERO)
    tax = sum((row[2] for row in invoiced), ZERO)
    return money(cost * quantity / total), money(tax * quantity / total)


def _reversed(originals, receipt_line, line):
    """The receipt's move, when the return takes the whole line back at once (it then leaves
    at the value it came in at); None for a partial return (an issue at the current cost)."""
    if receipt_line.returned_quantity == 0 and line.quantity == receipt_line.base_quantity:
        return originals.get(receipt_line.pk)
    return None


@transaction.atomic
def post_purchase_return(*, purchase_return: PurchaseReturn, user=None) -> PurchaseReturn:
    purchase_return = (
        PurchaseReturn.objects.select_for_update(of=("self",))
        .select_related("organization", "supplier", "currency", "receipt")
        .get(pk=purchase_return.pk)
    )
    transition(purchase_return, S.DONE, POSTED_TRANSITIONS)
    lines = list(purchase_return.lines.select_related("product__base_unit", "location", "lot"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    if purchase_return.receipt_id is None:
        return _post_free(purchase_return, lines, user)
    organization = purchase_return.organization
    fresh = {
        line.pk: line
        for line in GoodsReceiptLine.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted({line.receipt_line_id for line in lines}))
        .order_by("pk")
        .select_related("product__base_unit", "location__warehouse", "lot", "unit")
    }
    _check_quantities(lines, fresh)
    originals = {
        move.origin_id: move
        for move in StockMove.objects.filter(
            origin_type=RECEIPT_LINE, origin_id__in=list(fresh), reversal_of__isnull=True
        )
    }
    # the order lines are locked before any stock row (as receipts lock them): no lock cycle
    _update_order_lines(fresh, lines)
    purchase_return.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=purchase_return.business_date
    )
    supplier = ensure_virtual_locations(organization)["supplier"]
    moves = post_moves(
        organization=organization,
        business_date=purchase_return.business_date,
        reference=purchase_return.number,
        moves=[
            MoveRequest(
                product=fresh[line.receipt_line_id].product,
                quantity=line.quantity,
                from_location=fresh[line.receipt_line_id].location,
                to_location=supplier,
                lot=fresh[line.receipt_line_id].lot,
                serial=fresh[line.receipt_line_id].serial,
                origin_type=RETURN_LINE,
                origin_id=line.pk,
                reversal_of=_reversed(originals, fresh[line.receipt_line_id], line),
            )
            for line in lines
        ],
        savepoint=False,
        source=(RETURN, purchase_return.pk),
    )
    difference = returned = vat = price = credit = ZERO
    for line, move in zip(lines, moves, strict=True):
        receipt_line = fresh[line.receipt_line_id]
        value = move.value
        line.value = money(value)
        not_invoiced = min(line.quantity, max(uninvoiced(receipt_line), ZERO))
        invoiced = line.quantity - not_invoiced
        value_not_invoiced = money(value * not_invoiced / line.quantity)
        if not_invoiced == uninvoiced(receipt_line):
            estimate = receipt_line.value - receipt_line.estimate_cleared
        else:
            estimate = money(receipt_line.value * not_invoiced / receipt_line.base_quantity)
        difference += value_not_invoiced - estimate
        cost, tax = _invoiced_part(receipt_line, invoiced)
        value_invoiced = money(value) - value_not_invoiced
        returned += value_invoiced
        vat += tax
        price += cost - value_invoiced
        credit += cost + tax
        receipt_line.returned_quantity += line.quantity
        receipt_line.returned_invoiced += invoiced
        receipt_line.estimate_cleared += estimate
    partner = purchase_return.supplier_id
    voucher = post_entries(
        organization=organization,
        date=purchase_return.business_date,
        entries=[
            Entry(RETURN, "estimate_difference", difference, partner_id=partner),
            Entry(RETURN, "returned", returned, partner_id=partner),
            Entry(RETURN, "input_vat_returned", vat, partner_id=partner),
            Entry(RETURN, "price_difference", price, partner_id=partner),
        ],
        reference=purchase_return.number,
        origin_type=RETURN,
        origin_id=purchase_return.pk,
        user=user,
    )
    _book_credit(purchase_return, credit, voucher)
    PurchaseReturnLine.objects.bulk_update(lines, ["value"])
    GoodsReceiptLine.objects.bulk_update(
        list(fresh.values()), ["returned_quantity", "returned_invoiced", "estimate_cleared"]
    )
    purchase_return.posted_at = timezone.now()
    purchase_return.save()
    return purchase_return


def _post_free(purchase_return, lines, user) -> PurchaseReturn:
    purchase_return.number = next_number(
        organization=purchase_return.organization,
        doc_type=DOC_TYPE,
        on_date=purchase_return.business_date,
    )
    voucher, credit = post_free_return(purchase_return, lines, user)
    _book_credit(purchase_return, credit, voucher, amount=purchase_return.gross_amount)
    purchase_return.posted_at = timezone.now()
    purchase_return.save()
    return purchase_return


def _book_credit(purchase_return, credit: Decimal, voucher, amount=None) -> None:
    """What the supplier owes back: an AP credit, a negative payable item of ``amount`` (the
    document's currency; default: ``credit``, the base amount the books moved, at its rate)."""
    if not credit:
        return
    if amount is None:
        amount = money(credit / purchase_return.rate)
    item = book_item(
        organization=purchase_return.organization,
        kind=OpenItem.Kind.PAYABLE,
        partner=purchase_return.supplier,
        amount=-amount,
        currency=purchase_return.currency,
        rate=purchase_return.rate,
        date=purchase_return.business_date,
        document_type=RETURN,
        document_id=purchase_return.pk,
        reference=purchase_return.number,
        summary=_("Return %(number)s") % {"number": purchase_return.number},
        voucher=voucher,
    )
    if item.base_amount != -credit:  # the credit is what the books moved, to the fen
        item.base_amount = item.open_base_amount = -credit
        item.save(update_fields=["base_amount", "open_base_amount"])
    purchase_return.open_item = item


def _update_order_lines(fresh, lines) -> None:
    by_order_line: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        order_line_id = fresh[line.receipt_line_id].order_line_id
        if order_line_id:
            by_order_line[order_line_id] += line.quantity
    order_lines = list(
        PurchaseOrderLine.objects.select_for_update()
        .filter(pk__in=sorted(by_order_line))
        .order_by("pk")
    )
    for order_line in order_lines:
        order_line.returned_quantity += by_order_line[order_line.pk]
    PurchaseOrderLine.objects.bulk_update(order_lines, ["returned_quantity"])


@transaction.atomic
def cancel_purchase_return(*, purchase_return: PurchaseReturn) -> PurchaseReturn:
    purchase_return = PurchaseReturn.objects.select_for_update().get(pk=purchase_return.pk)
    transition(purchase_return, S.CANCELLED, POSTED_TRANSITIONS)
    purchase_return.save(update_fields=["state"])
    return purchase_return
