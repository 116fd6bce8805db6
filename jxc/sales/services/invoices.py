"""Customer invoices (销售发票) from deliveries or, for prepaid sales, from confirmed orders
before delivery (:mod:`jxc.sales.services.prepaid`), and the red credit notes of returns.

Posting an invoice books, through the posting rules, Dr 1122 应收账款 / Cr 5001 主营业务收入 and
Cr the output VAT account (by default), and records the receivable as an open item of finance,
so receipts (收款单) settle it; deposits (订金) taken on its orders settle it at once. A credit note books the same events in red against 预收 (a credit
the customer holds) and is settled at once against what the invoices still have open: the
credit note of a return, or of a prepaid invoice whose goods will not be delivered
(:func:`credit_prepaid_invoice`, no goods move).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import TaxedAmount, document_tax, line_tax, money
from jxc.finance.models import OpenItem
from jxc.finance.services.posting import Entry, post_entries
from jxc.finance.services.receivables import allocate, book_item
from jxc.masterdata.selectors import base_currency, rate_on
from jxc.sales.models import CustomerInvoice, CustomerInvoiceLine, DeliveryLine
from jxc.sales.services import prepaid
from jxc.sales.services.common import (
    CREDIT_NOTE,
    INVOICE,
    MAX_LINES,
    positive,
    prorated,
    taxed_part,
)
from jxc.sales.services.deposits import apply_deposits
from jxc.sales.services.orders import due_date

TRANSITIONS = {S.DRAFT: {S.DONE, S.CANCELLED}}
ZERO = Decimal(0)
NOTHING = TaxedAmount(net=ZERO, tax=ZERO, gross=ZERO)
DOC_TYPE = "customer_invoice"
HEADER = ("business_date", "customer", "invoice_type", "invoice_number", "note")


def invoiceable(line: DeliveryLine) -> Decimal:
    """What of a delivery line is still to invoice: delivered, less returned, less invoiced
    (a credit note gives back what it credits)."""
    return line.quantity - line.returned_quantity - line.invoiced_quantity


def _build_line(invoice, index: int, data: dict) -> CustomerInvoiceLine:
    field = f"lines.{index}"
    if data.get("order_line") is not None and data.get("delivery_line") is None:
        return prepaid.build_order_line(invoice, index, data)
    line = data.get("delivery_line")
    if line is None:
        raise ValidationFailed(
            _("Choose the delivery line or, before delivery, the order line."),
            field=f"{field}.delivery_line",
        )
    delivery = line.delivery
    if delivery.organization_id != invoice.organization_id:
        raise ValidationFailed(_("Unknown delivery line."), field=f"{field}.delivery_line")
    if delivery.state != S.DONE or delivery.customer_id != invoice.customer_id:
        raise ValidationFailed(
            _("Invoice posted deliveries of this customer only."), field=f"{field}.delivery_line"
        )
    quantity = positive(data.get("quantity"), f"{field}.quantity")
    if quantity > invoiceable(line):
        raise ValidationFailed(
            _("Line %(n)d: %(asked)s is more than the %(open)s delivered and not invoiced.")
            % {
                "n": index + 1,
                "asked": quantity.normalize(),
                "open": invoiceable(line).normalize(),
            },  # fmt: skip
            field=f"{field}.quantity",
            code="over_invoiced",
        )
    return priced_line(invoice, index, line, quantity)


def priced_line(invoice, index, line: DeliveryLine, quantity) -> CustomerInvoiceLine:
    order_line = line.order_line
    amounts = taxed_part(order_line, quantity)
    basis = amounts.gross if order_line.tax_included else amounts.net
    return CustomerInvoiceLine(
        invoice=invoice,
        position=index,
        delivery_line=line,
        product_id=line.product_id,
        quantity=quantity,
        unit_price=(basis / quantity).quantize(Decimal("0.000001")),
        tax_percent=order_line.tax_percent,
        tax_included=order_line.tax_included,
        net_amount=amounts.net,
        tax_amount=amounts.tax,
        gross_amount=amounts.gross,
    )


def _lines_of_deliveries(organization, deliveries) -> list[dict]:
    lines = DeliveryLine.objects.filter(
        delivery__organization=organization, delivery__in=deliveries
    ).select_related("delivery", "order_line__order")
    return [
        {"delivery_line": line, "quantity": invoiceable(line)}
        for line in lines.order_by("delivery_id", "position", "pk")
        if invoiceable(line) > 0
    ]


def _order_line(line: CustomerInvoiceLine):
    return line.order_line if line.order_line_id else line.delivery_line.order_line


def _set_totals(invoice, built) -> None:
    totals = document_tax(
        [
            (TaxedAmount(net=x.net_amount, tax=x.tax_amount, gross=x.gross_amount), x.tax_percent)
            for x in built
        ]
    )
    invoice.net_amount, invoice.tax_amount, invoice.gross_amount = (
        totals.net,
        totals.tax,
        totals.gross,
    )


@transaction.atomic
def save_invoice(*, organization, user, data: dict, invoice=None) -> CustomerInvoice:
    """Create or update a draft invoice; ``lines`` (delivery line or, for prepaid sales, order
    line, and base quantity) replace its lines, or ``deliveries`` fills in all they have not
    invoiced yet, or ``orders`` all they have neither delivered nor invoiced ahead."""
    data = dict(data)
    lines, deliveries = data.pop("lines", None), data.pop("deliveries", None)
    orders = data.pop("orders", None)
    if invoice is not None:
        invoice = CustomerInvoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.state != S.DRAFT or invoice.kind != CustomerInvoice.Kind.INVOICE:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    invoice = invoice or CustomerInvoice(organization=organization, created_by=user)
    for name in HEADER:
        if name in data:
            setattr(invoice, name, data[name])
    if deliveries and lines is None:
        if invoice.customer_id is None:
            invoice.customer = deliveries[0].customer
        lines = _lines_of_deliveries(organization, deliveries)
    elif orders and lines is None:
        if invoice.customer_id is None:
            invoice.customer = orders[0].customer
        lines = prepaid.lines_of_orders(organization, orders)
    if invoice.customer.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown customer."), field="customer")
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    if lines is not None:
        built = [_build_line(invoice, i, line) for i, line in enumerate(lines)]
        currencies = {_order_line(x).order.currency_id for x in built}
        if len(currencies) > 1:
            raise ValidationFailed(
                _("An invoice is in one currency: these orders are in several."), field="lines"
            )
        if currencies:
            invoice.currency_id = currencies.pop()
        _set_totals(invoice, built)
    if invoice.currency_id is None:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    invoice.rate = rate_on(currency=invoice.currency, on_date=invoice.business_date)
    invoice.save()
    if lines is not None:
        invoice.lines.all().delete()
        for line in built:
            line.invoice = invoice
        CustomerInvoiceLine.objects.bulk_create(built)
    return invoice


def _book(invoice: CustomerInvoice, document_type: str, sign: int):
    """The voucher (revenue and output VAT against the receivable) and the open item."""
    gross_base = money(invoice.gross_amount * invoice.rate)
    net_base = money(invoice.net_amount * invoice.rate)
    red = sign < 0
    entries = [
        Entry(document_type=document_type, event=event, amount=sign * amount,
              partner_id=invoice.customer_id, red=red)
        for event, amount in (("revenue", net_base), ("output_vat", gross_base - net_base))
    ]  # fmt: skip
    voucher = post_entries(
        organization=invoice.organization, date=invoice.business_date, entries=entries,
        reference=invoice.number, origin_type=document_type, origin_id=invoice.pk,
    )  # fmt: skip
    item = book_item(
        organization=invoice.organization, kind=OpenItem.Kind.RECEIVABLE,
        partner=invoice.customer, amount=sign * invoice.gross_amount, currency=invoice.currency,
        rate=invoice.rate, date=invoice.business_date, due_date=invoice.due_date,
        document_type=document_type, document_id=invoice.pk, reference=invoice.number,
        voucher=voucher,
    )  # fmt: skip
    invoice.voucher, invoice.open_item = voucher, item


@transaction.atomic
def post_invoice(*, invoice: CustomerInvoice) -> CustomerInvoice:
    """Book the invoice: revenue, output VAT and the receivable, in one transaction."""
    invoice = (
        CustomerInvoice.objects.select_for_update(of=("self",))
        .select_related("customer", "currency", "organization")
        .get(pk=invoice.pk)
    )
    transition(invoice, S.DONE, TRANSITIONS)
    lines = list(invoice.lines.order_by("position", "pk"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    prepaid.book_prepaid(lines)
    locked = {
        row.pk: row
        for row in DeliveryLine.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted({x.delivery_line_id for x in lines if x.delivery_line_id}))
        .order_by("pk")
    }
    asked: dict[int, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(lines):
        if not line.delivery_line_id:
            continue
        delivery_line = locked[line.delivery_line_id]
        asked[delivery_line.pk] += line.quantity
        if asked[delivery_line.pk] > invoiceable(delivery_line):
            raise ValidationFailed(
                _("Line %(n)d: more than delivered and not yet invoiced.") % {"n": index + 1},
                field=f"lines.{index}.quantity",
                code="over_invoiced",
            )
    for pk, quantity in asked.items():
        locked[pk].invoiced_quantity += quantity
    DeliveryLine.objects.bulk_update(locked.values(), ["invoiced_quantity"])
    invoice.number = next_number(
        organization=invoice.organization, doc_type=DOC_TYPE, on_date=invoice.business_date
    )
    invoice.due_date = due_date(invoice.customer, invoice.business_date)
    _book(invoice, INVOICE, 1)
    invoice.posted_at = timezone.now()
    invoice.save()
    apply_deposits(invoice)
    return invoice


@transaction.atomic
def cancel_invoice(*, invoice: CustomerInvoice) -> CustomerInvoice:
    invoice = CustomerInvoice.objects.select_for_update().get(pk=invoice.pk)
    transition(invoice, S.CANCELLED, TRANSITIONS)
    invoice.save(update_fields=["state"])
    return invoice


def credit_returned(*, sales_return, credits: list[tuple[DeliveryLine, Decimal]], user=None):
    """The red credit note of returned goods that were invoiced (``credits``: delivery line and
    the quantity credited), posted in the return's transaction and settled against what the
    customer's invoices of those lines still have open."""
    organization = sales_return.organization
    first = credits[0][0]
    currency = first.order_line.order.currency
    note = CustomerInvoice(
        organization=organization, kind=CustomerInvoice.Kind.CREDIT_NOTE,
        business_date=sales_return.business_date, customer=sales_return.customer,
        currency=currency, rate=rate_on(currency=currency, on_date=sales_return.business_date),
        note=_("Credit for return %(number)s") % {"number": sales_return.number},
        created_by=user, state=S.DONE, posted_at=timezone.now(),
        due_date=sales_return.business_date,
    )  # fmt: skip
    built = [priced_line(note, i, line, quantity) for i, (line, quantity) in enumerate(credits)]
    _set_totals(note, built)
    note.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=note.business_date
    )
    ids = CustomerInvoiceLine.objects.filter(
        Q(delivery_line__in=[line for line, _q in credits])
        | Q(order_line__in=[line.order_line_id for line, _q in credits]),  # billed ahead
        invoice__kind=CustomerInvoice.Kind.INVOICE,
        invoice__state=S.DONE,
    ).values_list("invoice_id", flat=True)
    invoices = list(
        CustomerInvoice.objects.select_for_update().filter(pk__in=set(ids)).order_by("pk")
    )
    note.credit_of = invoices[0] if invoices else None
    note.save()
    for line in built:
        line.invoice = note
    CustomerInvoiceLine.objects.bulk_create(built)
    _book(note, CREDIT_NOTE, -1)
    note.save(update_fields=["voucher", "open_item"])
    _settle_against(note, invoices, user)
    return note


