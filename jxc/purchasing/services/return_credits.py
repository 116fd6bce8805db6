"""What becomes of a purchase return's AP credit (the negative payable the supplier owes back):

- refunded (退款): the supplier pays it back, a supplier refund through finance's payments
  (kind ``refund``: Dr the cash or bank account / Cr 1123, the credit settled at once);
- offset (抵扣) against an invoice of the same supplier and currency: finance's allocation
  (核销) of the invoice's payable with the credit (Dr 2202 / Cr 1123), from the return (one
  invoice) or from the invoice (its supplier's open return credits, oldest first).
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.finance.models import OpenItem, Payment
from jxc.finance.services.receivables import allocate, post_payment, save_payment
from jxc.purchasing.models import PurchaseReturn, SupplierInvoice
from jxc.purchasing.services.accounting import RETURN

ZERO = Decimal(0)


def open_return_credits(*, supplier_id: int, currency_id: int):
    """The supplier's return credits still open, oldest first."""
    return (
        OpenItem.objects.filter(
            partner_id=supplier_id,
            currency_id=currency_id,
            kind=OpenItem.Kind.PAYABLE,
            document_type=RETURN,
            amount__lt=0,
        )
        .exclude(open_amount=0)
        .order_by("date", "pk")
    )


def _open_credit(purchase_return: PurchaseReturn, field: str) -> OpenItem:
    purchase_return = PurchaseReturn.objects.select_related("open_item").get(pk=purchase_return.pk)
    item = purchase_return.open_item
    if purchase_return.state != S.DONE or item is None or not item.open_amount:
        raise ValidationFailed(_("This return leaves no open credit."), field=field)
    return item


def _amount(amount, left: Decimal, field: str) -> Decimal:
    if amount is None:
        return left
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), field=field)
    if amount > left:
        raise ValidationFailed(
            _("%(amount)s is more than the %(left)s open.") % {"amount": amount, "left": left},
            field=field,
        )
    return amount


@transaction.atomic
def refund_purchase_return(
    *, purchase_return, account, user, amount=None, date: datetime.date | None = None
) -> Payment:
    """退款: the supplier paid the credit (or ``amount`` of it) back into ``account``."""
    item = _open_credit(purchase_return, "state")
    item = OpenItem.objects.select_for_update().get(pk=item.pk)
    if not item.open_amount:  # refunded or offset meanwhile
        raise ValidationFailed(_("This return leaves no open credit."), field="state")
    amount = _amount(amount, abs(item.open_amount), "amount")
    organization = item.organization
    payment = save_payment(
        organization=organization,
        user=user,
        data={
            "kind": Payment.Kind.REFUND,
            "date": date or timezone.localdate(),
            "partner": item.partner,
            "currency": item.currency,
            "amount": amount,
            "account": account,
            "note": _("Refund of return %(number)s") % {"number": item.reference},
            "lines": [{"item": item, "amount": amount}],
        },
    )
    return post_payment(payment=payment, user=user)


def _invoice_item(invoice: SupplierInvoice, field: str) -> OpenItem:
    item = invoice.open_item
    if invoice.state != S.DONE or item is None or item.open_amount <= 0:
        raise ValidationFailed(_("Choose a posted invoice with an amount open."), field=field)
    return item


@transaction.atomic
def offset_purchase_return(
    *, purchase_return, invoice, user, amount=None, date: datetime.date | None = None
):
    """抵扣: the credit (or ``amount`` of it) settles the invoice's payable."""
    credit = _open_credit(purchase_return, "state")
    invoice = SupplierInvoice.objects.select_related("open_item").get(pk=invoice.pk)
    owed = _invoice_item(invoice, "invoice")
    if (owed.partner_id, owed.currency_id) != (credit.partner_id, credit.currency_id):
        raise ValidationFailed(
            _("Choose an invoice of the same supplier and currency."), field="invoice"
        )
    locked = OpenItem.objects.select_for_update().in_bulk(sorted([owed.pk, credit.pk]))
    owed, credit = locked[owed.pk], locked[credit.pk]
    if not credit.open_amount:  # refunded or offset meanwhile
        raise ValidationFailed(_("This return leaves no open credit."), field="state")
    left = min(owed.open_amount, abs(credit.open_amount))
    if left <= 0:
        raise ValidationFailed(_("Choose a posted invoice with an amount open."), field="invoice")
    amount = _amount(amount, left, "amount")
    return allocate(
        organization=owed.organization, owed=owed, paid=credit, amount=amount, date=date, user=user
    )


@transaction.atomic
def offset_invoice_with_returns(*, invoice, user, date: datetime.date | None = None) -> list:
    """抵扣退货: the supplier's open return credits settle the invoice, oldest first, until
    the invoice or the credits are used up."""
    invoice = SupplierInvoice.objects.select_related("open_item").get(pk=invoice.pk)
    owed = _invoice_item(invoice, "state")
    credits = list(open_return_credits(supplier_id=owed.partner_id, currency_id=owed.currency_id))
    locked = OpenItem.objects.select_for_update().in_bulk(
        sorted([owed.pk, *(credit.pk for credit in credits)])
    )
    owed = locked[owed.pk]
    allocations = []
    for credit in credits:
        credit = locked[credit.pk]  # read again under the lock: another clerk may have used it
        amount = min(owed.open_amount, abs(credit.open_amount))
        if amount <= 0:
            continue
        allocations.append(
            allocate(
                organization=owed.organization, owed=owed, paid=credit, amount=amount,
                date=date, user=user,
            )
        )  # fmt: skip
        owed.refresh_from_db(fields=["open_amount", "open_base_amount"])
        if owed.open_amount <= 0:
            break
    if not allocations:
        raise ValidationFailed(
            _("The supplier has no open return credit in this currency."), field="state"
        )
    return allocations
