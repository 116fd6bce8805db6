"""Number series: unique, gap-free document numbers such as ``CG20261126-0001``.

A number is taken when a document becomes official (approved or posted), inside that document's
transaction: if the transaction rolls back, so does the counter, which is what keeps the series
gap-free. Callers for one series and period queue on the row lock their counter's upsert takes
(SQLite's single writer serializes them anyway).
"""

import datetime
import re
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.batch import fetch, instances
from jxc.core.doctypes import get_document_type
from jxc.core.errors import ValidationFailed
from jxc.core.models import NumberSequence, NumberSeries, Organization

_TOKEN = re.compile(r"\{([^{}]*)\}")
_DATE_TOKENS = {
    "yyyyMMdd": "%Y%m%d",
    "yyyyMM": "%Y%m",
    "yyyy": "%Y",
    "yy": "%y",
    "MM": "%m",
    "dd": "%d",
}
_SEQ = re.compile(r"^seq(?::(\d{1,2}))?$")
MAX_PATTERN_LENGTH = 64


def validate_pattern(pattern: str) -> None:
    """Raise :class:`ValidationFailed` on the ``pattern`` field unless it is usable."""
    if not pattern or len(pattern) > MAX_PATTERN_LENGTH:
        raise ValidationFailed(
            _("Enter a pattern of 1 to %(max)d characters.") % {"max": MAX_PATTERN_LENGTH},
            field="pattern",
        )
    tokens = _TOKEN.findall(pattern)
    seqs = [t for t in tokens if _SEQ.match(t)]
    unknown = [t for t in tokens if t not in _DATE_TOKENS and not _SEQ.match(t)]
    if unknown:
        raise ValidationFailed(
            _("Unknown token {%(token)s} in the pattern.") % {"token": unknown[0]}, field="pattern"
        )
    if len(seqs) != 1:
        raise ValidationFailed(
            _("The pattern must contain exactly one {seq} or {seq:N} token."), field="pattern"
        )
    width = _SEQ.match(seqs[0]).group(1)
    if width is not None and not 1 <= int(width) <= 12:
        raise ValidationFailed(_("The sequence width must be between 1 and 12."), field="pattern")
    if _TOKEN.sub("", pattern).count("{") or _TOKEN.sub("", pattern).count("}"):
        raise ValidationFailed(_("Unbalanced braces in the pattern."), field="pattern")


def reset_period(pattern: str) -> str:
    """The counter restarts when the finest date part in the pattern changes."""
    tokens = set(_TOKEN.findall(pattern))
    if tokens & {"yyyyMMdd", "dd"}:
        return "daily"
    if tokens & {"yyyyMM", "MM"}:
        return "monthly"
    if tokens & {"yyyy", "yy"}:
        return "yearly"
    return "never"


def _period_key(pattern: str, on_date: datetime.date) -> str:
    return {
        "daily": on_date.strftime("%Y%m%d"),
        "monthly": on_date.strftime("%Y%m"),
        "yearly": on_date.strftime("%Y"),
        "never": "",
    }[reset_period(pattern)]


def format_number(pattern: str, on_date: datetime.date, value: int) -> str:
    def replace(match: re.Match) -> str:
        token = match.group(1)
        if token in _DATE_TOKENS:
            return on_date.strftime(_DATE_TOKENS[token])
        width = _SEQ.match(token).group(1)
        return str(value).zfill(int(width) if width else 1)

    return _TOKEN.sub(replace, pattern)


def preview_next_number(series: NumberSeries, on_date: datetime.date | None = None) -> str:
    """The number the series would give next (not reserved: another user may take it first)."""
    on_date = on_date or timezone.localdate()
    sequence = series.sequences.filter(period_key=_period_key(series.pattern, on_date)).first()
    return format_number(series.pattern, on_date, (sequence.last_value if sequence else 0) + 1)


def ensure_series(*, organization: Organization, doc_type: str) -> NumberSeries:
    """The organization's series for ``doc_type``, created from the type's default pattern."""
    series = NumberSeries.objects.filter(organization=organization, doc_type=doc_type).first()
    if series:
        return series
    document_type = get_document_type(doc_type)
    if document_type is None:
        raise ValidationFailed(_("Unknown document type."), field="doc_type")
    try:
        with transaction.atomic():
            return NumberSeries.objects.create(
                organization=organization, doc_type=doc_type, pattern=document_type.default_pattern
            )
    except IntegrityError:  # created by a concurrent caller
        return NumberSeries.objects.get(organization=organization, doc_type=doc_type)


