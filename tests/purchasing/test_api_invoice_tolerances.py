"""Invoice tolerances through the API: kept per supplier or as the default, bad values
answer 400 naming the field, another organization's are hidden; an invoice's lines say
which tolerance they are beyond, and posting such an invoice submits it to workflow."""

import pytest

from jxc.purchasing.models import InvoiceTolerance
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.purchasing.conftest import Purchasing, qty
from tests.purchasing.test_invoice_tolerances import manager, priced  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/api/v1/invoice-tolerances/"


def test_tolerances_are_kept_and_bad_values_refused(api, world):
    created = api.post(
        URL, {"supplier": world.vendor.pk, "price_percent": "5", "quantity_percent": None},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["price_percent"] == "5.00"
    assert created.json()["quantity_percent"] is None
    assert (
        api.post(URL, {"price_percent": "2", "quantity_percent": "3"}, format="json").status_code
        == 201
    )
    assert_error(api.post(URL, {"price_percent": "-1"}, format="json"), 400, field="price_percent")
    assert_error(
        api.post(URL, {"quantity_percent": "abc"}, format="json"), 400, field="quantity_percent"
    )
    twice = api.post(URL, {"supplier": world.vendor.pk, "price_percent": "1"}, format="json")
    assert twice.status_code == 400, twice.content
    assert InvoiceTolerance.objects.count() == 2


def test_another_organizations_supplier_is_unknown_and_its_tolerances_hidden(
    api, other_api, other_org, world
):
    elsewhere = Purchasing(other_org, None)
    refused = api.post(URL, {"supplier": elsewhere.vendor.pk, "price_percent": "5"}, format="json")
    assert_error(refused, 400, field="supplier")
    mine = InvoiceTolerance.objects.create(organization=world.org, price_percent=qty(5))
    assert_other_organization_hidden(other_api, URL, mine)


def test_only_approvers_set_tolerances(org, roles, world):
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    assert buyer.post(URL, {"price_percent": "50"}, format="json").status_code == 403
    assert not InvoiceTolerance.objects.exists()


def test_lines_say_which_tolerance_they_are_beyond_and_posting_submits(api, world, manager):  # noqa: F811
    InvoiceTolerance.objects.create(
        organization=world.org, supplier=world.vendor, price_percent=qty(5)
    )
    draft = priced(world, "11")
    shown = api.get(f"/api/v1/supplier-invoices/{draft.pk}/").json()
    assert shown["lines"][0]["beyond_tolerance"] == ["price"]
    listed = api.get("/api/v1/supplier-invoices/").json()["results"]
    assert listed[0]["lines"][0]["beyond_tolerance"] == ["price"]
    posted = api.post(f"/api/v1/supplier-invoices/{draft.pk}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["state"] == "submitted"
    assert posted.json()["lines"][0]["beyond_tolerance"] == ["price"]
    assert_error(api.post(f"/api/v1/supplier-invoices/{draft.pk}/post/"), 400,
                 code="awaiting_approval")  # fmt: skip


def test_without_a_rule_posting_answers_400_naming_the_line(api, world):
    InvoiceTolerance.objects.create(organization=world.org, price_percent=qty(5))
    draft = priced(world, "10.2")  # within: nothing flagged
    assert (
        api.get(f"/api/v1/supplier-invoices/{draft.pk}/").json()["lines"][0]["beyond_tolerance"]
        == []
    )
    InvoiceTolerance.objects.update(price_percent=qty(1))
    body = assert_error(
        api.post(f"/api/v1/supplier-invoices/{draft.pk}/post/"), 400,
        code="beyond_tolerance", field="lines.0.unit_price",
    )  # fmt: skip
    assert "1" in body["message"]
