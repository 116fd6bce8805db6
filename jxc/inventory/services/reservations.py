"""Reserving stock for document lines: the no-oversell guarantee.

Every call locks the product's warehouse row first, so concurrent reservers of the same stock
queue; availability (on hand − reserved − frozen) is checked under that lock. Stock a release
frees is announced (:func:`jxc.inventory.arrivals.announce_freed`) once the release commits.
"""

from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.core.batch import insert_statement, run_statements, update_statement
from jxc.core.errors import ValidationFailed
from jxc.inventory.arrivals import announce_freed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.locks import lock_warehouse_stock
from jxc.inventory.models import Reservation, StockBalance, WarehouseStock


def allows_negative(product, warehouse) -> bool:
    """Whether the product's stock at the warehouse may go below zero (never when tracked)."""
    return product.tracking == "none" and (
        product.allow_negative_stock or warehouse.allow_negative_stock
    )


def _lock(organization, product, warehouse):
    allow = allows_negative(product, warehouse)
    stock = lock_warehouse_stock(
        organization, {(product.pk, warehouse.pk): {"allow_negative": allow}}
    )[(product.pk, warehouse.pk)]
    stock.allow_negative = allow
    return stock


@transaction.atomic
def reserve_stock(
    *,
    organization,
    product,
    warehouse,
    quantity: Decimal,
    origin_type: str,
    origin_id: int,
    lot=None,
    allow_shortage: bool = False,
) -> Reservation:
    """Reserve ``quantity`` (base unit) for a document line; raises :class:`InsufficientStock`.

    ``allow_shortage`` (backorders, presales) reserves what is asked even beyond availability.
    """
    if not isinstance(quantity, Decimal) or not quantity.is_finite() or quantity <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field="quantity")
    if product.organization_id != organization.pk or warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown product or warehouse."), field="product")
    stock = _lock(organization, product, warehouse)
    available = stock.available
    if lot is not None:
        available = min(available, _lot_available(product, warehouse, lot))
    if quantity > available and not (stock.allow_negative or allow_shortage):
        raise InsufficientStock(
            product=product, requested=quantity, available=max(available, 0), field="quantity"
        )
    stock.reserved += quantity
    stock.save(update_fields=["reserved", "allow_negative"])
    return Reservation.objects.create(
        organization=organization,
        product=product,
        warehouse=warehouse,
        lot=lot,
        quantity=quantity,
        reserved_quantity=quantity,
        origin_type=origin_type,
        origin_id=origin_id,
    )


def reserve_locked(*, organization, warehouse, stocks: dict, wanted: list[tuple], then=()) -> None:
    """Reserve for several lines of one document at ``warehouse``, under the warehouse-stock
    locks the caller took (``lock_warehouse_stock`` of all their products, which it has read
    to decide how much each line gets): one write for the stock rows, one for the reservations.

    ``wanted``: (product, quantity > 0, origin_type, origin_id) per reservation. ``then``: the
    caller's own writes (statements, see :mod:`jxc.core.batch`), run after these in the same
    round trip."""
    touched = {}
    reservations = []
    for product, quantity, origin_type, origin_id in wanted:
        stock = stocks[(product.pk, warehouse.pk)]
        stock.reserved += quantity
        stock.allow_negative = allows_negative(product, warehouse)
        touched[stock.pk] = stock
        reservations.append(
            Reservation(
                organization=organization,
                product=product,
                warehouse=warehouse,
                quantity=quantity,
                reserved_quantity=quantity,
                origin_type=origin_type,
                origin_id=origin_id,
            )
        )
    connection = connections[router.db_for_write(Reservation)]
    statements = list(then)
    if reservations:
        statements[:0] = [
            update_statement(
                connection, WarehouseStock, list(touched.values()), ["reserved", "allow_negative"]
            ),
            insert_statement(connection, Reservation, reservations),
        ]
    if statements:
        run_statements(connection, statements)


def _lot_available(product, warehouse, lot) -> Decimal:
    on_hand = StockBalance.objects.filter(product=product, warehouse=warehouse, lot=lot).aggregate(
        total=Sum("on_hand")
    )["total"] or Decimal(0)
    reserved = Reservation.objects.filter(
        product=product, warehouse=warehouse, lot=lot, state=Reservation.State.OPEN
    ).aggregate(total=Sum("quantity"))["total"] or Decimal(0)
    return on_hand - reserved


