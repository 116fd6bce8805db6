"""The ledger's invariants, checked against the database (``jxc verify``, the tests and, later,
the month-end checklist). Each check returns violations as plain dicts naming the rows."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from jxc.finance.models import Account, Voucher, VoucherLine

ZERO = Decimal(0)
CENT = Decimal("0.01")


def money(value) -> Decimal:
    """A sum read back from the database: SQLite adds decimals as floats."""
    return Decimal(str(value or 0)).quantize(CENT, ROUND_HALF_UP)


def _posted(organization, since=None, until=None):
    lines = VoucherLine.objects.filter(organization=organization, posted=True)
    if since is not None:
        lines = lines.filter(date__gte=since)
    if until is not None:
        lines = lines.filter(date__lte=until)
    return lines


def check_vouchers_balance(organization, since=None, until=None) -> list[dict]:
    """Every posted voucher (dated in the range) has debits equal to its credits and total."""
    rows = (
        _posted(organization, since, until)
        .values("voucher_id", "voucher__total")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return [
        {
            "check": "voucher_balances",
            "message": _("The voucher does not balance."),
            "voucher": row["voucher_id"],
            "debit": str(money(row["debit"])),
            "credit": str(money(row["credit"])),
        }
        for row in rows
        if not money(row["debit"]) == money(row["credit"]) == row["voucher__total"]
    ]


def check_trial_balance(organization, until=None) -> list[dict]:
    """Debits equal credits over every posted line (dated ``until`` or earlier)."""
    totals = _posted(organization, until=until).aggregate(debit=Sum("debit"), credit=Sum("credit"))
    debit, credit = money(totals["debit"]), money(totals["credit"])
    if debit != credit:
        message = _("Debits %(debit)s and credits %(credit)s differ.") % {
            "debit": debit,
            "credit": credit,
        }
        return [
            {"check": "trial_balance", "message": message, "debit": str(debit),
             "credit": str(credit)}
        ]  # fmt: skip
    return []


def check_posted_lines(organization) -> list[dict]:
    """Lines carry their voucher's state, date and leaf accounts."""
    wrong = VoucherLine.objects.filter(organization=organization).filter(
        (Q(posted=True) & ~Q(voucher__state=Voucher.State.POSTED))
        | (Q(posted=False) & Q(voucher__state=Voucher.State.POSTED))
        | (Q(posted=True) & ~Q(date=F("voucher__date")))
        | Q(account__is_leaf=False)
    )
    return [{"check": "voucher_line", "line": pk} for pk in wrong.values_list("pk", flat=True)]


def account_balance(organization, accounts: list[Account], until=None) -> Decimal:
    """Debit minus credit over posted lines of ``accounts`` (dated ``until`` or earlier)."""
    lines = VoucherLine.objects.filter(organization=organization, posted=True, account__in=accounts)
    if until is not None:
        lines = lines.filter(date__lte=until)
    totals = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return money(totals["debit"]) - money(totals["credit"])


def check_partner_ledgers(organization) -> list[dict]:
    """Each control account's balance (应收, 预收, 应付, 预付) equals its open items'.

    Items, allocations and their vouchers change together and carry the same dates, so what
    holds now held at every month end: the close checks the present."""
    from jxc.finance.models import OpenItem
    from jxc.finance.services.vouchers import control_accounts

    problems = []
    for account in Account.objects.filter(pk__in=control_accounts(organization)):
        open_items = ZERO
        for kind, value in OpenItem.objects.filter(
            organization=organization, account=account
        ).values_list("kind", "open_base_amount"):
            open_items += value if kind == OpenItem.Kind.RECEIVABLE else -value
        booked = account_balance(organization, [account])
        if booked != open_items:
            problems.append(
                {
                    "check": "partner_ledger",
                    "account": account.code,
                    "books": str(booked),
                    "open_items": str(open_items),
                    "message": f"{account.code}: {booked} ≠ {open_items}",
                }
            )
    return problems


CHECKS = [check_vouchers_balance, check_trial_balance, check_posted_lines, check_partner_ledgers]


def verify_ledger(organization) -> list[dict]:
    return [problem for check in CHECKS for problem in check(organization)]
