"""Partner ledgers: open items, receipts and payments, allocation (核销), write-off, and the
realised exchange difference when an item is settled at another rate than it was booked at.

Balances live on control accounts by role: a receivable owed on 应收账款, what a customer paid
ahead on 预收账款; a payable owed on 应付账款, what was paid ahead on 预付账款. A receipt first
sits, whole, on 预收 (a payment on 预付); settling an item moves the settled part to the item's
account, in the same voucher as the receipt when settled at once."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.finance.models import Account, AccountRole, Allocation, OpenItem, Payment, PaymentLine
from jxc.finance.services.vouchers import LineInput, create_posted, reverse_voucher
from jxc.masterdata.selectors import base_currency, rate_on

ZERO = Decimal(0)
CENT = Decimal("0.01")
ITEM_ROLES = {
    ("receivable", True): AccountRole.Role.RECEIVABLE,
    ("receivable", False): AccountRole.Role.ADVANCE_RECEIPT,
    ("payable", True): AccountRole.Role.PAYABLE,
    ("payable", False): AccountRole.Role.PREPAYMENT,
}
PAYMENT_ORIGIN = "finance.payment"
OTHER_ITEM_ORIGIN = "finance.openitem"
ALLOCATION_ORIGIN = "finance.allocation"


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def role_account(organization, role: str) -> Account:
    found = AccountRole.objects.filter(organization=organization, role=role).select_related(
        "account"
    )
    if not found:
        raise ValidationFailed(
            _("Set the account of the role “%(role)s” first.")
            % {"role": AccountRole.Role(role).label},
            field="account_roles",
        )
    return found[0].account


def debit_normal(item: OpenItem) -> bool:
    """Whether the item's balance is a debit on its account (a receivable owed, a payment made
    ahead) or a credit (a payable owed, a receipt taken ahead)."""
    return (item.kind == OpenItem.Kind.RECEIVABLE) == (item.amount > 0)


def book_item(
    *,
    organization,
    kind: str,
    partner,
    amount: Decimal,
    currency,
    rate: Decimal,
    date: datetime.date,
    document_type: str,
    due_date: datetime.date | None = None,
    document_id: int | None = None,
    reference: str = "",
    summary: str = "",
    voucher=None,
) -> OpenItem:
    """Record an open item; the caller books its voucher (on :func:`item_account`)."""
    if not amount:
        raise ValidationFailed(_("The amount cannot be zero."), field="amount")
    base = money(amount * rate)
    return OpenItem.objects.create(
        organization=organization,
        kind=kind,
        partner=partner,
        account=item_account(organization, kind, amount),
        document_type=document_type,
        document_id=document_id,
        reference=reference,
        date=date,
        due_date=due_date or date,
        currency=currency,
        rate=rate,
        amount=amount,
        base_amount=base,
        open_amount=amount,
        open_base_amount=base,
        summary=summary,
        voucher=voucher,
    )


def item_account(organization, kind: str, amount: Decimal) -> Account:
    return role_account(organization, ITEM_ROLES[(kind, amount > 0)])


def _clear(item: OpenItem, base: Decimal, summary: str) -> LineInput:
    """The line that takes ``base`` off the item's account balance."""
    line = LineInput(account=item.account, summary=summary, partner=item.partner)
    if debit_normal(item):
        line.credit = base
    else:
        line.debit = base
    return line


def _base_part(item: OpenItem, amount: Decimal) -> Decimal:
    """The base amount that goes with ``amount`` (positive) of the item: what is left when the
    item closes, so no cent stays open from rounding."""
    if amount == abs(item.open_amount):
        return abs(item.open_base_amount)
    return money(amount * abs(item.base_amount) / abs(item.amount))


def _take(item: OpenItem, amount: Decimal, base: Decimal) -> None:
    sign = 1 if item.amount > 0 else -1
    item.open_amount -= sign * amount
    item.open_base_amount -= sign * base
    item.save(update_fields=["open_amount", "open_base_amount"])


