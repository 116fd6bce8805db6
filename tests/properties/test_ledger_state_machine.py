"""A hypothesis state machine posts random receipts, issues, transfers, counts, reservations,
releases and reversals, and moves warehouses between inventory accounts (存货科目), and checks
every invariant of ``jxc verify`` after each step (each inventory account equals the stock it
holds)."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from jxc.core.errors import ValidationFailed
from jxc.inventory.domain.costing import AverageState, FifoState, Running
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import ProductValuation, Reservation, StockMove
from jxc.inventory.services import cost_adjustments, counts, documents
from jxc.inventory.services.reservations import release_reservation, reserve_stock
from jxc.inventory.services.revaluation import REPLAY_COLUMNS, Replay, replay_moves
from jxc.inventory.services.warehouse_accounts import set_warehouse_account
from jxc.inventory.verify import verify
from tests.conftest import make_organization
from tests.finance.conftest import account
from tests.inventory.conftest import DAY, Stock

quantities = st.integers(min_value=1, max_value=40).map(Decimal)
# moves land on any of the last ten days, so many are back-dated before moves already valued
days = st.integers(min_value=0, max_value=9).map(lambda back: DAY - datetime.timedelta(days=back))
costs = st.decimals(min_value=0, max_value=500, places=2)


NO_EXPLAIN = [p for p in Phase if p is not Phase.explain]


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.stock = Stock(make_organization("SM", "状态机"))
        self.products = [
            self.stock.product("AVG"),
            self.stock.product("FIFO", costing_method="fifo"),
            self.stock.product("NEG", allow_negative_stock=True),
        ]
        self.bins = [self.stock.bin1, self.stock.bin2]
        self.posted = []

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _attempt(self, action):
        """Refusals are fine (and must leave nothing behind); anything else is a bug."""
        before = StockMove.objects.count()
        try:
            with transaction.atomic():
                return action()
        except (InsufficientStock, ValidationFailed):
            assert StockMove.objects.count() == before
            return None

    @rule(
        product=st.integers(0, 2),
        where=st.integers(0, 1),
        quantity=quantities,
        cost=costs,
        day=days,
    )
    def receive(self, product, where, quantity, cost, day):
        self._attempt(
            lambda: self.stock.receive(
                self.products[product], quantity, cost, location=self.bins[where], day=day
            )
        )

    @rule(product=st.integers(0, 2), where=st.integers(0, 1), quantity=quantities, day=days)
    def issue(self, product, where, quantity, day):
        self._attempt(
            lambda: self.stock.issue(
                self.products[product], quantity, location=self.bins[where], day=day
            )
        )

    @rule(product=st.integers(0, 2), quantity=quantities, forward=st.booleans(), day=days)
    def transfer(self, product, quantity, forward, day):
        source, target = self.bins if forward else self.bins[::-1]
        self._attempt(
            lambda: self.stock.move(self.products[product], quantity, source, target, day=day)
        )

    @rule(where=st.integers(0, 1), code=st.sampled_from([None, "1403", "1408", "1405"]))
    def keep_warehouse(self, where, code):
        """A warehouse gets an account of its own, another one, or the rules' again."""
        warehouse = (self.stock.wh1, self.stock.wh2)[where]
        kept = account(self.stock.org, code) if code else None
        set_warehouse_account(organization=self.stock.org, warehouse=warehouse, account=kept)

    @rule(product=st.integers(0, 2), quantity=quantities)
    def reserve(self, product, quantity):
        self._attempt(
            lambda: reserve_stock(
                organization=self.stock.org,
                product=self.products[product],
                warehouse=self.stock.wh1,
                quantity=quantity,
                origin_type="sm",
                origin_id=1,
            )
        )

    @rule(data=st.data())
    def release(self, data):
        open_ = list(Reservation.objects.filter(organization=self.stock.org, state="open"))
        if open_:
            chosen = data.draw(st.sampled_from(open_))
            self._attempt(lambda: release_reservation(reservation=chosen))

    @rule(
        product=st.integers(0, 2), quantity=quantities, kind=st.sampled_from(["receipt", "issue"])
    )
    def post_document(self, product, quantity, kind):
        def post():
            doc = documents.save_stock_document(
                organization=self.stock.org,
                user=None,
                data={
                    "kind": kind,
                    "business_date": DAY,
                    "warehouse": self.stock.wh1,
                    "reason": "other",
                    "lines": [
                        {
                            "product": self.products[product],
                            "quantity": quantity,
                            "unit_cost": Decimal(3),
                        }
                    ],
                },
            )
            return documents.post_stock_document(document=doc)

        posted = self._attempt(post)
        if posted:
            self.posted.append(posted)

    @rule(data=st.data())
    def reverse(self, data):
        candidates = [d for d in self.posted if d.state == "done"]
        if candidates:
            chosen = data.draw(st.sampled_from(candidates))
            if self._attempt(lambda: documents.reverse_stock_document(document=chosen, user=None)):
                chosen.state = "reversed"

    @rule(
        product=st.integers(0, 2),
        amount=st.integers(1, 60) | st.integers(-20, -1),
        day=st.just(DAY) | days,  # mostly today, when there is most often stock to revalue
    )
    def adjust_cost(self, product, amount, day):
        """出入库成本调整单 on any of the days: a value-only move, re-valuing what follows."""

        def adjust():
            document = cost_adjustments.save_cost_adjustment(
                organization=self.stock.org,
                user=None,
                data={
                    "business_date": day,
                    "warehouse": self.stock.wh1,
                    "lines": [{"product": self.products[product], "amount": Decimal(amount)}],
                },
            )
            return cost_adjustments.post_cost_adjustment(document=document)

        event("cost adjusted" if self._attempt(adjust) else "cost adjustment refused")

    @rule(found=st.integers(0, 30))
    def count_bin(self, found):
        def count():
            c = counts.start_count(
                count=counts.create_count(
                    organization=self.stock.org,
                    user=None,
                    warehouse=self.stock.wh1,
                    business_date=DAY,
                    freeze=True,
                )
            )
            counts.record_counts(
                count=c,
                counts=[
                    {
                        "product": line.product,
                        "location": line.location,
                        "lot": line.lot,
                        "counted_quantity": Decimal(found),
                    }
                    for line in c.lines.all()
                ],
            )
            return counts.post_count(count=c)

        self._attempt(count)

    @invariant()
    def books_are_consistent(self):
        assert verify(self.stock.org) == []
        self._incremental_equals_full_replay()
        for valuation in ProductValuation.objects.filter(organization=self.stock.org):
            if valuation.quantity > 0:
                assert valuation.value >= 0
            if valuation.quantity == 0 and valuation.short_quantity == 0:
                assert valuation.value == 0

    def _incremental_equals_full_replay(self):
        """Back-dated moves re-value only what follows them; the result must be what valuing
        the whole ledger in date order from the start gives."""
        for product in self.products:
            moves = StockMove.objects.filter(product=product).order_by("business_date", "id")
            stored = list(moves.values_list("id", "value", "unit_cost"))
            if not stored:
                continue
            replay = Replay("check")
            start = Running(
                FifoState() if product.costing_method == "fifo" else AverageState(),
                fallback_cost=product.purchase_price,
            )
            replay_moves(start, moves.values_list(*REPLAY_COLUMNS), replay, {})
            assert [(c.pk, c.value, c.unit_cost) for c in replay.changed] == []


@pytest.mark.django_db
def test_random_operations_keep_every_invariant():
    run_state_machine_as_test(
        LedgerMachine,
        # no explain phase: it re-runs a failure under a line tracer, slowly enough on SQLite to
        # hit the test timeout and hide the failure behind it
        settings=settings(
            max_examples=25, stateful_step_count=25, deadline=None, phases=NO_EXPLAIN
        ),
    )
