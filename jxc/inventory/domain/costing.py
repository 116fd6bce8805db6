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
    def issue(state: FifoState, quantity: Decimal) -> tuple[FifoState, Movement]:
        remaining, taken, explanation = quantity, ZERO, []
        layers = list(state.layers)
        while remaining > 0 and layers:
            oldest = layers[0]
            used = min(oldest.quantity, remaining)
            value = oldest.value if used == oldest.quantity else money(used * oldest.unit_cost)
            explanation.append(
                {
                    "kind": "layer",
                    "source": oldest.source,
                    "quantity": str(used),
                    "value": str(value),
                }
            )
            taken += value
            remaining -= used
            if used == oldest.quantity:
                layers.pop(0)
            else:
                layers[0] = replace(
                    oldest, quantity=oldest.quantity - used, value=oldest.value - value
                )
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