def _check_amount(item: OpenItem, amount: Decimal, field: str) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0:
        raise ValidationFailed(_("The amount must be greater than zero."), field=field)
    if amount != money(amount):
        raise ValidationFailed(_("Amounts have two decimal places."), field=field)
    if amount > abs(item.open_amount):
        raise ValidationFailed(
            _("%(reference)s has %(open)s open: %(amount)s is more.")
            % {"reference": item.reference, "open": abs(item.open_amount), "amount": amount},
            field=field,
        )


def _settle(organization, owed, paid, amount, date, field="amount"):
    """Settle ``amount`` of ``owed`` (+) with ``paid`` (−): the allocation (unsaved) and the
    lines that move the base amounts, the exchange difference balancing them."""
    if owed.amount <= 0 or paid.amount >= 0:
        raise ValidationFailed(_("Settle an item owed with an item paid."), field=field)
    if (owed.partner_id, owed.kind, owed.currency_id) != (
        paid.partner_id,
        paid.kind,
        paid.currency_id,
    ):
        raise ValidationFailed(
            _("Both items must be of the same partner, kind and currency."), field=field
        )
    _check_amount(owed, amount, field)
    _check_amount(paid, amount, field)
    owed_base, paid_base = _base_part(owed, amount), _base_part(paid, amount)
    summary = _("Settled %(owed)s with %(paid)s") % {
        "owed": owed.reference or owed.document_type,
        "paid": paid.reference or paid.document_type,
    }
    lines = [_clear(owed, owed_base, summary), _clear(paid, paid_base, summary)]
    gain = sum(x.debit - x.credit for x in lines)  # a credit balances a debit surplus: a gain
    if gain:
        account = role_account(organization, AccountRole.Role.FINANCE_EXPENSE)
        side = {"credit": gain} if gain > 0 else {"debit": -gain}
        lines.append(LineInput(account=account, summary=summary, **side))
    _take(owed, amount, owed_base)
    _take(paid, amount, paid_base)
    allocation = Allocation(
        organization=organization,
        owed_item=owed,
        paid_item=paid,
        amount=amount,
        owed_base=owed_base,
        paid_base=paid_base,
        exchange_difference=gain,
        date=date,
    )
    return allocation, lines


def _locked(*items) -> list[OpenItem]:
    """The items again, locked in key order (two allocations of the same items queue)."""
    fresh = OpenItem.objects.select_for_update().in_bulk([i.pk for i in items])
    return [fresh[i.pk] for i in items]


def _book(organization, lines, date, user, **source):
    """One voucher of ``lines`` netted per account, side and partner (None if nothing)."""
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    first: dict[tuple, LineInput] = {}
    for line in lines:
        key = (line.account.pk, line.partner.pk if line.partner else None)
        sums[key] += line.debit - line.credit
        first.setdefault(key, line)
    netted = []
    for key, net in sums.items():
        if not net:
            continue
        template = first[key]
        netted.append(
            LineInput(
                account=template.account,
                summary=template.summary,
                partner=template.partner if "partner" in template.account.dimensions else None,
                debit=net if net > 0 else ZERO,
                credit=-net if net < 0 else ZERO,
            )
        )
    if len(netted) < 2:
        return None
    netted.sort(key=lambda x: (x.debit == 0, x.account.code))
    return create_posted(organization=organization, date=date, lines=netted, user=user, **source)


@transaction.atomic
def allocate(*, organization, owed: OpenItem, paid: OpenItem, amount, date=None, user=None):
    """核销 ``amount`` of an item owed with an item paid (after both were booked)."""
    for item, field in ((owed, "owed_item"), (paid, "paid_item")):
        if item.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown item."), field=field)
    owed, paid = _locked(owed, paid)
    date = date or timezone.localdate()
    allocation, lines = _settle(organization, owed, paid, amount, date)
    allocation.voucher = _book(
        organization, lines, date, user,
        origin_type=ALLOCATION_ORIGIN,
        reference=f"{owed.reference}/{paid.reference}",
    )  # fmt: skip
    allocation.save()
    return allocation


