"""Landed costs (到岸成本, 采购费用分摊): freight, customs duty, insurance and other costs of
buying, billed by the supplier of the cost, added to the cost of the goods of posted receipts.

The document lists the costs (each with its VAT), the receipts they apply to and the method
that shares them out over the receipts' lines: by quantity (the base quantity kept, received
less returned), by weight (entered per line: master data has no weight) or by value (the
kept quantity's receipt value). The cost is what the stock takes: net, plus the VAT when the
invoice type does not allow deducting it (as for supplier invoices, ``invoices.is_deductible``).

Posting, like a supplier invoice's price variance (see ``services.invoices``):

- each line's share is split by quantity: the part still on hand (the product's on-hand
  quantity, shared over the document's lines of the product, the latest receipts first, capped
  at the line's kept quantity) goes into the stock's value as a value-only move through
  inventory (Dr 1405 / Cr 220202, so the inventory account keeps equal to the valuation) and
  is then taken off 220202 with the payable (``matched``: Dr 220202 / Cr 2202);
- the part of goods already sold is cost of sales (``landed_sold``: Dr 5401 / Cr 2202);
- deductible VAT (专票, 数电专票): ``input_vat`` (Dr 22210101 / Cr 2202);
- the whole bill is owed to the cost's supplier: an AP open item for the gross amount, which
  finance's payments allocate like any supplier invoice's.

So after posting, stock value + cost of sales grow by exactly the cost (the property the
tests check) and 220202 is back where it was.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import line_tax, money
from jxc.finance.models import OpenItem
from jxc.finance.services.posting import Entry, post_entries
from jxc.finance.services.receivables import book_item
from jxc.inventory.selectors import on_hand
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    LandedCost,
    LandedCostLine,
    SupplierInvoice,
)
from jxc.purchasing.models import LandedCostAllocation as Allocation
from jxc.purchasing.services.accounting import LANDED, LANDED_ALLOCATION
from jxc.purchasing.services.common import ZERO, check_lines_count, check_supplier
from jxc.purchasing.services.common import currency_and_rate as rate_of
from jxc.purchasing.services.invoices import _due, is_deductible
from jxc.purchasing.states import POSTED_TRANSITIONS

DOC_TYPE = "landed_cost"
MAX_RECEIPTS = 100
MAX_AMOUNT = Decimal(10) ** 12
HEADER_FIELDS = (
    "business_date", "supplier", "currency", "method", "invoice_type", "invoice_number",
    "due_date", "note",
)  # fmt: skip


def kept(line: GoodsReceiptLine) -> Decimal:
    """What of the receipt line is still ours to carry the cost: received less returned."""
    return line.base_quantity - line.returned_quantity


def _build_cost_line(index: int, data: dict) -> LandedCostLine:
    prefix = f"lines.{index}"
    cost_type = data.get("cost_type")
    if cost_type not in LandedCostLine.CostType.values:
        raise ValidationFailed(_("Choose the kind of cost."), field=f"{prefix}.cost_type")
    amount = data.get("amount")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), field=f"{prefix}.amount")
    if amount >= MAX_AMOUNT:
        raise ValidationFailed(_("The amount is too large."), field=f"{prefix}.amount")
    percent = data.get("tax_percent")
    percent = ZERO if percent is None else percent
    if percent < 0 or percent > 100:
        raise ValidationFailed(
            _("A VAT rate is between 0 and 100 %."), field=f"{prefix}.tax_percent"
        )
    taxed = line_tax(amount, percent, inclusive=False)
    return LandedCostLine(
        position=index,
        cost_type=cost_type,
        description=data.get("description", ""),
        amount=taxed.net,
        tax_percent=percent,
        tax_amount=taxed.tax,
        gross_amount=taxed.gross,
    )


def _check_receipts(organization, receipts) -> list[GoodsReceipt]:
    if not receipts:
        raise ValidationFailed(_("Choose at least one receipt."), field="receipts")
    if len(receipts) > MAX_RECEIPTS:
        raise ValidationFailed(_("At most %(n)d receipts.") % {"n": MAX_RECEIPTS}, field="receipts")
    for receipt in receipts:
        if receipt.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown receipt."), field="receipts")
        if receipt.state != S.DONE:
            raise ValidationFailed(
                _("Receipt %(number)s is not posted.") % {"number": str(receipt)},
                field="receipts",
            )
    return sorted(set(receipts), key=lambda receipt: receipt.pk)


def _weights(entries) -> dict[int, Decimal]:
    """The weights entered, by receipt line; each entry names its own index when wrong."""
    weights: dict[int, Decimal] = {}
    for index, entry in enumerate(entries or []):
        line, weight = entry.get("receipt_line"), entry.get("weight")
        if line is None:
            raise ValidationFailed(
                _("Choose the receipt line."), field=f"allocations.{index}.receipt_line"
            )
        if weight is not None and (weight < 0 or weight >= MAX_AMOUNT):
            raise ValidationFailed(
                _("The weight cannot be negative."), field=f"allocations.{index}.weight"
            )
        weights[line.pk] = weight
    return weights


def _basis(method: str, line: GoodsReceiptLine, weight) -> Decimal:
    if method == LandedCost.Method.QUANTITY:
        return kept(line)
    if method == LandedCost.Method.WEIGHT:
        return weight or ZERO
    if kept(line) == line.base_quantity:
        return line.value
    return money(line.value * kept(line) / line.base_quantity)


def _allocations(document, receipt_lines, weights: dict, cost: Decimal) -> list[Allocation]:
    """The document's share of ``cost`` (base currency) per receipt line, in proportion to the
    method's basis; the last line takes what rounding leaves, so the shares add up."""
    allocations = []
    for line in receipt_lines:
        if kept(line) <= 0:
            continue  # everything was sent back: nothing left to carry a cost
        weight = weights.get(line.pk)
        allocations.append(
            Allocation(
                document=document,
                receipt_line=line,
                product_id=line.product_id,
                weight=weight,
                basis=_basis(document.method, line, weight),
            )
        )
    if not allocations:
        raise ValidationFailed(
            _("Everything on these receipts has been returned."), field="receipts"
        )
    total = sum((a.basis for a in allocations), ZERO)
    if total <= 0:
        field = "allocations" if document.method == LandedCost.Method.WEIGHT else "method"
        raise ValidationFailed(
            _("Nothing to allocate by: the receipts' lines have no %(basis)s.")
            % {"basis": LandedCost.Method(document.method).label},
            field=field,
        )
    left = cost
    for allocation in allocations[:-1]:
        allocation.amount = money(cost * allocation.basis / total)
        left -= allocation.amount
    allocations[-1].amount = left
    return allocations


