"""Incoming and projected quantities: transfers in transit now, registered sources (open
purchase orders, from the purchasing module) on top."""

from decimal import Decimal

import pytest

from jxc.inventory import selectors
from jxc.inventory.services import documents
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


def ship(stock, user, product, quantity):
    document = documents.save_stock_document(
        organization=stock.org,
        user=user,
        data={
            "kind": "transfer",
            "business_date": DAY,
            "warehouse": stock.wh1,
            "to_warehouse": stock.wh2,
            "two_step": True,
            "lines": [
                {
                    "product": product,
                    "quantity": Decimal(quantity),
                    "location": stock.bin1,
                    "to_location": stock.bin2,
                }
            ],
        },
    )
    return documents.post_stock_document(document=document)


def test_a_shipped_transfer_is_incoming_at_its_destination_until_received(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    shipped = ship(stock, admin_user, product, 4)
    assert selectors.incoming(product_id=product.pk) == {stock.wh2.pk: Decimal(4)}
    assert selectors.incoming(product_id=product.pk, warehouse_ids=[stock.wh1.pk]) == {}
    documents.receive_transfer(document=shipped)
    assert selectors.incoming(product_id=product.pk) == {}


def test_registered_sources_add_up(stock, monkeypatch):
    product = stock.product()
    monkeypatch.setattr(selectors, "_incoming_sources", [])
    selectors.register_incoming_source(lambda product_id, warehouses: {stock.wh1.pk: Decimal(7)})
    selectors.register_incoming_source(lambda product_id, warehouses: {stock.wh1.pk: 3})
    assert selectors.incoming(product_id=product.pk) == {stock.wh1.pk: Decimal(10)}


def test_the_availability_api_shows_incoming_and_projected(api, stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    ship(stock, admin_user, product, 4)
    rows = {
        row["warehouse"]: row
        for row in api.get("/api/v1/stock/availability/", {"product": product.pk}).json()[
            "warehouses"
        ]
    }
    # the destination has no stock yet, but shows what is coming
    assert (rows[stock.wh2.pk]["on_hand"], rows[stock.wh2.pk]["incoming"]) == ("0.0000", "4.0000")
    assert rows[stock.wh2.pk]["projected"] == "4.0000"
    assert (rows[stock.wh1.pk]["available"], rows[stock.wh1.pk]["projected"]) == (
        "6.0000",
        "6.0000",
    )
