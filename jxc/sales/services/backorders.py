"""Backorders (欠货) of the ``warn`` policy get stock when it arrives.

Confirming an order under ``warn`` reserves what is available and records the rest on the line
as ``backorder_quantity``. :func:`allocate_backorders` gives stock that has come in since to
those lines, in the order their orders were confirmed (then order id, line position): each
line's reservation grows and its backorder shrinks.

Lock order, as everywhere: the orders first (in key order, like a delivery or a cancellation,
which hold an order while they take its stock), then the warehouse-stock rows of the products
(``lock_warehouse_stock``, key order). Availability (on hand − reserved − frozen) is read under
those locks, so an allocation racing a confirmation or a delivery never promises stock twice.
Presale lines already reserve their whole quantity and are left alone.
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.inventory.locks import lock_warehouse_stock
from jxc.inventory.models import Reservation
from jxc.inventory.services.reservations import allows_negative, extend_reservations_locked
from jxc.sales.models import SalesOrder, SalesOrderLine
from jxc.sales.services.common import ORDER_LINE, ZERO
from jxc.sales.services.orders import OPEN_STATES

EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)


@dataclasses.dataclass(frozen=True)
class Allocation:
    """What one backorder line got: ``quantity`` (base unit) now reserved for it, and
    ``backorder`` still waiting."""

    order_id: int
    order_number: str
    line_id: int
    position: int
    product_id: int
    product_code: str
    product_name: str
    warehouse_id: int
    quantity: Decimal
    backorder: Decimal


def open_backorder_lines(organization, *, warehouse=None, products=None):
    """Lines of open orders with a ``warn`` backorder not reserved yet (a presale line reserves
    its whole quantity, so it is not one of them)."""
    lines = SalesOrderLine.objects.filter(
        order__organization=organization,
        order__state__in=OPEN_STATES,
        backorder_quantity__gt=0,
        reserved_quantity__lt=F("base_quantity"),
    )
    if warehouse is not None:
        lines = lines.filter(order__warehouse=warehouse)
    if products is not None:
        lines = lines.filter(product__in=list(products))
    return lines


def has_open_backorders(organization, *, warehouse=None, products=None) -> bool:
    """The cheap check before allocating: one EXISTS query."""
    return open_backorder_lines(organization, warehouse=warehouse, products=products).exists()


def _check_scope(organization, warehouse, products) -> None:
    if warehouse is not None and warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Choose an active warehouse."), field="warehouse")
    for product in products or ():
        if product.organization_id != organization.pk:
            raise ValidationFailed(_("Choose an active product."), field="products")


@transaction.atomic
def allocate_backorders(*, organization, warehouse=None, products=None) -> list[Allocation]:
    """Give available stock to open ``warn`` backorders (of ``warehouse`` and ``products`` when
    given) in order of confirmation; one transaction. Returns what each line got."""
    _check_scope(organization, warehouse, products)
    scope = open_backorder_lines(organization, warehouse=warehouse, products=products)
    order_ids = sorted(set(scope.values_list("order_id", flat=True)))
    if not order_ids:
        return []
    locked = list(  # the orders before any stock row, in key order
        SalesOrder.objects.select_for_update()
        .filter(pk__in=order_ids, state__in=OPEN_STATES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    lines = list(
        scope.filter(order_id__in=locked).select_related("order", "order__warehouse", "product")
    )
    lines = [
        line for line in lines if not allows_negative(line.product, line.order.warehouse)
    ]  # never backordered: they reserve beyond stock
    if not lines:
        return []
    stocks = lock_warehouse_stock(
        organization,
        {(line.product_id, line.order.warehouse_id): {"allow_negative": False} for line in lines},
    )
    return _allocate(organization, lines, stocks, _still_reserved(lines))


def _still_reserved(lines) -> dict[int, Decimal]:
    reserved: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for origin_id, quantity in Reservation.objects.filter(
        origin_type=ORDER_LINE,
        origin_id__in=[line.pk for line in lines],
        state=Reservation.State.OPEN,
    ).values_list("origin_id", "quantity"):
        reserved[origin_id] += quantity
    return reserved


def _allocate(organization, lines, stocks, reserved) -> list[Allocation]:
    lines.sort(
        key=lambda line: (
            line.order.confirmed_at or EARLIEST,
            line.order_id,
            line.position,
            line.pk,
        )  # fmt: skip
    )
    taken: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    wanted = defaultdict(list)
    allocations, changed = [], []
    for line in lines:
        warehouse = line.order.warehouse
        key = (line.product_id, warehouse.pk)
        # a delivery beyond the reservation may have left less to deliver than the backorder
        need = min(line.backorder_quantity, line.open_quantity - reserved[line.pk])
        available = stocks[key].available - taken[key]
        quantity = min(need, available)
        if quantity <= 0:
            continue
        taken[key] += quantity
        wanted[warehouse].append((line.product, quantity, ORDER_LINE, line.pk))
        line.reserved_quantity += quantity
        line.backorder_quantity -= quantity
        changed.append(line)
        allocations.append(
            Allocation(
                order_id=line.order_id, order_number=line.order.number, line_id=line.pk,
                position=line.position, product_id=line.product_id,
                product_code=line.product.code, product_name=line.product.name,
                warehouse_id=warehouse.pk, quantity=quantity, backorder=line.backorder_quantity,
            )
        )  # fmt: skip
    for warehouse, items in wanted.items():
        extend_reservations_locked(
            organization=organization, warehouse=warehouse, stocks=stocks, wanted=items
        )
    SalesOrderLine.objects.bulk_update(changed, ["reserved_quantity", "backorder_quantity"])
    return allocations