@transaction.atomic
def write_off(*, organization, item: OpenItem, amount, account: Account, date=None, user=None):
    """Close (part of) what stays open of an item against an account (a small difference to
    营业外支出, to 财务费用 …)."""
    if item.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown item."), field="item")
    if account.organization_id != organization.pk or not account.is_leaf or not account.is_active:
        raise ValidationFailed(_("Choose an active leaf account."), field="account")
    (item,) = _locked(item)
    _check_amount(item, amount, "amount")
    date = date or timezone.localdate()
    base = _base_part(item, amount)
    summary = _("Written off %(reference)s") % {"reference": item.reference or item.document_type}
    cleared = _clear(item, base, summary)
    other = LineInput(account=account, summary=summary, debit=cleared.credit, credit=cleared.debit)
    _take(item, amount, base)
    voucher = _book(organization, [cleared, other], date, user, origin_type=ALLOCATION_ORIGIN,
                    reference=item.reference)  # fmt: skip
    return Allocation.objects.create(
        organization=organization,
        owed_item=item,
        write_off_account=account,
        amount=amount,
        owed_base=base,
        paid_base=ZERO,
        date=date,
        voucher=voucher,
    )


@transaction.atomic
def undo_allocation(*, allocation: Allocation, user=None, date=None) -> Allocation:
    """反核销: the items are open again and the allocation's voucher is reversed in red."""
    allocation = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.undone:
        raise ValidationFailed(_("This allocation has already been undone."), field="state")
    if allocation.voucher_id and allocation.voucher.origin_type != ALLOCATION_ORIGIN:
        raise ValidationFailed(
            _("This allocation was made with a receipt or payment: reverse that instead."),
            field="state",
        )
    _restore(allocation)
    if allocation.voucher_id:
        reverse_voucher(voucher=allocation.voucher, user=user, date=date)
    return allocation


def _restore(allocation: Allocation) -> None:
    items = [allocation.owed_item] + ([allocation.paid_item] if allocation.paid_item_id else [])
    locked = dict(zip([i.pk for i in items], _locked(*items), strict=True))
    owed = locked[allocation.owed_item_id]
    _take(owed, -allocation.amount, -allocation.owed_base)
    if allocation.paid_item_id:
        _take(locked[allocation.paid_item_id], -allocation.amount, -allocation.paid_base)
    allocation.undone = True
    allocation.save(update_fields=["undone"])


@transaction.atomic
def book_other_item(
    *,
    organization,
    kind: str,
    partner,
    amount: Decimal,
    counter_account: Account,
    date: datetime.date,
    due_date: datetime.date | None = None,
    currency=None,
    rate: Decimal | None = None,
    summary: str = "",
    user=None,
) -> OpenItem:
    """其他应收单 / 其他应付单: an amount a partner owes or is owed that no sales or purchase
    document brings (a charge, a deposit, an opening balance), booked against
    ``counter_account``."""
    if partner.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown partner."), field="partner")
    ok = counter_account.organization_id == organization.pk and counter_account.is_leaf
    if not ok or not counter_account.is_active:
        raise ValidationFailed(_("Choose an active leaf account."), field="counter_account")
    if not isinstance(amount, Decimal) or amount <= 0 or amount != money(amount):
        raise ValidationFailed(_("The amount must be greater than zero."), field="amount")
    currency = currency or base_currency(organization)
    rate = _payment_rate(organization, currency, date, rate)
    doc_type = "receipt" if kind == OpenItem.Kind.RECEIVABLE else "payment"
    number = next_number(organization=organization, doc_type=f"other_{doc_type}_item", on_date=date)
    item = book_item(
        organization=organization, kind=kind, partner=partner, amount=amount, currency=currency,
        rate=rate, date=date, due_date=due_date, document_type=OTHER_ITEM_ORIGIN,
        reference=number, summary=summary,
    )  # fmt: skip
    text = summary or number
    owed = LineInput(account=item.account, summary=text, partner=partner)
    other = LineInput(account=counter_account, summary=text)
    side, opposite = ("debit", "credit") if debit_normal(item) else ("credit", "debit")
    setattr(owed, side, item.base_amount)
    setattr(other, opposite, item.base_amount)
    item.voucher = create_posted(
        organization=organization, date=date, lines=[owed, other], user=user,
        origin_type=OTHER_ITEM_ORIGIN, origin_id=item.pk, reference=number,
    )  # fmt: skip
    item.save(update_fields=["voucher"])
    return item


# --- receipts and payments -------------------------------------------------------------------

