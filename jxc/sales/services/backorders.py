"""Backorders (欠货) of the ``warn`` policy get stock when it arrives.

Confirming an order under ``warn`` reserves what is available and records the rest on the line
as ``backorder_quantity``. :func:`allocate_backorders` gives stock that has come in since to
those lines, in the order their orders were confirmed (then order id, line position): each
line's reservation grows and its backorder shrinks.

Lock order, as everywhere: the orders first (in key order, like a delivery or a cancellation,
which hold an order while they take its stock), then the warehouse-stock rows of the products
(``lock_warehouse_stock``, key order). Availability (on hand − reserved − frozen) is read under
those locks, so an allocation racing a confirmation or a delivery never promises stock twice.
Presale lines already reserve their whole quantity and are left alone. Each order that got
stock records it in its history.

Stock arriving in a warehouse (any inbound posting) is given to the backorders automatically:
sales listens to inventory's "stock arrived" hook (:mod:`jxc.inventory.arrivals`), which, after
the posting commits, schedules the job :func:`allocate_arrivals_job` for the warehouse and the
products that came in. The posting itself pays nothing for it; the job first asks the
organization's setting (``allocate_on_arrival``, on unless switched off) and the one cheap
EXISTS of :func:`has_open_backorders`, and allocates only when there is something to give.
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from jxc.core import audit, jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.inventory.locks import lock_warehouse_stock
from jxc.inventory.models import Reservation
from jxc.inventory.services.reservations import allows_negative, extend_reservations_locked
from jxc.masterdata.models import Product, Warehouse
from jxc.sales.models import SalesOrder, SalesOrderLine, SalesSettings
from jxc.sales.services.common import ORDER_LINE, ZERO
from jxc.sales.services.orders import OPEN_STATES

EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)
ALLOCATED = "backorder_allocated"  # the key of the order history's entry
ALLOCATE_JOB = "sales.allocate_backorders"


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
    _record(lines, allocations)
    return allocations


def _record(lines, allocations: list[Allocation]) -> None:
    """One history entry per order that got stock: what each of its lines got, and what it
    still waits for."""
    orders = {line.order_id: line.order for line in lines}
    given: dict[int, list[str]] = defaultdict(list)
    for allocation in allocations:
        given[allocation.order_id].append(
            _(
                "line %(position)s %(product)s: %(quantity)s reserved, %(backorder)s still backordered"
            )
            % {
                "position": allocation.position + 1,
                "product": allocation.product_code,
                "quantity": _plain(allocation.quantity),
                "backorder": _plain(allocation.backorder),
            }
        )
    for order_id in sorted(given):
        audit.record(
            action="update", instance=orders[order_id], changes={ALLOCATED: [None, given[order_id]]}
        )


def _plain(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


# --- automatically, when stock arrives -------------------------------------------------------


def stock_arrived(organization_id: int, warehouse_id: int, product_ids) -> None:
    """Inventory's hook, after an inbound posting committed: schedule the allocation when
    a backorder of those products waits there and the organization allocates on arrival.

    The check runs here, on the committing thread's connection, outside the posting's
    transaction: one EXISTS for nearly every receipt, where a job would cost a thread and a new
    database connection each. The job checks again: the stock may be gone by then."""
    if not has_open_backorders(organization_id, warehouse=warehouse_id, products=product_ids):
        return
    if not allocates_on_arrival(organization_id):
        return
    jobs.enqueue(
        ALLOCATE_JOB,
        organization_id=organization_id,
        warehouse_id=warehouse_id,
        product_ids=sorted(product_ids),
    )


def allocates_on_arrival(organization_id: int) -> bool:
    """The organization's setting (on when it never saved its sales settings)."""
    found = SalesSettings.objects.filter(organization_id=organization_id).values_list(
        "allocate_on_arrival", flat=True
    )
    return next(iter(found), True)


@jobs.job(ALLOCATE_JOB)
def allocate_arrivals_job(*, organization_id: int, warehouse_id: int, product_ids) -> None:
    """Give the stock that arrived in the warehouse to the open backorders of those products,
    unless the organization switched it off. Idempotent: run twice, the second run finds
    nothing more to give. Recorded in the orders' history as the system's doing."""
    if not allocates_on_arrival(organization_id):
        return
    if not has_open_backorders(organization_id, warehouse=warehouse_id, products=product_ids):
        return
    organization = Organization.objects.get(pk=organization_id)
    warehouse = Warehouse.objects.get(pk=warehouse_id, organization=organization)
    products = list(Product.objects.filter(pk__in=product_ids, organization=organization))
    with audit.acting_as(None, organization):
        allocate_backorders(organization=organization, warehouse=warehouse, products=products)
