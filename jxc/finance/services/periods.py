"""Accounting periods: months, made open when first booked to; a closed one takes nothing."""

import calendar
import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.core.batch import fetch, instances
from jxc.core.errors import ValidationFailed
from jxc.finance.models import Period


def open_period(organization, day: datetime.date, *, field: str = "date", read=None) -> Period:
    """The period of ``day``, locked shared until the caller's transaction ends (so a close
    waits for postings in flight, and a posting that waited sees the close); refused when
    closed. ``read``: the rows of :func:`period_statement` when the caller already ran it."""
    connection = transaction.get_connection()
    if read is None:
        read = fetch(connection, *period_statement(connection, organization, day))
    period = _period_of(connection, read)
    if period is None:
        later = Period.objects.filter(
            organization=organization, start__gt=day, state=Period.State.CLOSED
        ).first()
        if later is not None:  # a month with nothing booked yet, before a closed one
            raise ValidationFailed(
                _("The accounting period %(period)s is closed.") % {"period": later}, field=field
            )
        try:
            with transaction.atomic():
                Period.objects.create(
                    organization=organization,
                    year=day.year,
                    month=day.month,
                    start=day.replace(day=1),
                    end=day.replace(day=calendar.monthrange(day.year, day.month)[1]),
                )
        except IntegrityError:  # made by a concurrent posting
            pass
        period = _period_of(
            connection, fetch(connection, *period_statement(connection, organization, day))
        )
    if period.state == Period.State.CLOSED:
        raise ValidationFailed(
            _("The accounting period %(period)s is closed.") % {"period": period}, field=field
        )
    return period


def period_statement(connection, organization, day) -> tuple[str, list]:
    """The read of ``day``'s period, for :func:`open_period`, which callers may run with
    their own statements in one round trip.

    FOR SHARE: postings do not queue on each other; a close (an UPDATE of the row) waits for
    them, and a posting that waited for a close reads the row as the close left it."""
    lock = " FOR SHARE" if connection.features.has_select_for_update else ""
    quote = connection.ops.quote_name
    return (
        f"SELECT {', '.join(quote(f.column) for f in Period._meta.concrete_fields)} "
        f"FROM {quote(Period._meta.db_table)} "
        f"WHERE organization_id = %s AND year = %s AND month = %s{lock}",
        [organization.pk, day.year, day.month],
    )


def _period_of(connection, rows) -> Period | None:
    names = tuple(f.attname for f in Period._meta.concrete_fields)
    return next(iter(instances(connection, Period, names, rows)), None)


@transaction.atomic
def reopen_period(*, period: Period) -> Period:
    """反结账: only the latest closed period reopens."""
    period = Period.objects.select_for_update().get(pk=period.pk)
    if period.state != Period.State.CLOSED:
        raise ValidationFailed(_("This period is open."), field="state")
    if Period.objects.filter(
        organization_id=period.organization_id, start__gt=period.start, state=Period.State.CLOSED
    ).exists():
        raise ValidationFailed(_("Reopen the later closed periods first."), field="state")
    period.state = Period.State.OPEN
    period.closed_at = period.closed_by = None
    period.save()
    return period
