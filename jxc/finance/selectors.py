"""Reads of the ledger: the trial balance (科目余额表) and an account's detail ledger."""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from jxc.finance.models import Account, VoucherLine

ZERO = Decimal(0)
CENT = Decimal("0.01")
FIGURES = ("opening", "debit", "credit", "year_debit", "year_credit", "closing")


def _money(value) -> Decimal:
    return Decimal(str(value or 0)).quantize(CENT, ROUND_HALF_UP)


def _sums(organization, **dates) -> dict[int, tuple[Decimal, Decimal]]:
    rows = (
        VoucherLine.objects.filter(organization=organization, posted=True, **dates)
        .values("account_id")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    )
    return {r["account_id"]: (_money(r["debit"]), _money(r["credit"])) for r in rows}


def trial_balance(
    organization, date_from: datetime.date, date_to: datetime.date, *, include_zero: bool = False
) -> dict:
    """Per account: opening and closing balance (debit minus credit), the period's debits and
    credits and the year's to ``date_to``; parents sum their children. ``rows`` in code order,
    ``totals`` over the top-level accounts (debits equal credits when the ledger balances)."""
    before = _sums(organization, date__lt=date_from)
    during = _sums(organization, date__gte=date_from, date__lte=date_to)
    year = _sums(organization, date__gte=date_to.replace(month=1, day=1), date__lte=date_to)
    accounts = list(Account.objects.filter(organization=organization).order_by("code"))
    figures: dict[int, dict] = defaultdict(lambda: dict.fromkeys(FIGURES, ZERO))
    by_pk = {a.pk: a for a in accounts}
    for account in accounts:
        if not account.is_leaf:
            continue
        opening_debit, opening_credit = before.get(account.pk, (ZERO, ZERO))
        debit, credit = during.get(account.pk, (ZERO, ZERO))
        year_debit, year_credit = year.get(account.pk, (ZERO, ZERO))
        own = {
            "opening": opening_debit - opening_credit,
            "debit": debit,
            "credit": credit,
            "year_debit": year_debit,
            "year_credit": year_credit,
            "closing": opening_debit - opening_credit + debit - credit,
        }
        node = account
        while node is not None:  # the leaf and each of its parents
            for name, value in own.items():
                figures[node.pk][name] += value
            node = by_pk.get(node.parent_id)
    rows = []
    totals = dict.fromkeys(
        ("opening_debit", "opening_credit", "debit", "credit", "year_debit", "year_credit",
         "closing_debit", "closing_credit"),
        ZERO,
    )  # fmt: skip
    for account in accounts:
        found = figures.get(account.pk)
        if found is None or (not include_zero and not any(found.values())):
            if not include_zero:
                continue
            found = dict.fromkeys(FIGURES, ZERO)
        row = {
            "account": account.pk,
            "code": account.code,
            "name": account.name,
            "level": _level(account, by_pk),
            "is_leaf": account.is_leaf,
            "direction": account.direction,
            "opening_debit": max(found["opening"], ZERO),
            "opening_credit": max(-found["opening"], ZERO),
            "debit": found["debit"],
            "credit": found["credit"],
            "year_debit": found["year_debit"],
            "year_credit": found["year_credit"],
            "closing_debit": max(found["closing"], ZERO),
            "closing_credit": max(-found["closing"], ZERO),
        }
        rows.append(row)
        if account.parent_id is None:
            for name in totals:
                totals[name] += row[name]
    return {"rows": rows, "totals": totals, "balanced": _balanced(totals)}


def _level(account, by_pk) -> int:
    level, node = 1, account
    while node.parent_id is not None:
        level, node = level + 1, by_pk[node.parent_id]
    return level


def _balanced(totals: dict) -> bool:
    return (
        totals["opening_debit"] == totals["opening_credit"]
        and totals["debit"] == totals["credit"]
        and totals["closing_debit"] == totals["closing_credit"]
    )


MAX_LEDGER_LINES = 5000


def _net(lines) -> Decimal:
    sums = lines.aggregate(debit=Sum("debit"), credit=Sum("credit"))
    return _money(sums["debit"]) - _money(sums["credit"])


def account_ledger(
    organization, account: Account, date_from: datetime.date, date_to: datetime.date
) -> dict:
    """明细账: the posted lines of an account (and its sub-accounts) with a running balance."""
    leaves = Account.objects.filter(
        organization=organization, code__startswith=account.code, is_leaf=True
    )
    posted = VoucherLine.objects.filter(organization=organization, posted=True, account__in=leaves)
    opening = _net(posted.filter(date__lt=date_from))
    closing = _net(posted.filter(date__lte=date_to))
    lines = (
        posted.filter(date__gte=date_from, date__lte=date_to)
        .select_related("voucher", "account")
        .order_by("date", "voucher__word", "voucher__number", "position")
    )
    balance, rows = opening, []
    for line in lines[:MAX_LEDGER_LINES]:
        balance += line.debit - line.credit
        rows.append(
            {
                "date": line.date,
                "voucher": line.voucher_id,
                "voucher_number": line.voucher.display_number,
                "account_code": line.account.code,
                "summary": line.summary,
                "debit": line.debit,
                "credit": line.credit,
                "balance": balance,
                "origin_type": line.voucher.origin_type,
                "origin_id": line.voucher.origin_id,
                "reference": line.voucher.reference,
            }
        )
    truncated = len(rows) == MAX_LEDGER_LINES and lines[MAX_LEDGER_LINES:].exists()
    return {"opening": opening, "closing": closing, "rows": rows, "truncated": truncated}