ITEM_KIND = {
    Payment.Kind.RECEIPT: OpenItem.Kind.RECEIVABLE,
    Payment.Kind.PAYMENT: OpenItem.Kind.PAYABLE,
    Payment.Kind.REFUND: OpenItem.Kind.PAYABLE,
}


def _payment_rate(organization, currency, date, rate) -> Decimal:
    if currency.is_base:
        return Decimal(1)
    if rate:
        return rate
    return rate_on(currency=currency, on_date=date)


def _check_payment(organization, payment: Payment, lines: list[dict]) -> None:
    partner = payment.partner
    if partner.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown partner."), field="partner")
    wanted = "is_customer" if payment.kind == Payment.Kind.RECEIPT else "is_supplier"
    if not getattr(partner, wanted):
        raise ValidationFailed(
            _("%(partner)s is not a customer.") % {"partner": partner.name}
            if payment.kind == Payment.Kind.RECEIPT
            else _("%(partner)s is not a supplier.") % {"partner": partner.name},
            field="partner",
        )
    account = payment.account
    if account.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown account."), field="account")
    if not account.is_leaf or not account.is_active or account.type != Account.Type.ASSET:
        raise ValidationFailed(_("Choose a cash or bank account."), field="account")
    if payment.currency.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown currency."), field="currency")
    if payment.fee + payment.discount > payment.amount:
        raise ValidationFailed(_("The fee and discount exceed the amount."), field="fee")
    total = ZERO
    for index, line in enumerate(lines):
        item, amount = line["item"], line["amount"]
        field = f"lines.{index}.amount"
        if item.organization_id != organization.pk or item.partner_id != partner.pk:
            raise ValidationFailed(_("Unknown item."), field=f"lines.{index}.item")
        # a refund settles what the supplier owes back (a credit: a negative payable)
        refund = payment.kind == Payment.Kind.REFUND
        if item.kind != ITEM_KIND[payment.kind] or (item.amount < 0) != refund or not item.amount:
            raise ValidationFailed(
                _("Settle an item this partner owes or is owed."), field=f"lines.{index}.item"
            )
        if item.currency_id != payment.currency_id:
            raise ValidationFailed(
                _("The item is in another currency."), field=f"lines.{index}.item"
            )
        _check_amount(item, amount, field)
        total += amount
    if total > payment.amount:
        raise ValidationFailed(
            _("The lines settle %(total)s, more than the amount %(amount)s.")
            % {"total": total, "amount": payment.amount},
            field="lines",
        )


@transaction.atomic
def save_payment(*, organization, user, data: dict, payment: Payment | None = None) -> Payment:
    """A draft receipt or payment, with the items it is to settle."""
    if payment is not None:
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.state != Payment.State.DRAFT:
            raise ValidationFailed(_("Only a draft can change."), field="state")
    else:
        payment = Payment(organization=organization, created_by=user)
    for field in ("kind", "date", "partner", "currency", "rate", "amount", "fee", "discount",
                  "account", "note"):  # fmt: skip
        if field in data and data[field] is not None:
            setattr(payment, field, data[field])
    if payment.date is None:
        raise ValidationFailed(_("Enter the date."), field="date")
    if payment.currency_id is None:
        payment.currency = base_currency(organization)
    payment.rate = _payment_rate(organization, payment.currency, payment.date, data.get("rate"))
    lines = data.get("lines", [])
    _check_payment(organization, payment, lines)
    payment.save()
    if "lines" in data:
        payment.lines.all().delete()
        PaymentLine.objects.bulk_create(
            [PaymentLine(payment=payment, item=x["item"], amount=x["amount"]) for x in lines]
        )
    return payment


