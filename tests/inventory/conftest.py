import datetime
from decimal import Decimal

import pytest

from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.inventory.verify import verify
from jxc.masterdata.models import Location
from jxc.masterdata.services.locations import save_location, warehouse_root
from tests.masterdata.conftest import make_product, make_warehouse

DAY = datetime.date(2026, 11, 26)


class Stock:
    """A small world: two warehouses with a bin each, virtual locations, helpers to move."""

    def __init__(self, org):
        self.org = org
        self.wh1, self.wh2 = (
            make_warehouse(org, "WH1", "一号仓"),
            make_warehouse(org, "WH2", "二号仓"),
        )
        self.bin1 = save_location(
            organization=org,
            data={
                "code": "WH1-A-01",
                "name": "A-01",
                "kind": "bin",
                "parent": warehouse_root(self.wh1),
            },
        )
        self.bin2 = save_location(
            organization=org,
            data={
                "code": "WH2-A-01",
                "name": "A-01",
                "kind": "bin",
                "parent": warehouse_root(self.wh2),
            },
        )
        virtual = {
            loc.kind: loc
            for loc in Location.objects.filter(organization=org, warehouse__isnull=True)
        }
        self.supplier, self.customer = virtual["supplier"], virtual["customer"]
        self.loss, self.transit = virtual["inventory_loss"], virtual["transit"]

    def product(self, code="P1", **data):
        return make_product(self.org, code, f"商品{code}", **data)

    def move(self, product, quantity, source, target, **extra):
        return post_moves(
            organization=self.org,
            business_date=extra.pop("day", DAY),
            moves=[
                MoveRequest(
                    product=product,
                    quantity=Decimal(str(quantity)),
                    from_location=source,
                    to_location=target,
                    **extra,
                )
            ],
        )[0]

    def receive(self, product, quantity, cost, location=None, **extra):
        return self.move(
            product,
            quantity,
            self.supplier,
            location or self.bin1,
            unit_cost=Decimal(str(cost)),
            **extra,
        )

    def issue(self, product, quantity, location=None, **extra):
        return self.move(product, quantity, location or self.bin1, self.customer, **extra)


@pytest.fixture
def stock(org):
    world = Stock(org)
    yield world
    assert verify(org) == []  # every scenario leaves the books consistent
