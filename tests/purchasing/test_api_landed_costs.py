"""The landed-cost API (到岸成本): draft, allocation shown, post; errors name the field with
nothing written; another organization's documents and ids are unknown."""

from decimal import Decimal

import pytest

from jxc.inventory.models import ProductValuation
from jxc.purchasing.models import LandedCost
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db
URL = "/api/v1/landed-costs/"


def received(world, lines):
    order = world.order(
        [{"product": p, "quantity": qty(q), "unit_price": qty(price)} for p, q, price in lines]
    )
    return world.receipt(
        [{"order_line": line, "quantity": line.quantity} for line in order.lines.all()]
    )


@pytest.fixture
def carrier(world):
    return make_partner(world.org, "S9", "顺丰物流")


def body(carrier, chosen, **change):
    return {
        "business_date": DAY.isoformat(),
        "supplier": carrier.pk,
        "method": "value",
        "invoice_type": "special",
        "invoice_number": "FR-1",
        "receipts": [r.pk for r in chosen],
        "lines": [{"cost_type": "freight", "amount": "40", "tax_percent": "9"}],
        **change,
    }


def test_landed_cost_through_the_api(api, world, carrier):
    a, b = world.product("A"), world.product("B")
    receipt = received(world, [(a, 10, "10"), (b, 10, "30")])
    created = api.post(URL, body(carrier, [receipt]), format="json")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["state"], draft["gross_amount"], draft["receipt_numbers"]) == (
        "draft", "43.60", [receipt.number])  # fmt: skip
    assert [(x["product_code"], x["basis"], x["amount"]) for x in draft["allocations"]] == [
        ("A", "100.0000", "10.00"), ("B", "300.0000", "30.00")]  # fmt: skip
    lines = [x["receipt_line"] for x in draft["allocations"]]
    by_weight = api.patch(
        f"{URL}{draft['id']}/",
        {"method": "weight", "allocations": [{"receipt_line": lines[0], "weight": "3"},
                                             {"receipt_line": lines[1], "weight": "1"}]},
        format="json",
    )  # fmt: skip
    assert by_weight.status_code == 200, by_weight.content
    assert [x["amount"] for x in by_weight.json()["allocations"]] == ["30.00", "10.00"]
    posted = api.post(f"{URL}{draft['id']}/post/")
    assert posted.status_code == 200, posted.content
    posted = posted.json()
    assert (posted["state"], posted["to_stock"], posted["open_amount"]) == (
        "done", "40.00", "43.60")  # fmt: skip
    assert ProductValuation.objects.get(product=a).value == Decimal("130.00")
    listed = api.get(URL, {"search": "FR-1"}).json()
    assert [x["id"] for x in listed["results"]] == [draft["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"cost_type": "freight", "amount": "-1"}]}, "lines.0.amount"),
        ({"lines": [{"cost_type": "freight", "amount": "abc"}]}, "lines.0.amount"),
        ({"lines": [{"cost_type": "tea", "amount": "1"}]}, "lines.0.cost_type"),
        ({"lines": [{"cost_type": "duty", "amount": "1", "tax_percent": "120"}]},
         "lines.0.tax_percent"),
        ({"lines": []}, "lines"),
        ({"receipts": []}, "receipts"),
        ({"receipts": [999999]}, "receipts"),
        ({"receipts": ["x"]}, "receipts"),
        ({"method": "volume"}, "method"),
        ({"supplier": None}, "supplier"),
        ({"method": "weight"}, "allocations.0.weight"),
        ({"allocations": [{"receipt_line": 999999, "weight": "1"}]},
         "allocations.0.receipt_line"),
        ({"allocations": [{"receipt_line": None, "weight": "-1"}]}, "allocations.0.weight"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field(api, world, carrier, change, field):
    receipt = received(world, [(world.product("A"), 1, "1")])
    if change.get("allocations") and change["allocations"][0]["receipt_line"] is None:
        change = {"allocations": [{"receipt_line": receipt.lines.get().pk, "weight": "-1"}]}
    response = api.post(URL, body(carrier, [receipt], **change), format="json")
    assert_error(response, 400, field=field)
    assert not LandedCost.objects.exists()


def test_a_draft_receipt_or_another_receipts_line_is_refused(api, world, carrier):
    a = world.product("A")
    receipt = received(world, [(a, 1, "1")])
    other = received(world, [(a, 1, "1")])
    order = world.order([{"product": a, "quantity": qty(1), "unit_price": qty(1)}])
    draft = world.receipt([{"order_line": order.lines.get(), "quantity": qty(1)}], post=False)
    assert_error(api.post(URL, body(carrier, [draft]), format="json"), 400, field="receipts")
    stray = {"allocations": [{"receipt_line": other.lines.get().pk, "weight": "1"}]}
    assert_error(
        api.post(URL, body(carrier, [receipt], **stray), format="json"), 400, field="allocations"
    )
    assert not LandedCost.objects.exists()


def test_other_organizations_landed_costs_and_ids_are_hidden(
    api, other_api, world, carrier, other_org
):
    receipt = received(world, [(world.product("A"), 1, "1")])
    created = api.post(URL, body(carrier, [receipt]), format="json").json()
    assert_other_organization_hidden(other_api, URL, LandedCost.objects.get(pk=created["id"]))
    elsewhere = Purchasing(other_org, None)
    foreign = received(elsewhere, [(elsewhere.product("X"), 1, "1")])
    response = api.post(URL, body(carrier, [foreign]), format="json")
    assert_error(response, 400, field="receipts")
    response = api.post(URL, body(elsewhere.vendor, [receipt]), format="json")
    assert_error(response, 400, field="supplier")
    assert LandedCost.objects.count() == 1


def test_posting_needs_the_edit_permission(org, roles, world, carrier):
    clerk = client_for(make_member(org, "viewer", "viewer", roles_by_code=roles), org)
    receipt = received(world, [(world.product("A"), 1, "1")])
    response = clerk.post(URL, body(carrier, [receipt]), format="json")
    assert response.status_code == 403
    assert not LandedCost.objects.exists()
