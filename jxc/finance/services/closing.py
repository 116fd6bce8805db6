"""The finance side of the month-end close: carrying profit and loss forward, and the checks
finance itself knows (see :mod:`jxc.finance.closing` for the registry)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance import verify
from jxc.finance.closing import close_checks, close_steps
from jxc.finance.models import Account, AccountRole, Period, Voucher, VoucherLine
from jxc.finance.services.vouchers import LineInput, create_posted
from jxc.finance.verify import money

ZERO = Decimal(0)
CARRY_FORWARD = "finance.carry_forward"


def _period_sums(organization, period, **filters) -> dict[int, Decimal]:
    rows = (
        VoucherLine.objects.filter(
            organization=organization,
            posted=True,
            date__gte=period.start,
            date__lte=period.end,
            **filters,
        )
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return {r["account_id"]: money(r["debit"]) - money(r["credit"]) for r in rows}


def _role(organization, role: str) -> Account:
    found = AccountRole.objects.filter(organization=organization, role=role).first()
    if found is None:
        raise ValidationFailed(
            _("Set the account of the role “%(role)s” first.")
            % {"role": AccountRole.Role(role).label},
            field="account_roles",
        )
    return found.account


def carry_forward(organization, period, user) -> Voucher | None:
    """期末结转损益: each profit-and-loss account's balance of the period to 本年利润, as one
    voucher (转) on the period's last day; in December 本年利润's year to 利润分配 as well.
    Closing again after a reopen carries only what was booked since."""
    profit = _role(organization, AccountRole.Role.PROFIT_OF_YEAR)
    balances = _period_sums(organization, period, account__type=Account.Type.PROFIT_LOSS)
    accounts = Account.objects.in_bulk(list(balances))
    lines, net = [], ZERO
    summary = _("Profit and loss carried forward %(period)s") % {"period": period}
    for account_id, balance in sorted(balances.items(), key=lambda item: accounts[item[0]].code):
        if not balance:
            continue
        line = LineInput(account=accounts[account_id], summary=summary)
        if balance > 0:
            line.credit = balance  # an expense: emptied by a credit
        else:
            line.debit = -balance  # a revenue
        lines.append(line)
        net += balance
    if net:
        side = {"debit": net} if net > 0 else {"credit": -net}
        lines.append(LineInput(account=profit, summary=summary, **side))
    if period.month == 12:
        lines += _year_profit_to_retained(organization, period, profit, net)
    if len(lines) < 2:
        return None
    return create_posted(
        organization=organization,
        date=period.end,
        lines=lines,
        user=user,
        word=Voucher.Word.TRANSFER,
        origin_type=CARRY_FORWARD,
        reference=str(period),
    )


def _year_profit_to_retained(organization, period, profit, carried) -> list[LineInput]:
    """At year end the year's profit (本年利润's balance, with what is carried now) goes to
    利润分配."""
    retained = _role(organization, AccountRole.Role.RETAINED_EARNINGS)
    sums = VoucherLine.objects.filter(
        organization=organization, posted=True, account=profit, date__lte=period.end
    ).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    balance = money(sums["debit"]) - money(sums["credit"]) + carried
    if not balance:
        return []
    summary = _("Profit of the year %(year)s to profit distribution") % {"year": period.year}
    if balance < 0:  # a profit: 本年利润 has a credit balance
        return [
            LineInput(account=profit, summary=summary, debit=-balance),
            LineInput(account=retained, summary=summary, credit=-balance),
        ]
    return [
        LineInput(account=retained, summary=summary, debit=balance),
        LineInput(account=profit, summary=summary, credit=balance),
    ]


def check_month_ended(organization, period) -> list[dict]:
    if period.end < timezone.localdate():
        return []
    return [{"message": _("%(period)s has not ended yet.") % {"period": period}}]


def check_earlier_closed(organization, period) -> list[dict]:
    earlier = Period.objects.filter(
        organization=organization, start__lt=period.start, state=Period.State.OPEN
    )
    return [
        {"message": _("%(period)s is still open.") % {"period": p}, "period": p.pk} for p in earlier
    ]


def check_drafts(organization, period) -> list[dict]:
    drafts = Voucher.objects.filter(
        organization=organization,
        state=Voucher.State.DRAFT,
        date__gte=period.start,
        date__lte=period.end,
    )
    return [
        {"message": _("Draft voucher of %(date)s.") % {"date": v.date}, "voucher": v.pk}
        for v in drafts[:100]
    ]


def check_vouchers_balance(organization, period) -> list[dict]:
    return verify.check_vouchers_balance(organization, since=period.start, until=period.end)


def check_trial_balance(organization, period) -> list[dict]:
    return verify.check_trial_balance(organization, until=period.end)


def check_partner_ledgers(organization, period) -> list[dict]:
    return verify.check_partner_ledgers(organization)


def checklist(organization, period) -> list[dict]:
    """Every registered check run now: the checklist shown before closing."""
    results = []
    for check in close_checks():
        problems = check.run(organization, period)
        results.append(
            {"code": check.code, "label": str(check.label), "ok": not problems,
             "problems": problems[:100]}
        )  # fmt: skip
    return results


@transaction.atomic
def close_period(*, period: Period, user) -> Period:
    """Run the close's steps, then its checks; close only when every check passes (otherwise
    nothing of the steps is kept either)."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state == Period.State.CLOSED:
        raise ValidationFailed(_("This period is already closed."), field="state")
    organization = period.organization
    for step in close_steps():
        step.run(organization, period, user)
    failed = [item for item in checklist(organization, period) if not item["ok"]]
    if failed:
        raise ValidationFailed(
            _("The period cannot close: %(checks)s.")
            % {"checks": "; ".join(f"{item['label']} ({item['problems'][0]['message']})"
                                   for item in failed)},
            field="checklist",
            code="close_checks_failed",
        )  # fmt: skip
    period.state = Period.State.CLOSED
    period.closed_at, period.closed_by = timezone.now(), user
    period.save()
    return period
