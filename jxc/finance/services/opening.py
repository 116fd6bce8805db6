"""Opening balances (期初): what the books held before the system, entered once.

The partner ledgers' and the stock's openings come from their own documents, each booked
against 利润分配 (the account of the retained-earnings role): opening AR/AP as other
receivables / payables per partner and document, opening stock as receipts with the reason
"opening stock". The other accounts' balances are entered here, 利润分配 with the figure of
the old books: its line is what is left once the subledgers' openings are counted, and the
whole must balance (the trial balance check before the first period)."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, AccountRole, Voucher, VoucherLine
from jxc.finance.services.vouchers import (
    LineInput,
    check_line,
    check_lines,
    control_accounts,
    create_posted,
)
from jxc.finance.verify import money

OPENING = "finance.opening"
ZERO = Decimal(0)


def _already_on(organization, account, before: datetime.date) -> Decimal:
    sums = VoucherLine.objects.filter(
        organization=organization, posted=True, account=account, date__lt=before
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(sums["debit"]) - money(sums["credit"])


class OpenedElsewhere:
    """The accounts that take no opening balance here, and why: the partner ledgers' control
    accounts open with other receivables / payables per partner and document, the inventory
    account with the opening stock receipts."""

    def __init__(self, organization):
        self.controls = set(control_accounts(organization))
        self.stock = set(
            AccountRole.objects.filter(
                organization=organization, role=AccountRole.Role.INVENTORY
            ).values_list("account_id", flat=True)
        )

    def refusal(self, account) -> str | None:
        if account.pk in self.controls:
            return _("%(code)s opens with the open items of its partners.") % {"code": account.code}
        if account.pk in self.stock:
            return _("%(code)s opens with the opening stock receipts.") % {"code": account.code}
        return None


def _opening_inputs(organization, go_live: datetime.date, lines: list[dict]):
    """The lines the opening voucher books, each with the index of the entered line it comes
    from (``None`` for 利润分配's line, computed from what the subledgers booked on it)."""
    if Voucher.objects.filter(
        organization=organization, origin_type=OPENING, reversal_of__isnull=True,
        reversed_by__isnull=True,
    ).exists():  # fmt: skip
        raise ValidationFailed(
            _("The opening balances are booked already: reverse that voucher to enter them anew."),
            field="go_live",
        )
    retained = AccountRole.objects.filter(
        organization=organization, role=AccountRole.Role.RETAINED_EARNINGS
    ).first()
    if retained is None:
        raise ValidationFailed(_("Set the retained-earnings account first."), field="go_live")
    elsewhere = OpenedElsewhere(organization)
    summary = _("Opening balance")
    inputs, retained_line, retained_index = [], None, None
    for index, line in enumerate(lines):
        account = line["account"]
        refusal = elsewhere.refusal(account)
        if refusal:
            raise ValidationFailed(refusal, field=f"lines.{index}.account")
        entry = LineInput(
            account=account,
            summary=summary,
            debit=line.get("debit") or ZERO,
            credit=line.get("credit") or ZERO,
            partner=line.get("partner"),
            warehouse=line.get("warehouse"),
            department=line.get("department", ""),
            project=line.get("project", ""),
        )
        if account.pk == retained.account_id:
            retained_line, retained_index = entry, index
        else:
            inputs.append((index, entry))
    # 利润分配 already holds what the subledgers' openings credited it with
    held = _already_on(organization, retained.account, go_live)
    wanted = (retained_line.debit - retained_line.credit) if retained_line else ZERO
    rest = wanted - held
    if rest:
        inputs.append(
            (
                retained_index,
                LineInput(
                    account=retained.account,
                    summary=summary,
                    debit=max(rest, ZERO),
                    credit=max(-rest, ZERO),
                ),
            )
        )
    return inputs


def _imbalance(inputs) -> str | None:
    debit = sum((x.debit for _i, x in inputs), ZERO)
    credit = sum((x.credit for _i, x in inputs), ZERO)
    if debit == credit:
        return None
    return _(
        "The opening balances do not balance: debits %(debit)s, credits %(credit)s "
        "(with what the stock and partner openings booked)."
    ) % {"debit": debit, "credit": credit}


def _check_each(organization, inputs) -> None:
    """A voucher line's rules on every line, the error naming the entered line it comes from."""
    for index, line in inputs:
        try:
            check_line(organization, line, index=0 if index is None else index)
        except ValidationFailed as exc:
            if index is None:
                raise ValidationFailed(exc.message, field="lines") from None
            raise


@transaction.atomic
def enter_opening_balances(*, organization, go_live: datetime.date, lines: list[dict], user=None):
    """Book the opening balances of the accounts without a subledger, dated the day before
    ``go_live``. ``lines``: account, debit or credit (the balance), optional dimensions."""
    inputs = _opening_inputs(organization, go_live, lines)
    problem = _imbalance(inputs)
    if problem:
        raise ValidationFailed(problem, field="lines")
    if not inputs:
        return None
    _check_each(organization, inputs)
    booked = [line for _index, line in inputs]
    check_lines(organization, booked)
    return create_posted(
        organization=organization, date=go_live - datetime.timedelta(days=1), lines=booked,
        user=user, origin_type=OPENING, reference=str(go_live),
    )  # fmt: skip


def preview_opening_balances(*, organization, go_live: datetime.date, lines: list[dict]) -> dict:
    """What :func:`enter_opening_balances` would make of ``lines``, booking nothing: the opening
    trial balance with them, and ``problem``, the reason it would refuse them for not balancing
    (its other refusals are raised, as it raises them)."""
    inputs = _opening_inputs(organization, go_live, lines)
    _check_each(organization, inputs)
    added: dict[int, Decimal] = {}
    for _index, line in inputs:
        added[line.account.pk] = added.get(line.account.pk, ZERO) + line.debit - line.credit
    result = _trial_balance(organization, go_live, added)
    result["problem"] = _imbalance(inputs)
    return result


def opening_trial_balance(organization, go_live: datetime.date) -> dict:
    """The balances before ``go_live`` per account and whether they balance."""
    return _trial_balance(organization, go_live, {})


def _trial_balance(organization, go_live: datetime.date, added: dict[int, Decimal]) -> dict:
    rows = (
        VoucherLine.objects.filter(organization=organization, posted=True, date__lt=go_live)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    nets = dict(added)
    for row in rows:
        net = money(row["debit"]) - money(row["credit"])
        nets[row["account_id"]] = nets.get(row["account_id"], ZERO) + net
    accounts = Account.objects.in_bulk(list(nets))
    result, total_debit, total_credit = [], ZERO, ZERO
    for pk in sorted(nets, key=lambda pk: accounts[pk].code):
        net = nets[pk]
        if not net:
            continue
        account = accounts[pk]
        result.append({"account": account.pk, "code": account.code, "name": account.name,
                       "debit": max(net, ZERO), "credit": max(-net, ZERO)})  # fmt: skip
        total_debit += max(net, ZERO)
        total_credit += max(-net, ZERO)
    return {"rows": result, "debit": total_debit, "credit": total_credit,
            "balanced": total_debit == total_credit}  # fmt: skip
