"""Requests for quotation (询价单) and supplier quotes (报价): ask several suppliers the price of
the same products, record what each answers per line (price, quantity breaks, lead time,
validity), compare side by side (``selectors_quotes.comparison``), choose one quote per line
and make the draft purchase orders from the choices, one per supplier and currency.

An accepted quote can be written back to the supplier's purchase price list, and it prices
later order lines of that supplier and product while it is valid (``accepted_quote_price``).

The number is taken from the ``rfq`` series (XJ…) when the request is sent."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.masterdata.services.prices import set_supplier_prices
from jxc.purchasing.models import (
    PurchaseOrder,
    RequestForQuotation,
    RequestForQuotationLine,
    SupplierQuote,
)
from jxc.purchasing.services.common import (
    base_quantity,
    check_lines_count,
    check_quantity,
    check_supplier,
    currency_and_rate,
)
from jxc.purchasing.services.orders import save_purchase_order
from jxc.purchasing.services.suggestions import _renamed
from jxc.purchasing.states import RFQ_TRANSITIONS

DOC_TYPE = "rfq"
HEADER_FIELDS = ("business_date", "warehouse", "needed_by", "reply_by", "note")
MAX_SUPPLIERS = 50
MAX_BREAKS = 20
MAX_LEAD_DAYS = 3650
PRICE_PLACES = Decimal("0.000001")


def _locked(rfq: RequestForQuotation) -> RequestForQuotation:
    return RequestForQuotation.objects.select_for_update().get(pk=rfq.pk)


def _build_line(rfq: RequestForQuotation, index: int, data: dict) -> RequestForQuotationLine:
    prefix = f"lines.{index}"
    product = data.get("product")
    if product is None or product.organization_id != rfq.organization_id:
        raise ValidationFailed(_("Unknown product."), field=f"{prefix}.product")
    if not product.is_active:
        raise ValidationFailed(
            _("The product %(product)s is inactive.") % {"product": product.name},
            field=f"{prefix}.product",
        )
    unit = data.get("unit") or product.base_unit
    quantity = data.get("quantity")
    check_quantity(quantity, f"{prefix}.quantity")
    return RequestForQuotationLine(
        rfq=rfq,
        position=index,
        product=product,
        unit=unit,
        quantity=quantity,
        base_quantity=base_quantity(product, unit, quantity, f"{prefix}.unit"),
        note=data.get("note", ""),
    )


def _check_suppliers(organization, suppliers) -> list:
    if len(suppliers) > MAX_SUPPLIERS:
        raise ValidationFailed(
            _("At most %(n)d suppliers.") % {"n": MAX_SUPPLIERS}, field="suppliers"
        )
    seen = set()
    for index, supplier in enumerate(suppliers):
        check_supplier(organization, supplier, field=f"suppliers.{index}")
        if supplier.pk in seen:
            raise ValidationFailed(_("The supplier is listed twice."), field=f"suppliers.{index}")
        seen.add(supplier.pk)
    return suppliers


@transaction.atomic
def save_rfq(*, organization, user, data: dict, rfq=None) -> RequestForQuotation:
    """Create or update a draft request for quotation; ``lines`` and ``suppliers`` replace
    the request's."""
    data = dict(data)
    lines, suppliers = data.pop("lines", None), data.pop("suppliers", None)
    if rfq is not None:
        rfq = _locked(rfq)
        if rfq.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    rfq = rfq or RequestForQuotation(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(rfq, field, data[field])
    if rfq.business_date is None:
        rfq.business_date = timezone.localdate()
    if not rfq.warehouse_id:
        raise ValidationFailed(_("Choose the warehouse."), field="warehouse")
    if rfq.warehouse.organization_id != organization.pk or not rfq.warehouse.is_active:
        raise ValidationFailed(_("Unknown warehouse."), field="warehouse")
    if rfq.needed_by and rfq.needed_by < rfq.business_date:
        raise ValidationFailed(
            _("The date needed cannot be before the request's date."), field="needed_by"
        )
    if rfq.reply_by and rfq.reply_by < rfq.business_date:
        raise ValidationFailed(
            _("The reply date cannot be before the request's date."), field="reply_by"
        )
    if suppliers is not None:
        _check_suppliers(organization, suppliers)
    check_lines_count(lines)
    built = [_build_line(rfq, i, line) for i, line in enumerate(lines or [])]
    rfq.save()
    if suppliers is not None:
        rfq.suppliers.set(suppliers)
    if lines is not None:
        rfq.lines.all().delete()
        RequestForQuotationLine.objects.bulk_create(built)
    return rfq


@transaction.atomic
def send_rfq(*, rfq: RequestForQuotation) -> RequestForQuotation:
    """发出询价: the lines and suppliers are fixed; quotes can be recorded."""
    rfq = _locked(rfq)
    transition(rfq, S.SUBMITTED, RFQ_TRANSITIONS)
    if not rfq.lines.exists():
        raise ValidationFailed(_("Add at least one line."), field="lines")
    if not rfq.suppliers.exists():
        raise ValidationFailed(_("Choose the suppliers to ask."), field="suppliers")
    if not rfq.number:
        rfq.number = next_number(
            organization=rfq.organization, doc_type=DOC_TYPE, on_date=rfq.business_date
        )
    rfq.save(update_fields=["state", "number"])
    return rfq


@transaction.atomic
def cancel_rfq(*, rfq: RequestForQuotation) -> RequestForQuotation:
    rfq = _locked(rfq)
    transition(rfq, S.CANCELLED, RFQ_TRANSITIONS)
    rfq.save(update_fields=["state"])
    return rfq


@transaction.atomic
def close_rfq(*, rfq: RequestForQuotation) -> RequestForQuotation:
    """关闭: no order is made from it."""
    rfq = _locked(rfq)
    transition(rfq, S.CLOSED, RFQ_TRANSITIONS)
    rfq.closed_at = timezone.now()
    rfq.save(update_fields=["state", "closed_at"])
    return rfq


def _price(value, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationFailed(_("Enter a unit price."), field=field)
    if value < 0:
        raise ValidationFailed(_("The unit price cannot be negative."), field=field)
    return value.quantize(PRICE_PLACES)


def _breaks(raw, field: str) -> list[dict]:
    """Quantity breaks as stored: ascending, distinct minimum quantities above zero."""
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or len(raw) > MAX_BREAKS:
        raise ValidationFailed(_("At most %(n)d quantity breaks.") % {"n": MAX_BREAKS}, field=field)
    found: dict[Decimal, Decimal] = {}
    for index, item in enumerate(raw):
        at = f"{field}.{index}"
        quantity = item.get("min_quantity") if isinstance(item, dict) else None
        check_quantity(quantity, f"{at}.min_quantity")
        if quantity in found:
            raise ValidationFailed(
                _("This minimum quantity is listed twice."), field=f"{at}.min_quantity"
            )
        found[quantity] = _price(item.get("unit_price"), f"{at}.unit_price")
    return [
        {"min_quantity": f"{q.normalize():f}", "unit_price": f"{p:f}"}
        for q, p in sorted(found.items())
    ]


@transaction.atomic
def record_quotes(*, rfq: RequestForQuotation, supplier, data: dict) -> list[SupplierQuote]:
    """录入报价: one supplier's answer for some lines of a sent request (``currency``,
    ``valid_until`` and ``lines`` of ``line``, ``unit_price``, ``tax_inclusive``,
    ``price_breaks``, ``lead_time_days``, ``note``). A line quoted again replaces that
    supplier's earlier quote; a supplier not asked before is added to the request."""
    rfq = _locked(rfq)
    organization = rfq.organization
    if rfq.state != S.SUBMITTED:
        raise ValidationFailed(
            _("Quotes are recorded on a sent request for quotation."), field="state"
        )
    check_supplier(organization, supplier)
    currency, _rate = currency_and_rate(
        organization, data.get("currency") or supplier.currency, rfq.business_date
    )
    lines = data.get("lines") or []
    if not lines:
        raise ValidationFailed(_("Quote at least one line."), field="lines")
    check_lines_count(lines)
    own = {line.pk: line for line in rfq.lines.all()}
    existing = {q.rfq_line_id: q for q in SupplierQuote.objects.filter(
        rfq_line__rfq=rfq, supplier=supplier
    )}  # fmt: skip
    saved, seen = [], set()
    for index, item in enumerate(lines):
        prefix = f"lines.{index}"
        line = item.get("line")
        if line is None or line.pk not in own:
            raise ValidationFailed(_("Unknown request line."), field=f"{prefix}.line")
        if line.pk in seen:
            raise ValidationFailed(_("The line is quoted twice."), field=f"{prefix}.line")
        seen.add(line.pk)
        quote = existing.get(line.pk) or SupplierQuote(
            organization=organization, rfq_line=line, supplier=supplier
        )
        if quote.is_accepted:
            raise ValidationFailed(
                _("This quote was accepted: orders were made at its price."),
                field=f"{prefix}.line",
            )
        days = item.get("lead_time_days") or 0
        if not isinstance(days, int) or not 0 <= days <= MAX_LEAD_DAYS:
            raise ValidationFailed(
                _("The lead time is between 0 and %(n)d days.") % {"n": MAX_LEAD_DAYS},
                field=f"{prefix}.lead_time_days",
            )
        quote.currency = currency
        quote.unit_price = _price(item.get("unit_price"), f"{prefix}.unit_price")
        quote.tax_inclusive = item.get("tax_inclusive", True)
        quote.price_breaks = _breaks(item.get("price_breaks"), f"{prefix}.price_breaks")
        quote.lead_time_days = days
        quote.valid_until = item.get("valid_until", data.get("valid_until"))
        quote.note = item.get("note", "")
        quote.save()
        saved.append(quote)
    rfq.suppliers.add(supplier)
    return saved


def is_expired(quote: SupplierQuote, on_date: datetime.date) -> bool:
    return quote.valid_until is not None and quote.valid_until < on_date


def _check_choice(rfq, index: int, choice: dict, seen: set, today) -> dict:
    prefix = f"lines.{index}"
    line, quote = choice.get("line"), choice.get("quote")
    if line is None or line.rfq_id != rfq.pk:
        raise ValidationFailed(_("Unknown request line."), field=f"{prefix}.line")
    if line.pk in seen:
        raise ValidationFailed(_("The line is chosen twice."), field=f"{prefix}.line")
    seen.add(line.pk)
    if quote is None or quote.rfq_line_id != line.pk:
        raise ValidationFailed(_("Unknown supplier quote."), field=f"{prefix}.quote")
    if is_expired(quote, today):
        raise ValidationFailed(
            _("The quote expired on %(date)s.") % {"date": quote.valid_until.isoformat()},
            field=f"{prefix}.quote",
        )
    check_supplier(rfq.organization, quote.supplier, field=f"{prefix}.quote")
    expected = today + datetime.timedelta(days=quote.lead_time_days)
    return {
        "product": line.product,
        "unit": line.unit,
        "quantity": line.quantity,
        "unit_price": quote.price_at(line.quantity),
        "tax_inclusive": quote.tax_inclusive,
        "expected_date": max(expected, rfq.needed_by) if rfq.needed_by else expected,
        "note": line.note,
        "supplier_quote": quote,
    }


@transaction.atomic
def orders_from_quotes(
    *, rfq: RequestForQuotation, user, lines: list[dict], update_price_list: bool = False
) -> list[PurchaseOrder]:
    """生成采购订单: the chosen quote of each chosen line (``line``, ``quote``) becomes a line
    of a draft purchase order, one order per supplier and currency, at the quote's price for
    the line's quantity; the quotes are accepted and the request is done. With
    ``update_price_list`` the accepted prices go on each supplier's purchase price list. All or
    nothing: errors name ``lines.N.field``."""
    rfq = _locked(rfq)
    if rfq.state != S.SUBMITTED:
        raise ValidationFailed(
            _("Orders are made from a sent request for quotation."), field="state"
        )
    if not lines:
        raise ValidationFailed(_("Choose a quote for at least one line."), field="lines")
    check_lines_count(lines)
    today, seen = timezone.localdate(), set()
    entries = [_check_choice(rfq, i, choice, seen, today) for i, choice in enumerate(lines)]
    groups: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
    for index, entry in enumerate(entries):
        quote = entry["supplier_quote"]
        groups[(quote.supplier_id, quote.currency_id)].append((index, entry))
    created = []
    for members in groups.values():
        quote = members[0][1]["supplier_quote"]
        try:
            order = save_purchase_order(
                organization=rfq.organization,
                user=user,
                data={
                    "supplier": quote.supplier,
                    "warehouse": rfq.warehouse,
                    "currency": quote.currency,
                    "business_date": today,
                    "note": (_("From request for quotation %(number)s") % {"number": rfq})[:255],
                    "lines": [entry for _i, entry in members],
                },
            )
        except ValidationFailed as error:  # name the chosen line, not the order's
            raise _renamed(error, members) from None
        created.append(order)
    accepted = [entry["supplier_quote"] for entry in entries]
    SupplierQuote.objects.filter(pk__in=[q.pk for q in accepted]).update(is_accepted=True)
    if update_price_list:
        for quote in accepted:
            _write_back(quote, today)
    transition(rfq, S.DONE, RFQ_TRANSITIONS)
    rfq.save(update_fields=["state"])
    return created


def _write_back(quote: SupplierQuote, today) -> None:
    """The quote's prices per base unit on the supplier's purchase price list."""
    line = quote.rfq_line
    per_unit = line.base_quantity / line.quantity  # base units in one of the line's unit
    breaks = [(Decimal(0), quote.unit_price)] + [
        (Decimal(b["min_quantity"]), Decimal(b["unit_price"])) for b in quote.price_breaks
    ]
    set_supplier_prices(
        organization=quote.organization,
        supplier=quote.supplier,
        currency=quote.currency,
        tax_included=quote.tax_inclusive,
        product=line.product,
        breaks=[
            ((q * per_unit).quantize(Decimal("0.0001")), (p / per_unit).quantize(PRICE_PLACES))
            for q, p in breaks
        ],
        on_date=today,
    )
