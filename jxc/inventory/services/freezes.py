"""Freezing stock for quality holds (冻结) and releasing it; stock a release unfreezes is
announced (:func:`jxc.inventory.arrivals.announce_freed`) once the release commits."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.inventory.arrivals import announce_freed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.locks import lock_balances, lock_warehouse_stock
from jxc.inventory.models import StockFreeze

HOLDS = {"warehouse", "zone", "bin"}


def _lock(freeze: StockFreeze):
    key = (freeze.product_id, freeze.location_id, freeze.lot_id or 0)
    balance = lock_balances(
        freeze.organization,
        {key: {"warehouse_id": freeze.location.warehouse_id, "lot_id": freeze.lot_id}},
    )[key]
    stock_key = (freeze.product_id, freeze.location.warehouse_id)
    stock = lock_warehouse_stock(freeze.organization, {stock_key: {}})[stock_key]
    return balance, stock


@transaction.atomic
def freeze_stock(
    *, organization, user, product, location, quantity: Decimal, reason: str, lot=None
) -> StockFreeze:
    """Hold ``quantity`` at ``location``; only stock that is free (not frozen, not promised)
    can be frozen."""
    if location.kind not in HOLDS or location.organization_id != organization.pk:
        raise ValidationFailed(_("Choose a location in a warehouse."), field="location")
    if product.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown product."), field="product")
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field="quantity")
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the stock is frozen."), field="reason")
    freeze = StockFreeze(
        organization=organization,
        created_by=user,
        product=product,
        location=location,
        lot=lot,
        quantity=quantity,
        reason=reason.strip(),
    )
    balance, stock = _lock(freeze)
    free = min(balance.on_hand - balance.frozen, stock.available)
    if quantity > free:
        raise InsufficientStock(
            product=product, requested=quantity, available=max(free, 0), field="quantity"
        )
    balance.frozen += quantity
    stock.frozen += quantity
    balance.save(update_fields=["frozen"])
    stock.save(update_fields=["frozen"])
    freeze.save()
    return freeze


@transaction.atomic
def release_freeze(*, freeze: StockFreeze) -> StockFreeze:
    freeze = StockFreeze.objects.select_related("location", "organization").get(pk=freeze.pk)
    if freeze.state != StockFreeze.State.ACTIVE:
        raise ValidationFailed(_("This stock is no longer frozen."), field="state")
    balance, stock = _lock(freeze)
    balance.frozen -= freeze.quantity
    stock.frozen -= freeze.quantity
    balance.save(update_fields=["frozen"])
    stock.save(update_fields=["frozen"])
    freeze.state = StockFreeze.State.RELEASED
    freeze.released_at = timezone.now()
    freeze.save()
    announce_freed(freeze.organization_id, {freeze.location.warehouse_id: {freeze.product_id}})
    return freeze
