"""Supplier invoices (采购发票): entered by hand or from receipts. A line of goods is matched
to a receipt line (order → receipt → invoice), for at most what was received and not yet
invoiced or returned; an expense line (费用行: freight, processing, repairs, rent, services —
never received into stock) names an active expense or cost account of the chart and a
description instead. An invoice may have expense lines only. The supplier's invoice number is
unique per supplier.

Posting (three-way match: the order's price is what the receipt booked; the invoice's is what
is owed):

- the 暂估 of the matched quantity is reversed: Dr 220202 (the receipt's value);
- the cost on the invoice (net, plus the VAT when the invoice type does not allow deducting
  it) less the receipt's value is the purchase price variance. It is split by quantity: the
  share of the invoiced quantity still on hand (the product's on-hand quantity, capped at the
  invoiced quantity — a simple, explainable proxy for "still in stock": what was received and
  is not in stock any more was sold or used) goes into the stock's value, as a value-only move
  through inventory (Dr 1405 / Cr 220202, so the inventory account keeps equal to the
  valuation); the rest is cost of goods already sold (Dr 5401);
- an expense line: Dr its account (net, plus the VAT when it is not deductible), with the
  line's description as the summary and its department and project where the account takes
  them; expense lines are never beyond a tolerance (there is no order to compare with);
- deductible input VAT: Dr 22210101 (专票, 数电专票 only; see ``finance.domain.tax``);
- the whole invoice: Cr 2202 应付账款, with the AP open item payments allocate against.

Beyond the supplier's price or quantity tolerance (``invoice_tolerances``) posting submits the
invoice to workflow (``supplier_invoice``) instead: state ``submitted``, nothing booked; the
approval posts it (the tolerances are not asked again), a rejection or withdrawal returns it
to draft. Without an approval rule nobody could approve, so it is refused, naming the line.

A posted invoice is never edited nor cancelled: it is reversed in red (红冲,
``invoice_reversals``) while nothing is paid, offset or requested against it.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import deductible, line_tax, money
from jxc.finance.models import Account, OpenItem
from jxc.finance.services.posting import Entry, post_entries
from jxc.finance.services.receivables import book_item
from jxc.inventory.selectors import on_hand
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.purchasing.models import GoodsReceiptLine, PurchaseOrderLine, SupplierInvoice
from jxc.purchasing.models import SupplierInvoiceLine as Line
from jxc.purchasing.services.accounting import INVOICE, INVOICE_LINE
from jxc.purchasing.services.common import (
    ZERO,
    check_lines_count,
    check_quantity,
    check_supplier,
    currency_and_rate,
    plain,
)
from jxc.purchasing.services.invoice_tolerances import lines_beyond_tolerance
from jxc.purchasing.states import INVOICE_TRANSITIONS
from jxc.workflow.errors import AwaitingApproval
from jxc.workflow.registry import DocumentRef
from jxc.workflow.services.approvals import submit_for_approval

DOC_TYPE = "supplier_invoice"
PRICE = Decimal("0.000001")
DEDUCTIBLE_TYPES = {"special", "e_special"}
MAX_LINE_AMOUNT = Decimal(10) ** 13  # an amount column holds 16 digits before the point


def is_deductible(invoice_type: str) -> bool:
    return deductible("special" if invoice_type in DEDUCTIBLE_TYPES else invoice_type)


def uninvoiced(line: GoodsReceiptLine) -> Decimal:
    """Received, and neither invoiced nor returned yet (base unit)."""
    returned_before_invoicing = line.returned_quantity - line.returned_invoiced
    return line.base_quantity - line.invoiced_quantity - returned_before_invoicing


def _check_receipt_line(invoice, index, receipt_line) -> None:
    field = f"lines.{index}.receipt_line"
    receipt = receipt_line.receipt
    if receipt.organization_id != invoice.organization_id:
        raise ValidationFailed(_("Unknown receipt line."), field=field)
    if receipt.state != S.DONE:
        raise ValidationFailed(
            _("Receipt %(number)s is not posted.") % {"number": str(receipt)}, field=field
        )
    if receipt.supplier_id != invoice.supplier_id:
        raise ValidationFailed(
            _("Receipt %(number)s is from another supplier.") % {"number": receipt.number},
            field=field,
        )
    if receipt.currency_id != invoice.currency_id:
        raise ValidationFailed(
            _("Receipt %(number)s is in another currency than the invoice.")
            % {"number": receipt.number},
            field=field,
        )


def _check_quantities(lines, fresh: dict[int, GoodsReceiptLine] | None = None) -> None:
    """No receipt line is invoiced for more than was received and not yet invoiced or
    returned; the line that goes beyond is named. Expense lines bill no receipt."""
    taken: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(lines):
        if line.receipt_line_id is None:
            continue
        receipt_line = (fresh or {}).get(line.receipt_line_id, line.receipt_line)
        taken[receipt_line.pk] += line.quantity
        left = uninvoiced(receipt_line)
        if taken[receipt_line.pk] > left:
            raise ValidationFailed(
                _(
                    "Line %(line)d: invoiced for more than was received: %(left)s of the "
                    "receipt line are left to invoice."
                )
                % {"line": index + 1, "left": plain(max(left, ZERO))},
                field=f"lines.{index}.quantity",
                code="over_invoice",
            )


def _build_line(invoice, index: int, data: dict) -> Line:
    """A line of goods (``receipt_line``) or an expense line (``account``), never both."""
    prefix = f"lines.{index}"
    receipt_line, account = data.get("receipt_line"), data.get("account")
    if receipt_line is not None and account is not None:
        raise ValidationFailed(
            _("A line bills either a receipt line or an expense account, not both."),
            field=f"{prefix}.account",
            code="receipt_or_account",
        )
    if receipt_line is None and account is None:
        raise ValidationFailed(
            _("Choose the receipt line, or the expense account of an expense line."),
            field=f"{prefix}.receipt_line",
            code="receipt_or_account",
        )
    if account is not None:
        line = _expense_line(invoice, index, data, account)
        price, percent = data.get("unit_price"), data.get("tax_percent")
    else:
        receipt_line = GoodsReceiptLine.objects.select_related("receipt").get(pk=receipt_line.pk)
        _check_receipt_line(invoice, index, receipt_line)
        line = Line(receipt_line=receipt_line, product_id=receipt_line.product_id)
        check_quantity(data.get("quantity"), f"{prefix}.quantity")
        line.quantity = data["quantity"]
        price = data.get("unit_price")
        price = receipt_line.unit_price if price is None else price
        percent = data.get("tax_percent")
        percent = receipt_line.tax_percent if percent is None else percent
    if price < 0:
        raise ValidationFailed(
            _("The unit price cannot be negative."), field=f"{prefix}.unit_price"
        )
    if percent < 0 or percent > 100:
        raise ValidationFailed(
            _("A VAT rate is between 0 and 100 %."), field=f"{prefix}.tax_percent"
        )
    quantity = line.quantity
    if abs(price * quantity) >= MAX_LINE_AMOUNT:
        raise ValidationFailed(
            _("The line's amount is too large."), field=f"{prefix}.unit_price", code="too_large"
        )
    inclusive = bool(data.get("tax_inclusive", False))
    taxed = line_tax(price * quantity, percent, inclusive=inclusive)
    line.invoice = invoice
    line.position = index
    _set_amounts(line, price, percent, inclusive, taxed)
    return line


def _set_amounts(line, price, percent, inclusive, taxed) -> None:
    line.unit_price = price.quantize(PRICE, ROUND_HALF_UP)
    line.tax_percent = percent
    line.tax_inclusive = inclusive
    line.net_amount = taxed.net
    line.tax_amount = taxed.tax
    line.gross_amount = taxed.gross


def is_expense_account(account) -> bool:
    """An account an expense line may book: a cost account (生产成本, 制造费用 …) or an
    expense of profit and loss (费用, 成本: debit balance)."""
    return account.type == Account.Type.COST or (
        account.type == Account.Type.PROFIT_LOSS and account.direction == Account.Direction.DEBIT
    )


def _check_expense_account(invoice, index: int, account) -> None:
    field = f"lines.{index}.account"
    if account.organization_id != invoice.organization_id:
        raise ValidationFailed(_("Unknown account."), field=field)
    if not account.is_active:
        raise ValidationFailed(
            _("Account %(code)s is inactive.") % {"code": account.code}, field=field
        )
    if not account.is_leaf:
        raise ValidationFailed(
            _("Book to a sub-account of %(code)s.") % {"code": account.code}, field=field
        )
    if not is_expense_account(account):
        raise ValidationFailed(
            _("%(account)s is not an expense or cost account.") % {"account": str(account)},
            field=field,
            code="not_expense_account",
        )


def _expense_line(invoice, index: int, data: dict, account) -> Line:
    """An expense line (费用行): freight, a processing fee, rent … booked to ``account``."""
    prefix = f"lines.{index}"
    _check_expense_account(invoice, index, account)
    description = (data.get("description") or "").strip()
    if not description:
        raise ValidationFailed(
            _("Describe what the expense is for."), field=f"{prefix}.description"
        )
    if len(description) > 200:
        raise ValidationFailed(
            _("At most %(n)d characters.") % {"n": 200}, field=f"{prefix}.description"
        )
    quantity = data.get("quantity")
    quantity = Decimal(1) if quantity is None else quantity
    check_quantity(quantity, f"{prefix}.quantity")
    if data.get("unit_price") is None:
        raise ValidationFailed(_("Enter the unit price."), field=f"{prefix}.unit_price")
    if data.get("tax_percent") is None:
        raise ValidationFailed(_("Enter the VAT rate."), field=f"{prefix}.tax_percent")
    analytic = {}
    for name in ("department", "project"):
        value = (data.get(name) or "").strip()
        mode = account.dimensions.get(name)
        if value and mode is None:
            raise ValidationFailed(
                _("Account %(code)s takes no such dimension.") % {"code": account.code},
                field=f"{prefix}.{name}",
            )
        if mode == "required" and not value:
            raise ValidationFailed(
                _("Account %(code)s needs this dimension.") % {"code": account.code},
                field=f"{prefix}.{name}",
            )
        if len(value) > 64:
            raise ValidationFailed(
                _("At most %(n)d characters.") % {"n": 64}, field=f"{prefix}.{name}"
            )
        analytic[name] = value
    return Line(account=account, description=description, quantity=quantity, **analytic)


def _check_number(invoice) -> None:
    number = (invoice.invoice_number or "").strip()
    if not number:
        raise ValidationFailed(_("Enter the supplier's invoice number."), field="invoice_number")
    invoice.invoice_number = number
    clash = SupplierInvoice.objects.filter(
        organization_id=invoice.organization_id,
        supplier_id=invoice.supplier_id,
        invoice_number=number,
    ).exclude(state__in=[S.CANCELLED, S.REVERSED])
    if invoice.pk:
        clash = clash.exclude(pk=invoice.pk)
    if clash.exists():
        raise ValidationFailed(
            _("Invoice %(number)s of this supplier has already been entered.") % {"number": number},
            field="invoice_number",
            code="duplicate_invoice",
        )


HEADER_FIELDS = (
    "business_date", "supplier", "currency", "invoice_type", "invoice_number", "due_date", "note",
)  # fmt: skip


@transaction.atomic
def save_supplier_invoice(*, organization, user, data: dict, invoice=None) -> SupplierInvoice:
    """Create or update a draft invoice; ``lines`` replace its lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    if invoice is not None:
        invoice = SupplierInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    invoice = invoice or SupplierInvoice(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(invoice, field, data[field])
    if invoice.business_date is None:
        invoice.business_date = timezone.localdate()
    check_supplier(organization, invoice.supplier if invoice.supplier_id else None)
    if invoice.invoice_type not in SupplierInvoice.InvoiceType.values:
        raise ValidationFailed(_("Unknown invoice type."), field="invoice_type")
    if not invoice.currency_id:
        invoice.currency = invoice.supplier.currency
    invoice.currency, invoice.rate = currency_and_rate(
        organization, invoice.currency if invoice.currency_id else None, invoice.business_date
    )
    _check_number(invoice)
    check_lines_count(lines)
    built = None
    if lines is not None:
        built = [_build_line(invoice, i, line) for i, line in enumerate(lines)]
        _check_quantities(built)
        invoice.net_amount = sum((line.net_amount for line in built), ZERO)
        invoice.tax_amount = sum((line.tax_amount for line in built), ZERO)
        invoice.gross_amount = sum((line.gross_amount for line in built), ZERO)
    invoice.save()
    if built is not None:
        invoice.lines.all().delete()
        for line in built:
            line.invoice = invoice
        Line.objects.bulk_create(built)
    return invoice


@transaction.atomic
def invoice_from_receipts(*, organization, user, receipts: list, data: dict) -> SupplierInvoice:
    """选单开票: a draft invoice of everything not yet invoiced on the receipts, at the
    receipts' prices (tax-exclusive, at the order's rate); the clerk then enters what the
    supplier's invoice says."""
    if not receipts:
        raise ValidationFailed(_("Choose at least one receipt."), field="receipts")
    first = receipts[0]
    for receipt in receipts:
        if receipt.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown receipt."), field="receipts")
        if receipt.supplier_id != first.supplier_id:
            raise ValidationFailed(_("The receipts must be from one supplier."), field="receipts")
    lines = [
        {"receipt_line": line, "quantity": uninvoiced(line)}
        for receipt in receipts
        for line in receipt.lines.select_related("receipt")
        if uninvoiced(line) > 0
    ]
    if not lines:
        raise ValidationFailed(_("Everything on these receipts is invoiced."), field="receipts")
    header = {"supplier": first.supplier, "currency": first.currency, **data, "lines": lines}
    return save_supplier_invoice(organization=organization, user=user, data=header)


def estimate_of(receipt_line: GoodsReceiptLine, quantity: Decimal) -> Decimal:
    """The part of the receipt line's 暂估 that ``quantity`` takes off: in proportion, and the
    rest when it is the last of the line, so no cent stays on 220202."""
    if quantity == uninvoiced(receipt_line):
        return receipt_line.value - receipt_line.estimate_cleared
    return money(receipt_line.value * quantity / receipt_line.base_quantity)


def _lock_receipt_lines(lines) -> dict[int, GoodsReceiptLine]:
    ids = sorted({line.receipt_line_id for line in lines})
    return {
        line.pk: line
        for line in GoodsReceiptLine.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .select_related("location", "product__base_unit", "order_line")
    }


def _still_on_hand(lines, fresh) -> dict[int, Decimal]:
    """How much of each line's quantity is taken as still in stock: the product's on-hand
    quantity, shared out over the invoice's lines of the product, the latest receipts first
    (what was sold is taken to be what came in first)."""
    left: dict[int, Decimal] = {}
    found = {}
    ordered = sorted(
        lines,
        key=lambda line: (fresh[line.receipt_line_id].receipt_id, line.receipt_line_id),
        reverse=True,
    )
    for line in ordered:
        product_id = fresh[line.receipt_line_id].product_id
        if product_id not in left:
            left[product_id] = max(on_hand(product_id=product_id), ZERO)
        found[line.pk] = min(left[product_id], line.quantity)
        left[product_id] -= found[line.pk]
    return found


@transaction.atomic
def post_supplier_invoice(
    *, invoice: SupplierInvoice, user=None, approved: bool = False
) -> SupplierInvoice:
    """Post a draft, all or nothing; beyond a tolerance it is submitted to workflow instead
    (state ``submitted``). ``approved``: workflow approved it, the tolerances are not asked."""
    invoice = (
        SupplierInvoice.objects.select_for_update(of=("self",))
        .select_related("organization", "supplier", "currency")
        .get(pk=invoice.pk)
    )
    if invoice.state == S.SUBMITTED and not approved:
        raise AwaitingApproval(field="state")
    transition(invoice, S.DONE, INVOICE_TRANSITIONS)
    lines = list(invoice.lines.select_related("account"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    _check_number(invoice)
    for index, line in enumerate(lines):
        if line.account_id is not None:  # the chart may have changed since the draft
            _check_expense_account(invoice, index, line.account)
    goods = [line for line in lines if line.receipt_line_id is not None]
    organization = invoice.organization
    fresh = _lock_receipt_lines(goods)
    _check_quantities(goods, fresh)
    if not approved and (beyond := lines_beyond_tolerance(invoice, lines, fresh, lock=True)):
        return _submit_beyond_tolerance(invoice, beyond, user)
    keep_tax = is_deductible(invoice.invoice_type)
    payable_base = ZERO
    matched = sold = vat = ZERO
    value_moves = []
    expenses = _expense_entries(invoice, lines, keep_tax)
    for line in lines:
        if line.account_id is not None:
            payable_base += money(line.gross_amount * invoice.rate)
            vat += line.base_tax
    still = _still_on_hand(goods, fresh)
    for line in goods:
        receipt_line = fresh[line.receipt_line_id]
        gross = money(line.gross_amount * invoice.rate)
        net = money(line.net_amount * invoice.rate)
        line.base_tax = gross - net if keep_tax else ZERO
        line.base_cost = gross - line.base_tax
        line.receipt_value = estimate_of(receipt_line, line.quantity)
        line.variance = line.base_cost - line.receipt_value
        line.variance_to_stock = money(line.variance * still[line.pk] / line.quantity)
        line.stock_quantity = still[line.pk]
        payable_base += gross
        matched += line.receipt_value + line.variance_to_stock
        sold += line.variance - line.variance_to_stock
        vat += line.base_tax
        receipt_line.invoiced_quantity += line.quantity
        receipt_line.estimate_cleared += line.receipt_value
        if line.variance_to_stock:
            value_moves.append((line, receipt_line))
    # the order lines are locked before any stock row (as receipts lock them): no lock cycle
    _update_order_lines(fresh, goods)
    invoice.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=invoice.business_date
    )
    if value_moves:  # the stock's share of the variance changes the value of the stock
        revalue_invoiced_stock(
            invoice,
            invoice.business_date,
            [(line, receipt_line, line.variance_to_stock) for line, receipt_line in value_moves],
        )
    partner = invoice.supplier_id
    summary = _("Invoice %(number)s") % {"number": invoice.invoice_number}
    voucher = post_entries(
        organization=organization,
        date=invoice.business_date,
        entries=[
            Entry(INVOICE, "matched", matched, partner_id=partner),
            Entry(INVOICE, "variance_sold", sold, partner_id=partner),
            Entry(INVOICE, "input_vat", vat, partner_id=partner),
            *expenses,
        ],
        reference=f"{invoice.number} {invoice.invoice_number}",
        origin_type=INVOICE,
        origin_id=invoice.pk,
        user=user,
    )
    invoice.variance = sum((line.variance for line in lines), ZERO)
    invoice.open_item = book_item(
        organization=organization,
        kind=OpenItem.Kind.PAYABLE,
        partner=invoice.supplier,
        amount=invoice.gross_amount,
        currency=invoice.currency,
        rate=invoice.rate,
        date=invoice.business_date,
        due_date=invoice.due_date or _due(invoice),
        document_type=INVOICE,
        document_id=invoice.pk,
        reference=invoice.number,
        summary=summary,
        voucher=voucher,
    )
    if invoice.open_item.base_amount != payable_base:  # rounding of a foreign currency
        invoice.open_item.base_amount = invoice.open_item.open_base_amount = payable_base
        invoice.open_item.save(update_fields=["base_amount", "open_base_amount"])
    Line.objects.bulk_update(
        lines,
        [
            "receipt_value",
            "variance",
            "variance_to_stock",
            "stock_quantity",
            "base_cost",
            "base_tax",
        ],
    )
    GoodsReceiptLine.objects.bulk_update(
        list(fresh.values()), ["invoiced_quantity", "estimate_cleared"]
    )
    invoice.posted_at = timezone.now()
    invoice.save()
    return invoice


def _expense_entries(invoice, lines, keep_tax: bool) -> list[Entry]:
    """Each expense line's cost (net, plus the VAT when it is not deductible) to its account,
    Cr 应付账款; sets the lines' ``base_cost`` and ``base_tax`` (the deductible VAT, which
    books with the invoice's ``input_vat``)."""
    entries = []
    for line in lines:
        if line.account_id is None:
            continue
        gross = money(line.gross_amount * invoice.rate)
        net = money(line.net_amount * invoice.rate)
        line.base_tax = gross - net if keep_tax else ZERO
        line.base_cost = gross - line.base_tax
        entries.append(
            Entry(
                INVOICE,
                "expense",
                line.base_cost,
                partner_id=invoice.supplier_id,
                summary=line.description,
                debit_account=line.account,
                department=line.department,
                project=line.project,
            )
        )
    return entries


def _submit_beyond_tolerance(invoice, beyond, user) -> SupplierInvoice:
    """The invoice goes to workflow instead of posting; without a rule nobody could approve
    it, so it is refused, naming the first line and field beyond a tolerance."""
    from jxc.purchasing.selectors import supplier_invoice_facts

    invoice.state = S.SUBMITTED
    invoice.save(update_fields=["state"])
    submission = submit_for_approval(
        organization=invoice.organization,
        document=DocumentRef(DOC_TYPE, invoice.pk),
        submitter=user,
        facts=supplier_invoice_facts(invoice),
    )
    if submission.approved:
        first = beyond[0]
        raise ValidationFailed(
            _(
                "%(reason)s This needs approval, but no approval rule for supplier invoices "
                "applies: an administrator must add one."
            )
            % {"reason": first.message},
            field=first.field,
            code="beyond_tolerance",
        )
    return invoice


def mark_invoice_approved(invoice: SupplierInvoice) -> SupplierInvoice:
    """Workflow approved the invoice beyond its tolerance: it posts now."""
    return post_supplier_invoice(invoice=invoice, approved=True)


def return_invoice_to_draft(invoice: SupplierInvoice) -> None:
    """Rejected or withdrawn: the invoice can be corrected and posted again."""
    invoice = SupplierInvoice.objects.select_for_update().get(pk=invoice.pk)
    transition(invoice, S.DRAFT, INVOICE_TRANSITIONS)
    invoice.save(update_fields=["state"])


def _due(invoice) -> datetime.date:
    return invoice.business_date + datetime.timedelta(days=invoice.supplier.payment_days or 0)


def _update_order_lines(fresh, lines) -> None:
    by_order_line: dict[int, Decimal] = defaultdict(Decimal)
    for line in lines:
        order_line_id = fresh[line.receipt_line_id].order_line_id
        if order_line_id:
            by_order_line[order_line_id] += line.quantity
    if not by_order_line:
        return
    order_lines = list(
        PurchaseOrderLine.objects.select_for_update()
        .filter(pk__in=sorted(by_order_line))
        .order_by("pk")
    )
    for order_line in order_lines:
        order_line.invoiced_quantity += by_order_line[order_line.pk]
    PurchaseOrderLine.objects.bulk_update(order_lines, ["invoiced_quantity"])


@transaction.atomic
def cancel_supplier_invoice(*, invoice: SupplierInvoice) -> SupplierInvoice:
    invoice = SupplierInvoice.objects.select_for_update().get(pk=invoice.pk)
    transition(invoice, S.CANCELLED, INVOICE_TRANSITIONS)
    invoice.save(update_fields=["state"])
    return invoice


def revalue_invoiced_stock(invoice, business_date, changes) -> None:
    """Value-only moves for the invoice's lines: ``changes`` are (invoice line, its receipt
    line, value), each changing the value of the goods still where the receipt put them (the
    variance posting puts on stock, or a reversal takes off)."""
    supplier = ensure_virtual_locations(invoice.organization)["supplier"]
    post_moves(
        organization=invoice.organization,
        business_date=business_date,
        reference=invoice.number,
        moves=[
            MoveRequest(
                product=receipt_line.product,
                quantity=ZERO,
                from_location=supplier,
                to_location=receipt_line.location,
                value_only=True,
                value=value,
                origin_type=INVOICE_LINE,
                origin_id=line.pk,
            )
            for line, receipt_line, value in changes
        ],
        savepoint=False,
        source=(INVOICE, invoice.pk),
    )