def next_number(
    *,
    organization: Organization,
    doc_type: str,
    on_date: datetime.date | None = None,
    series: NumberSeries | None = None,
) -> str:
    """Take the next number of the series; must run inside the document's transaction.
    ``series``: the type's series when the caller has read it (see :func:`series_statement`)."""
    statement, number = number_statement(
        organization=organization, doc_type=doc_type, on_date=on_date, series=series
    )
    return number(fetch(transaction.get_connection(), *statement))


def number_statement(
    *,
    organization: Organization,
    doc_type: str,
    on_date: datetime.date | None = None,
    series: NumberSeries | None = None,
) -> tuple[tuple[str, list], Callable[[list], str]]:
    """:func:`next_number` as a statement for the caller to run with its own (see
    :func:`jxc.core.batch.run_statements`), and the function that makes the number of the rows
    it returned."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the document's transaction")
    on_date = on_date or timezone.localdate()
    series = series or _series(organization, doc_type)
    if series is None:  # first number of this type
        series = ensure_series(organization=organization, doc_type=doc_type)
    if not series.is_active:
        raise ValidationFailed(
            _("The number series for this document type is inactive."), field="doc_type"
        )
    pattern = series.pattern
    return _take_statement(series, _period_key(pattern, on_date)), lambda rows: format_number(
        pattern, on_date, rows[0][0]
    )


def _take_statement(series: NumberSeries, period_key: str) -> tuple[str, list]:
    """The upsert counting the period's sequence up by one, returning the new value: it locks
    the sequence row until the document's transaction ends, so concurrent callers queue on it
    (and the first caller of a new period creates the row; the unique key stops a second)."""
    table = transaction.get_connection().ops.quote_name(NumberSequence._meta.db_table)
    return (
        f"INSERT INTO {table} (series_id, period_key, last_value) VALUES (%s, %s, 1) "
        f"ON CONFLICT (series_id, period_key) DO UPDATE SET last_value = {table}.last_value + 1 "
        "RETURNING last_value",
        [series.pk, period_key],
    )


def _series(organization, doc_type: str) -> NumberSeries | None:
    connection = transaction.get_connection()
    found = read_series(
        connection, fetch(connection, *series_statement(connection, organization.pk, [doc_type]))
    )
    return found.get(doc_type)


def series_statement(connection, organization_id: int, doc_types: list[str]) -> tuple:
    """The read of the organization's series of ``doc_types`` (a prepared statement: every
    posted document runs it), for callers that run it with their own statements."""
    fields = NumberSeries._meta.concrete_fields
    quote = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(doc_types))
    return (
        f"SELECT {', '.join(quote(f.column) for f in fields)} "
        f"FROM {quote(NumberSeries._meta.db_table)} "
        f"WHERE organization_id = %s AND doc_type IN ({marks})",
        [organization_id, *doc_types],
    )


def read_series(connection, rows) -> dict[str, NumberSeries]:
    """The series :func:`series_statement` read, by document type."""
    names = [f.attname for f in NumberSeries._meta.concrete_fields]
    return {series.doc_type: series for series in instances(connection, NumberSeries, names, rows)}


@transaction.atomic
def create_series(
    *, organization: Organization, doc_type: str, pattern: str, is_active: bool = True
) -> NumberSeries:
    if get_document_type(doc_type) is None:
        raise ValidationFailed(_("Unknown document type."), field="doc_type")
    validate_pattern(pattern)
    if NumberSeries.objects.filter(organization=organization, doc_type=doc_type).exists():
        raise ValidationFailed(
            _("This document type already has a number series."), field="doc_type"
        )
    return NumberSeries.objects.create(
        organization=organization, doc_type=doc_type, pattern=pattern, is_active=is_active
    )


@transaction.atomic
def update_series(*, series: NumberSeries, **changes) -> NumberSeries:
    if "pattern" in changes:
        validate_pattern(changes["pattern"])
        series.pattern = changes["pattern"]
    if "is_active" in changes:
        series.is_active = changes["is_active"]
    series.save()
    return series