def _settle_against(note, invoices, user) -> None:
    """The credit note's open item settles what the invoices still have open, in their order;
    what is left stays a credit of the customer on 预收."""
    left = note.gross_amount
    for invoice in invoices:
        owed = OpenItem.objects.get(pk=invoice.open_item_id)
        amount = min(left, owed.open_amount)
        if amount > 0:
            allocate(organization=note.organization, owed=owed, paid=note.open_item,
                     amount=amount, date=note.business_date, user=user)  # fmt: skip
            left -= amount


def _credited_amounts(lines) -> dict[int, TaxedAmount]:
    sums = (
        CustomerInvoiceLine.objects.filter(
            credited_line__in=[line.pk for line in lines],
            invoice__kind=CustomerInvoice.Kind.CREDIT_NOTE,
            invoice__state=S.DONE,
        )
        .values("credited_line")
        .annotate(q=Sum("quantity"), net=Sum("net_amount"), tax=Sum("tax_amount"),
                  gross=Sum("gross_amount"))
    )  # fmt: skip
    return {
        row["credited_line"]: (row["q"], TaxedAmount(net=row["net"], tax=row["tax"],
                                                     gross=row["gross"]))
        for row in sums
    }  # fmt: skip


def _credit_line(note, index, line: CustomerInvoiceLine, quantity, before) -> CustomerInvoiceLine:
    """A red line for ``quantity`` of a prepaid invoice line, at its prices: the rest of its
    amounts when it credits all that is left of it (so its credits add up to it exactly), else
    its amount prorated and taxed again."""
    done, credited = before.get(line.pk, (ZERO, NOTHING))
    if quantity == line.quantity - done:
        amounts = TaxedAmount(
            net=line.net_amount - credited.net,
            tax=line.tax_amount - credited.tax,
            gross=line.gross_amount - credited.gross,
        )
    else:
        basis = line.gross_amount if line.tax_included else line.net_amount
        amounts = line_tax(prorated(basis, quantity, line.quantity), line.tax_percent,
                           inclusive=line.tax_included)  # fmt: skip
    return CustomerInvoiceLine(
        invoice=note, position=index, order_line_id=line.order_line_id, credited_line=line,
        product_id=line.product_id, quantity=quantity, unit_price=line.unit_price,
        tax_percent=line.tax_percent, tax_included=line.tax_included,
        net_amount=amounts.net, tax_amount=amounts.tax, gross_amount=amounts.gross,
    )  # fmt: skip


