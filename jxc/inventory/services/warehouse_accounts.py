"""存货科目 by warehouse: which account holds the value of each warehouse's stock, and the
checks that each such account equals the stock it holds.

A warehouse without an account of its own is kept in the accounts the posting rules book stock
to (the default group: every stock-side account of the rules and the inventory role's
account, checked together, as rules may split stock by category). Stock in transit belongs to
no warehouse and stays in the default group.

Changing a warehouse's account moves what the warehouse holds from the old account to the new
one, by vouchers in each open period, so that at the end of every open period the new account
holds the warehouse's stock as if it had always been kept there; closed periods keep what they
showed when they closed.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.domain.tax import money
from jxc.finance.events import default_rules
from jxc.finance.models import Account, AccountRole, Period, PostingRule, WarehouseAccount
from jxc.finance.services.chart import seed_default_rules
from jxc.finance.services.periods import open_period
from jxc.finance.services.vouchers import LineInput, create_posted
from jxc.inventory.models import StockMove
from jxc.inventory.services.accounting import TRANSFER, stock_accounts
from jxc.masterdata.models import Warehouse

ZERO = Decimal(0)
ORIGIN = "finance.warehouseaccount"


@dataclass
class StockGroup:
    """Accounts checked together against the stock they hold: ``warehouses`` (ids) for an
    account of warehouses; None for the default group, which holds all other stock."""

    accounts: list[Account]
    warehouses: set[int] | None = field(default=None)

    @property
    def codes(self) -> str:
        return ", ".join(a.code for a in self.accounts)


def stock_account_groups(organization) -> list[StockGroup]:
    """The default group first, then one group per account that warehouses are kept in."""
    default = stock_accounts(organization)
    in_default = {a.pk for a in default}
    groups: dict[int, StockGroup] = {}
    for kept in WarehouseAccount.objects.filter(organization=organization).select_related(
        "account"
    ):
        if kept.account_id in in_default:
            continue  # kept in a default account: the default group holds it
        group = groups.setdefault(kept.account_id, StockGroup([kept.account], set()))
        group.warehouses.add(kept.warehouse_id)
    return [StockGroup(default), *sorted(groups.values(), key=lambda g: g.codes)]


def warehouse_value(
    organization, warehouse_ids, *, after: datetime.date | None = None, until=None
) -> Decimal:
    """The value that came into ``warehouse_ids`` less what left them, from the ledger (moves
    dated after ``after`` and up to ``until``, when given). Transfers count: between warehouses
    they move value."""
    moves = StockMove.objects.filter(organization=organization)
    if after is not None:
        moves = moves.filter(business_date__gt=after)
    if until is not None:
        moves = moves.filter(business_date__lte=until)
    ids = list(warehouse_ids)
    came = moves.filter(to_warehouse__in=ids).exclude(from_warehouse__in=ids)
    left = moves.filter(from_warehouse__in=ids).exclude(to_warehouse__in=ids)
    total = ZERO
    for found, sign in ((came, 1), (left, -1)):
        total += sign * (found.aggregate(v=Sum("value"))["v"] or ZERO)
    return money(total)


def group_values(organization, groups: list[StockGroup], total: Decimal, until=None) -> list:
    """Each group's stock value: its warehouses'; the default group's is ``total`` (the value
    of all stock) less the others'."""
    values = [
        warehouse_value(organization, g.warehouses, until=until) if g.warehouses else ZERO
        for g in groups
    ]
    values[0] = total - sum(values[1:], ZERO)
    return values


# --- setting a warehouse's account ---------------------------------------------------------


def _check_account(organization, account: Account | None) -> None:
    if account is None:
        return
    if account.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown account."), field="account")
    if not account.is_leaf or not account.is_active:
        raise ValidationFailed(_("Choose an active leaf account."), field="account")
    if account.type != Account.Type.ASSET:
        raise ValidationFailed(
            _("Stock is kept in an asset account; %(code)s is not one.") % {"code": account.code},
            field="account",
        )
    if account.dimensions.get("partner") == "required" or account.currency_id:
        raise ValidationFailed(
            _("Account %(code)s cannot hold stock.") % {"code": account.code}, field="account"
        )


def _inventory_account(organization) -> Account:
    role = AccountRole.objects.filter(
        organization=organization, role=AccountRole.Role.INVENTORY
    ).first()
    if role is None:
        raise ValidationFailed(_("Set the account of the inventory role first."), field="account")
    return role.account


def _ensure_transfer_rule(organization) -> None:
    """The rule transfers between warehouses book by: organizations made before it existed
    get it now, when a warehouse first gets an account of its own."""
    if not PostingRule.objects.filter(organization=organization, event=TRANSFER).exists():
        seed_default_rules(organization, [r for r in default_rules() if r.event == TRANSFER])


@transaction.atomic
def set_warehouse_account(
    *, organization, warehouse: Warehouse, account: Account | None, user=None
) -> WarehouseAccount | None:
    """Keep ``warehouse``'s stock in ``account`` (None: in the rules' accounts again), moving
    what it holds there. Open periods are locked first, so no posting is booked meanwhile."""
    if warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown warehouse."), field="warehouse")
    _check_account(organization, account)
    default = _inventory_account(organization)
    today = timezone.localdate()
    open_period(organization, today, field="account")  # the month of today exists and is open
    periods = list(
        Period.objects.select_for_update()
        .filter(organization=organization, state=Period.State.OPEN)
        .order_by("start")
    )
    kept = WarehouseAccount.objects.select_for_update(of=("self",)).filter(
        organization=organization, warehouse=warehouse
    ).select_related("account").first()  # fmt: skip
    old = kept.account if kept else default
    new = account or default
    if old.pk != new.pk:
        _move_stock_value(organization, warehouse, old, new, periods, today, user)
    if account is None:
        if kept is not None:
            kept.delete()
        return None
    _ensure_transfer_rule(organization)
    if kept is None:
        return WarehouseAccount.objects.create(
            organization=organization, warehouse=warehouse, account=account
        )
    kept.account = account
    kept.save(update_fields=["account"])
    return kept


def _move_stock_value(organization, warehouse, old, new, periods, today, user) -> None:
    """One voucher per open period: the warehouse's value up to the end of the first open
    period, then what each later one changed, from ``old`` to ``new``."""
    after = None
    for period in periods:
        value = warehouse_value(organization, [warehouse.pk], after=after, until=period.end)
        after = period.end
        if not value:
            continue
        day = period.end if period.end <= today else max(period.start, today)
        debit, credit = (new, old) if value > 0 else (old, new)
        text = _("Stock of %(warehouse)s moved from %(old)s to %(new)s") % {
            "warehouse": warehouse.name,
            "old": old.code,
            "new": new.code,
        }
        lines = [
            _stock_line(debit, text, warehouse, debit=abs(value)),
            _stock_line(credit, text, warehouse, credit=abs(value)),
        ]
        create_posted(
            organization=organization,
            date=day,
            lines=lines,
            user=user,
            origin_type=ORIGIN,
            origin_id=warehouse.pk,
            reference=warehouse.code,
        )


def _stock_line(account, text, warehouse, **amount) -> LineInput:
    line = LineInput(account=account, summary=text[:128], **amount)
    if "warehouse" in account.dimensions:
        line.warehouse = warehouse
    return line
