"""The API of requests for quotation, supplier quotes, comparison, orders from quotes and
order revisions: the main chain, errors naming the field with nothing written, permissions
and other organizations' isolation."""

import datetime

import pytest
from django.utils import timezone

from jxc.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderRevision,
    RequestForQuotation,
    SupplierQuote,
)
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db
URL = "/api/v1/rfqs/"
ORDERS = "/api/v1/purchase-orders/"


def body(world, suppliers, *products):
    return {
        "business_date": DAY.isoformat(),
        "warehouse": world.wh1.pk,
        "suppliers": [s.pk for s in suppliers],
        "lines": [{"product": p.pk, "quantity": "20"} for p in products],
    }


def sent(api, world, suppliers, *products):
    created = api.post(URL, body(world, suppliers, *products), format="json")
    assert created.status_code == 201, created.content
    answer = api.post(f"{URL}{created.json()['id']}/submit/")
    assert answer.status_code == 200, answer.content
    return answer.json()


def quote(api, rfq, supplier, *prices, **extra):
    lines = [{"line": line["id"], "unit_price": str(price), "lead_time_days": 3, **extra}
             for line, price in zip(rfq["lines"], prices, strict=False)]  # fmt: skip
    return api.post(f"{URL}{rfq['id']}/quotes/", {"supplier": supplier.pk, "lines": lines},
                    format="json")  # fmt: skip


def test_ask_quote_compare_order_and_revise(api, world):
    a = world.product("AA")
    other = make_partner(world.org, "S2", "苏州供应商")
    rfq = sent(api, world, [world.vendor, other], a)
    assert rfq["state"] == "submitted"
    assert rfq["number"].startswith("XJ")
    assert sorted(rfq["supplier_names"]) == sorted([world.vendor.name, other.name])
    answer = quote(api, rfq, world.vendor, "12.5",
                   price_breaks=[{"min_quantity": "10", "unit_price": "11"}])  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["lines"][0]["quotes"][0]["price_breaks"] == [
        {"min_quantity": "10", "unit_price": "11.000000"}
    ]
    assert quote(api, rfq, other, "11.5").status_code == 200
    compared = api.get(f"{URL}{rfq['id']}/comparison/").json()
    cells = {cell["supplier"]: cell for cell in compared["lines"][0]["quotes"]}
    assert cells[world.vendor.pk]["unit_price"] == "11.000000"  # 20 ≥ the break at 10
    assert cells[world.vendor.pk]["cheapest"] is True
    assert cells[other.pk]["cheapest"] is False
    made = api.post(f"{URL}{rfq['id']}/create-orders/",
                    {"lines": [{"line": rfq["lines"][0]["id"], "quote": cells[world.vendor.pk]["id"]}],
                     "update_price_list": True}, format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    order = api.get(f"{ORDERS}{made.json()[0]['id']}/").json()
    assert order["lines"][0]["unit_price"] == "11.000000"
    assert order["lines"][0]["rfq_number"] == rfq["number"]
    assert api.get(f"{URL}{rfq['id']}/").json()["state"] == "done"
    approved = api.post(f"{ORDERS}{order['id']}/submit/").json()
    assert approved["state"] == "approved"
    # editing the approved order is refused; a revision changes it
    assert_error(api.patch(f"{ORDERS}{order['id']}/", {"note": "x"}, format="json"), 400,
                 code="order_approved", field="state")  # fmt: skip
    line = approved["lines"][0]
    revised = api.post(f"{ORDERS}{order['id']}/revise/", {
        "reason": "数量增加",
        "lines": [{"line": line["id"], "product": line["product"], "quantity": "30",
                   "unit_price": line["unit_price"], "tax_rate": line["tax_rate"]}],
    }, format="json")  # fmt: skip
    assert revised.status_code == 200, revised.content
    found = revised.json()
    assert found["revision"] == 1
    assert found["lines"][0]["quantity"] == "30.0000"
    history = found["revisions"]
    assert [(r["revision"], r["state"], r["reason"]) for r in history] == [
        (1, "approved", "数量增加")
    ]
    assert history[0]["changes"][0]["before"]["quantity"] == "20"
    assert history[0]["changes"][0]["after"]["quantity"] == "30"


def test_bad_input_names_the_field_and_writes_nothing(api, world, other_org):
    a = world.product("AB")
    elsewhere = Purchasing(other_org, None)
    for change, field in [
        ({"warehouse": None}, "warehouse"),
        ({"suppliers": [elsewhere.vendor.pk]}, "suppliers.0"),
        ({"lines": [{"product": a.pk, "quantity": "-2"}]}, "lines.0.quantity"),
        ({"lines": [{"product": elsewhere.product("X").pk, "quantity": "2"}]}, "lines.0.product"),
    ]:
        response = api.post(URL, {**body(world, [world.vendor], a), **change}, format="json")
        assert_error(response, 400, field=field)
    assert not RequestForQuotation.objects.exists()
    draft = api.post(URL, body(world, [world.vendor], a), format="json").json()
    # quotes are recorded on a sent request only
    assert_error(quote(api, draft, world.vendor, "1"), 400, field="state")
    rfq = api.post(f"{URL}{draft['id']}/submit/").json()
    for extra, field in [
        ({"unit_price": "-1"}, "lines.0.unit_price"),
        ({"unit_price": "abc"}, "lines.0.unit_price"),
        ({"lead_time_days": -1}, "lines.0.lead_time_days"),
        ({"price_breaks": [{"min_quantity": "x", "unit_price": "1"}]},
         "lines.0.price_breaks.0.min_quantity"),
        ({"line": 999999}, "lines.0.line"),
    ]:  # fmt: skip
        assert_error(quote(api, rfq, world.vendor, "1", **extra), 400, field=field)
    customer = make_partner(world.org, "C1", "客户", is_supplier=False, is_customer=True)
    assert_error(quote(api, rfq, customer, "1"), 400, field="supplier")
    assert not SupplierQuote.objects.exists()
    quote(api, rfq, world.vendor, "5", valid_until=(timezone.localdate()
          - datetime.timedelta(days=1)).isoformat())  # fmt: skip
    stale = SupplierQuote.objects.get()
    line = rfq["lines"][0]["id"]
    for lines, field in [
        ([{"line": line, "quote": stale.pk}], "lines.0.quote"),
        ([{"line": line, "quote": 999999}], "lines.0.quote"),
        ([{"line": "x", "quote": stale.pk}], "lines.0.line"),
        ([], "lines"),
    ]:
        response = api.post(f"{URL}{rfq['id']}/create-orders/", {"lines": lines}, format="json")
        assert_error(response, 400, field=field)
    assert not PurchaseOrder.objects.exists()


def test_bad_revisions_name_the_field_and_write_nothing(api, world):
    product = world.product("AR")
    order = world.order([{"product": product, "quantity": qty(10), "unit_price": qty(2)}])
    line = order.lines.get()
    row = {"line": line.pk, "product": product.pk, "quantity": "10", "unit_price": "3"}
    url = f"{ORDERS}{order.pk}/revise/"
    for change, field in [
        ({"quantity": "-5"}, "lines.0.quantity"),
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"unit_price": "-1"}, "lines.0.unit_price"),
        ({"line": 999999}, "lines.0.line"),
        ({"product": 999999}, "lines.0.product"),
    ]:
        response = api.post(url, {"reason": "r", "lines": [{**row, **change}]}, format="json")
        assert_error(response, 400, field=field)
    assert_error(api.post(url, {"lines": [row]}, format="json"), 400, field="reason")
    world.receipt([{"order_line": line, "quantity": qty(4)}])
    response = api.post(url, {"reason": "r", "lines": [{**row, "quantity": "3"}]}, format="json")
    assert_error(response, 400, field="lines.0.quantity")
    assert not PurchaseOrderRevision.objects.exists()
    draft = world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1)}],
                        submit=False)  # fmt: skip
    response = api.post(f"{ORDERS}{draft.pk}/revise/", {"reason": "r", "lines": [row]},
                        format="json")  # fmt: skip
    assert_error(response, 400, field="state")


