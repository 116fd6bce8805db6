"""Reservations: the no-oversell guarantee, release, and consumption by a delivery."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.inventory.selectors import availability
from jxc.inventory.services.reservations import release_reservation, reserve_stock

pytestmark = pytest.mark.django_db


def reserve(stock, product, quantity, origin_id=1, **extra):
    return reserve_stock(
        organization=stock.org,
        product=product,
        warehouse=stock.wh1,
        quantity=Decimal(str(quantity)),
        origin_type="test.line",
        origin_id=origin_id,
        **extra,
    )


def test_reserving_reduces_availability_and_fails_beyond_it(stock):
    product = stock.product()
    stock.receive(product, 10, "1")
    reserve(stock, product, 7)
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).available == 3
    with pytest.raises(InsufficientStock) as error:
        reserve(stock, product, 4, origin_id=2)
    assert (error.value.requested, error.value.available) == (4, 3)
    assert Reservation.objects.count() == 1


def test_release_gives_stock_back(stock):
    product = stock.product()
    stock.receive(product, 10, "1")
    reservation = reserve(stock, product, 6)
    release_reservation(reservation=reservation, quantity=Decimal(2))
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).available == 6
    released = release_reservation(reservation=reservation)
    assert released.state == "released"
    assert WarehouseStock.objects.get(product=product).reserved == 0
    with pytest.raises(ValidationFailed):
        release_reservation(reservation=reservation)


def test_delivery_consumes_its_reservation_and_others_cannot_take_reserved_stock(stock):
    product = stock.product()
    stock.receive(product, 10, "1")
    reservation = reserve(stock, product, 8)
    with pytest.raises(InsufficientStock):
        stock.issue(product, 3)  # only 2 are free
    stock.issue(product, 8, reservation=reservation)
    reservation.refresh_from_db()
    assert (reservation.state, reservation.quantity) == ("consumed", 0)
    row = WarehouseStock.objects.get(product=product)
    assert (row.on_hand, row.reserved) == (2, 0)


def test_shortage_may_be_reserved_for_backorders(stock):
    product = stock.product()
    reservation = reserve(stock, product, 5, allow_shortage=True)
    assert reservation.quantity == 5
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).available == -5


@pytest.mark.parametrize("quantity", ["0", "-3"])
def test_bad_reservation_quantities(stock, quantity):
    with pytest.raises(ValidationFailed):
        reserve(stock, stock.product(), quantity)


def test_frozen_stock_cannot_be_issued_until_released(stock, admin_user):
    from jxc.inventory.services.freezes import freeze_stock, release_freeze

    product = stock.product()
    stock.receive(product, 10, "1")
    freeze = freeze_stock(
        organization=stock.org,
        user=admin_user,
        product=product,
        location=stock.bin1,
        quantity=Decimal(6),
        reason="质检",
    )
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).available == 4
    with pytest.raises(InsufficientStock):
        stock.issue(product, 5)
    with pytest.raises(InsufficientStock):
        freeze_stock(
            organization=stock.org,
            user=admin_user,
            product=product,
            location=stock.bin1,
            quantity=Decimal(5),
            reason="再冻结",
        )
    release_freeze(freeze=freeze)
    stock.issue(product, 10)
    with pytest.raises(ValidationFailed):
        release_freeze(freeze=freeze)


def test_freeze_through_the_api(api, stock):
    product = stock.product()
    stock.receive(product, 3, "1")
    created = api.post(
        "/api/v1/stock-freezes/",
        {"product": product.pk, "location": stock.bin1.pk, "quantity": "2", "reason": "待检"},
        format="json",
    )
    assert created.status_code == 201, created.content
    released = api.post(f"/api/v1/stock-freezes/{created.json()['id']}/release/").json()
    assert released["state"] == "released"
    too_much = api.post(
        "/api/v1/stock-freezes/",
        {"product": product.pk, "location": stock.bin1.pk, "quantity": "9", "reason": "待检"},
        format="json",
    )
    assert too_much.status_code == 400
    assert too_much.json()["code"] == "insufficient_stock"
