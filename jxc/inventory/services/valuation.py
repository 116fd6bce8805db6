"""Applies the pure costing code (:class:`Running`) to the valuation rows of the products being
moved, when posting.

Cost is kept per product for the whole organization: stock in any warehouse or in transit is
valued together, so transfers move value without changing it. Month-end average products carry
a provisional moving average during the month; the month's close fixes their cost
(:mod:`jxc.inventory.services.periods`). A move dated before moves already valued re-values the
later ones (:mod:`jxc.inventory.services.revaluation`).
"""

from decimal import Decimal

from jxc.core.batch import update_statement
from jxc.inventory.domain.costing import AverageState, FifoState, Layer, Movement, Running
from jxc.inventory.locks import write_rows
from jxc.inventory.models import CostLayer, ProductValuation

VALUATION_FIELDS = [
    "quantity",
    "value",
    "short_quantity",
    "short_value",
    "last_cost",
    "valued_through",
]


def running_from_row(row: ProductValuation, product, layers=None) -> Running:
    """The running valuation of a stored row (and, for FIFO, its layers)."""
    if product.costing_method == "fifo":
        state = FifoState(
            tuple(Layer(str(layer.move_id), layer.quantity, layer.value) for layer in layers or ()),
            row.short_quantity,
            row.short_value,
            row.last_cost,
        )
    else:
        state = AverageState(row.quantity, row.value)
    return Running(state, row.last_cost, product.purchase_price)


def store_running(row: ProductValuation, running: Running) -> None:
    row.quantity, row.value, row.last_cost = running.quantity, running.value, running.last_cost
    if running.fifo:
        row.short_quantity = running.state.short_quantity
        row.short_value = running.state.short_value


class Valuer:
    """Values the moves of one posting against locked valuation rows, then saves them."""

    def __init__(self, valuations: dict[int, ProductValuation], products: dict):
        self.valuations = valuations
        self.products = products
        self.running: dict[int, Running] = {}
        self.stored_layers: dict[int, list[CostLayer]] = {}

    def _running(self, product_id: int) -> Running:
        if product_id not in self.running:
            product = self.products[product_id]
            if product.costing_method == "fifo":
                self.stored_layers[product_id] = list(
                    CostLayer.objects.filter(product_id=product_id).order_by(
                        "move__business_date", "move_id"
                    )
                )
            self.running[product_id] = running_from_row(
                self.valuations[product_id], product, self.stored_layers.get(product_id)
            )
        return self.running[product_id]

    def receive(
        self,
        product_id: int,
        quantity: Decimal,
        unit_cost: Decimal | None,
        move_index: int,
        value: Decimal | None = None,
    ) -> Movement:
        return self._running(product_id).receive(
            quantity, unit_cost, value, source=f"new:{move_index}"
        )

    def issue(
        self,
        product_id: int,
        quantity: Decimal,
        value: Decimal | None = None,
        prefer: int | None = None,
    ) -> Movement:
        return self._running(product_id).issue(
            quantity, value, str(prefer) if prefer is not None else None
        )

    def carry(self, product_id: int, quantity: Decimal) -> Movement:
        return self._running(product_id).carry(quantity)

    def revalue(self, product_id: int, delta: Decimal) -> Movement:
        """Whether there is stock to revalue on the move's date is for the caller to check:
        this is the current state, which a back-dated adjustment is not posted against."""
        return self._running(product_id).revalue(delta, strict=False)

    def current(self, product_id: int) -> Running:
        return self._running(product_id)

    def statement(self, connection) -> tuple:
        """The write of the valuation rows, to run with the posting's other writes."""
        for product_id, running in self.running.items():
            store_running(self.valuations[product_id], running)
        return update_statement(
            connection, ProductValuation, list(self.valuations.values()), VALUATION_FIELDS
        )

    def save_layers(self, moves) -> None:
        """For FIFO products, write the layers that changed (after the moves have their keys)."""
        for product_id, running in self.running.items():
            if running.fifo:
                _save_layers(self.stored_layers[product_id], running.state, moves)


def _save_layers(stored: list[CostLayer], state: FifoState, moves) -> None:
    by_move = {str(layer.move_id): layer for layer in stored}
    kept, changed, fresh = set(), [], []
    for layer in state.layers:
        existing = by_move.get(layer.source)
        if existing is not None:
            kept.add(existing.pk)
            if (existing.quantity, existing.value) != (layer.quantity, layer.value):
                existing.quantity, existing.value = layer.quantity, layer.value
                changed.append(existing)
        elif layer.source.startswith("new:"):
            move = moves[int(layer.source[4:])]
            fresh.append(
                CostLayer(
                    organization_id=move.organization_id,
                    product_id=move.product_id,
                    move=move,
                    quantity=layer.quantity,
                    value=layer.value,
                )
            )
    gone = [layer.pk for layer in stored if layer.pk not in kept]
    if gone:
        CostLayer.objects.filter(pk__in=gone).delete()
    if changed:
        write_rows(CostLayer, changed, ["quantity", "value"])
    if fresh:
        CostLayer.objects.bulk_create(fresh)
