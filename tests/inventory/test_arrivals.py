"""The "stock arrived or freed" hook: after an inbound posting commits, the registered
listeners hear, per warehouse, which products came in; after a release (of reservations, of a
freeze) commits, which products were freed; nothing for stock leaving, moving inside a
warehouse, being reserved or frozen, or a posting rolled back; and the posting or release pays
no statement for it."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jxc.core.errors import ValidationFailed
from jxc.inventory import arrivals
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.services.freezes import freeze_stock, release_freeze
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.inventory.services.reservations import (
    release_reservation,
    release_reservations,
    reserve_stock,
)
from jxc.masterdata.services.locations import save_location, warehouse_root
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard(monkeypatch, django_capture_on_commit_callbacks):
    """Only a recording listener (the registered ones, e.g. sales', set aside); ``heard.post``
    runs a posting, commits and returns what the listener heard."""
    calls = []
    monkeypatch.setattr(arrivals, "_listeners", [])
    arrivals.register_arrival_listener(lambda *args: calls.append(args))

    def post(posting):
        calls.clear()
        with django_capture_on_commit_callbacks(execute=True):
            posting()
        return list(calls)

    return post


def test_a_receipt_is_heard_after_the_commit(stock, heard):
    product = stock.product()
    assert heard(lambda: stock.receive(product, 5, "10")) == [
        (stock.org.pk, stock.wh1.pk, frozenset({product.pk}))
    ]


def test_one_call_per_warehouse_with_its_products(stock, heard):
    p1, p2 = stock.product("P1"), stock.product("P2")

    def both():
        post_moves(
            organization=stock.org,
            business_date=DAY,
            moves=[
                MoveRequest(product=p1, quantity=Decimal(2), from_location=stock.supplier,
                            to_location=stock.bin1, unit_cost=Decimal(1)),
                MoveRequest(product=p2, quantity=Decimal(2), from_location=stock.supplier,
                            to_location=stock.bin1, unit_cost=Decimal(1)),
                MoveRequest(product=p2, quantity=Decimal(2), from_location=stock.supplier,
                            to_location=stock.bin2, unit_cost=Decimal(1)),
            ],
        )  # fmt: skip

    assert heard(both) == [
        (stock.org.pk, stock.wh1.pk, frozenset({p1.pk, p2.pk})),
        (stock.org.pk, stock.wh2.pk, frozenset({p2.pk})),
    ]


def test_transfer_in_return_and_count_gain_are_heard(stock, heard):
    product = stock.product()
    for origin in (stock.transit, stock.customer, stock.loss, stock.bin2):
        if origin in (stock.bin2, stock.transit):  # from the other warehouse, or on its way
            stock.receive(product, 1, "10", location=stock.bin2)
        if origin == stock.transit:
            assert heard(lambda: stock.move(product, 1, stock.bin2, stock.transit)) == []
        extra = {"unit_cost": Decimal(10)} if origin in (stock.customer, stock.loss) else {}
        assert heard(lambda o=origin, e=extra: stock.move(product, 1, o, stock.bin1, **e)) == [
            (stock.org.pk, stock.wh1.pk, frozenset({product.pk}))
        ], origin.kind


def test_leaving_moving_inside_and_rolling_back_are_not_heard(stock, heard):
    product = stock.product()
    stock.receive(product, 5, "10")
    assert heard(lambda: stock.issue(product, 1)) == []
    shelf = save_location(organization=stock.org, data={"code": "WH1-B-01", "name": "B-01",
                          "kind": "bin", "parent": warehouse_root(stock.wh1)})  # fmt: skip
    assert heard(lambda: stock.move(product, 1, stock.bin1, shelf)) == []

    def posted_then_failed():
        with transaction.atomic():
            stock.receive(product, 5, "10")
            raise RuntimeError("the document failed after its moves")

    def rolled_back():
        with pytest.raises(RuntimeError):
            posted_then_failed()

    assert heard(rolled_back) == []


def test_a_failing_listener_does_not_fail_the_committed_posting(stock, heard, caplog):
    def broken(*args):
        raise RuntimeError("listener down")

    arrivals.register_arrival_listener(broken)
    product = stock.product()
    assert heard(lambda: stock.receive(product, 5, "10")) == [
        (stock.org.pk, stock.wh1.pk, frozenset({product.pk}))
    ]
    assert "listener down" in caplog.text


def test_the_posting_pays_no_statement_for_its_listeners(stock, monkeypatch):
    product = stock.product()
    stock.receive(product, 1, "10")  # the rows exist: both postings below update them

    def statements(listeners) -> int:
        monkeypatch.setattr(arrivals, "_listeners", listeners)
        with CaptureQueriesContext(connection) as posted:
            stock.receive(product, 1, "10")
        return len(posted.captured_queries)

    assert statements([lambda *args: None]) == statements([])


# --- stock freed: a reservation released, a freeze lifted ------------------------------------


def _reserve(stock, product, quantity, origin_id=1):
    return reserve_stock(organization=stock.org, product=product, warehouse=stock.wh1,
                         quantity=Decimal(quantity), origin_type="test",
                         origin_id=origin_id)  # fmt: skip


def test_a_released_reservation_is_heard_and_reserving_is_not(stock, heard):
    product = stock.product()
    stock.receive(product, 5, "10")
    assert heard(lambda: _reserve(stock, product, 3)) == []
    reservation = Reservation.objects.get(product=product)
    assert heard(lambda: release_reservation(reservation=reservation, quantity=Decimal(1))) == [
        (stock.org.pk, stock.wh1.pk, frozenset({product.pk}))
    ]


def test_releasing_a_documents_reservations_is_heard_once_per_warehouse(stock, heard):
    p1, p2 = stock.product("P1"), stock.product("P2")
    stock.receive(p1, 5, "10")
    stock.receive(p2, 5, "10")
    held = [_reserve(stock, p1, 1, 1), _reserve(stock, p2, 2, 2), _reserve(stock, p1, 1, 3)]
    assert heard(lambda: release_reservations(organization=stock.org, reservations=held)) == [
        (stock.org.pk, stock.wh1.pk, frozenset({p1.pk, p2.pk}))
    ]
    assert WarehouseStock.objects.get(product=p1, warehouse=stock.wh1).reserved == 0
    assert {r.state for r in Reservation.objects.all()} == {"released"}
    # released already: refused, nothing written and nothing heard
    with pytest.raises(ValidationFailed):
        release_reservations(organization=stock.org, reservations=held)
    assert heard(lambda: release_reservations(organization=stock.org, reservations=[])) == []


def test_a_lifted_freeze_is_heard_and_freezing_is_not(stock, heard):
    product = stock.product()
    stock.receive(product, 5, "10")
    freeze = []
    assert (
        heard(
            lambda: freeze.append(
                freeze_stock(
                    organization=stock.org,
                    user=None,
                    product=product,
                    location=stock.bin1,
                    quantity=Decimal(2),
                    reason="质检",
                )
            )
        )  # fmt: skip
        == []
    )
    assert heard(lambda: release_freeze(freeze=freeze[0])) == [
        (stock.org.pk, stock.wh1.pk, frozenset({product.pk}))
    ]


def test_a_release_rolled_back_is_not_heard(stock, heard):
    product = stock.product()
    stock.receive(product, 5, "10")
    reservation = _reserve(stock, product, 3)

    def released_then_failed():
        with transaction.atomic():
            release_reservation(reservation=reservation)
            raise RuntimeError("the order's cancellation failed after the release")

    def rolled_back():
        with pytest.raises(RuntimeError):
            released_then_failed()

    assert heard(rolled_back) == []
    assert Reservation.objects.get(pk=reservation.pk).state == "open"


def test_a_release_pays_no_statement_for_its_listeners(stock, monkeypatch):
    product = stock.product()
    stock.receive(product, 5, "10")

    def statements(listeners) -> int:
        reservation = _reserve(stock, product, 1)
        monkeypatch.setattr(arrivals, "_listeners", listeners)
        with CaptureQueriesContext(connection) as released:
            release_reservation(reservation=reservation)
        return len(released.captured_queries)

    assert statements([lambda *args: None]) == statements([])