@transaction.atomic
def credit_prepaid_invoice(
    *, invoice: CustomerInvoice, lines=None, business_date=None, note: str = "", user=None
) -> CustomerInvoice:
    """红字发票 of an invoice billed from orders before delivery, for goods that will not be
    delivered (no return: nothing moves). ``lines`` (``invoice_line``, ``quantity``), or all
    the invoice still has billed ahead. The credited quantities come off the order lines'
    ``prepaid_quantity`` (so they can be delivered and invoiced again, or closed); the credit
    note reverses the receivable, revenue and output VAT and settles what the invoice still
    has open. One transaction; bad input names the line and field and writes nothing."""
    invoice = (
        CustomerInvoice.objects.select_for_update(of=("self",))
        .select_related("customer", "currency", "organization")
        .get(pk=invoice.pk)
    )
    if invoice.kind != CustomerInvoice.Kind.INVOICE or invoice.state != S.DONE:
        raise ValidationFailed(_("Only a posted invoice can be credited."), field="state")
    business_date = business_date or timezone.localdate()
    if business_date < invoice.business_date:
        raise ValidationFailed(
            _("A credit note cannot be dated before its invoice."), field="business_date"
        )
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    if lines is not None and not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    credits = prepaid.check_credits(invoice, lines)
    before = _credited_amounts([line for line, _q in credits])
    currency = invoice.currency
    credit = CustomerInvoice(
        organization=invoice.organization, kind=CustomerInvoice.Kind.CREDIT_NOTE,
        invoice_type=invoice.invoice_type, business_date=business_date,
        customer=invoice.customer, currency=currency,
        rate=rate_on(currency=currency, on_date=business_date),
        note=note or _("Credit of prepaid invoice %(number)s") % {"number": invoice.number},
        created_by=user, state=S.DONE, posted_at=timezone.now(), due_date=business_date,
        credit_of=invoice,
    )  # fmt: skip
    built = []
    for index, (line, quantity) in enumerate(credits):
        red = _credit_line(credit, index, line, quantity, before)
        built.append(red)
        done, amounts = before.get(line.pk, (ZERO, NOTHING))
        before[line.pk] = (done + quantity, TaxedAmount(net=amounts.net + red.net_amount,
                                                         tax=amounts.tax + red.tax_amount,
                                                         gross=amounts.gross + red.gross_amount))  # fmt: skip
    _set_totals(credit, built)
    credit.number = next_number(
        organization=invoice.organization, doc_type=DOC_TYPE, on_date=business_date
    )
    credit.save()
    for line in built:
        line.invoice = credit
    CustomerInvoiceLine.objects.bulk_create(built)
    _book(credit, CREDIT_NOTE, -1)
    credit.save(update_fields=["voucher", "open_item"])
    _settle_against(credit, [invoice], user)
    return credit


