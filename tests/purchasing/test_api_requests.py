"""The API of purchase requests: the chain draft → submit → convert → the order, errors naming
the line and field with nothing written, who may do what (any member requests; converting
needs purchasing), and other organizations' isolation."""

import pytest

from jxc.purchasing.models import PurchaseOrder, PurchaseRequest
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-requests/"


def body(world, *products, **header):
    return {
        "business_date": DAY.isoformat(),
        "department": "生产部",
        "warehouse": world.wh1.pk,
        "lines": [{"product": p.pk, "quantity": "10", "supplier": world.vendor.pk}
                  for p in products],
        **header,
    }  # fmt: skip


def test_request_submit_convert_then_the_order(api, world):
    product = world.product("A", purchase_price=qty(3))
    world.receive(product, 4, 1)
    created = api.post(URL, body(world, product), format="json")
    assert created.status_code == 201, created.content
    request = created.json()
    assert request["state"] == "draft"
    assert request["requester_name"]
    read = api.get(f"{URL}{request['id']}/").json()
    assert read["stock"][str(product.pk)]["on_hand"] == "4.0000"
    submitted = api.post(f"{URL}{request['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "approved"
    assert submitted.json()["number"].startswith("QG")
    line = submitted.json()["lines"][0]
    assert line["open_quantity"] == "10.0000"
    made = api.post(f"{URL}convert/", {"lines": [{"request_line": line["id"], "quantity": "6"}]},
                    format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    order = api.get(f"/api/v1/purchase-orders/{made.json()[0]['id']}/").json()
    assert order["supplier"] == world.vendor.pk
    assert order["lines"][0]["request_line"] == line["id"]
    assert order["lines"][0]["request_number"] == submitted.json()["number"]
    again = api.get(f"{URL}{request['id']}/").json()
    assert again["state"] == "partially_done"
    assert again["lines"][0]["ordered_quantity"] == "6.0000"
    assert api.get(URL, {"state": "partially_done"}).json()["count"] == 1
    closed = api.post(f"{URL}{request['id']}/close/")
    assert closed.json()["state"] == "closed"


def test_errors_name_the_field_and_write_nothing(api, world, other_org):
    product = world.product()
    assert_error(api.post(URL, {**body(world, product), "warehouse": None}, format="json"), 400,
                 field="warehouse")  # fmt: skip
    bad_line = body(world, product)
    bad_line["lines"][0]["quantity"] = "0"
    assert_error(api.post(URL, bad_line, format="json"), 400, field="lines.0.quantity")
    elsewhere = Purchasing(other_org, None).product("X")
    assert_error(api.post(URL, body(world, elsewhere), format="json"), 400,
                 field="lines.0.product")  # fmt: skip
    assert not PurchaseRequest.objects.exists()
    request = api.post(URL, body(world, product), format="json").json()
    draft_line = request["lines"][0]["id"]
    # a draft is not converted; nor a bad quantity, a customer or an unknown line
    customer = make_partner(world.org, "C1", "客户", is_supplier=False, is_customer=True)
    api.post(f"{URL}{request['id']}/submit/")
    for change, field in [
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"quantity": "-1"}, "lines.0.quantity"),
        ({"quantity": "11"}, "lines.0.quantity"),
        ({"supplier": customer.pk}, "lines.0.supplier"),
        ({"request_line": 999999}, "lines.0.request_line"),
        ({"request_line": "x"}, "lines.0.request_line"),
    ]:
        response = api.post(f"{URL}convert/", {"lines": [{"request_line": draft_line, **change}]},
                            format="json")  # fmt: skip
        assert_error(response, 400, field=field)
    assert_error(api.post(f"{URL}convert/", {"lines": []}, format="json"), 400, field="lines")
    assert not PurchaseOrder.objects.exists()
    assert_error(api.patch(f"{URL}{request['id']}/", {"note": "x"}, format="json"), 400,
                 field="state")  # fmt: skip


def test_any_member_requests_and_purchasing_converts(org, roles, world):
    clerk_user = make_member(org, "sally", "salesperson", roles_by_code=roles)
    clerk = client_for(clerk_user, org)
    keeper = client_for(make_member(org, "wk", "warehouse_keeper", roles_by_code=roles), org)
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    product = world.product()
    mine = clerk.post(URL, body(world, product), format="json")
    assert mine.status_code == 201, mine.content
    request = mine.json()
    assert clerk.post(f"{URL}{request['id']}/submit/").json()["state"] == "approved"
    theirs = keeper.post(URL, body(world, product), format="json").json()
    # a member without purchasing's view sees only their own requests
    assert [r["id"] for r in clerk.get(URL).json()["results"]] == [request["id"]]
    assert clerk.get(f"{URL}{theirs['id']}/").status_code == 404
    assert buyer.get(URL).json()["count"] == 2
    line = {"lines": [{"request_line": request["lines"][0]["id"]}]}
    assert clerk.post(f"{URL}convert/", line, format="json").status_code == 403
    assert clerk.post(f"{URL}{request['id']}/close/").status_code == 403
    assert buyer.post(f"{URL}convert/", line, format="json").status_code == 201
    assert clerk.get(f"{URL}{request['id']}/").json()["state"] == "done"


def test_other_organizations_requests_are_hidden(other_api, api, world, other_org):
    product = world.product()
    request = api.post(URL, body(world, product), format="json").json()
    api.post(f"{URL}{request['id']}/submit/")
    found = PurchaseRequest.objects.get(pk=request["id"])
    assert_other_organization_hidden(other_api, URL, found, update={"note": "x"})
    response = other_api.post(
        f"{URL}convert/",
        {"lines": [{"request_line": found.lines.get().pk,
                    "supplier": make_partner(other_org, "S1", "别家").pk}]},
        format="json",
    )  # fmt: skip
    assert_error(response, 400, field="lines.0.request_line")
    assert not PurchaseOrder.objects.exists()
