"""Sales quotations (销售报价单): prices offered to a customer until ``valid_until``.

Lifecycle (``TRANSITIONS``): draft → submitted (sent: numbered, and when ``reserve_stock`` is
set the quoted quantities are reserved softly, with shortage allowed) → converted (a draft
sales order made from its lines, the reservation released in the same transaction: the order's
own confirmation reserves), or expired (past ``valid_until``: the periodic job
``sales.expire_quotations``, or the first read or conversion after the date), or cancelled.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.inventory.models import Reservation
from jxc.inventory.services.reservations import release_reservations, reserve_stock
from jxc.sales.models import QuotationState, SalesOrder, SalesQuotation, SalesQuotationLine
from jxc.sales.models import QuotationState as Q
from jxc.sales.services.common import MAX_LINES, QUOTATION_LINE
from jxc.sales.services.orders import check_header, document_totals, lines_fields, save_sales_order

TRANSITIONS = {
    Q.DRAFT: {Q.SUBMITTED, Q.CANCELLED, Q.EXPIRED},
    Q.SUBMITTED: {Q.CONVERTED, Q.CANCELLED, Q.EXPIRED},
}
DOC_TYPE = "sales_quote"  # the code core registers for 报价单
HEADER = ("business_date", "customer", "currency", "warehouse", "valid_until", "reserve_stock",
          "payment_terms", "note")  # fmt: skip
LINE = ("product", "unit", "quantity", "unit_price", "discount_percent", "tax_rate",
        "tax_included")  # fmt: skip


def today() -> datetime.date:
    return timezone.localdate()


def _move(quotation: SalesQuotation, to: str) -> None:
    if to not in TRANSITIONS.get(quotation.state, set()):
        raise ValidationFailed(
            _("A quotation in state “%(state)s” cannot become “%(to)s”.")
            % {"state": quotation.get_state_display(), "to": QuotationState(to).label},
            field="state",
            code="invalid_state",
        )
    quotation.state = to


def _check_validity(quotation: SalesQuotation) -> None:
    if quotation.valid_until is None:
        raise ValidationFailed(
            _("Enter the date the quotation is valid until."), field="valid_until"
        )
    if quotation.valid_until < quotation.business_date:
        raise ValidationFailed(
            _("The quotation cannot be valid until a day before its date."), field="valid_until"
        )


@transaction.atomic
def save_quotation(*, organization, user, data: dict, quotation=None) -> SalesQuotation:
    """Create or update a draft; ``lines`` replace the quotation's lines, priced and taxed as an
    order's (``orders.lines_fields``)."""
    data = dict(data)
    lines = data.pop("lines", None)
    if quotation is not None:
        quotation = SalesQuotation.objects.select_for_update().get(pk=quotation.pk)
        if quotation.state != Q.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    quotation = quotation or SalesQuotation(organization=organization, created_by=user)
    for name in HEADER:
        if name in data:
            setattr(quotation, name, data[name])
    check_header(organization, quotation)
    _check_validity(quotation)
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    if lines is None:
        lines = [{name: getattr(line, name) for name in LINE} for line in quotation.lines.all()]
    built = [SalesQuotationLine(quotation=quotation, **f) for f in lines_fields(quotation, lines)]
    totals = document_totals(built)
    quotation.net_amount, quotation.tax_amount = totals.net, totals.tax
    quotation.gross_amount = totals.gross
    quotation.below_floor = any(line.below_floor for line in built)
    quotation.save()
    quotation.lines.all().delete()
    SalesQuotationLine.objects.bulk_create(built)
    return quotation


def _locked(quotation: SalesQuotation) -> SalesQuotation:
    return (
        SalesQuotation.objects.select_for_update(of=("self",))
        .select_related("organization", "warehouse", "customer")
        .get(pk=quotation.pk)
    )


def open_reservations(quotation: SalesQuotation) -> list[Reservation]:
    return list(
        Reservation.objects.filter(
            origin_type=QUOTATION_LINE,
            origin_id__in=list(quotation.lines.values_list("pk", flat=True)),
            state=Reservation.State.OPEN,
        )
        .select_related("organization", "product", "warehouse")
        .order_by("product_id", "pk")  # lock the stock rows in key order
    )


def _release(quotation: SalesQuotation) -> None:
    release_reservations(
        organization=quotation.organization, reservations=open_reservations(quotation)
    )


def _expired(quotation: SalesQuotation, on_date: datetime.date) -> bool:
    return quotation.state in (Q.DRAFT, Q.SUBMITTED) and quotation.valid_until < on_date