def _receipt_lines(receipts, *, lock: bool = False) -> list[GoodsReceiptLine]:
    lines = GoodsReceiptLine.objects.filter(receipt__in=[r.pk for r in receipts])
    if lock:
        lines = lines.select_for_update(of=("self",))
    return list(lines.order_by("pk").select_related("receipt", "location", "product__base_unit"))


def _cost_in_base(document) -> tuple[Decimal, Decimal, Decimal]:
    """(cost, deductible VAT, gross), in base currency."""
    gross = money(document.gross_amount * document.rate)
    net = money(document.net_amount * document.rate)
    vat = gross - net if is_deductible(document.invoice_type) else ZERO
    return gross - vat, vat, gross


@transaction.atomic
def save_landed_cost(*, organization, user, data: dict, document=None) -> LandedCost:
    """Create or update a draft; ``lines`` replace the costs, ``receipts`` the receipts, and
    the allocation is worked out again (``allocations``: the weights, per receipt line)."""
    data = dict(data)
    lines = data.pop("lines", None)
    receipts = data.pop("receipts", None)
    weight_entries = data.pop("allocations", None)
    if document is not None:
        document = LandedCost.objects.select_for_update().get(pk=document.pk)
        if document.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    document = document or LandedCost(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(document, field, data[field])
    if document.business_date is None:
        document.business_date = timezone.localdate()
    check_supplier(organization, document.supplier if document.supplier_id else None)
    if document.method not in LandedCost.Method.values:
        raise ValidationFailed(_("Unknown allocation method."), field="method")
    if document.invoice_type not in SupplierInvoice.InvoiceType.values:
        raise ValidationFailed(_("Unknown invoice type."), field="invoice_type")
    if not document.currency_id:
        document.currency = document.supplier.currency
    document.currency, document.rate = rate_of(
        organization, document.currency if document.currency_id else None, document.business_date
    )
    document.invoice_number = (document.invoice_number or "").strip()
    check_lines_count(lines)
    if lines is None and document.pk is None:
        raise ValidationFailed(_("Add at least one cost."), field="lines")
    built = None
    if lines is not None:
        if not lines:
            raise ValidationFailed(_("Add at least one cost."), field="lines")
        built = [_build_cost_line(i, line) for i, line in enumerate(lines)]
        document.net_amount = sum((line.amount for line in built), ZERO)
        document.tax_amount = sum((line.tax_amount for line in built), ZERO)
        document.gross_amount = sum((line.gross_amount for line in built), ZERO)
    if receipts is None:
        if document.pk is None:
            raise ValidationFailed(_("Choose at least one receipt."), field="receipts")
        receipts = list(document.receipts.all())
    receipts = _check_receipts(organization, receipts)
    if weight_entries is None and document.pk is not None:
        weights = {a.receipt_line_id: a.weight for a in document.allocations.all()}
    else:
        weights = _weights(weight_entries)
    receipt_lines = _receipt_lines(receipts)
    if set(weights) - {line.pk for line in receipt_lines}:
        raise ValidationFailed(
            _("The weights must be of lines of the chosen receipts."), field="allocations"
        )
    if document.method == LandedCost.Method.WEIGHT:
        _check_weights(receipt_lines, weights)
    allocations = _allocations(document, receipt_lines, weights, _cost_in_base(document)[0])
    document.save()
    if built is not None:
        document.lines.all().delete()
        for line in built:
            line.document = document
        LandedCostLine.objects.bulk_create(built)
    document.receipts.set(receipts)
    document.allocations.all().delete()
    for allocation in allocations:
        allocation.document = document
    Allocation.objects.bulk_create(allocations)
    return document


def _check_weights(receipt_lines, weights) -> None:
    """By weight, every line still carrying goods needs its weight (0 is allowed: it takes no
    share); the first missing one is named by its place in the allocation list."""
    index = 0
    for line in receipt_lines:
        if kept(line) <= 0:
            continue
        if weights.get(line.pk) is None:
            raise ValidationFailed(
                _("Enter the weight of %(product)s (receipt %(number)s).")
                % {"product": line.product.name, "number": line.receipt.number},
                field=f"allocations.{index}.weight",
            )
        index += 1


def _still_on_hand(allocations) -> dict[int, Decimal]:
    """How much of each line's kept quantity is taken as still in stock: the product's on-hand
    quantity, shared over the document's lines of the product, latest receipts first."""
    left: dict[int, Decimal] = {}
    found = {}
    ordered = sorted(
        allocations,
        key=lambda a: (a.receipt_line.receipt.business_date, a.receipt_line_id),
        reverse=True,
    )
    for allocation in ordered:
        product_id = allocation.product_id
        if product_id not in left:
            left[product_id] = max(on_hand(product_id=product_id), ZERO)
        found[allocation.receipt_line_id] = min(left[product_id], kept(allocation.receipt_line))
        left[product_id] -= found[allocation.receipt_line_id]
    return found


@transaction.atomic
def post_landed_cost(*, document: LandedCost, user=None) -> LandedCost:
    document = (
        LandedCost.objects.select_for_update(of=("self",))
        .select_related("organization", "supplier", "currency")
        .get(pk=document.pk)
    )
    transition(document, S.DONE, POSTED_TRANSITIONS)
    if not document.lines.exists():
        raise ValidationFailed(_("Add at least one cost."), field="lines")
    organization = document.organization
    receipts = list(document.receipts.all())
    if not receipts:
        raise ValidationFailed(_("Choose at least one receipt."), field="receipts")
    # returns may have happened since the draft was saved: share out again on locked lines
    receipt_lines = _receipt_lines(receipts, lock=True)
    weights = {a.receipt_line_id: a.weight for a in document.allocations.all()}
    if document.method == LandedCost.Method.WEIGHT:
        _check_weights(receipt_lines, weights)
    cost, vat, gross = _cost_in_base(document)
    allocations = _allocations(document, receipt_lines, weights, cost)
    still = _still_on_hand(allocations)
    for allocation in allocations:
        quantity = kept(allocation.receipt_line)
        allocation.to_stock = money(
            allocation.amount * still[allocation.receipt_line_id] / quantity
        )
        allocation.to_sold = allocation.amount - allocation.to_stock
    document.allocations.all().delete()
    for allocation in allocations:  # one by one: the value moves need their ids
        allocation.save()
    document.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=document.business_date
    )
    _revalue_stock(document, [a for a in allocations if a.to_stock])
    document.to_stock = sum((a.to_stock for a in allocations), ZERO)
    document.to_sold = sum((a.to_sold for a in allocations), ZERO)
    partner = document.supplier_id
    voucher = post_entries(
        organization=organization,
        date=document.business_date,
        entries=[
            Entry(LANDED, "matched", document.to_stock, partner_id=partner),
            Entry(LANDED, "landed_sold", document.to_sold, partner_id=partner),
            Entry(LANDED, "input_vat", vat, partner_id=partner),
        ],
        reference=f"{document.number} {document.invoice_number}".strip(),
        origin_type=LANDED,
        origin_id=document.pk,
        user=user,
    )
    document.open_item = book_item(
        organization=organization,
        kind=OpenItem.Kind.PAYABLE,
        partner=document.supplier,
        amount=document.gross_amount,
        currency=document.currency,
        rate=document.rate,
        date=document.business_date,
        due_date=document.due_date or _due(document),
        document_type=LANDED,
        document_id=document.pk,
        reference=document.number,
        summary=_("Landed cost %(number)s") % {"number": document.number},
        voucher=voucher,
    )
    if document.open_item.base_amount != gross:  # rounding of a foreign currency
        document.open_item.base_amount = document.open_item.open_base_amount = gross
        document.open_item.save(update_fields=["base_amount", "open_base_amount"])
    document.posted_at = timezone.now()
    document.save()
    return document


def _revalue_stock(document, allocations) -> None:
    """The stock's share goes into the value of the stock the receipt line brought in."""
    if not allocations:
        return
    supplier = ensure_virtual_locations(document.organization)["supplier"]
    post_moves(
        organization=document.organization,
        business_date=document.business_date,
        reference=document.number,
        moves=[
            MoveRequest(
                product=allocation.receipt_line.product,
                quantity=ZERO,
                from_location=supplier,
                to_location=allocation.receipt_line.location,
                value_only=True,
                value=allocation.to_stock,
                origin_type=LANDED_ALLOCATION,
                origin_id=allocation.pk,
            )
            for allocation in allocations
        ],
        savepoint=False,
        source=(LANDED, document.pk),
    )


@transaction.atomic
def cancel_landed_cost(*, document: LandedCost) -> LandedCost:
    document = LandedCost.objects.select_for_update().get(pk=document.pk)
    transition(document, S.CANCELLED, POSTED_TRANSITIONS)
    document.save(update_fields=["state"])
    return document
