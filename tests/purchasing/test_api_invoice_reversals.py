"""``POST supplier-invoices/<id>/reverse/`` (红字冲销): the reversed invoice rendered with who,
when, why and the red voucher; bad input and refusals answer a translated 400 naming the field,
writing nothing; another organization's invoice is not found; a viewer may not reverse."""

import pytest
from django.utils import translation

from jxc.finance.models import Voucher
from jxc.purchasing.models import SupplierInvoice
from jxc.purchasing.services import invoices
from tests.conftest import client_for, make_member
from tests.finance.conftest import balances
from tests.helpers import assert_error
from tests.purchasing.conftest import days
from tests.purchasing.test_invoices import invoice, received

pytestmark = pytest.mark.django_db


def posted(world, number="00001"):
    _product, _order, receipt = received(world, product=world.product(f"P-{number}"))
    draft = invoice(world, receipt.lines.get(), 10, "10.5", number=number)
    return invoices.post_supplier_invoice(invoice=draft, user=world.user)


def url(invoice_) -> str:
    return f"/api/v1/supplier-invoices/{invoice_.pk}/reverse/"


def test_reverse_through_the_api(api, world, admin_user):
    done = posted(world)
    before = balances(world.org)
    response = api.post(
        url(done), {"reason": "税率录错", "business_date": days(2).isoformat()}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["state"], body["reversal_reason"], body["reversal_date"]) == (
        "reversed", "税率录错", days(2).isoformat())  # fmt: skip
    assert body["reversed_by_name"]
    assert body["reversed_at"]
    red = Voucher.objects.get(pk=body["reversal_voucher"])
    assert body["reversal_voucher_number"] == red.display_number
    assert body["open_amount"] == "0.00"
    assert balances(world.org) != before
    listed = api.get("/api/v1/supplier-invoices/", {"state": "reversed"}).json()
    assert [row["id"] for row in listed["results"]] == [done.pk]
    again = api.post(url(done), {"reason": "again"}, format="json")
    assert_error(again, 400, code="invalid_state", field="state")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "reason"),
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 256}, "reason"),
        ({"reason": "错", "business_date": "yesterday"}, "business_date"),
        ({"reason": "错", "business_date": days(-1).isoformat()}, "business_date"),
    ],
)
def test_bad_input_answers_400_naming_the_field(api, world, payload, field):
    done = posted(world)
    before = balances(world.org)
    assert_error(api.post(url(done), payload, format="json"), 400, field=field)
    assert SupplierInvoice.objects.get(pk=done.pk).state == "done"
    assert balances(world.org) == before


@translation.override("zh-hans")
def test_refusal_is_translated(world, admin_user, org):
    done = posted(world)
    zh = client_for(admin_user, org, language="zh-hans")
    body = assert_error(zh.post(url(done), {"reason": " "}, format="json"), 400, field="reason")
    assert body["message"] == "请说明冲销发票的原因。"


def test_another_organizations_invoice_is_not_found(other_api, world):
    done = posted(world)
    assert_error(other_api.post(url(done), {"reason": "x"}, format="json"), 404)
    assert SupplierInvoice.objects.get(pk=done.pk).state == "done"


def test_a_viewer_cannot_reverse(org, roles, world):
    done = posted(world)
    viewer = make_member(org, "vic", "viewer", roles_by_code=roles)
    assert_error(client_for(viewer, org).post(url(done), {"reason": "x"}, format="json"), 403)
    purchaser = make_member(org, "pat", "purchaser", roles_by_code=roles)
    response = client_for(purchaser, org).post(url(done), {"reason": "录错"}, format="json")
    assert response.status_code == 200, response.content