def credit_free_return(*, sales_return, lines, user=None) -> CustomerInvoice:
    """The red credit note of a free-standing return's priced lines (price tax included, per
    base unit), in the base currency, posted in the return's transaction. No invoice is known:
    the credit stays open on 预收 for the customer (refunded or used on the payments page)."""
    organization = sales_return.organization
    currency = base_currency(organization)
    note = CustomerInvoice(
        organization=organization, kind=CustomerInvoice.Kind.CREDIT_NOTE,
        business_date=sales_return.business_date, customer=sales_return.customer,
        currency=currency, rate=Decimal(1),
        note=_("Credit for return %(number)s") % {"number": sales_return.number},
        created_by=user, state=S.DONE, posted_at=timezone.now(),
        due_date=sales_return.business_date,
    )  # fmt: skip
    built = []
    for index, line in enumerate(lines):
        amounts = line_tax(money(line.unit_price * line.quantity), line.tax_percent, inclusive=True)
        built.append(
            CustomerInvoiceLine(
                position=index, product_id=line.product_id, quantity=line.quantity,
                unit_price=line.unit_price, tax_percent=line.tax_percent, tax_included=True,
                net_amount=amounts.net, tax_amount=amounts.tax, gross_amount=amounts.gross,
            )
        )  # fmt: skip
    _set_totals(note, built)
    note.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=note.business_date
    )
    note.save()
    for line in built:
        line.invoice = note
    CustomerInvoiceLine.objects.bulk_create(built)
    _book(note, CREDIT_NOTE, -1)
    note.save(update_fields=["voucher", "open_item"])
    return note
