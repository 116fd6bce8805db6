"""Stock counts (盘点): snapshot the book, count, post the differences as gains and losses.

Starting a count snapshots the book quantity of every balance in the scope (a warehouse, or one
zone or bin) and, when asked, freezes it, so nothing moves while people count. Posting moves each
difference to or from the inventory gain/loss location and lifts the freeze (as cancelling does):
the stock it unfreezes is announced (:func:`jxc.inventory.arrivals.announce_freed`) once that
commits.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.arrivals import announce_freed
from jxc.inventory.locks import lock_balances, lock_warehouse_stock
from jxc.inventory.models import StockBalance, StockCount, StockCountLine, WarehouseStock
from jxc.inventory.selectors import COUNT_ORIGIN
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.models import Location
from jxc.masterdata.services.defaults import ensure_virtual_locations

TRANSITIONS = {S.DRAFT: {S.COUNTING, S.CANCELLED}, S.COUNTING: {S.DONE, S.CANCELLED}}
ORIGIN = COUNT_ORIGIN
ZERO = Decimal(0)


def _scope_locations(count: StockCount) -> list[int]:
    locations = Location.objects.filter(warehouse=count.warehouse)
    if count.scope is None:
        return list(locations.values_list("pk", flat=True))
    ids, frontier = {count.scope.pk}, [count.scope.pk]
    while frontier:
        frontier = list(locations.filter(parent_id__in=frontier).values_list("pk", flat=True))
        ids.update(frontier)
    return sorted(ids)


@transaction.atomic
def create_count(
    *, organization, user, warehouse, business_date, scope=None, freeze=False, note=""
) -> StockCount:
    if scope is not None and scope.warehouse_id != warehouse.pk:
        raise ValidationFailed(_("This location is not in the warehouse."), field="scope")
    return StockCount.objects.create(
        organization=organization,
        created_by=user,
        warehouse=warehouse,
        business_date=business_date,
        scope=scope,
        freeze=freeze,
        note=note,
    )


@transaction.atomic
def start_count(*, count: StockCount) -> StockCount:
    """Snapshot book quantities (and freeze them when the count asks)."""
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    transition(count, S.COUNTING, TRANSITIONS)
    balances = (
        StockBalance.objects.filter(location_id__in=_scope_locations(count))
        .exclude(on_hand=0)
        .select_related("location")
    )
    keys = {(b.product_id, b.location_id, b.lot_key): {} for b in balances}
    locked = lock_balances(count.organization, keys)
    lines = []
    for balance in locked.values():
        frozen = max(balance.on_hand - balance.frozen, ZERO) if count.freeze else ZERO
        lines.append(
            StockCountLine(
                count=count,
                product_id=balance.product_id,
                location_id=balance.location_id,
                lot_id=balance.lot_id,
                book_quantity=balance.on_hand,
                frozen_quantity=frozen,
            )
        )
        balance.frozen += frozen
    StockCountLine.objects.bulk_create(lines)
    if count.freeze:
        _apply_freeze(count, locked.values(), lines, sign=1)
    count.save()
    return count


def _apply_freeze(count, balances, lines, sign: int) -> None:
    StockBalance.objects.bulk_update(list(balances), ["frozen"])
    per_product = {}
    for line in lines:
        per_product[line.product_id] = per_product.get(line.product_id, ZERO) + line.frozen_quantity
    stocks = lock_warehouse_stock(
        count.organization, {(product_id, count.warehouse_id): {} for product_id in per_product}
    )
    for (product_id, _warehouse), stock in stocks.items():
        stock.frozen += sign * per_product[product_id]
    if stocks:
        WarehouseStock.objects.bulk_update(stocks.values(), ["frozen"])


def _unfreeze(count: StockCount) -> None:
    lines = [line for line in count.lines.all() if line.frozen_quantity]
    if not lines:
        return
    keys = {(line.product_id, line.location_id, line.lot_id or 0): {} for line in lines}
    balances = lock_balances(count.organization, keys)
    for line in lines:
        balances[
            (line.product_id, line.location_id, line.lot_id or 0)
        ].frozen -= line.frozen_quantity
    _apply_freeze(count, balances.values(), lines, sign=-1)
    announce_freed(count.organization_id, {count.warehouse_id: {line.product_id for line in lines}})


@transaction.atomic
def record_counts(*, count: StockCount, counts: list[dict]) -> StockCount:
    """Enter counted quantities: [{product, location, lot, counted_quantity}] (adds new lines
    for goods found where the book had none)."""
    if count.state != S.COUNTING:
        raise ValidationFailed(_("Start the count before entering quantities."), field="state")
    scope = set(_scope_locations(count))
    existing = {
        (line.product_id, line.location_id, line.lot_id): line for line in count.lines.all()
    }
    for index, entry in enumerate(counts):
        quantity = entry["counted_quantity"]
        if quantity is not None and quantity < 0:
            raise ValidationFailed(
                _("A count cannot be negative."), field=f"lines.{index}.counted_quantity"
            )
        location = entry["location"]
        if location.pk not in scope:
            raise ValidationFailed(
                _("This location is not part of the count."), field=f"lines.{index}.location"
            )
        lot = entry.get("lot")
        key = (entry["product"].pk, location.pk, lot.pk if lot else None)
        line = existing.get(key) or StockCountLine(
            count=count, product=entry["product"], location=location, lot=lot
        )
        line.counted_quantity = quantity
        line.save()
        existing[key] = line
    return count


@transaction.atomic
def post_count(*, count: StockCount) -> StockCount:
    """Post every difference as a move to or from inventory gain/loss; lift the freeze."""
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    lines = list(count.lines.select_related("product__base_unit", "location", "lot"))
    uncounted = [line for line in lines if line.counted_quantity is None]
    if uncounted:
        raise ValidationFailed(
            _("%(n)d lines have no count yet.") % {"n": len(uncounted)}, field="lines"
        )
    transition(count, S.DONE, TRANSITIONS)
    _unfreeze(count)
    loss = ensure_virtual_locations(count.organization)["inventory_loss"]
    requests = []
    for line in lines:
        difference = line.counted_quantity - line.book_quantity
        if difference == 0:
            continue
        gain = difference > 0
        requests.append(
            MoveRequest(
                product=line.product,
                quantity=abs(difference),
                from_location=loss if gain else line.location,
                to_location=line.location if gain else loss,
                lot=line.lot,
                origin_type=ORIGIN,
                origin_id=line.pk,
            )
        )
    count.number = next_number(
        organization=count.organization, doc_type="stock_count", on_date=count.business_date
    )
    if requests:
        post_moves(
            organization=count.organization,
            moves=requests,
            business_date=count.business_date,
            reference=count.number,
            savepoint=False,
            source=("inventory.stockcount", count.pk),
        )
    count.posted_at = timezone.now()
    count.save()
    return count


@transaction.atomic
def cancel_count(*, count: StockCount) -> StockCount:
    count = StockCount.objects.select_for_update().get(pk=count.pk)
    was_counting = count.state == S.COUNTING
    transition(count, S.CANCELLED, TRANSITIONS)
    if was_counting:
        _unfreeze(count)
    count.save()
    return count
