"""What inventory adds to finance's month-end close (registered when Django starts): the stock
month close as a step, and the checks only stock can make."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.finance.closing import CloseCheck, CloseStep, register_close_check, register_close_step
from jxc.finance.verify import account_balance
from jxc.inventory.domain.costing import money
from jxc.inventory.models import CostAdjustment, StockBalance, StockCount, StockDocument, StockMove
from jxc.inventory.reports import month_start, next_month
from jxc.inventory.services.periods import close_month, next_month_to_close
from jxc.inventory.services.warehouse_accounts import group_values, stock_account_groups

OPEN_STATES = ("draft", "submitted", "approved", "counting", "in_transit")


def close_stock_months(organization, period, user) -> None:
    """Close the stock months up to the period's (fixing month-end average costs, whose
    differences book vouchers), unless they are closed already."""
    month = month_start(period.start)
    if next_month(month) > timezone.localdate():
        return  # not ended: finance's own check refuses the close
    nxt = next_month_to_close(organization)
    while nxt is not None and nxt <= month:
        close_month(organization=organization, month=nxt, user=user)
        nxt = next_month(nxt)


def stock_value_on(organization, day: datetime.date) -> Decimal:
    """The value of all stock at the end of ``day``, from the ledger."""
    sums = {
        row["flow"]: money(Decimal(row["v"] or 0))
        for row in StockMove.objects.filter(organization=organization, business_date__lte=day)
        .exclude(flow=StockMove.Flow.INTERNAL)
        .values("flow")
        .annotate(v=Sum("value"))
    }
    return sums.get(StockMove.Flow.IN, Decimal(0)) - sums.get(StockMove.Flow.OUT, Decimal(0))


def check_books_equal_stock(organization, period) -> list[dict]:
    """Each inventory account (or the rules' accounts together) equals the stock it holds."""
    groups = stock_account_groups(organization)
    values = group_values(organization, groups, stock_value_on(organization, period.end),
                          until=period.end)  # fmt: skip
    problems = []
    for group, value in zip(groups, values, strict=True):
        booked = account_balance(organization, group.accounts, until=period.end)
        if booked != value:
            problems.append(
                {
                    "message": _("The inventory accounts (%(codes)s) show %(books)s; the stock "
                                 "they hold is worth %(value)s.")
                    % {"codes": group.codes, "books": booked, "value": value},
                    "accounts": [a.pk for a in group.accounts],
                }
            )  # fmt: skip
    return problems


def check_open_documents(organization, period) -> list[dict]:
    problems = []
    for model, kind in (
        (StockDocument, "stock_document"),
        (StockCount, "stock_count"),
        (CostAdjustment, "cost_adjustment"),
    ):
        found = model.objects.filter(
            organization=organization,
            state__in=OPEN_STATES,
            business_date__gte=period.start,
            business_date__lte=period.end,
        )
        problems += [
            {
                "message": _("%(document)s %(number)s of %(date)s is not posted.")
                % {
                    "document": model._meta.verbose_name,
                    "number": doc.number or _("(draft)"),
                    "date": doc.business_date,
                },
                kind: doc.pk,
            }
            for doc in found[:50]
        ]
    return problems


def check_negative_stock(organization, period) -> list[dict]:
    negative = StockBalance.objects.filter(organization=organization, on_hand__lt=0).select_related(
        "product", "location"
    )
    return [
        {
            "message": _("%(product)s is at %(quantity)s in %(location)s.")
            % {"product": b.product.name, "quantity": b.on_hand, "location": b.location.name},
            "product": b.product_id,
            "location": b.location_id,
        }
        for b in negative[:100]
    ]


def register_inventory_close() -> None:
    register_close_step(
        CloseStep(
            "stock_month_close", gettext_lazy("Close the stock month"), close_stock_months, 100
        )
    )
    for code, label, run in (
        ("books_equal_stock", gettext_lazy("The inventory accounts equal the stock value"),
         check_books_equal_stock),
        ("open_stock_documents", gettext_lazy("No unposted stock document dated in the period"),
         check_open_documents),
        ("negative_stock", gettext_lazy("No negative stock"), check_negative_stock),
    ):  # fmt: skip
        register_close_check(CloseCheck(code, label, run))
