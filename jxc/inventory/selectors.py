"""Stock figures: on hand, reserved, available to promise, per product, warehouse, location, lot,
now (from the balances) or as of any past date (from the ledger)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from jxc.inventory.models import StockBalance, StockMove, WarehouseStock

ZERO = Decimal(0)


@dataclass(frozen=True)
class Availability:
    on_hand: Decimal
    reserved: Decimal
    frozen: Decimal

    @property
    def available(self) -> Decimal:
        return self.on_hand - self.reserved - self.frozen


def availability(*, product_id: int, warehouse_id: int) -> Availability:
    """Available to promise at one warehouse: one indexed row read."""
    row = (
        WarehouseStock.objects.filter(product_id=product_id, warehouse_id=warehouse_id)
        .values_list("on_hand", "reserved", "frozen")
        .first()
    )
    return Availability(*row) if row else Availability(ZERO, ZERO, ZERO)


def on_hand(
    *,
    product_id: int,
    warehouse_id: int | None = None,
    location_id: int | None = None,
    lot_id: int | None = None,
    as_of: datetime.date | None = None,
) -> Decimal:
    """On hand now (balances) or at the end of ``as_of`` (ledger: moves in − moves out)."""
    if as_of is None:
        balances = StockBalance.objects.filter(product_id=product_id)
        if warehouse_id:
            balances = balances.filter(warehouse_id=warehouse_id)
        if location_id:
            balances = balances.filter(location_id=location_id)
        if lot_id:
            balances = balances.filter(lot_id=lot_id)
        return balances.aggregate(total=Sum("on_hand"))["total"] or ZERO
    moves = StockMove.objects.filter(product_id=product_id, business_date__lte=as_of)
    if lot_id:
        moves = moves.filter(lot_id=lot_id)
    if location_id:
        inbound, outbound = Q(to_location_id=location_id), Q(from_location_id=location_id)
    elif warehouse_id:
        inbound, outbound = Q(to_warehouse_id=warehouse_id), Q(from_warehouse_id=warehouse_id)
    else:
        inbound = Q(to_location__kind__in=["warehouse", "zone", "bin", "transit"])
        outbound = Q(from_location__kind__in=["warehouse", "zone", "bin", "transit"])
    received = moves.filter(inbound).aggregate(total=Sum("quantity"))["total"] or ZERO
    issued = moves.filter(outbound).aggregate(total=Sum("quantity"))["total"] or ZERO
    return received - issued
