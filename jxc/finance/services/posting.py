"""The posting service: the apps below the ledger hand it business amounts (an event of a
document, with what the rules may look at); it books them through the posting rules as one
voucher, in the caller's transaction, or refuses the whole posting.

An amount books the rule's debit and credit. A negative amount books the opposite sides, as
a change the other way; a red one (a reversal) books the rule's own sides with negative
amounts (红字), as the document it cancels did in black."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, PostingRule, Voucher
from jxc.finance.services.chart import ensure_finance_defaults
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


RULE_COLUMNS = ("pk", "document_type", "event", *PostingRule.CONDITIONS, "debit_account_id",
                "credit_account_id", "summary")  # fmt: skip


class Rules:
    """The organization's active rules for the document types and events at hand, read once
    per posting."""

    def __init__(self, organization, entries: list[Entry]):
        rows = list(
            PostingRule.objects.filter(
                organization=organization,
                document_type__in={*(e.document_type for e in entries), ""},  # "": any type
                event__in={e.event for e in entries},
                is_active=True,
            ).values_list(*RULE_COLUMNS)
        )
        if not rows and not Account.objects.filter(organization=organization).exists():
            ensure_finance_defaults(organization)  # an organization made before finance existed
            return self.__init__(organization, entries)
        accounts = Account.objects.in_bulk({row[-3] for row in rows} | {row[-2] for row in rows})
        self.by_key = defaultdict(list)
        for *head, debit_id, credit_id, summary in rows:
            rule = Rule(*head, accounts[debit_id], accounts[credit_id], summary)
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
) -> Voucher | None:
    """Book ``entries`` as one posted voucher (None when every amount is zero)."""
    entries = [e for e in entries if e.amount]
    if not entries:
        return None
    rules = Rules(organization, entries)
    sums: dict[tuple, Decimal] = defaultdict(Decimal)
    for entry in entries:
        rule = rules.match(entry)
        amount = entry.amount
        debit, credit = rule.debit_account, rule.credit_account
        if amount < 0 and not entry.red:
            debit, credit, amount = credit, debit, -amount
        text = entry.summary or rule.summary or summary
        sums[(debit, "debit", text, entry.warehouse_id, entry.partner_id)] += amount
        sums[(credit, "credit", text, entry.warehouse_id, entry.partner_id)] += amount
    lines = [
        _line(account, side, text, amount, warehouse_id, partner_id, reference)
        for (account, side, text, warehouse_id, partner_id), amount in sums.items()
        if amount
    ]
    if not lines:
        return None
    lines.sort(key=lambda line: (line.debit == 0, line.account.code))
    return create_posted(
        organization=organization,
        date=date,
        lines=lines,
        user=user,
        origin_type=origin_type,
        origin_id=origin_id,
        reference=reference,
    )


def _line(account, side, text, amount, warehouse_id, partner_id, reference) -> LineInput:
    dimensions = account.dimensions
    line = LineInput(account=account, summary=" ".join(filter(None, [text, reference])) or "-")
    setattr(line, side, amount)
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
