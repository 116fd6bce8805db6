"""The valuation API: cost adjustments, stock period close, revaluations; finance permissions,
costs only for roles that may see them, isolation between organizations."""

import datetime
from decimal import Decimal

import pytest

from jxc.inventory.models import Revaluation, StockPeriodClose
from jxc.inventory.services import cost_adjustments, periods
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.inventory.conftest import Stock

pytestmark = pytest.mark.django_db


def test_a_cost_adjustment_through_the_api(api, stock):
    product = stock.product()
    stock.receive(product, 10, 5)
    created = api.post(
        "/api/v1/cost-adjustments/",
        {
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "reason": "供应商补差",
            "lines": [{"product": product.pk, "new_unit_cost": "6.5"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    posted = api.post(f"/api/v1/cost-adjustments/{created.json()['id']}/post/")
    assert posted.status_code == 200, posted.content
    body = posted.json()
    assert body["number"].startswith("TZ")
    assert body["lines"][0]["value_change"] == "15.00"
    assert_error(api.post(f"/api/v1/cost-adjustments/{body['id']}/post/"), 400)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"amount": "abc"}, "lines.0.amount"),
        ({"new_unit_cost": "-1"}, "lines.0.new_unit_cost"),
        ({"amount": "1", "new_unit_cost": "1"}, "lines.0.amount"),
        ({"amount": "1", "product": 999999}, "lines.0.product"),
    ],
)
def test_bad_cost_adjustment_lines_name_the_field(api, stock, line, field):
    product = stock.product()
    response = api.post(
        "/api/v1/cost-adjustments/",
        {
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [{"product": product.pk, **line}],
        },
        format="json",
    )
    assert_error(response, 400, field=field)


def test_valuation_needs_finance_rights_and_the_cost_flag(org, stock):
    keeper = make_member(org, "keeper", "warehouse_keeper")  # posts stock, may not see costs
    accountant = make_member(org, "accountant", "accountant")
    for url in ("/api/v1/cost-adjustments/", "/api/v1/stock-periods/", "/api/v1/revaluations/"):
        assert_error(client_for(keeper, org).get(url), 403)
        assert client_for(accountant, org).get(url).status_code == 200


def test_closing_and_reopening_a_month_through_the_api(api, stock):
    product = stock.product("M", costing_method="monthly_average")
    stock.receive(product, 10, 10, day=datetime.date(2026, 10, 3))
    status = api.get("/api/v1/stock-periods/status/").json()
    assert status == {"last_closed": None, "next_to_close": "2026-10-01"}
    assert_error(
        api.post("/api/v1/stock-periods/close/", {"month": "2026-11-01"}, format="json"),
        400,
        field="month",
    )
    assert_error(
        api.post("/api/v1/stock-periods/close/", {"month": "soon"}, format="json"),
        400,
        field="month",
    )
    closed = api.post("/api/v1/stock-periods/close/", {"month": "2026-10-15"}, format="json")
    assert closed.status_code == 201, closed.content
    assert closed.json()["month"] == "2026-10-01"
    listed = api.get("/api/v1/stock-periods/").json()["results"]
    assert [p["month"] for p in listed] == ["2026-10-01"]
    refused = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-10-20",
            "warehouse": stock.wh1.pk,
            "reason": "other",
            "lines": [{"product": product.pk, "quantity": "1", "unit_cost": "1"}],
        },
        format="json",
    ).json()
    assert_error(
        api.post(f"/api/v1/stock-documents/{refused['id']}/post/"), 400, field="business_date"
    )
    assert api.post(f"/api/v1/stock-periods/{closed.json()['id']}/reopen/").status_code == 204
    assert not StockPeriodClose.objects.exists()


def test_revaluations_are_listed(api, stock):
    product = stock.product()
    stock.receive(product, 10, 5)
    stock.issue(product, 4)
    stock.receive(product, 10, 8, day=datetime.date(2026, 11, 20))
    rows = api.get("/api/v1/revaluations/", {"cause": "backdated"}).json()["results"]
    assert rows[0]["product_code"] == product.code
    assert rows[0]["issued_value_change"] == "6.00"


def test_valuation_of_another_organization_is_hidden(api, other_org, other_admin):
    other = Stock(other_org)
    product = other.product("X")
    other.receive(product, 10, 5, day=datetime.date(2026, 10, 2))
    document = cost_adjustments.save_cost_adjustment(
        organization=other_org,
        user=other_admin,
        data={
            "business_date": datetime.date(2026, 11, 26),
            "warehouse": other.wh1,
            "lines": [{"product": product, "amount": Decimal(1)}],
        },
    )
    close = periods.close_month(organization=other_org, month=datetime.date(2026, 10, 1))
    other.issue(product, 2)
    other.receive(product, 1, 9, day=datetime.date(2026, 11, 2))
    revaluation = Revaluation.objects.get(organization=other_org)
    assert_other_organization_hidden(api, "/api/v1/cost-adjustments/", document)
    assert_other_organization_hidden(api, "/api/v1/stock-periods/", close)
    assert_other_organization_hidden(api, "/api/v1/revaluations/", revaluation)
    assert_error(api.post(f"/api/v1/cost-adjustments/{document.pk}/post/"), 404)
    assert_error(api.post(f"/api/v1/stock-periods/{close.pk}/reopen/"), 404)
    assert api.get("/api/v1/stock-periods/status/").json()["last_closed"] is None