@transaction.atomic
def post_payment(*, payment: Payment, user=None) -> Payment:
    payment = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("partner", "currency")
        .get(pk=payment.pk)
    )
    if payment.state != Payment.State.DRAFT:
        raise ValidationFailed(_("This document is already posted."), field="state")
    organization = payment.organization
    lines = list(payment.lines.select_related("item"))
    _check_payment(organization, payment, [{"item": x.item, "amount": x.amount} for x in lines])
    refund = payment.kind == Payment.Kind.REFUND
    receipt = payment.kind == Payment.Kind.RECEIPT or refund  # money comes in
    payment.number = next_number(
        organization=organization,
        doc_type="receipt" if refund else payment.kind,
        on_date=payment.date,
    )
    # the partner is credited (receipt) or debited (payment): a paid item; a supplier's
    # refund is an item owed to the supplier, which settles the supplier's credits
    sign = 1 if refund else -1
    item = book_item(
        organization=organization,
        kind=ITEM_KIND[payment.kind],
        partner=payment.partner,
        amount=sign * payment.amount,
        currency=payment.currency,
        rate=payment.rate,
        date=payment.date,
        document_type=PAYMENT_ORIGIN,
        document_id=payment.pk,
        reference=payment.number,
        summary=payment.note,
    )
    voucher_lines = _payment_lines(organization, payment, item)
    allocations = []
    locked = _locked(*[x.item for x in lines]) if lines else []
    for line, other in zip(lines, locked, strict=True):
        owed, paid = (item, other) if refund else (other, item)
        allocation, settle_lines = _settle(organization, owed, paid, line.amount, payment.date)
        allocations.append(allocation)
        voucher_lines += settle_lines
    word = "收" if receipt else "付"
    voucher = _book(
        organization, voucher_lines, payment.date, user,
        word=word, origin_type=PAYMENT_ORIGIN, origin_id=payment.pk, reference=payment.number,
    )  # fmt: skip
    item.voucher = voucher
    item.save(update_fields=["voucher"])
    for allocation in allocations:
        allocation.voucher = voucher
    Allocation.objects.bulk_create(allocations)
    payment.item, payment.voucher = item, voucher
    payment.state, payment.posted_at = Payment.State.POSTED, timezone.now()
    payment.save()
    return payment


def _payment_lines(organization, payment: Payment, item: OpenItem) -> list[LineInput]:
    """The money side: the cash or bank account, fee and discount, against the whole amount
    on 预收 (receipt) or 预付 (payment)."""
    rate = payment.rate
    whole, fee, discount = (
        money(payment.amount * rate),
        money(payment.fee * rate),
        money(payment.discount * rate),
    )
    receipt = payment.kind in (Payment.Kind.RECEIPT, Payment.Kind.REFUND)  # money comes in
    text = payment.note or (_("Receipt %(number)s") if receipt else _("Payment %(number)s")) % {
        "number": payment.number
    }
    grown = LineInput(account=item.account, summary=text, partner=item.partner)
    setattr(grown, "debit" if debit_normal(item) else "credit", whole)
    lines = [grown]
    money_moved = whole - fee - discount if receipt else whole + fee - discount
    cash = LineInput(account=payment.account, summary=text)
    setattr(cash, "debit" if receipt else "credit", money_moved)
    lines.append(cash)
    if fee:
        lines.append(
            LineInput(
                account=role_account(organization, AccountRole.Role.BANK_FEE), summary=text,
                debit=fee,
            )
        )  # fmt: skip
    if discount:
        side = {"debit": discount} if receipt else {"credit": discount}
        lines.append(
            LineInput(
                account=role_account(organization, AccountRole.Role.CASH_DISCOUNT),
                summary=text,
                **side,
            )
        )
    return lines


@transaction.atomic
def reverse_payment(*, payment: Payment, user=None, date=None) -> Payment:
    """红字冲销: every allocation of the receipt's item is undone, its voucher reversed."""
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.state != Payment.State.POSTED:
        raise ValidationFailed(_("Only a posted document is reversed."), field="state")
    allocations = Allocation.objects.filter(
        Q(paid_item=payment.item) | Q(owed_item=payment.item), undone=False
    )
    for allocation in allocations:
        if allocation.voucher_id == payment.voucher_id:
            _restore(allocation)  # booked with the receipt: its reversal undoes them
        else:
            undo_allocation(allocation=allocation, user=user, date=date)
    (item,) = _locked(payment.item)
    item.open_amount, item.open_base_amount = ZERO, ZERO
    item.save(update_fields=["open_amount", "open_base_amount"])
    if payment.voucher_id:
        reverse_voucher(voucher=payment.voucher, user=user, date=date)
    payment.state = Payment.State.REVERSED
    payment.save()
    return payment
