"""The sales reports through the API: every report answers rows and totals and exports to
Excel; 销售毛利表 is refused to roles that may not see costs (and hidden from their menu by
the UI); bad filters are a 400 naming the field; another organization sees none of it."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.sales.test_reports import history  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
REPORTS = (
    "sales-summary",
    "sales-detail",
    "sales-gross-profit",
    "sales-order-execution",
    "sales-backorders",
    "sales-credit-usage",
)


def test_every_report_answers_rows_and_totals_and_exports(api, history):  # noqa: F811
    for name in REPORTS:
        response = api.get(f"/api/v1/{name}/")
        assert response.status_code == 200, (name, response.content[:300])
        body = response.json()
        assert set(body) == {"rows", "totals", "truncated"}
        assert body["rows"], name
        export = api.get(f"/api/v1/{name}/export/")
        assert export.status_code == 200, name
        sheet = load_workbook(io.BytesIO(export.content)).active
        assert sheet.max_row == len(body["rows"]) + 1, name
    summary = api.get("/api/v1/sales-summary/", {"group_by": "product"}).json()
    assert [(r["code"], r["amount"]) for r in summary["rows"]] == [
        ("P1", "500.00"), ("P2", "200.00")]  # fmt: skip
    assert Decimal(summary["totals"]["amount"]) == Decimal("700.00")
    assert Decimal(summary["totals"]["total"]) == Decimal("791.00")
    profit = api.get("/api/v1/sales-gross-profit/", {"group_by": "customer"}).json()
    assert (profit["rows"][0]["profit"], profit["rows"][0]["margin"]) == ("330.00", "47.14")
    assert Decimal(profit["totals"]["cost"]) == Decimal("370.00")


def test_gross_profit_is_refused_without_the_cost_flag(org, roles, history):  # noqa: F811
    seller = client_for(make_member(org, "sam", "salesperson", roles_by_code=roles), org)
    assert_error(seller.get("/api/v1/sales-gross-profit/"), 403)
    assert_error(seller.get("/api/v1/sales-gross-profit/export/"), 403)
    summary = seller.get("/api/v1/sales-summary/").json()
    assert summary["rows"]
    assert "cost" not in summary["rows"][0]


def test_bad_filters_name_the_field(api, other_org, history):  # noqa: F811
    from tests.masterdata.conftest import make_product

    foreign = make_product(other_org, "F1", "别家商品")
    cases = [
        ({"group_by": "planet"}, "group_by"),
        ({"customer": "abc"}, "customer"),
        ({"product": foreign.pk}, "product"),
        ({"salesperson": 999999}, "salesperson"),
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "date_to"),
        ({"date_from": "not a date"}, "date_from"),
    ]
    for query, field in cases:
        assert_error(api.get("/api/v1/sales-summary/", query), 400, field=field)


def test_another_organization_sees_none_of_it(roles, other_org, history):  # noqa: F811
    outsider = client_for(make_member(other_org, "olga", "admin", roles_by_code=roles), other_org)
    for name in REPORTS:
        body = outsider.get(f"/api/v1/{name}/").json()
        assert body["rows"] == [], name
