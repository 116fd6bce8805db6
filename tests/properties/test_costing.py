"""Property tests of the pure valuation code: value and quantity are conserved."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jxc.inventory.domain.costing import (
    ZERO,
    AverageState,
    Fifo,
    FifoState,
    MovingAverage,
    monthly_average,
)

quantities = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal(10000), places=4)
costs = st.decimals(min_value=Decimal(0), max_value=Decimal(5000), places=6)
steps = st.lists(
    st.tuples(st.sampled_from(["in", "out"]), quantities, costs), min_size=1, max_size=40
)
no_deadline = settings(deadline=None, max_examples=300)


@no_deadline
@given(steps)
def test_moving_average_conserves_quantity_and_value(moves):
    state, value_in, value_out, adjustments, quantity = AverageState(), ZERO, ZERO, ZERO, ZERO
    for kind, qty, cost in moves:
        if kind == "in":
            state, movement = MovingAverage.receive(state, qty, cost)
            value_in += movement.value
            adjustments += movement.adjustment
            quantity += qty
        else:
            state, movement = MovingAverage.issue(state, qty, fallback_cost=cost)
            value_out += movement.value
            quantity -= qty
        assert state.quantity == quantity
        assert state.value == value_in - value_out + adjustments
        assert state.unit_cost >= 0  # the average never goes negative
        if state.quantity == 0:
            assert state.value == 0
        if state.quantity > 0:
            assert state.value >= 0


@no_deadline
@given(st.lists(st.tuples(quantities, costs), min_size=1, max_size=20))
def test_moving_average_issuing_everything_leaves_no_value(receipts):
    state = AverageState()
    total = ZERO
    for qty, cost in receipts:
        state, movement = MovingAverage.receive(state, qty, cost)
        total += movement.value
    state, movement = MovingAverage.issue(state, state.quantity)
    assert movement.value == total
    assert (state.quantity, state.value) == (ZERO, ZERO)


@no_deadline
@given(steps)
def test_fifo_conserves_quantity_and_value(moves):
    state, value_in, value_out, adjustments, quantity = FifoState(), ZERO, ZERO, ZERO, ZERO
    for index, (kind, qty, cost) in enumerate(moves):
        if kind == "in":
            state, movement = Fifo.receive(state, qty, cost, source=str(index))
            value_in += movement.value
            adjustments += movement.adjustment
            quantity += qty
        else:
            state, movement = Fifo.issue(state, qty)
            value_out += movement.value
            quantity -= qty
            consumed = sum((Decimal(e["quantity"]) for e in movement.explanation), ZERO)
            assert consumed == qty  # the explanation accounts for every unit
        assert state.quantity == quantity
        assert state.value == value_in - value_out + adjustments
        assert all(layer.quantity > 0 and layer.value >= 0 for layer in state.layers)
        if state.quantity == 0:
            assert state.value == 0


@no_deadline
@given(st.lists(st.tuples(quantities, costs), min_size=2, max_size=10), st.data())
def test_fifo_consumes_the_oldest_layers_first(receipts, data):
    state = FifoState()
    for index, (qty, cost) in enumerate(receipts):
        state, _movement = Fifo.receive(state, qty, cost, source=str(index))
    total = state.quantity
    wanted = data.draw(st.decimals(min_value=Decimal("0.0001"), max_value=total, places=4))
    _state, movement = Fifo.issue(state, wanted)
    sources = [int(e["source"]) for e in movement.explanation]
    assert sources == list(range(len(sources)))  # 0, 1, 2, … : oldest first, none skipped


def test_fifo_example_values_oldest_layers():
    state, _ = Fifo.receive(FifoState(), Decimal(10), Decimal(5), "a")
    state, _ = Fifo.receive(state, Decimal(10), Decimal(7), "b")
    state, movement = Fifo.issue(state, Decimal(15))
    assert movement.value == Decimal(85)  # 10 × 5 + 5 × 7
    assert state.value == Decimal(35)


def test_moving_average_example():
    state, _ = MovingAverage.receive(AverageState(), Decimal(10), Decimal(5))
    state, _ = MovingAverage.receive(state, Decimal(30), Decimal(9))
    assert state.unit_cost == Decimal(8)
    state, movement = MovingAverage.issue(state, Decimal(5))
    assert movement.value == Decimal(40)


@no_deadline
@given(
    quantities,
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.lists(
        st.tuples(quantities, st.decimals(min_value=0, max_value=10**6, places=2)), max_size=10
    ),
    st.data(),
)
def test_monthly_average_conserves_value(opening_qty, opening_value, receipts, data):
    available = opening_qty + sum((q for q, _v in receipts), ZERO)
    issues, left = [], available
    for _ in range(data.draw(st.integers(0, 6))):
        if left <= 0:
            break
        qty = data.draw(st.decimals(min_value=Decimal("0.0001"), max_value=left, places=4))
        issues.append(qty)
        left -= qty
    result = monthly_average(opening_qty, opening_value, receipts, issues)
    value_in = opening_value + sum((v for _q, v in receipts), ZERO)
    assert result.closing_value == value_in - sum(result.issue_values, ZERO)
    assert result.closing_quantity == left
    if left == 0 and issues:
        assert result.closing_value == 0
    assert result.unit_cost >= 0