@transaction.atomic
def send_quotation(*, quotation: SalesQuotation, user) -> SalesQuotation:
    """Send (发出): numbered; with ``reserve_stock`` each line's quantity is reserved (beyond what
    is available too: a soft reservation that only lowers what others see as available)."""
    quotation = _locked(quotation)
    if _expired(quotation, today()):
        raise ValidationFailed(_("The quotation is no longer valid."), field="valid_until")
    _move(quotation, Q.SUBMITTED)
    lines = list(quotation.lines.select_related("product").order_by("product_id", "pk"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    if not quotation.number:
        quotation.number = next_number(
            organization=quotation.organization, doc_type=DOC_TYPE, on_date=quotation.business_date
        )
    if quotation.reserve_stock:
        for line in lines:
            reserve_stock(
                organization=quotation.organization,
                product=line.product,
                warehouse=quotation.warehouse,
                quantity=line.base_quantity,
                origin_type=QUOTATION_LINE,
                origin_id=line.pk,
                allow_shortage=True,
            )
    quotation.sent_at = timezone.now()
    quotation.save(update_fields=["state", "number", "sent_at"])
    return quotation


@transaction.atomic
def cancel_quotation(*, quotation: SalesQuotation) -> SalesQuotation:
    """Cancel (作废) a draft or a sent quotation: its reservation is released."""
    quotation = _locked(quotation)
    _move(quotation, Q.CANCELLED)
    _release(quotation)
    quotation.save(update_fields=["state"])
    return quotation


def _expire(quotation: SalesQuotation) -> None:
    _move(quotation, Q.EXPIRED)
    _release(quotation)
    quotation.save(update_fields=["state"])


@transaction.atomic
def expire_if_due(*, quotation: SalesQuotation, on_date: datetime.date | None = None) -> bool:
    """Expire the quotation (releasing its reservation) when ``on_date`` (today) is past its
    validity; whether it did."""
    on_date = on_date or today()
    if not _expired(quotation, on_date):
        return False
    quotation = _locked(quotation)
    if not _expired(quotation, on_date):  # expired or converted meanwhile
        return False
    _expire(quotation)
    return True


def expire_quotations(*, organization=None, on_date: datetime.date | None = None) -> int:
    """Expire every draft or sent quotation (of ``organization``, else of all) past its
    validity, one transaction each; how many."""
    on_date = on_date or today()
    due = SalesQuotation.objects.filter(
        state__in=(Q.DRAFT, Q.SUBMITTED), valid_until__lt=on_date
    ).order_by("pk")
    if organization is not None:
        due = due.filter(organization=organization)
    return sum(expire_if_due(quotation=q, on_date=on_date) for q in due)


@jobs.periodic("sales.expire_quotations", every=datetime.timedelta(hours=1))
def expire_quotations_job() -> None:
    expire_quotations()


def convert_quotation(*, quotation: SalesQuotation, user) -> SalesOrder:
    """Convert (转为订单) a sent quotation into a draft sales order with its lines and prices,
    linked to it; the soft reservation is released (the order's confirmation reserves). A
    quotation past its validity is expired (and stays so) and the conversion refused."""
    if expire_if_due(quotation=quotation):
        raise ValidationFailed(_("The quotation is no longer valid."), field="valid_until")
    return _convert(quotation, user)


@transaction.atomic
def _convert(quotation: SalesQuotation, user) -> SalesOrder:
    quotation = _locked(quotation)
    if quotation.state == Q.CONVERTED:
        raise ValidationFailed(
            _("The quotation has already been converted to an order."), field="state"
        )
    if quotation.state == Q.EXPIRED or _expired(quotation, today()):
        raise ValidationFailed(_("The quotation is no longer valid."), field="valid_until")
    _move(quotation, Q.CONVERTED)
    _release(quotation)
    quotation.save(update_fields=["state"])
    lines = [
        {name: getattr(line, name) for name in LINE}
        for line in quotation.lines.select_related("product", "unit", "tax_rate")
    ]
    order = save_sales_order(
        organization=quotation.organization,
        user=user,
        data={
            "business_date": max(today(), quotation.business_date),
            "customer": quotation.customer,
            "currency": quotation.currency,
            "warehouse": quotation.warehouse,
            "payment_terms": quotation.payment_terms,
            "note": quotation.note,
            "lines": lines,
        },
    )
    order.quotation = quotation
    order.save(update_fields=["quotation"])
    return order
