"""Payment requests (付款申请单): posted invoices of one supplier to pay — those due, or chosen
by hand —, each for at most what is still open on its AP item and not already asked for by
another open request (partial amounts allowed), on a requested date from a cash or bank account.
The request is submitted for approval (workflow's rules, ``payment_request``); once approved,
paying it posts one payment (付款单) through finance that settles each invoice's open item.

Writers lock the invoices' open items (in key order) before reading what other open requests
ask, so two requests never together ask for more than an item has open. Paying locks the request
first: a second pay waits and finds it paid.

The number is taken from the ``payment_request`` series (FQ…) when the request is first
submitted."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.models import Account, OpenItem, Payment
from jxc.finance.services.receivables import post_payment, save_payment
from jxc.masterdata.selectors import base_currency
from jxc.purchasing.models import PaymentRequest, PaymentRequestLine, SupplierInvoice
from jxc.purchasing.selectors import payment_request_facts, requested_of_invoices
from jxc.purchasing.services.common import check_lines_count, check_supplier, number_and_submit
from jxc.purchasing.states import PAYMENT_REQUEST_TRANSITIONS
from jxc.workflow.registry import DocumentRef

DOC_TYPE = "payment_request"
HEADER_FIELDS = ("business_date", "supplier", "pay_date", "account", "method", "note")
CENT = Decimal("0.01")
ZERO = Decimal(0)


def _check_account(organization, account) -> None:
    if not isinstance(account, Account) or account.organization_id != organization.pk:
        raise ValidationFailed(_("Choose the cash or bank account."), field="account")
    if not account.is_leaf or not account.is_active or account.type != Account.Type.ASSET:
        raise ValidationFailed(_("Choose a cash or bank account."), field="account")


def _check_amount(amount, field: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), field=field)
    if amount != amount.quantize(CENT):
        raise ValidationFailed(_("Amounts have two decimal places."), field=field)


def _check_invoice(request: PaymentRequest, index: int, invoice, seen: set) -> None:
    field = f"lines.{index}.invoice"
    if not isinstance(invoice, SupplierInvoice) or (
        invoice.organization_id != request.organization_id
    ):
        raise ValidationFailed(_("Unknown supplier invoice."), field=field)
    if invoice.supplier_id != request.supplier_id:
        raise ValidationFailed(
            _("The invoice %(number)s is of another supplier.") % {"number": invoice},
            field=field,
        )
    if invoice.state != S.DONE or invoice.open_item_id is None:
        raise ValidationFailed(
            _("The invoice %(number)s is not posted.") % {"number": invoice}, field=field
        )
    if invoice.currency_id != request.currency_id:
        raise ValidationFailed(
            _("The invoice %(number)s is in another currency than the request.")
            % {"number": invoice},
            field=field,
        )
    if invoice.pk in seen:
        raise ValidationFailed(_("The invoice is chosen twice."), field=field)
    seen.add(invoice.pk)


def _lock_items(invoices) -> dict[int, OpenItem]:
    """The invoices' open items, locked in key order (two requests of one invoice queue)."""
    ids = sorted({invoice.open_item_id for invoice in invoices})
    return {
        item.pk: item
        for item in OpenItem.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }


def _check_within_open(request: PaymentRequest, lines: list[dict]) -> None:
    """Each line asks at most what its invoice has open less what other open requests ask;
    locks the invoices' open items first."""
    invoices = [line["invoice"] for line in lines]
    items = _lock_items(invoices)
    requested = requested_of_invoices([i.pk for i in invoices], exclude_request_id=request.pk)
    for index, line in enumerate(lines):
        invoice, amount = line["invoice"], line["amount"]
        item = items[invoice.open_item_id]
        other = requested.get(invoice.pk, ZERO)
        left = item.open_amount - other
        if amount > left:
            raise ValidationFailed(
                _(
                    "The invoice %(number)s has %(open)s open, %(requested)s of it already "
                    "requested: at most %(left)s can be requested, %(amount)s is more."
                )
                % {
                    "number": invoice.invoice_number or invoice,
                    "open": item.open_amount,
                    "requested": other,
                    "left": max(left, ZERO),
                    "amount": amount,
                },
                field=f"lines.{index}.amount",
                code="over_requested",
            )