# --- partner ledgers -------------------------------------------------------------------------

DEFAULT_BUCKETS = (30, 60, 90, 180)


def ageing(
    organization, kind: str, as_of: datetime.date, buckets=DEFAULT_BUCKETS, basis: str = "due_date"
) -> dict:
    """账龄: per partner, the open base amount by days past ``basis`` (the due date, or the
    document date) on ``as_of``: not yet due, then one column per bucket (1–30, 31–60 …, and
    over the last). Summed in the database: one row per partner and bucket."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from jxc.finance.models import OpenItem

    edges = sorted({int(b) for b in buckets})
    whens = [When(Q(**{f"{basis}__gte": as_of}), then=Value(0))]
    for index, days in enumerate(edges):
        whens.append(
            When(
                Q(**{f"{basis}__gte": as_of - datetime.timedelta(days=days)}), then=Value(index + 1)
            )
        )
    bucket = Case(*whens, default=Value(len(edges) + 1), output_field=IntegerField())
    rows = (
        OpenItem.objects.filter(organization=organization, kind=kind)
        .exclude(open_amount=0)
        .annotate(bucket=bucket)
        .values("partner_id", "partner__code", "partner__name", "bucket")
        .annotate(amount=Sum("open_base_amount"))
    )
    width = len(edges) + 2
    partners: dict[int, dict] = {}
    for row in rows:
        entry = partners.setdefault(
            row["partner_id"],
            {
                "partner": row["partner_id"],
                "partner_code": row["partner__code"],
                "partner_name": row["partner__name"],
                "total": ZERO,
                "buckets": [ZERO] * width,
            },
        )
        amount = _money(row["amount"])
        entry["buckets"][row["bucket"]] += amount
        entry["total"] += amount
    labels = ["not_due", *[f"{a + 1}-{b}" for a, b in zip([0, *edges], edges, strict=False)],
              f">{edges[-1]}"]  # fmt: skip
    ordered = sorted(partners.values(), key=lambda e: e["partner_code"])
    totals = [sum((e["buckets"][i] for e in ordered), ZERO) for i in range(width)]
    return {"labels": labels, "rows": ordered, "totals": totals,
            "total": sum(totals, ZERO)}  # fmt: skip


def statement(
    organization, partner, kind: str, currency, date_from: datetime.date, date_to: datetime.date
) -> dict:
    """对账单: a partner's items in one currency, owed (+) and paid (−), and what was written
    off, with the running balance, from the balance before ``date_from``."""
    from jxc.finance.models import Allocation, OpenItem

    items = OpenItem.objects.filter(
        organization=organization, partner=partner, kind=kind, currency=currency
    )
    write_offs = Allocation.objects.filter(
        organization=organization,
        owed_item__partner=partner,
        owed_item__kind=kind,
        owed_item__currency=currency,
        write_off_account__isnull=False,
        undone=False,
    ).select_related("owed_item")

    def written(allocation) -> Decimal:  # a write-off takes from the item's side
        return -allocation.amount if allocation.owed_item.amount > 0 else allocation.amount

    opening = _money(items.filter(date__lt=date_from).aggregate(s=Sum("amount"))["s"]) + sum(
        (written(a) for a in write_offs.filter(date__lt=date_from)), ZERO
    )
    entries = [
        (i.date, i.pk, i.reference, i.document_type, i.summary, i.amount, i.due_date)
        for i in items.filter(date__gte=date_from, date__lte=date_to)
    ] + [
        (a.date, 10**12 + a.pk, a.owed_item.reference, "finance.writeoff", "", written(a), None)
        for a in write_offs.filter(date__gte=date_from, date__lte=date_to)
    ]
    balance, rows = opening, []
    for day, _key, reference, document_type, summary, amount, due in sorted(entries):
        balance += amount
        rows.append(
            {
                "date": day,
                "reference": reference,
                "document_type": document_type,
                "summary": summary,
                "due_date": due,
                "increase": max(amount, ZERO),
                "decrease": max(-amount, ZERO),
                "balance": balance,
            }
        )
    return {"opening": opening, "closing": balance, "rows": rows}


def general_ledger(organization, account: Account, year: int) -> dict:
    """总账: an account (with its sub-accounts) month by month over a year: the opening balance,
    each month's debits and credits, the balance after it, and the year to date."""
    from django.db.models.functions import ExtractMonth

    leaves = Account.objects.filter(
        organization=organization, code__startswith=account.code, is_leaf=True
    )
    posted = VoucherLine.objects.filter(organization=organization, posted=True, account__in=leaves)
    start = datetime.date(year, 1, 1)
    opening = _net(posted.filter(date__lt=start))
    months = {
        row["month"]: (_money(row["debit"]), _money(row["credit"]))
        for row in posted.filter(date__gte=start, date__lte=datetime.date(year, 12, 31))
        .annotate(month=ExtractMonth("date"))
        .values("month")
        .annotate(debit=Sum("debit"), credit=Sum("credit"))
    }
    balance, year_debit, year_credit, rows = opening, ZERO, ZERO, []
    for month in range(1, 13):
        debit, credit = months.get(month, (ZERO, ZERO))
        balance += debit - credit
        year_debit += debit
        year_credit += credit
        rows.append(
            {
                "month": month,
                "debit": debit,
                "credit": credit,
                "balance": balance,
                "year_debit": year_debit,
                "year_credit": year_credit,
            }
        )
    return {"account": account.pk, "code": account.code, "name": account.name,
            "direction": account.direction, "opening": opening, "rows": rows}  # fmt: skip
