"""A shop's integration retries one channel order from eight threads at once, on PostgreSQL:
exactly one sales order (and one reservation) exists afterwards, every retry with the same body
gets that order, every one with another body is refused on ``channel_order_id``; nothing else
fails."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.verify import verify
from jxc.sales.models import SalesChannel, SalesOrder
from jxc.sales.services import channels
from tests.conftest import make_organization
from tests.sales.conftest import Sales

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _race(world, channel, bodies, monkeypatch=None):
    barrier = threading.Barrier(len(bodies))
    outcomes: list[tuple[int, str, int | None]] = []
    lock = threading.Lock()

    def worker(index: int):
        try:
            barrier.wait()
            try:
                order, created = channels.receive_channel_order(
                    organization=world.org, user=None, channel=channel, data=bodies[index]
                )
                result, pk = ("created" if created else "replayed"), order.pk
            except channels.ChannelOrderConflict as exc:
                result, pk = f"conflict on {exc.field}", None
            except Exception as exc:  # any other error fails the test below
                result, pk = f"error: {exc!r}", None
            with lock:
                outcomes.append((index, result, pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert [o for o in outcomes if o[1].startswith("error")] == []
    assert len(outcomes) == len(bodies)
    return outcomes


def _world(code):
    world = Sales(make_organization(code, "渠道并发公司"), None)
    product = world.product()
    world.receive(product, 100, "3")
    channel = SalesChannel.objects.create(
        organization=world.org, code="TMALL", name="天猫", default_customer=world.customer,
        default_warehouse=world.wh1, auto_confirm=True,
    )  # fmt: skip
    return world, product, channel


def _body(quantity: str) -> dict:
    return {"channel_order_id": "T-1", "shipping_address": "杭州",
            "lines": [{"product_code": "P1", "quantity": Decimal(quantity)}]}  # fmt: skip


@pytest.mark.parametrize("skip_first_lookup", [False, True])
def test_concurrent_retries_of_one_channel_order_make_exactly_one_order(
    monkeypatch, skip_first_lookup
):
    world, product, channel = _world("CRACE" + str(int(skip_first_lookup)))
    if skip_first_lookup:
        # every thread goes to the insert: only the unique index decides
        real, seen = channels._received, threading.local()

        def received(*args):
            if not getattr(seen, "once", False):
                seen.once = True
                return None
            return real(*args)

        monkeypatch.setattr(channels, "_received", received)
    outcomes = _race(world, channel, [_body("2") for _i in range(THREADS)])
    orders = SalesOrder.objects.filter(organization=world.org)
    assert orders.count() == 1
    order = orders.get()
    assert [r for _i, r, _pk in outcomes].count("created") == 1
    assert {pk for _i, _r, pk in outcomes} == {order.pk}
    assert order.state == "approved"
    assert WarehouseStock.objects.get(product=product).reserved == 2  # reserved once
    assert Reservation.objects.filter(product=product, state="open").count() == 1
    assert verify(world.org) == []


def test_concurrent_channel_orders_with_two_bodies_keep_the_winners():
    world, product, _channel = _world("CRACE2")
    channel = SalesChannel.objects.get(organization=world.org)
    bodies = [_body("2" if i % 2 else "3") for i in range(THREADS)]
    outcomes = _race(world, channel, bodies)
    order = SalesOrder.objects.get(organization=world.org)
    winner = order.lines.get().quantity
    for index, result, pk in outcomes:
        same = bodies[index]["lines"][0]["quantity"] == winner
        assert (result in ("created", "replayed") and pk == order.pk) if same else (
            result == "conflict on channel_order_id"), (index, result)  # fmt: skip
    assert WarehouseStock.objects.get(product=product).reserved == winner
