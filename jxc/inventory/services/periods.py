"""Stock periods (库存月结): closing a month fixes the month-end average cost of its products and
stops postings dated in it; reopening the latest closed month allows them again.

Months close in order: the first month with moves, then each following one. Closing month M,
for every product costed by 全月一次加权平均 that moved in M:

    unit cost = (opening value + value received in M) / (opening quantity + quantity received)

every issue of M is re-valued at that cost (the last one that empties the stock takes what is
left), transfers carry it, and the moves after M, valued provisionally from the old figures,
are replayed from the new closing value. The total change is one :class:`Revaluation` per
product, which finance books as the month's cost adjustment.
"""

import datetime
from collections.abc import Callable

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.batch import run_statements
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.inventory.domain.costing import AverageState, Movement, Running, money, monthly_average
from jxc.inventory.locks import lock_valuations
from jxc.inventory.models import Revaluation, StockMove, StockPeriodClose
from jxc.inventory.reports import forget_month_closes, month_start, next_month
from jxc.inventory.services.accounting import BOOKING_COLUMNS
from jxc.inventory.services.revaluation import (
    SETTLEMENT,
    Replay,
    revalue_later_moves,
    running_before,
)
from jxc.masterdata.models import Product


def _hold_periods(organization, *, exclusive: bool) -> None:
    """Postings hold the organization's row shared while they check and post; a month close
    holds it exclusively. So a close waits for postings in flight, and postings wait for the
    close: none lands in a month while it is being closed. (SQLite serializes writers.)

    The close takes ``NO KEY UPDATE``, not ``UPDATE``: other work that inserts rows referring to
    the organization (their foreign-key check takes ``KEY SHARE``) is not held up by a close."""
    connection = connections[router.db_for_write(StockPeriodClose)]
    if not connection.features.has_select_for_update:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {connection.ops.quote_name(Organization._meta.db_table)} "
            f"WHERE id = %s FOR {'NO KEY UPDATE' if exclusive else 'SHARE'}",
            [organization.pk],
        )


def check_period_open(organization, business_date: datetime.date) -> None:
    statements, judge = period_check(organization, business_date)
    judge(run_statements(connections[router.db_for_write(StockPeriodClose)], statements))


def period_check(organization, business_date: datetime.date) -> tuple[list, Callable]:
    """The statements that read the latest closed month from ``business_date``'s on, and the
    function that refuses the posting from their results: a posting runs them first in the
    round trip that locks its rows.

    They hold the organization's row shared (see :func:`_hold_periods`), then read: under READ
    COMMITTED the read then sees a close that committed while the lock waited."""
    connection = connections[router.db_for_write(StockPeriodClose)]
    quote = connection.ops.quote_name
    read = (
        f"SELECT max(month) FROM {quote(StockPeriodClose._meta.db_table)} "
        "WHERE organization_id = %s AND month >= %s",
        [organization.pk, connection.ops.adapt_datefield_value(month_start(business_date))],
    )
    if not connection.features.has_select_for_update:  # SQLite: writers are serialized
        statements = [read]
    else:
        lock = f"SELECT id FROM {quote(Organization._meta.db_table)} WHERE id = %s FOR SHARE"
        statements = [(lock, [organization.pk]), read]

    def judge(results: list[list[tuple]]) -> None:
        closed = results[len(statements) - 1][0][0]
        if isinstance(closed, str):  # SQLite returns max() of a date column as text
            closed = datetime.date.fromisoformat(closed)
        if closed is not None:
            raise ValidationFailed(
                _("The stock period %(month)s is closed: date this after it, or reopen the "
                  "period.") % {"month": closed.strftime("%Y-%m")},
                field="business_date",
            )  # fmt: skip

    return statements, judge


