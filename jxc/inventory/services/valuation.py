"""Applies the pure costing methods to the valuation rows of the products being moved.

Cost is kept per product for the whole organization: stock in any warehouse or in transit is
valued together, so transfers move value without changing it. Month-end average products carry
a provisional moving average during the month; period close fixes the month's cost.
"""

from decimal import Decimal

from jxc.inventory.domain.costing import (
    ZERO,
    AverageState,
    Fifo,
    FifoState,
    Layer,
    Movement,
    MovingAverage,
    money,
    unit,
)
from jxc.inventory.locks import write_rows
from jxc.inventory.models import CostLayer, ProductValuation


class Valuer:
    """Values the moves of one posting against locked valuation rows, then saves them."""

    def __init__(self, valuations: dict[int, ProductValuation], products: dict):
        self.valuations = valuations
        self.products = products
        self.layers: dict[int, list[CostLayer]] = {}
        self.new_layers: list[tuple[CostLayer, int]] = []  # (layer, index of its move)
        self.touched_layers: dict[int, CostLayer] = {}  # by id(): unsaved rows can't hash

    def _fifo(self, product_id: int) -> bool:
        return self.products[product_id].costing_method == "fifo"

    def _fifo_state(self, product_id: int) -> FifoState:
        if product_id not in self.layers:
            self.layers[product_id] = list(
                CostLayer.objects.filter(product_id=product_id).order_by("move_id")
            )
        row = self.valuations[product_id]
        return FifoState(
            tuple(
                Layer(str(id(layer)), layer.quantity, layer.value)
                for layer in self.layers[product_id]
            ),
            row.short_quantity,
            row.short_value,
            row.last_cost,
        )

    def current_cost(self, product_id: int) -> Decimal:
        row = self.valuations[product_id]
        if row.quantity > 0:
            return unit(row.value / row.quantity)
        return row.last_cost or self.products[product_id].purchase_price

    def receive(
        self, product_id: int, quantity: Decimal, unit_cost: Decimal | None, move_index: int
    ) -> Movement:
        row = self.valuations[product_id]
        cost = self.current_cost(product_id) if unit_cost is None else unit_cost
        if self._fifo(product_id):
            state, movement = Fifo.receive(
                self._fifo_state(product_id), quantity, cost, source=f"new:{move_index}"
            )
            self._store_fifo(product_id, state, move_index)
        else:
            state, movement = MovingAverage.receive(
                AverageState(row.quantity, row.value), quantity, cost
            )
            row.quantity, row.value = state.quantity, state.value
        row.last_cost = movement.unit_cost
        return movement

    def issue(self, product_id: int, quantity: Decimal) -> Movement:
        row = self.valuations[product_id]
        if self._fifo(product_id):
            state, movement = Fifo.issue(self._fifo_state(product_id), quantity)
            self._store_fifo(product_id, state, None)
            return movement
        state, movement = MovingAverage.issue(
            AverageState(row.quantity, row.value),
            quantity,
            fallback_cost=self.current_cost(product_id),
        )
        row.quantity, row.value = state.quantity, state.value
        return movement

    def carry(self, product_id: int, quantity: Decimal) -> Movement:
        """An internal move (transfer): value travels at the current cost, nothing changes."""
        cost = self.current_cost(product_id)
        return Movement(
            quantity, money(quantity * cost), cost, ({"kind": "carried", "unit_cost": str(cost)},)
        )

    def _store_fifo(self, product_id: int, state: FifoState, move_index: int | None) -> None:
        row = self.valuations[product_id]
        by_source = {str(id(layer)): layer for layer in self.layers[product_id]}
        kept = []
        for layer in state.layers:
            if layer.source in by_source:
                existing = by_source[layer.source]
                if (existing.quantity, existing.value) != (layer.quantity, layer.value):
                    existing.quantity, existing.value = layer.quantity, layer.value
                    self.touched_layers[id(existing)] = existing
                kept.append(existing)
            else:
                new = CostLayer(
                    organization_id=row.organization_id,
                    product_id=product_id,
                    quantity=layer.quantity,
                    value=layer.value,
                )
                self.new_layers.append((new, move_index))
                kept.append(new)
        kept_ids = {id(layer) for layer in kept}
        for gone in self.layers[product_id]:
            if id(gone) not in kept_ids:
                gone.quantity = ZERO  # consumed: deleted on save
                self.touched_layers[id(gone)] = gone
        self.layers[product_id] = kept
        row.short_quantity, row.short_value = state.short_quantity, state.short_value
        row.quantity, row.value = state.quantity, state.value

    def save(self, moves) -> None:
        write_rows(
            ProductValuation,
            self.valuations.values(),
            ["quantity", "value", "short_quantity", "short_value", "last_cost"],
        )
        touched = self.touched_layers.values()
        consumed = [layer.pk for layer in touched if layer.pk and not layer.quantity]
        if consumed:
            CostLayer.objects.filter(pk__in=consumed).delete()
        changed = [layer for layer in touched if layer.pk and layer.quantity]
        if changed:
            CostLayer.objects.bulk_update(changed, ["quantity", "value"])
        fresh = []
        for layer, move_index in self.new_layers:
            if layer.quantity > 0 and move_index is not None:
                layer.move = moves[move_index]
                fresh.append(layer)
        CostLayer.objects.bulk_create(fresh)
