"""Sales quotations through the API: create → send (soft reservation) → convert (a linked draft
order), expiry on read, bad input naming the field with nothing written, isolation."""

import datetime

import pytest

from jxc.inventory.models import WarehouseStock
from jxc.sales.models import SalesOrder, SalesQuotation
from jxc.sales.services import quotations
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch):
    now = {"day": DAY}
    monkeypatch.setattr(quotations, "today", lambda: now["day"])
    return now


def body(sales, product, quantity="4", valid_until="2026-12-03", **line):
    return {
        "business_date": "2026-11-26",
        "customer": sales.customer.pk,
        "warehouse": sales.wh1.pk,
        "valid_until": valid_until,
        "reserve_stock": True,
        "lines": [{"product": product.pk, "quantity": quantity, **line}],
    }


def reserved(product):
    row = WarehouseStock.objects.filter(product=product).first()
    return row.reserved if row else 0


def test_quotation_send_convert_through_the_api(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    created = api.post("/api/v1/sales-quotations/", body(sales, product), format="json")
    assert created.status_code == 201, created.content
    quotation = created.json()
    assert (quotation["state"], quotation["lines"][0]["gross_amount"]) == ("draft", "452.00")
    sent = api.post(f"/api/v1/sales-quotations/{quotation['id']}/send/")
    assert sent.status_code == 200, sent.content
    assert sent.json()["number"].startswith("BJ20261126-")
    assert sent.json()["lines"][0]["reserved_open"] == "4.0000"
    assert reserved(product) == 4
    listed = api.get("/api/v1/sales-quotations/").json()["results"][0]
    assert (listed["state"], listed["lines"][0]["reserved_open"]) == ("submitted", "4.0000")
    converted = api.post(f"/api/v1/sales-quotations/{quotation['id']}/convert/")
    assert converted.status_code == 201, converted.content
    order = converted.json()
    assert (order["state"], order["quotation"], order["quotation_number"]) == (
        "draft", quotation["id"], sent.json()["number"])  # fmt: skip
    assert order["lines"][0]["quantity"] == "4.0000"
    assert reserved(product) == 0
    again = api.get(f"/api/v1/sales-quotations/{quotation['id']}/").json()
    assert (again["state"], again["order"]) == ("converted", order["id"])
    assert_error(api.post(f"/api/v1/sales-quotations/{quotation['id']}/convert/"), 400,
                 field="state")  # fmt: skip
    assert SalesOrder.objects.count() == 1
    # the converted order goes on as any order
    submitted = api.post(f"/api/v1/sales-orders/{order['id']}/submit/")
    assert submitted.json()["state"] == "approved"
    assert reserved(product) == 4


def test_reading_after_the_validity_expires_and_releases(api, sales, today):
    product = sales.product()
    made = api.post("/api/v1/sales-quotations/", body(sales, product, valid_until="2026-11-26"),
                    format="json").json()  # fmt: skip
    api.post(f"/api/v1/sales-quotations/{made['id']}/send/")
    assert reserved(product) == 4
    today["day"] = DAY + datetime.timedelta(days=1)
    read = api.get(f"/api/v1/sales-quotations/{made['id']}/")
    assert read.json()["state"] == "expired"
    assert read.json()["lines"][0]["reserved_open"] == "0.0000"
    assert reserved(product) == 0
    assert_error(api.post(f"/api/v1/sales-quotations/{made['id']}/convert/"), 400,
                 field="valid_until")  # fmt: skip
    assert not SalesOrder.objects.exists()


def test_cancel_releases(api, sales):
    product = sales.product()
    made = api.post("/api/v1/sales-quotations/", body(sales, product), format="json").json()
    api.post(f"/api/v1/sales-quotations/{made['id']}/send/")
    cancelled = api.post(f"/api/v1/sales-quotations/{made['id']}/cancel/")
    assert cancelled.json()["state"] == "cancelled"
    assert reserved(product) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "-3"}, "lines.0.quantity"),
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"valid_until": "2026-11-25"}, "valid_until"),
        ({"valid_until": None}, "valid_until"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(api, sales, change, field):
    product = sales.product()
    data = body(sales, product)
    if "quantity" in change:
        data["lines"][0]["quantity"] = change["quantity"]
    else:
        data.update(change)
    assert_error(api.post("/api/v1/sales-quotations/", data, format="json"), 400, field=field)
    assert not SalesQuotation.objects.exists()


def test_another_organizations_ids_are_refused(api, sales, other_org):
    from tests.masterdata.conftest import make_partner, make_product

    product = sales.product()
    stranger = make_product(other_org, "X1", "别家商品")
    assert_error(api.post("/api/v1/sales-quotations/", body(sales, stranger), format="json"),
                 400, field="lines.0.product")  # fmt: skip
    customer = make_partner(other_org, "C9", "别家客户", is_customer=True, is_supplier=False)
    data = {**body(sales, product), "customer": customer.pk}
    assert_error(api.post("/api/v1/sales-quotations/", data, format="json"), 400,
                 field="customer")  # fmt: skip
    assert not SalesQuotation.objects.exists()


def test_other_organizations_quotations_are_hidden(api, other_api, sales):
    product = sales.product()
    made = api.post("/api/v1/sales-quotations/", body(sales, product), format="json").json()
    quotation = SalesQuotation.objects.get(pk=made["id"])
    assert_other_organization_hidden(other_api, "/api/v1/sales-quotations/", quotation)
    for name in ("send", "cancel", "convert"):
        response = other_api.post(f"/api/v1/sales-quotations/{quotation.pk}/{name}/")
        assert response.status_code == 404
    quotation.refresh_from_db()
    assert quotation.state == "draft"