def test_who_may_do_what(org, roles, world):
    product = world.product("AP")
    sales = client_for(make_member(org, "sally", "salesperson", roles_by_code=roles), org)
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    assert sales.get(URL).status_code == 403
    assert sales.post(URL, body(world, [world.vendor], product), format="json").status_code == 403
    rfq = sent(buyer, world, [world.vendor], product)
    assert sales.get(f"{URL}{rfq['id']}/comparison/").status_code == 403
    assert quote(sales, rfq, world.vendor, "1").status_code == 403
    assert quote(buyer, rfq, world.vendor, "1").status_code == 200


def test_other_organizations_rfqs_are_hidden(other_api, api, world, other_org):
    product = world.product("AH")
    rfq = sent(api, world, [world.vendor], product)
    quote(api, rfq, world.vendor, "2")
    found = RequestForQuotation.objects.get(pk=rfq["id"])
    assert_other_organization_hidden(other_api, URL, found, update={"note": "x"})
    assert other_api.get(f"{URL}{rfq['id']}/comparison/").status_code == 404
    theirs = make_partner(other_org, "S1", "别家")
    response = other_api.post(f"{URL}{rfq['id']}/quotes/", {"supplier": theirs.pk, "lines": [
        {"line": rfq["lines"][0]["id"], "unit_price": "1"}]}, format="json")  # fmt: skip
    assert response.status_code == 404
    order = world.order([{"product": product, "quantity": qty(1), "unit_price": qty(1)}])
    response = other_api.post(f"{ORDERS}{order.pk}/revise/", {"reason": "r", "lines": []},
                              format="json")  # fmt: skip
    assert response.status_code == 404
    assert SupplierQuote.objects.count() == 1
