"""The posting service: the apps below the ledger hand it business amounts (an event of a
document, with what the rules may look at); it books them through the posting rules as one
voucher, in the caller's transaction, or refuses the whole posting.

An amount books the rule's debit and credit. A negative amount books the opposite sides, as
a change the other way; a red one (a reversal) books the rule's own sides with negative
amounts (红字), as the document it cancels did in black.

A side that books the stock of a warehouse (the caller says which) books to that warehouse's
inventory account (:class:`WarehouseAccount`) where it has one, instead of the rule's. An entry
whose two sides end on one account books nothing (a transfer between warehouses kept in the
same account)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.batch import Joined, fetch, row_source, run_statements
from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, PostingRule, Voucher, WarehouseAccount
from jxc.finance.services.chart import ensure_finance_defaults
from jxc.finance.services.periods import open_period, period_statement
from jxc.finance.services.vouchers import LineInput, create_posted

ZERO = Decimal(0)


@dataclass(frozen=True)
class Entry:
    document_type: str
    event: str
    amount: Decimal
    from_kind: str = ""
    to_kind: str = ""
    reason: str = ""
    category_id: int | None = None
    tax_rate_id: int | None = None
    warehouse_id: int | None = None
    partner_id: int | None = None
    red: bool = False
    summary: str = ""
    # the warehouses whose stock the debit / the credit books (None: that side is no warehouse's
    # stock); such a side books to the warehouse's inventory account, where it has one
    debit_warehouse_id: int | None = None
    credit_warehouse_id: int | None = None
    # an account the caller chose for the debit (an expense line's account, checked by the
    # caller), instead of the rule's; and the debit's department and project (辅助核算)
    debit_account: Account | None = None
    department: str = ""
    project: str = ""

    def side_warehouse(self, side: str) -> int | None:
        """The warehouse dimension of the ``side`` line."""
        stock = self.debit_warehouse_id if side == "debit" else self.credit_warehouse_id
        return stock or self.warehouse_id


@dataclass
class Rule:
    """A posting rule as matching needs it (rules are read with every stock posting)."""

    pk: int
    document_type: str
    event: str
    from_kind: str
    to_kind: str
    reason: str
    category_id: int | None
    tax_rate_id: int | None
    debit_account: Account
    credit_account: Account
    summary: str

    def specificity(self) -> int:
        return sum(1 for name in PostingRule.CONDITIONS if getattr(self, name))


class Rules:
    """The organization's active rules for the document types and events at hand, with their
    accounts, read once per posting in one prepared query (this runs with every stock
    posting)."""

    def __init__(self, organization, entries: list[Entry], rows=None):
        """``rows``: what :func:`rules_statement` read, when the caller ran it."""
        connection = transaction.get_connection()
        if rows is None:
            rows = fetch(connection, *rules_statement(connection, organization, entries))
        if not rows and not Account.objects.filter(organization=organization).exists():
            ensure_finance_defaults(organization)  # an organization made before finance existed
            return self.__init__(organization, entries)
        read, accounts = _rules_read(connection), {}
        self.by_key = defaultdict(list)
        for row in rows:
            found = read.part(row, "r")
            for alias, key in (("d", found.debit_account_id), ("c", found.credit_account_id)):
                if key not in accounts:  # rules share accounts: read each once
                    accounts[key] = read.part(row, alias)
            rule = Rule(
                found.pk,
                found.document_type,
                found.event,
                *(getattr(found, name) for name in PostingRule.CONDITIONS),
                accounts[found.debit_account_id],
                accounts[found.credit_account_id],
                found.summary,
            )
            self.by_key[(rule.document_type, rule.event)].append(rule)
        for found in self.by_key.values():
            found.sort(key=lambda r: (-r.specificity(), -r.pk))

    def match(self, entry: Entry) -> Rule:
        candidates = [
            *self.by_key.get((entry.document_type, entry.event), []),
            *self.by_key.get(("", entry.event), []),
        ]
        for rule in candidates:
            if all(
                not getattr(rule, name) or getattr(rule, name) == getattr(entry, name)
                for name in PostingRule.CONDITIONS
            ):
                return rule
        raise ValidationFailed(
            _(
                "No posting rule books %(document)s / %(event)s: add one under Finance → Posting rules."
            )
            % {"document": entry.document_type, "event": entry.event},
            field="posting_rule",
            code="no_posting_rule",
        )


def rules_statement(connection, organization, entries: list[Entry]) -> tuple[str, list]:
    """The read of the active rules (and their accounts) that may book ``entries``."""
    types = row_source(
        connection, [("t", "text")], [(t,) for t in {*(e.document_type for e in entries), ""}]
    )  # "": a rule for any document type
    events = row_source(connection, [("e", "text")], [(e,) for e in {e.event for e in entries}])
    return (
        _rules_read(connection).sql.format(types=types[0], events=events[0]),
        [organization.pk, *types[1], *events[1]],
    )


_reads: dict[str, Joined] = {}


def _rules_read(connection) -> Joined:
    if connection.vendor not in _reads:
        rule = connection.ops.quote_name(PostingRule._meta.db_table)
        account = connection.ops.quote_name(Account._meta.db_table)
        _reads[connection.vendor] = Joined(
            connection,
            [("r", PostingRule), ("d", Account), ("c", Account)],
            f"SELECT {{columns}} FROM {rule} r "
            f"JOIN {account} d ON d.id = r.debit_account_id "
            f"JOIN {account} c ON c.id = r.credit_account_id "
            "WHERE r.organization_id = %s AND r.is_active "
            "AND r.document_type IN ({types}) AND r.event IN ({events})",
        )
    return _reads[connection.vendor]


def post_entries(
    *,
    organization,
    date: datetime.date,
    entries: list[Entry],
    reference: str = "",
    origin_type: str = "",
    origin_id: int | None = None,
    summary: str = "",
    user=None,
    also=(),
    read=None,
) -> Voucher | None:
    """Book ``entries`` as one posted voucher (None when every amount is zero). ``also``: the
    caller's statements, run with the voucher's writes (or alone if nothing is booked).
    ``read``: the results of :func:`entry_reads` of the same entries and date, when the caller
    ran them with its own statements."""
    connection = transaction.get_connection()
    entries = [e for e in entries if e.amount]
    if not entries:
        return _nothing_booked(connection, also)
    if read is None:
        read = run_statements(connection, entry_reads(connection, organization, date, entries))
    rule_rows, period_rows, *account_rows = read
    rules = Rules(organization, entries, rule_rows)
    kept_in = _warehouse_accounts(connection, account_rows[0] if account_rows else [])
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    for entry in entries:
        rule = rules.match(entry)
        amount = entry.amount
        debit = entry.debit_account or kept_in.get(entry.debit_warehouse_id, rule.debit_account)
        credit = kept_in.get(entry.credit_warehouse_id, rule.credit_account)
        if debit.pk == credit.pk:
            continue  # from an account to itself: nothing moves
        debit_side, credit_side = "debit", "credit"
        if amount < 0 and not entry.red:
            debit, credit, amount = credit, debit, -amount
            debit_side, credit_side = credit_side, debit_side
        text = entry.summary or rule.summary or summary
        for account, side, named in ((debit, "debit", debit_side), (credit, "credit", credit_side)):
            analytic = (entry.department, entry.project) if named == "debit" else ("", "")
            key = (account, side, text, entry.side_warehouse(named), entry.partner_id, *analytic)
            sums[key] += amount
    lines = [
        _line(account, side, text, amount, warehouse_id, partner_id, reference, analytic)
        for (account, side, text, warehouse_id, partner_id, *analytic), amount in sums.items()
        if amount
    ]
    if not lines:
        return _nothing_booked(connection, also)
    lines.sort(key=lambda line: (line.debit == 0, line.account.code))
    return create_posted(
        organization=organization,
        date=date,
        period=open_period(organization, date, read=period_rows),
        lines=lines,
        user=user,
        origin_type=origin_type,
        origin_id=origin_id,
        reference=reference,
        also=also,
    )


def entry_reads(connection, organization, date: datetime.date, entries: list[Entry]) -> list:
    """What booking ``entries`` reads (the rules, the period, the warehouses' accounts), as
    statements to run in one round trip, maybe with the caller's own: every stock posting runs
    them; none when nothing would be booked."""
    entries = [e for e in entries if e.amount]
    if not entries:
        return []
    statements = [
        rules_statement(connection, organization, entries),
        period_statement(connection, organization, date),
    ]
    if any(e.debit_warehouse_id or e.credit_warehouse_id for e in entries):
        statements.append(warehouse_accounts_statement(connection, organization))
    return statements


def warehouse_accounts_statement(connection, organization) -> tuple[str, list]:
    """The read of the organization's warehouse inventory accounts (a handful of rows)."""
    return _accounts_read(connection).sql, [organization.pk]


_account_reads: dict[str, Joined] = {}


def _accounts_read(connection) -> Joined:
    if connection.vendor not in _account_reads:
        kept = connection.ops.quote_name(WarehouseAccount._meta.db_table)
        account = connection.ops.quote_name(Account._meta.db_table)
        _account_reads[connection.vendor] = Joined(
            connection,
            [("w", WarehouseAccount), ("a", Account)],
            f"SELECT {{columns}} FROM {kept} w JOIN {account} a ON a.id = w.account_id "
            "WHERE w.organization_id = %s",
        )
    return _account_reads[connection.vendor]


def _warehouse_accounts(connection, rows) -> dict[int, Account]:
    read = _accounts_read(connection) if rows else None
    return {read.part(row, "w").warehouse_id: read.part(row, "a") for row in rows}


def _nothing_booked(connection, also) -> None:
    if also:
        run_statements(connection, list(also))


def _line(
    account, side, text, amount, warehouse_id, partner_id, reference, analytic=("", "")
) -> LineInput:
    dimensions = account.dimensions
    line = LineInput(account=account, summary=" ".join(filter(None, [text, reference])) or "-")
    setattr(line, side, amount)
    for name, value in zip(("department", "project"), analytic, strict=True):
        if name in dimensions and value:
            setattr(line, name, value)
    if "warehouse" in dimensions and warehouse_id:
        line.warehouse = _Ref(warehouse_id, account.organization_id)
    if "partner" in dimensions and partner_id:
        line.partner = _Ref(partner_id, account.organization_id)
    return line


@dataclass(frozen=True)
class _Ref:
    """A dimension known by id: the posting app has already checked it."""

    pk: int
    organization_id: int

    def __bool__(self) -> bool:
        return True
