"""Month-end steps of finance's own: the revaluation of what is open in foreign currency, and
the transfer of unpaid VAT (转出未交增值税)."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from jxc.finance.models import Account, AccountRole, OpenItem, Voucher, VoucherLine
from jxc.finance.services.receivables import role_account
from jxc.finance.services.vouchers import (
    LineInput,
    control_accounts,
    create_posted,
    reverse_voucher,
)
from jxc.finance.verify import money
from jxc.masterdata.models import Currency, Partner
from jxc.masterdata.selectors import rate_on

ZERO = Decimal(0)
CENT = Decimal("0.01")
FX_REVALUATION = "finance.fx_revaluation"
VAT_TRANSFER = "finance.vat_transfer"


def _at(amount: Decimal, rate: Decimal) -> Decimal:
    return (amount * rate).quantize(CENT, ROUND_HALF_UP)


def _booked_before(organization, period) -> dict[tuple, Decimal]:
    """What earlier closes of this period revalued (a period reopened and closed again)."""
    lines = VoucherLine.objects.filter(
        organization=organization,
        voucher__origin_type=FX_REVALUATION,
        voucher__reference=str(period),
        voucher__reversal_of__isnull=True,
    )
    found: dict[tuple, Decimal] = defaultdict(Decimal)
    for account_id, partner_id, debit, credit in lines.values_list(
        "account_id", "partner_id", "debit", "credit"
    ):
        found[(account_id, partner_id)] += debit - credit
    return found


def revalue_foreign_currency(organization, period, user) -> Voucher | None:
    """期末调汇: open items and foreign-currency accounts at the rate of the period's last day;
    the difference to 财务费用-汇兑损益, reversed on the next period's first day (the items keep
    their booked base amounts until they are settled, when the realised difference is booked)."""
    rates: dict[int, Decimal] = {}

    def rate(currency_id) -> Decimal:
        if currency_id not in rates:
            currency = Currency.objects.get(pk=currency_id)
            rates[currency_id] = rate_on(currency=currency, on_date=period.end)
        return rates[currency_id]

    wanted: dict[tuple, Decimal] = defaultdict(Decimal)  # (account, partner) → balance change
    items = (
        OpenItem.objects.filter(organization=organization, date__lte=period.end)
        .exclude(open_amount=0)
        .exclude(currency__is_base=True)
        .values("account_id", "partner_id", "kind", "currency_id")
        .annotate(amount=Sum("open_amount"), base=Sum("open_base_amount"))
    )
    for row in items:
        sign = 1 if row["kind"] == OpenItem.Kind.RECEIVABLE else -1
        target = _at(Decimal(row["amount"]), rate(row["currency_id"]))
        wanted[(row["account_id"], row["partner_id"])] += sign * (target - money(row["base"]))
    # foreign-currency accounts (a dollar bank account); partner ledger accounts are revalued
    # through their items above
    for account in (
        Account.objects.filter(organization=organization, is_leaf=True, currency__isnull=False)
        .exclude(currency__is_base=True)
        .exclude(pk__in=control_accounts(organization))
    ):
        sums = VoucherLine.objects.filter(
            organization=organization, posted=True, account=account, date__lte=period.end
        ).aggregate(
            debit=Sum("debit"),
            credit=Sum("credit"),
            original_in=Sum("original_amount", filter=~Q(debit=0)),
            original_out=Sum("original_amount", filter=~Q(credit=0)),
        )
        in_currency = money(sums["original_in"]) - money(sums["original_out"])
        booked = money(sums["debit"]) - money(sums["credit"])
        wanted[(account.pk, None)] += _at(in_currency, rate(account.currency_id)) - booked
    before = _booked_before(organization, period)
    accounts = Account.objects.in_bulk({key[0] for key in wanted})
    partners = Partner.objects.in_bulk({key[1] for key in wanted if key[1]})
    summary = _("Exchange revaluation %(period)s") % {"period": period}
    lines, total = [], ZERO
    for (account_id, partner_id), change in sorted(wanted.items(), key=lambda kv: str(kv[0])):
        if partner_id is not None:  # an account's balance already holds what was revalued
            change -= before.get((account_id, partner_id), ZERO)
        if not change:
            continue
        line = LineInput(account=accounts[account_id], summary=summary,
                         partner=partners.get(partner_id))  # fmt: skip
        setattr(line, "debit" if change > 0 else "credit", abs(change))
        lines.append(line)
        total += change
    if not lines:
        return None
    exchange = role_account(organization, AccountRole.Role.FINANCE_EXPENSE)
    lines.append(LineInput(account=exchange, summary=summary,
                           **({"credit": total} if total > 0 else {"debit": -total})))  # fmt: skip
    voucher = create_posted(
        organization=organization, date=period.end, lines=lines, user=user, word="转",
        origin_type=FX_REVALUATION, reference=str(period),
    )  # fmt: skip
    reverse_voucher(voucher=voucher, user=user, date=period.end + datetime.timedelta(days=1))
    return voucher


def transfer_unpaid_vat(organization, period, user) -> Voucher | None:
    """转出未交增值税: what the month's output VAT (and input VAT transferred out) exceeds its
    input VAT by, from 应交增值税 to 未交增值税. An excess of input VAT stays where it is, to
    be deducted next month (留抵)."""
    roles = {
        r.role: r.account
        for r in AccountRole.objects.filter(
            organization=organization,
            role__in=["input_vat", "output_vat", "input_vat_out", "vat_transfer_out", "unpaid_vat"],
        ).select_related("account")
    }
    if len(roles) < 5:
        return None
    sums = {
        row["account_id"]: money(row["credit"]) - money(row["debit"])
        for row in VoucherLine.objects.filter(
            organization=organization,
            posted=True,
            date__lte=period.end,
            account__in=[roles["input_vat"], roles["output_vat"], roles["input_vat_out"],
                         roles["vat_transfer_out"]],
        )
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    }  # fmt: skip
    # the credit balance of the VAT columns, what was transferred out already included
    owed = sum(sums.values(), ZERO)
    if owed <= 0:
        return None
    summary = _("Unpaid VAT transferred out %(period)s") % {"period": period}
    return create_posted(
        organization=organization,
        date=period.end,
        lines=[
            LineInput(account=roles["vat_transfer_out"], summary=summary, debit=owed),
            LineInput(account=roles["unpaid_vat"], summary=summary, credit=owed),
        ],
        user=user,
        word="转",
        origin_type=VAT_TRANSFER,
        reference=str(period),
    )
