"""A hypothesis state machine runs random sales: orders confirmed under each availability policy,
partial deliveries, receipts of more stock, closes, cancels and returns. After every step: what
the warehouse has reserved equals the open reservations of the orders, nothing is delivered beyond
what was ordered or returned beyond what was delivered, stock is never negative, and ``verify``
(ledger = balances, books = valuation, vouchers balance) passes. A refused step changes nothing."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from jxc.core.errors import DomainError
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.verify import verify
from jxc.sales.models import DeliveryLine, SalesOrderLine, SalesSettings
from jxc.sales.services import orders, returns
from tests.conftest import make_organization
from tests.sales.conftest import Sales

NO_EXPLAIN = [p for p in Phase if p is not Phase.explain]
quantities = st.integers(min_value=1, max_value=6)


class SalesMachine(RuleBasedStateMachine):
    seen: Counter = Counter()

    def __init__(self):
        super().__init__()
        self.savepoint = transaction.savepoint()
        self.world = Sales(make_organization("SM", "销售状态机"), None)
        self.product = self.world.product()
        self.world.receive(self.product, 8, "10")
        self.settings = SalesSettings.objects.create(organization=self.world.org)
        self.orders, self.deliveries = [], []

    def teardown(self):
        transaction.savepoint_rollback(self.savepoint)

    def _attempt(self, outcome, action):
        """A refusal is fine (and must leave nothing behind: a savepoint of its own shows it)."""
        point = transaction.savepoint()
        try:
            result = action()
        except DomainError:
            transaction.savepoint_rollback(point)
            self.seen["refused"] += 1
            return None
        transaction.savepoint_commit(point)
        self.seen[outcome] += 1
        return result

    @rule(quantity=quantities, policy=st.sampled_from(["block", "warn", "presale"]))
    def confirm_an_order(self, quantity, policy):
        self.settings.availability_policy = policy
        self.settings.save()
        order = self._attempt(policy, lambda: self.world.confirmed([(self.product, quantity)]))
        if order is not None:
            self.orders.append(order)

    @rule(quantity=quantities)
    def receive_more(self, quantity):
        self.world.receive(self.product, quantity, "12")

    @precondition(lambda self: self.orders)
    @rule(data=st.data())
    def deliver(self, data):
        order = data.draw(st.sampled_from(self.orders))
        line = SalesOrderLine.objects.get(order=order)
        # mostly what is still open (sometimes more, which is refused)
        quantity = data.draw(st.integers(min_value=1, max_value=int(line.open_quantity) + 1))
        delivery = self._attempt("delivered", lambda: self.world.deliver([(line, quantity)]))
        if delivery is not None:
            self.deliveries.append(delivery)

    @precondition(lambda self: self.orders)
    @rule(data=st.data(), close=st.booleans())
    def close_or_cancel(self, data, close):
        order = data.draw(st.sampled_from(self.orders))
        action = orders.close_sales_order if close else orders.cancel_sales_order
        self._attempt("closed" if close else "cancelled", lambda: action(order=order))

    @precondition(lambda self: self.deliveries)
    @rule(data=st.data())
    def return_goods(self, data):
        delivery = data.draw(st.sampled_from(self.deliveries))
        line = delivery.lines.get()
        left = int(line.quantity - line.returned_quantity)
        quantity = data.draw(st.integers(min_value=1, max_value=left + 1))

        def give_back():
            draft = returns.save_sales_return(
                organization=self.world.org, user=None,
                data={"business_date": delivery.business_date, "delivery": delivery,
                      "location": self.world.bin1,
                      "lines": [{"delivery_line": line, "quantity": Decimal(quantity)}]},
            )  # fmt: skip
            return returns.post_sales_return(sales_return=draft)

        self._attempt("returned", give_back)

    @invariant()
    def reservations_stock_and_books_agree(self):
        row = WarehouseStock.objects.filter(product=self.product).first()
        if row is None:
            return
        open_reserved = Reservation.objects.filter(
            product=self.product, state=Reservation.State.OPEN
        ).aggregate(total=Sum("quantity"))["total"] or Decimal(0)
        assert row.reserved == open_reserved
        assert row.on_hand >= 0
        assert row.reserved >= 0
        for line in SalesOrderLine.objects.filter(order__organization=self.world.org):
            assert 0 <= line.delivered_quantity <= line.base_quantity
        for line in DeliveryLine.objects.filter(delivery__organization=self.world.org):
            assert 0 <= line.returned_quantity <= line.quantity
        assert verify(self.world.org) == []


@pytest.mark.django_db
def test_random_sales_keep_reservations_stock_and_books_consistent():
    run_state_machine_as_test(
        SalesMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            derandomize=True,
            phases=NO_EXPLAIN,
        ),  # fmt: skip
    )
    seen = SalesMachine.seen
    for outcome in ("block", "warn", "presale", "delivered", "refused", "returned"):
        assert seen[outcome], seen
