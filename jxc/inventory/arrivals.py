"""Stock arrived or freed: the hook through which modules above inventory hear that stock
became available in a warehouse. It *arrived*: a purchase receipt, an other receipt, a transfer
in, a sales return, a count's gain — any posting through
:func:`jxc.inventory.services.moves.post_moves` that brings a product into a warehouse from
outside it. Or it was *freed* (:func:`announce_freed`): a reservation released (an order
cancelled or closed, a quotation ended, a release by hand, what a finished order still held)
or a freeze lifted.

Inventory knows nothing of who listens: a higher module (sales, to give the stock to its
backorders) registers a listener when Django starts, with :func:`register_arrival_listener`.
A listener is called once the transaction commits (never for one rolled back), with the
organization's id, the warehouse's id and the ids of the products that came in or were freed
there. It runs in the committing thread, after the commit, so it must be quick: it schedules
its work as a background job (``jxc.core.jobs.enqueue``) rather than doing it. It costs the
posting or the release itself no database statement; stock leaving, moving inside a warehouse,
being reserved or frozen announces nothing.
"""

import functools
import logging
from collections.abc import Callable, Iterable

from django.db import transaction

logger = logging.getLogger(__name__)

#: ``listener(organization_id, warehouse_id, product_ids)``
ArrivalListener = Callable[[int, int, frozenset[int]], None]

_listeners: list[ArrivalListener] = []


def register_arrival_listener(listener: ArrivalListener) -> None:
    """Call ``listener`` after each commit that brought stock into a warehouse or freed some
    there."""
    if listener not in _listeners:
        _listeners.append(listener)


def arrival_listeners() -> list[ArrivalListener]:
    return list(_listeners)


def arrivals_of(moves: Iterable) -> dict[int, frozenset[int]]:
    """Per warehouse id, the products the posted ``moves`` (``StockMove`` rows) brought in from
    outside it; a move between two locations of one warehouse and a move of value only bring
    nothing."""
    found: dict[int, set[int]] = {}
    for move in moves:
        into = move.to_warehouse_id
        if into is None or into == move.from_warehouse_id or not move.quantity:
            continue
        found.setdefault(into, set()).add(move.product_id)
    return {warehouse: frozenset(products) for warehouse, products in found.items()}


def announce_arrivals(organization_id: int, arrivals: dict[int, frozenset[int]]) -> None:
    """Tell the listeners, once the current transaction commits, what arrived. No statement:
    nothing is read or written here."""
    if not arrivals or not _listeners:
        return
    transaction.on_commit(functools.partial(_notify, organization_id, arrivals), robust=True)


def announce_freed(organization_id: int, freed: dict[int, Iterable[int]]) -> None:
    """Tell the listeners, once the current transaction commits, that stock of these products
    (per warehouse id) was freed: to them it is stock that arrived. No statement."""
    announce_arrivals(
        organization_id,
        {warehouse: frozenset(products) for warehouse, products in freed.items() if products},
    )


def _notify(organization_id: int, arrivals: dict[int, frozenset[int]]) -> None:
    """After the commit: a failing listener is logged and never turns the committed posting
    into an error, nor keeps the other listeners from hearing of it."""
    for listener in list(_listeners):
        for warehouse_id, product_ids in sorted(arrivals.items()):
            try:
                listener(organization_id, warehouse_id, product_ids)
            except Exception:
                logger.exception(
                    "stock arrival listener %r failed (warehouse %s)", listener, warehouse_id
                )