def last_closed_month(organization) -> datetime.date | None:
    return (
        StockPeriodClose.objects.filter(organization=organization)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def next_month_to_close(organization) -> datetime.date | None:
    last = last_closed_month(organization)
    if last is not None:
        return next_month(last)
    first = (
        StockMove.objects.filter(organization=organization)
        .order_by("business_date")
        .values_list("business_date", flat=True)
        .first()
    )
    return month_start(first) if first else None


@transaction.atomic
def close_month(*, organization, month: datetime.date, user=None) -> StockPeriodClose:
    month = month_start(month)
    if next_month(month) > timezone.localdate():
        raise ValidationFailed(_("Only a month that has ended can be closed."), field="month")
    expected = next_month_to_close(organization)
    if expected is not None and month != expected:
        raise ValidationFailed(
            _("Close the stock months in order: %(month)s is next.")
            % {"month": expected.strftime("%Y-%m")},
            field="month",
        )
    _hold_periods(organization, exclusive=True)
    close = StockPeriodClose.objects.create(organization=organization, month=month, closed_by=user)
    moved = (
        StockMove.objects.filter(
            organization=organization,
            business_date__gte=month,
            business_date__lt=next_month(month),
            product__costing_method=Product.CostingMethod.MONTHLY_AVERAGE,
        )
        .values_list("product_id", flat=True)
        .distinct()
    )
    products = Product.objects.filter(pk__in=list(moved)).order_by("pk")
    lock_valuations(organization, [p.pk for p in products])  # key order, like postings
    for product in products:
        _fix_month_average(organization, product, month, close)
    forget_month_closes(organization, month)
    return close


def _fix_month_average(organization, product, month, close) -> Revaluation | None:
    opening = running_before(product, month)
    end = next_month(month)
    moves = list(
        StockMove.objects.filter(product=product, business_date__gte=month, business_date__lt=end)
        .exclude(origin_type=SETTLEMENT)
        .order_by("business_date", "id")
        .values_list(
            "id",
            "flow",
            "quantity",
            "value",
            "unit_cost",
            "cost_fixed",
            "origin_type",
            "reversal_of_id",
            *BOOKING_COLUMNS,
        )
    )
    receipts, issues, internal, booking = [], [], [], {}
    for move_id, flow, quantity, value, cost, fixed, origin_type, reversal_of, *detail in moves:
        booking[move_id] = (origin_type, reversal_of, quantity, tuple(detail))
        if flow == StockMove.Flow.IN:
            receipts.append((quantity, value))
        elif flow == StockMove.Flow.OUT and (fixed or quantity == 0):  # a receipt sent back
            receipts.append((-quantity, -value))
        elif flow == StockMove.Flow.OUT:
            issues.append((move_id, quantity, value, cost))
        else:
            internal.append((move_id, quantity, value, cost))
    result = monthly_average(
        opening.quantity, opening.value, receipts, [quantity for _i, quantity, _v, _c in issues]
    )
    replay = Replay(str(close))
    note = {"kind": "month_close", "month": str(close), **result.explanation}
    cost = result.unit_cost
    replay.replayed += len(moves)
    fixed = [
        (StockMove.Flow.OUT, *issue, value)
        for issue, value in zip(issues, result.issue_values, strict=True)
    ]
    fixed += [(StockMove.Flow.INTERNAL, *move, money(move[1] * cost)) for move in internal]
    explanation = ({"kind": "month_average", "unit_cost": str(cost)},)
    for flow, move_id, quantity, old_value, old_cost, value in fixed:
        if (value, cost) != (old_value, old_cost):
            movement = Movement(quantity, value, cost, explanation)
            replay.change(move_id, flow, old_value, movement, note, booking[move_id])
    closing = Running(
        AverageState(result.closing_quantity, result.closing_value),
        cost or opening.last_cost,
        product.purchase_price,
    )
    return revalue_later_moves(
        organization,
        product,
        since=end,
        cause=Revaluation.Cause.MONTH_CLOSE,
        reference=str(close),
        start=closing,
        replay=replay,
        recorded_from=month,
    )


@transaction.atomic
def reopen_month(*, close: StockPeriodClose) -> None:
    """反结账: reopen the latest closed month (audited). Its costs stay as fixed until the month
    is closed again, which fixes them anew from whatever was posted meanwhile."""
    latest = last_closed_month(close.organization)
    if close.month != latest:
        raise ValidationFailed(
            _("Only the latest closed month (%(month)s) can be reopened.")
            % {"month": latest.strftime("%Y-%m")},
            field="month",
        )
    close.delete()
