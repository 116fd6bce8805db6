"""The price selector: validity dates, quantity breaks, the most specific list wins."""

import datetime
from decimal import Decimal

import pytest

from jxc.masterdata.models import Currency
from jxc.masterdata.selectors import price_for
from jxc.masterdata.services.prices import save_price_list
from tests.helpers import assert_error
from tests.masterdata.conftest import make_partner, make_product

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 26)


@pytest.fixture
def setup(org):
    cny = Currency.objects.get(organization=org, is_base=True)
    product = make_product(org, "P1", sale_price="10", purchase_price="6")
    customer = make_partner(
        org, "C1", "老客户", is_supplier=False, is_customer=True, customer_group="VIP"
    )
    other = make_partner(org, "C2", "新客户", is_supplier=False, is_customer=True)

    def price_list(code, items, **data):
        return save_price_list(
            organization=org,
            data={
                "code": code,
                "name": code,
                "kind": "sales",
                "currency": cny,
                "items": [
                    {"product": product, "min_quantity": Decimal(q), "price": Decimal(p)}
                    for q, p in items
                ],
                **data,
            },
        )

    return product, customer, other, price_list


def quote(product, partner, quantity="1", on=DAY, kind="sales"):
    return price_for(
        partner=partner, product=product, quantity=Decimal(quantity), on_date=on, kind=kind
    )


def test_without_lists_the_products_own_price(setup):
    product, customer, _other, _pl = setup
    assert quote(product, customer).price == Decimal("10")
    assert quote(product, customer, kind="purchase").price == Decimal("6")
    assert quote(product, customer).source == "product"


def test_quantity_breaks_pick_the_largest_break_not_above_the_quantity(setup):
    product, customer, _other, price_list = setup
    price_list("GEN", [("0", "9.5"), ("10", "9"), ("100", "8")])
    assert [quote(product, customer, q).price for q in ("1", "9.99", "10", "99", "500")] == [
        Decimal("9.5"),
        Decimal("9.5"),
        Decimal(9),
        Decimal(9),
        Decimal(8),
    ]


def test_validity_dates_are_respected(setup):
    product, customer, _other, price_list = setup
    price_list("PROMO", [("0", "7")], valid_from=DAY, valid_to=DAY + datetime.timedelta(days=6))
    assert quote(product, customer, on=DAY - datetime.timedelta(days=1)).source == "product"
    assert quote(product, customer, on=DAY).price == Decimal(7)
    assert quote(product, customer, on=DAY + datetime.timedelta(days=7)).source == "product"


def test_customer_specific_price_beats_group_and_general_lists(setup):
    product, customer, other, price_list = setup
    price_list("GEN", [("0", "9")])
    price_list("VIP", [("0", "8.5")], customer_group="VIP")
    assert quote(product, customer).price == Decimal("8.5")
    price_list("C1", [("0", "8")], partner=customer)
    assert quote(product, customer).price == Decimal(8)
    assert quote(product, customer).source == "partner_list"
    assert quote(product, other).price == Decimal(9)


def test_a_list_assigned_to_the_customer_beats_the_general_list(setup, org):
    product, _customer, other, price_list = setup
    price_list("GEN", [("0", "9")])
    assigned = price_list("DEALER", [("0", "8.8")])
    other.sales_price_list = assigned
    other.save()
    assert quote(product, other).source == "assigned_list"
    assert quote(product, other).price == Decimal("8.8")


def test_a_more_specific_list_without_the_product_falls_through(setup):
    product, customer, _other, price_list = setup
    other_product = make_product(product.organization, "P2", "别的商品")
    save_price_list(
        organization=product.organization,
        data={
            "code": "C1",
            "name": "C1",
            "kind": "sales",
            "partner": customer,
            "currency": Currency.objects.get(organization=product.organization, is_base=True),
            "items": [{"product": other_product, "price": Decimal(1)}],
        },
    )
    price_list("GEN", [("0", "9")])
    assert quote(product, customer).price == Decimal(9)


def test_lookup_endpoint_and_its_errors(api, setup):
    product, customer, _other, price_list = setup
    price_list("GEN", [("0", "9"), ("10", "8")])
    body = api.get(
        "/api/v1/prices/lookup/",
        {"product": product.pk, "partner": customer.pk, "quantity": "12", "date": "2026-11-26"},
    ).json()
    assert body["price"] == "8.000000"
    assert body["source"] == "general_list"
    assert_error(
        api.get("/api/v1/prices/lookup/", {"product": product.pk, "quantity": "-1"}),
        400,
        field="quantity",
    )
    assert_error(api.get("/api/v1/prices/lookup/", {"product": 999999}), 400, field="product")


def test_price_list_validation(api, setup, org):
    product, customer, _other, _pl = setup
    cny = Currency.objects.get(organization=org, is_base=True)
    base = {"code": "X", "name": "X", "kind": "purchase", "currency": cny.pk}
    assert_error(
        api.post("/api/v1/price-lists/", {**base, "partner": customer.pk}, format="json"),
        400,
        field="partner",
    )
    assert_error(
        api.post(
            "/api/v1/price-lists/",
            {**base, "valid_from": "2026-12-01", "valid_to": "2026-11-01"},
            format="json",
        ),
        400,
        field="valid_to",
    )
    twice = [{"product": product.pk, "price": "1"}, {"product": product.pk, "price": "2"}]
    assert_error(
        api.post("/api/v1/price-lists/", {**base, "items": twice}, format="json"),
        400,
        field="items.1.min_quantity",
    )