@transaction.atomic
def save_payment_request(*, organization, user, data: dict, request=None) -> PaymentRequest:
    """Create or change a draft request; ``lines`` (``invoice``, ``amount``) replace its lines.
    The currency is the invoices' (the base currency when there are none); the pay date
    defaults to the request's date."""
    data = dict(data)
    lines = data.pop("lines", None)
    if request is not None:
        request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
        if lines is None:
            lines = [{"invoice": x.invoice, "amount": x.amount} for x in request.lines.all()]
    request = request or PaymentRequest(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data and data[field] is not None:
            setattr(request, field, data[field])
    if request.business_date is None:
        request.business_date = timezone.localdate()
    if request.pay_date is None:
        request.pay_date = request.business_date
    if request.pay_date < request.business_date:
        raise ValidationFailed(
            _("The pay date cannot be before the request's date."), field="pay_date"
        )
    check_supplier(organization, request.supplier if request.supplier_id else None)
    _check_account(organization, request.account if request.account_id else None)
    if request.method not in PaymentRequest.Method.values:
        raise ValidationFailed(_("Choose the payment method."), field="method")
    lines = list(lines or [])
    check_lines_count(lines)
    first = next(
        (x.get("invoice") for x in lines if isinstance(x.get("invoice"), SupplierInvoice)), None
    )
    request.currency_id = first.currency_id if first else base_currency(organization).pk
    seen: set[int] = set()
    for index, line in enumerate(lines):
        _check_invoice(request, index, line.get("invoice"), seen)
        _check_amount(line.get("amount"), f"lines.{index}.amount")
    _check_within_open(request, lines)
    request.amount = sum((line["amount"] for line in lines), ZERO)
    request.note = (request.note or "").strip()
    request.save()
    request.lines.all().delete()
    PaymentRequestLine.objects.bulk_create(
        PaymentRequestLine(request=request, position=i, invoice=x["invoice"], amount=x["amount"])
        for i, x in enumerate(lines)
    )
    return request


def approval_ref(request: PaymentRequest) -> DocumentRef:
    return DocumentRef(DOC_TYPE, request.pk)


def _lines(request: PaymentRequest) -> list[dict]:
    return [
        {"invoice": x.invoice, "amount": x.amount}
        for x in request.lines.select_related("invoice").order_by("position", "pk")
    ]


@transaction.atomic
def submit_payment_request(*, request: PaymentRequest, user) -> PaymentRequest:
    """Submit a draft for approval (approved at once when no rule applies); the amounts are
    checked again against what is open now."""
    request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    transition(request, S.SUBMITTED, PAYMENT_REQUEST_TRANSITIONS)
    lines = _lines(request)
    if not lines:
        raise ValidationFailed(_("Add at least one invoice."), field="lines")
    _check_within_open(request, lines)
    number_and_submit(
        request,
        doc_type=DOC_TYPE,
        user=user,
        facts=payment_request_facts(request),
        approve=mark_approved,
    )
    return request


def mark_approved(request: PaymentRequest) -> None:
    transition(request, S.APPROVED, PAYMENT_REQUEST_TRANSITIONS)
    request.approved_at = timezone.now()
    request.save(update_fields=["state", "approved_at"])


def return_to_draft(request: PaymentRequest) -> None:
    transition(request, S.DRAFT, PAYMENT_REQUEST_TRANSITIONS)
    request.save(update_fields=["state"])


@transaction.atomic
def cancel_payment_request(*, request: PaymentRequest) -> PaymentRequest:
    """A draft or an approved request not paid yet; what it asked of the invoices is free
    again."""
    request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if request.state == S.DONE:
        raise ValidationFailed(
            _("This payment request is paid: reverse the payment in finance instead."),
            field="state",
            code="invalid_state",
        )
    transition(request, S.CANCELLED, PAYMENT_REQUEST_TRANSITIONS)
    request.save(update_fields=["state"])
    return request


@transaction.atomic
def pay_payment_request(
    *, request: PaymentRequest, user, date: datetime.date | None = None
) -> PaymentRequest:
    """付款: an approved request becomes one posted payment (dated ``date``, default today) from
    its account, settling each invoice's open item by the line's amount. Paid once: a second
    call is refused."""
    request = PaymentRequest.objects.select_for_update().get(pk=request.pk)
    if request.state == S.DONE:
        raise ValidationFailed(
            _("This payment request is already paid."), field="state", code="already_paid"
        )
    if request.state != S.APPROVED:
        raise ValidationFailed(
            _("Only an approved payment request can be paid."),
            field="state",
            code="invalid_state",
        )
    lines = list(request.lines.select_related("invoice__open_item").order_by("position", "pk"))
    payment = save_payment(
        organization=request.organization,
        user=user,
        data={
            "kind": Payment.Kind.PAYMENT,
            "date": date or timezone.localdate(),
            "partner": request.supplier,
            "currency": request.currency,
            "amount": request.amount,
            "account": request.account,
            "note": (_("Payment request %(number)s") % {"number": request})[:255],
            "lines": [{"item": x.invoice.open_item, "amount": x.amount} for x in lines],
        },
    )
    payment = post_payment(payment=payment, user=user)
    transition(request, S.DONE, PAYMENT_REQUEST_TRANSITIONS)
    request.payment = payment
    request.paid_at = timezone.now()
    request.save(update_fields=["state", "payment", "paid_at"])
    return request
