"""Backorders (缺货) get stock when it arrives or is freed.

Confirming an order under ``warn`` reserves what is available and records the rest on the line
as ``backorder_quantity``; under ``presale`` (预售) it reserves everything, ahead of the stock,
and records the shortfall the same way. :func:`allocate_backorders` gives stock that has come
in (or become free) since to those lines, in the order their orders were confirmed (then order
id, line position):

- a ``warn`` line's reservation grows by what is available now (on hand − reserved − frozen)
  and its backorder shrinks as much;
- a ``presale`` line already holds its reservation: its backorder shrinks by what of it the
  stock on hand now covers, counted as a delivery counts it (what is on hand less frozen,
  beyond what the open reservations of orders confirmed earlier hold: see "presale in order of
  confirmation" in ``docs/design/sales.md``). Nothing is reserved for it.

Lock order, as everywhere: the orders first (in key order, like a delivery or a cancellation,
which hold an order while they take its stock), then the warehouse-stock rows of the products
(``lock_warehouse_stock``, key order). Availability and the reservations are read under those
locks, so an allocation racing a confirmation, a delivery or another allocation never promises
stock twice. Each order that got stock records it in its history.

Stock arriving in a warehouse (any inbound posting) or freed there (an order cancelled or
closed, a reservation released by hand, a freeze or a count's freeze lifted) is given to the
backorders automatically: sales listens to inventory's "stock arrived or freed" hook
(:mod:`jxc.inventory.arrivals`), which, after the commit, calls :func:`stock_arrived` for the
warehouse and the products. It asks the one cheap EXISTS of :func:`has_open_backorders` and the
organization's setting (``allocate_on_arrival``, on unless switched off), and only then
schedules the job :func:`allocate_arrivals_job`; the posting or release itself pays nothing.
A backorder line's quantity also falls when it is delivered (never above what is still open)
and goes to zero when its order is closed or cancelled (``services/deliveries.py``,
``services/orders.py``).
"""

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
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
    presale: bool = False  # covered by stock on hand, reserved already: nothing reserved now


def open_backorder_lines(organization, *, warehouse=None, products=None):
    """Lines of open orders with a backorder: a ``warn`` line's not reserved yet, or a
    presale line's not covered by stock yet."""
    lines = SalesOrderLine.objects.filter(
        order__organization=organization,
        order__state__in=OPEN_STATES,
        backorder_quantity__gt=0,
    )
    if warehouse is not None:
        lines = lines.filter(order__warehouse=warehouse)
    if products is not None:
        lines = lines.filter(product__in=list(products))
    return lines


def is_presale(line) -> bool:
    """A backordered line that reserved its whole quantity at confirmation (``presale``); a
    ``warn`` line reserves only part of it while it waits (reserved + backorder ≤ ordered)."""
    return line.reserved_quantity >= line.base_quantity


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
    """Give available stock to open ``warn`` backorders, and count the stock on hand against
    presale backorders (of ``warehouse`` and ``products`` when given), in order of
    confirmation; one transaction. Returns what each line got: presale lines first."""
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
    presales = [line for line in lines if is_presale(line)]
    waiting = [line for line in lines if not is_presale(line)]
    served = _serve_presales(organization, presales, stocks)
    allocations = _allocate(organization, waiting, stocks, _still_reserved(waiting))
    given = {allocation.line_id for allocation in [*served, *allocations]}
    changed = [line for line in lines if line.pk in given]
    SalesOrderLine.objects.bulk_update(changed, ["reserved_quantity", "backorder_quantity"])
    _record(lines, served + allocations)
    return served + allocations


def _serve_presales(organization, lines, stocks) -> list[Allocation]:
    """Presale lines whose reserved stock is now on hand: per product and warehouse, the
    open order lines holding a reservation, in order of confirmation, each take from what is
    on hand less frozen what their reservation holds; a presale line's backorder falls to what
    of its open quantity that does not cover. Under the caller's locks; writes nothing."""
    if not lines:
        return []
    keys = {(line.product_id, line.order.warehouse_id) for line in lines}
    held = (
        Reservation.objects.filter(
            origin_type=ORDER_LINE, origin_id=OuterRef("pk"), state=Reservation.State.OPEN
        )
        .values("origin_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    holders = (
        SalesOrderLine.objects.filter(
            order__organization=organization,
            order__state__in=OPEN_STATES,
            product_id__in={key[0] for key in keys},
            order__warehouse_id__in={key[1] for key in keys},
        )
        .annotate(held=Coalesce(Subquery(held), ZERO, output_field=DecimalField()))
        .values_list("pk", "product_id", "order__warehouse_id", "order__confirmed_at",
                     "order_id", "position", "held")
    )  # fmt: skip
    ranked = sorted(
        (row for row in holders if (row[1], row[2]) in keys),
        key=lambda row: (row[3] or EARLIEST, row[4], row[5], row[0]),
    )
    mine = {line.pk: line for line in lines}
    taken: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    served = []
    for pk, product_id, warehouse_id, _at, _order, _position, quantity in ranked:
        key = (product_id, warehouse_id)
        stock = stocks[key]
        covered = min(max(stock.on_hand - stock.frozen - taken[key], ZERO), quantity)
        taken[key] += quantity
        line = mine.get(pk)
        if line is None:
            continue
        backorder = max(min(line.backorder_quantity, line.open_quantity - covered), ZERO)
        if backorder < line.backorder_quantity:
            served.append(
                _allocation(line, line.backorder_quantity - backorder, backorder, presale=True)
            )
            line.backorder_quantity = backorder
    return served


def _allocation(line, quantity: Decimal, backorder: Decimal, *, presale=False) -> Allocation:
    return Allocation(
        order_id=line.order_id, order_number=line.order.number, line_id=line.pk,
        position=line.position, product_id=line.product_id, product_code=line.product.code,
        product_name=line.product.name, warehouse_id=line.order.warehouse_id,
        quantity=quantity, backorder=backorder, presale=presale,
    )  # fmt: skip


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
    allocations = []
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
        allocations.append(_allocation(line, quantity, line.backorder_quantity))
    for warehouse, items in wanted.items():
        extend_reservations_locked(
            organization=organization, warehouse=warehouse, stocks=stocks, wanted=items
        )
    return allocations


def _record(lines, allocations: list[Allocation]) -> None:
    """One history entry per order that got stock: what each of its lines got, and what it
    still waits for."""
    orders = {line.order_id: line.order for line in lines}
    given: dict[int, list[str]] = defaultdict(list)
    for allocation in allocations:
        if allocation.presale:
            text = _(
                "line %(position)s %(product)s: %(quantity)s of the presale in stock, "
                "%(backorder)s still backordered"
            )
        else:
            text = _(
                "line %(position)s %(product)s: %(quantity)s reserved, %(backorder)s still backordered"
            )
        given[allocation.order_id].append(
            text
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


# --- automatically, when stock arrives or is freed -------------------------------------------


def stock_arrived(organization_id: int, warehouse_id: int, product_ids) -> None:
    """Inventory's hook, after an inbound posting or a release (of a reservation, of a freeze)
    committed: schedule the allocation when a backorder of those products waits there and the
    organization allocates on arrival.

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
    """Give the stock that arrived or was freed in the warehouse to the open backorders of
    those products, unless the organization switched it off. Idempotent: run twice, the second run finds
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
