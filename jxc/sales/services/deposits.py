"""订金: deposits received against a sales order, and their use when the order is invoiced.

A deposit is a finance receipt (收款单) of the order's customer in the order's currency, posted
without lines: the money sits whole on 预收账款 as the receipt's open item (Dr bank / Cr 2203).
When an invoice of the order's goods posts, what the order's deposits still hold settles the
invoice's receivable (核销, Dr 2203 / Cr 1122) in the invoice's transaction, oldest deposit first.
What is left after the order is done stays on 预收 for the customer (refund or use it through the
payments page)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.finance.models import OpenItem, Payment
from jxc.finance.services.receivables import allocate, post_payment, save_payment
from jxc.sales.models import CustomerInvoice, SalesOrder, SalesOrderDeposit

ZERO = Decimal(0)
# a deposit is taken once the order is numbered and until it is finished
DEPOSIT_STATES = (S.SUBMITTED, S.APPROVED, S.PARTIALLY_DONE)


@transaction.atomic
def receive_deposit(*, order: SalesOrder, user, data: dict) -> SalesOrderDeposit:
    """Post a receipt of ``amount`` into ``account`` (cash or bank) on ``date`` for the order."""
    order = (
        SalesOrder.objects.select_for_update(of=("self",))
        .select_related("customer", "currency", "organization")
        .get(pk=order.pk)
    )
    if order.state not in DEPOSIT_STATES:
        raise ValidationFailed(
            _("A deposit is taken on a submitted or confirmed order that is still open."),
            field="state",
        )
    amount = data.get("amount")
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), field="amount")
    if data.get("account") is None:
        raise ValidationFailed(_("Choose a cash or bank account."), field="account")
    note = data.get("note") or _("Deposit for order %(number)s") % {"number": order.number}
    payment = save_payment(
        organization=order.organization,
        user=user,
        data={
            "kind": Payment.Kind.RECEIPT,
            "date": data.get("date") or timezone.localdate(),
            "partner": order.customer,
            "currency": order.currency,
            "amount": amount,
            "account": data.get("account"),
            "note": note[:255],
        },
    )
    payment = post_payment(payment=payment, user=user)
    return SalesOrderDeposit.objects.create(
        organization=order.organization, order=order, payment=payment
    )


def deposit_totals(order: SalesOrder) -> tuple[Decimal, Decimal]:
    """What the order's posted deposits received, and what of it is still unused (on 预收)."""
    received = unused = ZERO
    for deposit in order.deposits.all():
        payment = deposit.payment
        if payment.state != Payment.State.POSTED:
            continue
        received += payment.amount
        unused += -payment.item.open_amount
    return received, unused


def apply_deposits(invoice: CustomerInvoice, user=None) -> Decimal:
    """Settle the posted invoice with the unused deposits of its orders (oldest first), up to
    what the invoice owes; returns the amount settled."""
    order_ids = set(
        invoice.lines.filter(delivery_line__isnull=False).values_list(
            "delivery_line__order_line__order_id", flat=True
        )
    ) | set(  # an invoice made before delivery (prepaid sales) bills its order lines
        invoice.lines.filter(order_line__isnull=False).values_list(
            "order_line__order_id", flat=True
        )
    )
    owed = OpenItem.objects.get(pk=invoice.open_item_id)
    items = OpenItem.objects.filter(
        payment__state=Payment.State.POSTED,
        pk__in=SalesOrderDeposit.objects.filter(order_id__in=order_ids).values("payment__item"),
        currency_id=invoice.currency_id,
        open_amount__lt=0,
    ).order_by("date", "pk")
    settled = ZERO
    for paid in items:
        amount = min(owed.open_amount, -paid.open_amount)
        if amount <= 0:
            break
        allocate(organization=invoice.organization, owed=owed, paid=paid, amount=amount,
                 date=invoice.business_date, user=user)  # fmt: skip
        owed.refresh_from_db()
        settled += amount
    return settled
