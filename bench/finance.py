"""Finance figures: the trial balance (科目余额表) of a year over a journal of 1,000,000 lines,
and AR ageing over 100,000 open items.
(Posting stock documents, each with its voucher, is measured in ``bench.inventory``.)"""

import datetime
import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jxc.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from bench.run import summarize  # noqa: E402

JOURNAL_LINES = int(os.environ.get("JXC_BENCH_JOURNAL_LINES", "1000000"))
OPEN_ITEMS = int(os.environ.get("JXC_BENCH_OPEN_ITEMS", "100000"))
PARTNERS = 1000
LINES_PER_VOUCHER = 4


def grow_journal(org) -> int:
    """JOURNAL_LINES posted lines over 2025 on the chart's leaf accounts, straight in SQL:
    vouchers of four lines (two debits, two credits of equal amounts) so the ledger balances."""
    from jxc.finance.models import Account, Period
    from jxc.finance.services.periods import open_period

    leaves = list(
        Account.objects.filter(organization=org, is_leaf=True, dimensions={}).values_list(
            "pk", flat=True
        )
    )
    for month in range(1, 13):
        open_period(org, datetime.date(2025, month, 1))
    periods = dict(Period.objects.filter(organization=org, year=2025).values_list("month", "pk"))
    vouchers = JOURNAL_LINES // LINES_PER_VOUCHER
    accounts = "ARRAY[" + ",".join(str(pk) for pk in leaves) + "]"
    n = len(leaves)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO finance_voucher (organization_id, word, number, date, period_id, "
                "state, attachments, note, origin_type, reference, total, created_at) "
                f"SELECT {org.pk}, '记', i + 1, DATE '2025-01-01' + (i % 365), "
                "(ARRAY[" + ",".join(str(periods[m]) for m in range(1, 13)) + "])"
                "[extract(month FROM DATE '2025-01-01' + (i % 365))::int], "
                "'posted', 0, '', 'bench', '', 200, now() "
                f"FROM generate_series(0, {vouchers - 1}) AS i"
            )
            cursor.execute(
                "INSERT INTO finance_voucherline (voucher_id, organization_id, position, summary, "
                "account_id, debit, credit, date, posted, department, project) "
                f"SELECT v.id, {org.pk}, k, 'bench', "
                f"({accounts})[1 + ((v.id * 7 + k * 13) % {n})], "
                "CASE WHEN k < 2 THEN 100 ELSE 0 END, CASE WHEN k >= 2 THEN 100 ELSE 0 END, "
                "v.date, true, '', '' FROM finance_voucher v, generate_series(0, 3) AS k "
                "WHERE v.origin_type = 'bench'"
            )
            cursor.execute("ANALYZE finance_voucherline")
        else:
            for month in range(1, 13):
                cursor.execute(
                    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                    f"WHERE i < {vouchers // 12 - 1}) "
                    "INSERT INTO finance_voucher (organization_id, word, number, date, "
                    "period_id, state, attachments, note, origin_type, reference, total, "
                    f"created_at) SELECT {org.pk}, '记', {month} * 1000000 + i, "
                    f"date('2025-{month:02d}-01', '+' || (i % 28) || ' days'), "
                    f"{periods[month]}, 'posted', 0, '', 'bench', '', 200, "
                    "CURRENT_TIMESTAMP FROM n"
                )
            cursor.execute(
                "WITH k(k) AS (VALUES (0), (1), (2), (3)) "
                "INSERT INTO finance_voucherline (voucher_id, organization_id, position, "
                "summary, account_id, debit, credit, date, posted, department, project) "
                f"SELECT v.id, {org.pk}, k.k, 'bench', "
                f"json_extract('[{','.join(str(pk) for pk in leaves)}]', "
                f"'$[' || ((v.id * 7 + k.k * 13) % {n}) || ']'), "
                "CASE WHEN k.k < 2 THEN 100 ELSE 0 END, "
                "CASE WHEN k.k >= 2 THEN 100 ELSE 0 END, v.date, 1, '', '' "
                "FROM finance_voucher v, k WHERE v.origin_type = 'bench'"
            )
            cursor.execute("ANALYZE")
    return vouchers * LINES_PER_VOUCHER


def bench_trial_balance(org) -> dict:
    from jxc.finance.selectors import trial_balance

    lines = grow_journal(org)
    year = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        result = trial_balance(org, *year)
        samples.append((time.perf_counter() - started) * 1000)
    assert result["balanced"], result["totals"]
    month = trial_balance(org, datetime.date(2025, 12, 1), datetime.date(2025, 12, 31))
    assert month["balanced"]
    return {"journal_lines": lines, "year_ms": summarize(samples)}


def bench_ageing(org) -> dict:
    """AR ageing over OPEN_ITEMS open receivables of 1,000 customers, spread over two years."""
    from jxc.finance.models import AccountRole
    from jxc.finance.selectors import ageing
    from jxc.masterdata.models import Currency, Partner

    Partner.objects.bulk_create(
        [
            Partner(organization=org, code=f"C{i:04d}", name=f"客户{i}", is_customer=True)
            for i in range(PARTNERS)
        ],
        batch_size=1000,
    )
    first = Partner.objects.get(organization=org, code="C0000").pk
    account = AccountRole.objects.get(organization=org, role="receivable").account_id
    currency = Currency.objects.get(organization=org, is_base=True).pk
    columns = (
        "organization_id, kind, partner_id, account_id, document_type, reference, date, "
        "due_date, currency_id, rate, amount, base_amount, open_amount, open_base_amount, "
        "summary, created_at"
    )
    body = (
        f"{org.pk}, 'receivable', {first} + (i % {PARTNERS}), {account}, 'bench', 'B', "
        "{date}, {due}, " + f"{currency}, 1, 100, 100, 50 + i % 50, 50 + i % 50, '', "
        "CURRENT_TIMESTAMP"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            date = "DATE '2025-01-01' + (i % 700)"
            cursor.execute(
                f"INSERT INTO finance_openitem ({columns}) SELECT "
                + body.format(date=date, due=f"{date} + 30")
                + f" FROM generate_series(0, {OPEN_ITEMS - 1}) AS i"
            )
            cursor.execute("ANALYZE finance_openitem")
        else:
            date = "date('2025-01-01', '+' || (i % 700) || ' days')"
            due = "date('2025-01-31', '+' || (i % 700) || ' days')"
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n "
                f"WHERE i < {OPEN_ITEMS - 1}) INSERT INTO finance_openitem ({columns}) "
                "SELECT " + body.format(date=date, due=due) + " FROM n"
            )
    as_of = datetime.date(2026, 11, 30)
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        result = ageing(org, "receivable", as_of)
        samples.append((time.perf_counter() - started) * 1000)
    assert len(result["rows"]) == PARTNERS
    return {"open_items": OPEN_ITEMS, "partners": PARTNERS, "ms": summarize(samples)}


def main(backend: str) -> None:
    from jxc.core.models import User
    from jxc.core.services.organizations import create_organization

    settings.ALLOWED_HOSTS = ["*"]
    old = setup_databases(verbosity=0, interactive=False, keepdb=False)
    try:
        user = User.objects.create(username="bench")
        org = create_organization(code="BENCH", name="基准公司", creator=user)
        result = {
            "benchmark": "finance",
            "backend": backend,
            "trial_balance": bench_trial_balance(org),
            "ar_ageing": bench_ageing(org),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)
    finally:
        connections.close_all()
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main(sys.argv[1])