@transaction.atomic
def release_reservation(*, reservation: Reservation, quantity: Decimal | None = None):
    """Give back all (or ``quantity``) of what is still reserved; the freed stock is announced
    after the commit."""
    stock = _lock(reservation.organization, reservation.product, reservation.warehouse)
    reservation = Reservation.objects.get(pk=reservation.pk)  # fresh, under the lock
    if reservation.state != Reservation.State.OPEN:
        raise ValidationFailed(_("This reservation is no longer open."))
    quantity = reservation.quantity if quantity is None else quantity
    if quantity <= 0 or quantity > reservation.quantity:
        raise ValidationFailed(_("Release between 0 and the open quantity."), field="quantity")
    reservation.quantity -= quantity
    if reservation.quantity == 0:
        reservation.state = Reservation.State.RELEASED
    reservation.save(update_fields=["quantity", "state"])
    stock.reserved -= quantity
    stock.save(update_fields=["reserved"])
    announce_freed(
        reservation.organization_id, {reservation.warehouse_id: {reservation.product_id}}
    )
    return reservation


@transaction.atomic
def release_reservations(*, organization, reservations) -> list[Reservation]:
    """Give back everything the open ``reservations`` (of one document, say) still hold: the
    warehouse rows of all their products locked at once, in key order; one write for those
    rows and one for the reservations; the freed stock announced once per warehouse after the
    commit. Raises, writing nothing, when one of them is no longer open."""
    ids = sorted({r.pk for r in reservations})
    if not ids:
        return []
    found = Reservation.objects.filter(pk__in=ids, organization=organization)
    keys = {key: {} for key in found.values_list("product_id", "warehouse_id").distinct()}
    stocks = lock_warehouse_stock(organization, keys)
    fresh = list(found.order_by("pk"))  # read again, under the locks
    if len(fresh) != len(ids) or any(r.state != Reservation.State.OPEN for r in fresh):
        raise ValidationFailed(_("This reservation is no longer open."))
    freed: dict[int, set[int]] = {}
    for reservation in fresh:
        stocks[(reservation.product_id, reservation.warehouse_id)].reserved -= reservation.quantity
        reservation.quantity = Decimal(0)
        reservation.state = Reservation.State.RELEASED
        freed.setdefault(reservation.warehouse_id, set()).add(reservation.product_id)
    WarehouseStock.objects.bulk_update([stocks[key] for key in sorted(keys)], ["reserved"])
    Reservation.objects.bulk_update(fresh, ["quantity", "state"])
    announce_freed(organization.pk, freed)
    return fresh


def extend_reservations_locked(*, organization, warehouse, stocks: dict, wanted: list[tuple]):
    """Reserve more for document lines that may already hold a reservation at ``warehouse``,
    under the warehouse-stock locks the caller took (and read to decide how much each line
    gets). A line keeps one open reservation: an open one grows, otherwise a new one is
    added, so a delivery consuming the line's reservation takes all of it.

    ``wanted``: (product, quantity > 0, origin_type, origin_id) per line. Returns the
    reservations changed or created."""
    by_origin = {}
    for origin_type in {w[2] for w in wanted}:
        found = Reservation.objects.filter(
            organization=organization,
            warehouse=warehouse,
            origin_type=origin_type,
            origin_id__in=[w[3] for w in wanted if w[2] == origin_type],
            state=Reservation.State.OPEN,
            lot__isnull=True,
        ).order_by("pk")
        for reservation in found:
            by_origin.setdefault((origin_type, reservation.origin_id), reservation)
    grown, added, touched = [], [], {}
    for product, quantity, origin_type, origin_id in wanted:
        stock = stocks[(product.pk, warehouse.pk)]
        stock.reserved += quantity
        touched[stock.pk] = stock
        reservation = by_origin.get((origin_type, origin_id))
        if reservation is not None:
            reservation.quantity += quantity
            reservation.reserved_quantity += quantity
            grown.append(reservation)
            continue
        added.append(
            Reservation(organization=organization, product=product, warehouse=warehouse,
                        quantity=quantity, reserved_quantity=quantity,
                        origin_type=origin_type, origin_id=origin_id)
        )  # fmt: skip
    WarehouseStock.objects.bulk_update(list(touched.values()), ["reserved"])
    Reservation.objects.bulk_update(grown, ["quantity", "reserved_quantity"])
    return [*grown, *Reservation.objects.bulk_create(added)]
