"""Inventory valuation in pure code: moving average, FIFO layers, month-end average.

No ORM here: each method takes the product's valuation state and a receipt or issue and returns
the new state and the value that moved, with an explanation of how the cost arose. Amounts are
rounded half-up to 2 places, unit costs to 6. The invariant every method keeps, and the property
tests check: the state's value equals the sum of values received minus the sum of values issued
(plus explicit adjustments), and a state with no quantity carries no value.
"""

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MICRO = Decimal("0.000001")
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def quantity4(value) -> Decimal:
    """A quantity summed by the database (SQLite sums decimals as floats) back to 4 places."""
    return Decimal(value or 0).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def unit(value: Decimal) -> Decimal:
    return value.quantize(MICRO, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Movement:
    """The valuation effect of one move: ``value`` in (receipt) or out (issue)."""

    quantity: Decimal
    value: Decimal
    unit_cost: Decimal
    # how the cost was made: [{"kind": "average"|"layer"|"adjustment", ...}]
    explanation: tuple = ()
    # value added to stock to settle earlier issues made below zero (not part of ``value``)
    adjustment: Decimal = ZERO


@dataclass(frozen=True)
class AverageState:
    quantity: Decimal = ZERO
    value: Decimal = ZERO

    @property
    def unit_cost(self) -> Decimal:
        return unit(self.value / self.quantity) if self.quantity > 0 else ZERO


class MovingAverage:
    """移动加权平均: every receipt re-averages; issues leave at the current average."""

    @staticmethod
    def receive(
        state: AverageState, quantity: Decimal, unit_cost: Decimal, value: Decimal | None = None
    ) -> tuple[AverageState, Movement]:
        value = money(quantity * unit_cost) if value is None else money(value)
        if state.quantity < 0:
            # Issued below zero at a guessed cost: the receipt first settles that shortfall at
            # its own cost, and the difference is an explicit adjustment of stock value.
            new_quantity = state.quantity + quantity
            settled_value = (
                money(new_quantity * unit_cost)
                if new_quantity > 0
                else money(new_quantity * (state.value / state.quantity))
            )
            adjustment = settled_value - (state.value + value)
            note = (
                (
                    {
                        "kind": "adjustment",
                        "value": str(adjustment),
                        "reason": "settles stock issued below zero",
                    },
                )
                if adjustment
                else ()
            )
            return (
                AverageState(new_quantity, settled_value),
                Movement(quantity, value, unit(value / quantity), note, adjustment),
            )
        new = AverageState(state.quantity + quantity, state.value + value)
        return new, Movement(
            quantity,
            value,
            unit(value / quantity),
            ({"kind": "average", "before": str(state.unit_cost), "after": str(new.unit_cost)},),
        )

    @staticmethod
    def issue(
        state: AverageState, quantity: Decimal, fallback_cost: Decimal = ZERO
    ) -> tuple[AverageState, Movement]:
        if state.quantity > 0 and quantity >= state.quantity:
            # the last units take all remaining value, so no value is stranded at quantity 0
            taken = state.value + money((quantity - state.quantity) * state.unit_cost)
        else:
            cost = (
                state.unit_cost
                if state.quantity > 0
                else (unit(state.value / state.quantity) if state.quantity < 0 else fallback_cost)
            )
            taken = money(quantity * cost)
        new = AverageState(state.quantity - quantity, state.value - taken)
        return new, Movement(
            quantity,
            taken,
            unit(taken / quantity),
            ({"kind": "average", "unit_cost": str(unit(taken / quantity))},),
        )

    @staticmethod
    def issue_at(
        state: AverageState, quantity: Decimal, value: Decimal
    ) -> tuple[AverageState, Movement]:
        """An issue at a known value: a receipt sent back leaves at the cost it came in at.

        The average never goes negative and stock at zero keeps no value, so when the known
        value is more than is left (or the issue empties the stock), everything left goes.
        """
        taken = money(value)
        remaining = state.quantity - quantity
        if state.quantity > 0 and (remaining == 0 or (remaining > 0 and taken > state.value)):
            taken = state.value
        new = AverageState(remaining, state.value - taken)
        return new, Movement(
            quantity,
            taken,
            unit(taken / quantity),
            ({"kind": "original_cost", "value": str(money(value)), "taken": str(taken)},),
        )

    @staticmethod
    def revalue(
        state: AverageState, delta: Decimal, strict: bool = True
    ) -> tuple[AverageState, Movement]:
        """Change the value of the stock on hand by ``delta`` (出入库成本调整)."""
        delta = money(delta)
        if strict:
            _check_revaluable(state.quantity, state.value + delta)
        new = AverageState(state.quantity, state.value + delta)
        return new, Movement(
            ZERO,
            delta,
            ZERO,
            ({"kind": "revaluation", "before": str(state.unit_cost), "after": str(new.unit_cost)},),
        )


class CannotRevalue(ValueError):
    """Revaluing stock that is not there, or below zero value."""


def _check_revaluable(quantity: Decimal, new_value: Decimal) -> None:
    if quantity <= 0:
        raise CannotRevalue("no stock")
    if new_value < 0:
        raise CannotRevalue("negative value")


@dataclass(frozen=True)
class Layer:
    source: str  # the receipt move that created the layer
    quantity: Decimal
    value: Decimal

    @property
    def unit_cost(self) -> Decimal:
        return unit(self.value / self.quantity) if self.quantity else ZERO


@dataclass(frozen=True)
class FifoState:
    layers: tuple[Layer, ...] = ()
    # quantity issued beyond the layers (negative stock), and the value it took
    short_quantity: Decimal = ZERO
    short_value: Decimal = ZERO
    last_cost: Decimal = ZERO

    @property
    def quantity(self) -> Decimal:
        return sum((layer.quantity for layer in self.layers), ZERO) - self.short_quantity

    @property
    def value(self) -> Decimal:
        return sum((layer.value for layer in self.layers), ZERO) - self.short_value


class Fifo:
    """先进先出: receipts add layers; issues consume the oldest layers first."""

    @staticmethod
    def receive(
        state: FifoState,
        quantity: Decimal,
        unit_cost: Decimal,
        source: str,
        value: Decimal | None = None,
    ) -> tuple[FifoState, Movement]:
        value = money(quantity * unit_cost) if value is None else money(value)
        layer = Layer(source, quantity, value)
        explanation = [
            {"kind": "layer", "source": source, "quantity": str(quantity), "value": str(value)}
        ]
        adjustment = ZERO
        short_quantity, short_value = state.short_quantity, state.short_value
        if short_quantity > 0:
            settle = min(short_quantity, quantity)
            settle_value = value if settle == quantity else money(settle * layer.unit_cost)
            owed = (
                short_value
                if settle == short_quantity
                else money(short_value * settle / short_quantity)
            )
            adjustment = owed - settle_value
            short_quantity -= settle
            short_value -= owed
            layer = Layer(source, quantity - settle, value - settle_value)
            explanation.append(
                {
                    "kind": "adjustment",
                    "value": str(adjustment),
                    "reason": "settles stock issued below zero",
                }
            )
        layers = state.layers + ((layer,) if layer.quantity > 0 else ())
        return (
            FifoState(layers, short_quantity, short_value, unit(value / quantity)),
            Movement(quantity, value, unit(value / quantity), tuple(explanation), adjustment),
        )

    @staticmethod
    def issue(
        state: FifoState, quantity: Decimal, prefer: str | None = None
    ) -> tuple[FifoState, Movement]:
        """Consume the oldest layers first; ``prefer`` names a layer to take from before them
        (a receipt sent back takes its own layer while it lasts)."""
        remaining, taken, explanation = quantity, ZERO, []
        layers = list(state.layers)
        order = sorted(range(len(layers)), key=lambda i: layers[i].source != prefer)
        for i in order:
            if remaining <= 0:
                break
            layer = layers[i]
            used = min(layer.quantity, remaining)
            value = layer.value if used == layer.quantity else money(used * layer.unit_cost)
            explanation.append(
                {
                    "kind": "layer",
                    "source": layer.source,
                    "quantity": str(used),
                    "value": str(value),
                }
            )
            taken += value
            remaining -= used
            layers[i] = replace(layer, quantity=layer.quantity - used, value=layer.value - value)
        layers = [layer for layer in layers if layer.quantity > 0]
        short_quantity, short_value = state.short_quantity, state.short_value
        if remaining > 0:
            value = money(remaining * state.last_cost)
            explanation.append(
                {
                    "kind": "below_zero",
                    "quantity": str(remaining),
                    "unit_cost": str(state.last_cost),
                    "value": str(value),
                }
            )
            taken += value
            short_quantity += remaining
            short_value += value
        new = FifoState(tuple(layers), short_quantity, short_value, state.last_cost)
        return new, Movement(quantity, taken, unit(taken / quantity), tuple(explanation))

    @staticmethod
    def revalue(
        state: FifoState, delta: Decimal, strict: bool = True
    ) -> tuple[FifoState, Movement]:
        """Spread ``delta`` over the layers in proportion to their quantity (the newest layer
        takes the rounding), so each layer's cost moves by the same amount per unit."""
        delta = money(delta)
        if strict:
            _check_revaluable(state.quantity, state.value + delta)
            if any(
                layer.value + money(delta * layer.quantity / state.quantity) < 0
                for layer in state.layers
            ):
                raise CannotRevalue("negative layer")
        if not state.layers:
            # nothing to carry it (only possible when replaying history): it settles the shortfall
            new = replace(state, short_value=state.short_value - delta)
            return new, Movement(ZERO, delta, ZERO, ({"kind": "revaluation"},))
        total = sum((layer.quantity for layer in state.layers), ZERO)
        layers, spread = [], ZERO
        for i, layer in enumerate(state.layers):
            share = (
                delta - spread
                if i == len(state.layers) - 1
                else money(delta * layer.quantity / total)
            )
            spread += share
            layers.append(replace(layer, value=layer.value + share))
        return replace(state, layers=tuple(layers)), Movement(
            ZERO, delta, ZERO, ({"kind": "revaluation", "layers": len(layers)},)
        )

    @staticmethod
    def rebuild(
        receipts_newest_first, quantity: Decimal, value: Decimal, last_cost: Decimal = ZERO
    ) -> FifoState:
        """The FIFO state at a point in history, from the ledger's net quantity and value there
        and the receipts before it (newest first): the stock left is the newest receipts, the
        oldest of them partly consumed and holding whatever value is not in the others.

        Exact for receipts and issues in FIFO order; a revaluation spread over several layers
        is gathered into the oldest remaining one (the total value is still exact).
        """
        if quantity <= 0:
            return FifoState((), -quantity, -value, last_cost)
        layers, need, full_value = [], quantity, ZERO
        for source, layer_quantity, layer_value in receipts_newest_first:
            if layer_quantity >= need:
                layers.append(Layer(source, need, value - full_value))
                need = ZERO
                break
            layers.append(Layer(source, layer_quantity, layer_value))
            full_value += layer_value
            need -= layer_quantity
        if need > 0:  # more stock than the receipts left: the oldest takes the rest
            if layers:
                oldest = layers.pop()
                full_value -= oldest.value
                layers.append(Layer(oldest.source, oldest.quantity + need, value - full_value))
            else:
                layers.append(Layer("opening", need, value))
        return FifoState(tuple(reversed(layers)), ZERO, ZERO, last_cost)


@dataclass(frozen=True)
class MonthlyResult:
    unit_cost: Decimal
    issue_values: tuple[Decimal, ...]
    closing_quantity: Decimal
    closing_value: Decimal
    explanation: dict = field(default_factory=dict)


def monthly_average(
    opening_quantity: Decimal,
    opening_value: Decimal,
    receipts: list[tuple[Decimal, Decimal]],
    issues: list[Decimal],
) -> MonthlyResult:
    """全月一次加权平均: one unit cost for every issue of the month, fixed at period close.

    unit cost = (opening value + receipts' value) / (opening quantity + receipts' quantity).
    When the month's issues take all the stock, the last issue takes the remaining value, so a
    closing quantity of zero never keeps a value.
    """
    quantity_in = opening_quantity + sum((q for q, _v in receipts), ZERO)
    value_in = opening_value + sum((v for _q, v in receipts), ZERO)
    cost = unit(value_in / quantity_in) if quantity_in > 0 else ZERO
    values = [money(q * cost) for q in issues]
    closing_quantity = quantity_in - sum(issues, ZERO)
    if closing_quantity == 0 and values:
        values[-1] = value_in - sum(values[:-1], ZERO)
    closing_value = value_in - sum(values, ZERO)
    return MonthlyResult(
        cost,
        tuple(values),
        closing_quantity,
        closing_value,
        {"quantity_in": str(quantity_in), "value_in": str(value_in)},
    )


class Running:
    """One product's valuation as its moves are fed to it in order, when posting and when
    replaying history after a back-dated move.

    ``state`` is an :class:`AverageState` (moving average, and month-end average during the
    month) or a :class:`FifoState`. ``fallback_cost`` values stock issued before anything was
    received (the product's purchase price).
    """

    def __init__(self, state, last_cost: Decimal = ZERO, fallback_cost: Decimal = ZERO):
        self.state = state
        self.fifo = isinstance(state, FifoState)
        self.last_cost = last_cost
        self.fallback_cost = fallback_cost

    @property
    def quantity(self) -> Decimal:
        return self.state.quantity

    @property
    def value(self) -> Decimal:
        return self.state.value

    @property
    def current_cost(self) -> Decimal:
        if self.quantity > 0:
            return unit(self.value / self.quantity)
        return self.last_cost or self.fallback_cost

    def receive(
        self,
        quantity: Decimal,
        unit_cost: Decimal | None = None,
        value: Decimal | None = None,
        source: str = "",
    ) -> Movement:
        """Stock coming in; at ``unit_cost`` (or ``value``) when known, else the current cost."""
        cost = self.current_cost if unit_cost is None else unit_cost
        if self.fifo:
            state = replace(self.state, last_cost=self.last_cost or self.fallback_cost)
            self.state, movement = Fifo.receive(state, quantity, cost, source, value)
        else:
            self.state, movement = MovingAverage.receive(self.state, quantity, cost, value)
        self.last_cost = movement.unit_cost
        return movement

    def issue(
        self, quantity: Decimal, value: Decimal | None = None, prefer: str | None = None
    ) -> Movement:
        """Stock going out; ``value`` (moving average) or ``prefer`` (FIFO: the layer to take
        first) when it is a receipt sent back at its own cost."""
        if self.fifo:
            state = replace(self.state, last_cost=self.current_cost)
            self.state, movement = Fifo.issue(state, quantity, prefer)
        elif value is not None:
            self.state, movement = MovingAverage.issue_at(self.state, quantity, value)
        else:
            self.state, movement = MovingAverage.issue(
                self.state, quantity, fallback_cost=self.current_cost
            )
        return movement

    def carry(self, quantity: Decimal) -> Movement:
        """An internal move (transfer): value travels at the current cost, nothing changes."""
        cost = self.current_cost
        return Movement(
            quantity, money(quantity * cost), cost, ({"kind": "carried", "unit_cost": str(cost)},)
        )

    def revalue(self, delta: Decimal, strict: bool = True) -> Movement:
        method = Fifo if self.fifo else MovingAverage
        self.state, movement = method.revalue(self.state, delta, strict)
        return movement
