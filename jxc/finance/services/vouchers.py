"""Vouchers (记账凭证): drafts, posting with a gap-free number per voucher word and period, and
red-letter reversal (红字冲销). A posted voucher never changes."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.batch import fetch, insert_statement, run_statements, set_keys
from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, AccountRole, Voucher, VoucherLine, VoucherSequence
from jxc.finance.services.periods import open_period

ZERO = Decimal(0)
CENT = Decimal("0.01")
MAX_LINES = 500


@dataclass
class LineInput:
    account: Account
    summary: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    currency: object = None
    original_amount: Decimal | None = None
    rate: Decimal | None = None
    partner: object = None
    warehouse: object = None
    department: str = ""
    project: str = ""
    extra: dict = field(default_factory=dict)


def _fail(index: int, name: str, message) -> None:
    raise ValidationFailed(message, field=f"lines.{index}.{name}")


def check_lines(organization, lines: list[LineInput]) -> Decimal:
    """Every rule a voucher's lines obey; returns the total (debits = credits)."""
    if len(lines) < 2:
        raise ValidationFailed(_("A voucher has at least two lines."), field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(
            _("A voucher has at most %(n)d lines.") % {"n": MAX_LINES}, field="lines"
        )
    debit = credit = ZERO
    for index, line in enumerate(lines):
        _check_line(organization, index, line)
        debit += line.debit
        credit += line.credit
    if debit != credit:
        raise ValidationFailed(
            _("Debits %(debit)s and credits %(credit)s differ by %(diff)s.")
            % {"debit": debit, "credit": credit, "diff": debit - credit},
            field="lines",
        )
    return debit


def check_line(organization, line: LineInput, *, index: int) -> None:
    """One line's rules (errors name ``lines.<index>.<field>``)."""
    _check_line(organization, index, line)


def _check_line(organization, index: int, line: LineInput) -> None:
    account = line.account
    if account.organization_id != organization.pk:
        _fail(index, "account", _("Unknown account."))
    if not account.is_leaf:
        _fail(index, "account", _("Book to a sub-account of %(code)s.") % {"code": account.code})
    if not account.is_active:
        _fail(index, "account", _("Account %(code)s is inactive.") % {"code": account.code})
    if not line.summary.strip():
        _fail(index, "summary", _("Enter the summary (摘要)."))
    for side in ("debit", "credit"):
        amount = getattr(line, side)
        if amount != amount.quantize(CENT):
            _fail(index, side, _("Amounts have two decimal places."))
    if (line.debit != 0) == (line.credit != 0):
        _fail(index, "debit", _("Enter either a debit or a credit amount."))
    for name in Account.DIMENSIONS:
        value = getattr(line, name)
        mode = account.dimensions.get(name)
        if mode == "required" and not value:
            _fail(index, name, _("Account %(code)s needs this dimension.") % {"code": account.code})
        if mode is None and value:
            _fail(
                index, name, _("Account %(code)s takes no such dimension.") % {"code": account.code}
            )
        if value and hasattr(value, "organization_id") and value.organization_id != organization.pk:
            _fail(index, name, _("Unknown record."))
    _check_currency(organization, index, line)


def _check_currency(organization, index: int, line: LineInput) -> None:
    account, currency = line.account, line.currency
    if account.currency_id and (currency is None or currency.pk != account.currency_id):
        _fail(index, "currency", _("Account %(code)s is kept in %(currency)s.")
              % {"code": account.code, "currency": account.currency.code})  # fmt: skip
    if currency is None or currency.is_base:
        if line.original_amount is not None or line.rate is not None:
            _fail(index, "currency", _("Choose the foreign currency of the amount."))
        return
    if currency.organization_id != organization.pk:
        _fail(index, "currency", _("Unknown currency."))
    if line.original_amount is None or not line.rate or line.rate <= 0:
        _fail(index, "rate", _("Enter the amount in %(currency)s and its rate.")
              % {"currency": currency.code})  # fmt: skip
    converted = (line.original_amount * line.rate).quantize(CENT, ROUND_HALF_UP)
    if converted != line.debit + line.credit:
        _fail(index, "original_amount", _("%(amount)s × %(rate)s is %(converted)s.")
              % {"amount": line.original_amount, "rate": line.rate, "converted": converted})  # fmt: skip


def _line_rows(voucher: Voucher, lines: list[LineInput]) -> list[VoucherLine]:
    return [
        VoucherLine(
            voucher=voucher,
            organization_id=voucher.organization_id,
            position=index,
            summary=line.summary.strip()[:128],
            account=line.account,
            debit=line.debit,
            credit=line.credit,
            currency_id=_pk(line.currency),
            original_amount=line.original_amount,
            rate=line.rate,
            partner_id=_pk(line.partner),
            warehouse_id=_pk(line.warehouse),
            department=line.department,
            project=line.project,
            date=voucher.date,
            posted=voucher.state == Voucher.State.POSTED,
        )
        for index, line in enumerate(lines)
    ]


def _pk(record):
    return record.pk if record else None


@transaction.atomic
def save_voucher(*, organization, user, data: dict, voucher: Voucher | None = None) -> Voucher:
    """A manual voucher, saved as a draft (it gets its number when posted)."""
    if voucher is not None:
        voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if voucher.state != Voucher.State.DRAFT:
            raise ValidationFailed(_("A posted voucher cannot change."), field="state")
    date = data.get("date", voucher.date if voucher else None)
    if date is None:
        raise ValidationFailed(_("Enter the date."), field="date")
    lines = [LineInput(**line) for line in data.get("lines", [])]
    total = check_lines(organization, lines)
    _refuse_control_accounts(organization, lines)
    period = open_period(organization, date)
    voucher = voucher or Voucher(organization=organization, created_by=user)
    voucher.word = data.get("word", voucher.word)
    voucher.date, voucher.period, voucher.total = date, period, total
    voucher.attachments = data.get("attachments", voucher.attachments)
    voucher.note = data.get("note", voucher.note)
    voucher.save()
    voucher.lines.all().delete()
    VoucherLine.objects.bulk_create(_line_rows(voucher, lines))
    return voucher


CONTROL_ROLES = ("receivable", "advance_receipt", "payable", "prepayment")


def control_accounts(organization) -> dict[int, str]:
    """The accounts whose balance is the partner ledger's (account id → role)."""
    return dict(
        AccountRole.objects.filter(organization=organization, role__in=CONTROL_ROLES).values_list(
            "account_id", "role"
        )
    )


def _refuse_control_accounts(organization, lines: list[LineInput]) -> None:
    """A manual voucher does not book a partner ledger's control account: its balance must stay
    the sum of the open items (book through 其他应收单/其他应付单 or a receipt or payment)."""
    controls = control_accounts(organization)
    for index, line in enumerate(lines):
        if line.account.pk in controls:
            _fail(
                index,
                "account",
                _("%(code)s is a partner ledger account: book it through a receipt, a payment "
                  "or an other receivable / payable.") % {"code": line.account.code},
            )  # fmt: skip


def _take_number(period, word: str) -> int:
    """The next number of the word in the period: an upsert that holds the counter's row until
    the transaction ends, so numbers are gap-free and concurrent posters queue."""
    connection = transaction.get_connection()
    return fetch(connection, *_number_statement(connection, period, word))[0][0]


def _number_statement(connection, period, word: str) -> tuple[str, list]:
    table = connection.ops.quote_name(VoucherSequence._meta.db_table)
    return (
        f"INSERT INTO {table} (period_id, word, last_value) VALUES (%s, %s, 1) "
        f"ON CONFLICT (period_id, word) DO UPDATE SET last_value = {table}.last_value + 1 "
        "RETURNING last_value",
        [period.pk, word],
    )


def _number_taken(connection, period, word: str) -> tuple[str, list]:
    """The number :func:`_number_statement` has just taken, as a subquery."""
    table = connection.ops.quote_name(VoucherSequence._meta.db_table)
    return f"SELECT last_value FROM {table} WHERE period_id = %s AND word = %s", [period.pk, word]


@transaction.atomic
def post_voucher(*, voucher: Voucher, user) -> Voucher:
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.state != Voucher.State.DRAFT:
        raise ValidationFailed(_("This voucher is already posted."), field="state")
    lines = list(voucher.lines.select_related("account__currency", "currency"))
    check_lines(voucher.organization, [_as_input(line) for line in lines])
    voucher.period = open_period(voucher.organization, voucher.date)
    voucher.number = _take_number(voucher.period, voucher.word)
    voucher.state = Voucher.State.POSTED
    voucher.posted_by, voucher.posted_at = user, timezone.now()
    voucher.save()
    voucher.lines.update(posted=True, date=voucher.date)
    return voucher


def _as_input(line: VoucherLine) -> LineInput:
    return LineInput(
        account=line.account,
        summary=line.summary,
        debit=line.debit,
        credit=line.credit,
        currency=line.currency,
        original_amount=line.original_amount,
        rate=line.rate,
        partner=line.partner,
        warehouse=line.warehouse,
        department=line.department,
        project=line.project,
    )


@transaction.atomic
def delete_draft(*, voucher: Voucher) -> None:
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.state != Voucher.State.DRAFT:
        raise ValidationFailed(_("A posted voucher is reversed, not deleted."), field="state")
    voucher.delete()


def create_posted(
    *,
    organization,
    date,
    lines: list[LineInput],
    user=None,
    word: str = "记",
    period=None,
    also=(),
    **source,
) -> Voucher:
    """A voucher booked at once (by a document's posting); runs in the caller's transaction.
    ``period``: the date's period, when the caller has opened it already; ``also``: statements
    of the caller's to run in the same round trip (see :mod:`jxc.core.batch`)."""
    total = check_lines(organization, lines)
    period = period or open_period(organization, date)
    voucher = Voucher(
        organization=organization,
        word=word,
        date=date,
        period=period,
        state=Voucher.State.POSTED,
        number=0,  # taken below
        total=total,
        created_by=user,
        posted_by=user,
        posted_at=timezone.now(),
        **source,
    )
    # numbered and inserted with its lines in one round trip, without the audit trail's signal:
    # a posted voucher is itself the record of who booked what and when, and it never changes
    connection = transaction.get_connection()
    number = _number_taken(connection, period, word)
    rows = _line_rows(voucher, lines)
    taken, inserted, lines_inserted, *_also = run_statements(
        connection,
        [
            _number_statement(connection, period, word),
            insert_statement(connection, Voucher, [voucher], computed={"number": number}),
            insert_statement(
                connection,
                VoucherLine,
                rows,
                computed={"voucher": _voucher_taken(period, word, number)},
            ),
            *also,
        ],
    )
    voucher.number = taken[0][0]
    set_keys(connection, [voucher], inserted)
    for row in rows:
        row.voucher = voucher
    set_keys(connection, rows, lines_inserted)
    return voucher


def _voucher_taken(period, word: str, number: tuple[str, list]) -> tuple[str, list]:
    """The key of the voucher just numbered ``number`` (a subquery), for its lines."""
    table = transaction.get_connection().ops.quote_name(Voucher._meta.db_table)
    return (
        f"SELECT id FROM {table} WHERE period_id = %s AND word = %s AND number = ({number[0]})",
        [period.pk, word, *number[1]],
    )


@transaction.atomic
def reverse_voucher(*, voucher: Voucher, user, date=None) -> Voucher:
    """红字冲销: the same lines with negated amounts, dated in an open period."""
    voucher = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if voucher.state != Voucher.State.POSTED:
        raise ValidationFailed(_("Only a posted voucher is reversed."), field="state")
    if voucher.reversal_of_id is not None:
        raise ValidationFailed(_("A reversal is not reversed again."), field="state")
    if Voucher.objects.filter(reversal_of=voucher).exists():
        raise ValidationFailed(_("This voucher has already been reversed."), field="state")
    lines = [_as_input(line) for line in voucher.lines.select_related("account", "currency")]
    for line in lines:
        line.debit, line.credit = -line.debit, -line.credit
        if line.original_amount is not None:
            line.original_amount = -line.original_amount
    return create_posted(
        organization=voucher.organization,
        date=date or timezone.localdate(),
        lines=lines,
        user=user,
        word=voucher.word,
        origin_type=voucher.origin_type,
        origin_id=voucher.origin_id,
        reference=voucher.reference,
        reversal_of=voucher,
        note=_("Reversal of %(number)s") % {"number": voucher.display_number},
    )
