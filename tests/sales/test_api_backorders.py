"""``POST sales/backorders/allocate/``: the allocations, bad input naming the field with
nothing written, permissions."""

import pytest

from jxc.inventory.models import Reservation, WarehouseStock
from jxc.sales.models import SalesSettings
from tests.conftest import client_for, make_member
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
URL = "/api/v1/sales/backorders/allocate/"


@pytest.fixture
def backordered(sales):
    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    product = sales.product()
    line = sales.confirmed([(product, 5)]).lines.get()
    sales.receive(product, 3, "5")
    return sales, product, line


def test_allocate_answers_what_each_line_got(api, backordered):
    sales, product, line = backordered
    done = api.post(URL, {"warehouse": sales.wh1.pk, "products": [product.pk]}, format="json")
    assert done.status_code == 200, done.content
    [row] = done.json()
    assert (row["line_id"], row["order_number"], row["product_code"]) == (
        line.pk, line.order.number, "P1")  # fmt: skip
    assert (row["quantity"], row["backorder"]) == ("3.0000", "2.0000")
    assert api.post(URL, {}, format="json").json() == []


def test_bad_input_names_the_field_and_writes_nothing(api, backordered, other_org):
    sales, product, _line = backordered
    from tests.inventory.conftest import Stock

    foreign = Stock(other_org)
    zh = client_for(make_member(sales.org, "zoe", "admin"), sales.org, language="zh-hans")
    cases = [
        ({"warehouse": foreign.wh1.pk}, "warehouse"),
        ({"warehouse": "x"}, "warehouse"),
        ({"products": [foreign.product("X1").pk]}, "products.0"),
        ({"products": "P1"}, "products"),
        ({"products": [product.pk, 999999999]}, "products.1"),
    ]
    for body, field in cases:
        assert_error(api.post(URL, body, format="json"), 400, field=field)
    refused = assert_error(zh.post(URL, {"warehouse": "x"}, format="json"), 400, field="warehouse")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in refused["message"] + str(refused["fields"]))
    assert WarehouseStock.objects.get(product=product, warehouse=sales.wh1).reserved == 0
    assert not Reservation.objects.exists()


def test_only_who_edits_sales_orders_may_allocate(backordered):
    sales, _product, _line = backordered
    keeper = client_for(make_member(sales.org, "kate", "warehouse_keeper"), sales.org)
    assert_error(keeper.post(URL, {}, format="json"), 403)
    seller = client_for(make_member(sales.org, "sally", "salesperson"), sales.org)
    assert seller.post(URL, {}, format="json").status_code == 200


def test_the_automatic_allocation_is_switched_off_and_on_in_the_settings(api, sales):
    url = "/api/v1/sales/settings/"
    assert api.get(url).json()["allocate_on_arrival"] is True  # on unless switched off
    off = api.patch(url, {"allocate_on_arrival": False}, format="json")
    assert off.status_code == 200, off.content
    assert off.json()["allocate_on_arrival"] is False
    assert SalesSettings.objects.get(organization=sales.org).allocate_on_arrival is False
    for wrong in ("maybe", [True], {"on": 1}):
        assert_error(
            api.patch(url, {"allocate_on_arrival": wrong}, format="json"), 400,
            field="allocate_on_arrival",
        )  # fmt: skip
    assert SalesSettings.objects.get(organization=sales.org).allocate_on_arrival is False
    seller = client_for(make_member(sales.org, "sam", "salesperson"), sales.org)
    assert_error(seller.patch(url, {"allocate_on_arrival": True}, format="json"), 403)
    assert api.patch(url, {"allocate_on_arrival": True}, format="json").json()[
        "allocate_on_arrival"
    ]
