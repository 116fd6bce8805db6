"""Reads of sales that other apps use through inventory's registries."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from jxc.inventory.models import Reservation
from jxc.sales.models import SalesOrderLine
from jxc.sales.services.common import ORDER_LINE
from jxc.sales.services.orders import OPEN_STATES

ZERO = Decimal(0)


def unreserved_order_demand(organization, warehouse_id: int | None = None) -> dict[tuple, Decimal]:
    """Per (product, warehouse): what confirmed orders still have to deliver beyond what is
    reserved for them (a backorder kept under the ``warn`` policy, or a reservation released
    early): the demand replenishment must cover on top of the reservations. Two queries for
    all open orders."""
    lines = SalesOrderLine.objects.filter(
        order__organization=organization, order__state__in=OPEN_STATES
    )
    if warehouse_id is not None:
        lines = lines.filter(order__warehouse_id=warehouse_id)
    rows = list(
        lines.values_list(
            "pk", "product_id", "order__warehouse_id", "base_quantity", "delivered_quantity"
        )  # fmt: skip
    )
    reserved = dict(
        Reservation.objects.filter(
            organization=organization,
            origin_type=ORDER_LINE,
            origin_id__in=[row[0] for row in rows],
            state=Reservation.State.OPEN,
        )
        .values("origin_id")
        .annotate(q=Sum("quantity"))
        .values_list("origin_id", "q")
    )
    demand: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for pk, product_id, warehouse, ordered, delivered in rows:
        short = ordered - delivered - reserved.get(pk, ZERO)
        if short > 0:
            demand[(product_id, warehouse)] += short
    return dict(demand)
