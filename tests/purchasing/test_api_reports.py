"""The purchasing reports through the API: rows, totals and the Excel export of each; bad
filters are a 400 naming the field; another organization sees none of it; the purchaser role
(no finance) reads them."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jxc.purchasing.models import PurchaseOrderLine
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.purchasing.conftest import days
from tests.purchasing.test_reports import history  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
REPORTS = (
    "purchase-summary",
    "purchase-detail",
    "purchase-order-execution",
    "purchase-open-orders",
    "supplier-performance",
    "purchase-price-trend",
)


def test_every_report_answers_rows_and_totals_and_exports(org, buyer, history):  # noqa: F811
    api = client_for(buyer, org)
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
    summary = api.get("/api/v1/purchase-summary/", {"group_by": "product"}).json()
    assert [(r["code"], r["quantity"], r["amount"]) for r in summary["rows"]] == [
        ("P1", "9.0000", "90.00")]  # fmt: skip
    execution = api.get("/api/v1/purchase-order-execution/").json()
    assert Decimal(execution["totals"]["paid"]) == Decimal("50.85")
    assert Decimal(execution["totals"]["ordered"]) == Decimal(13)
    # expected long before the clock's today (the report reads the server's date)
    PurchaseOrderLine.objects.filter(pk=history["waiting"].pk).update(expected_date=days(-30))
    overdue = api.get("/api/v1/purchase-open-orders/", {"overdue": "true"}).json()
    assert [(r["product_code"], r["open"], r["overdue"]) for r in overdue["rows"]] == [
        ("P2", "3.0000", True)]  # fmt: skip


def test_bad_filters_name_the_field(api, other_org, history):  # noqa: F811
    from tests.masterdata.conftest import make_partner

    foreign = make_partner(other_org, "FS", "别家供应商")
    cases = [
        ({"group_by": "colour"}, "group_by"),
        ({"supplier": foreign.pk}, "supplier"),
        ({"category": "x"}, "category"),
        ({"purchaser": 999999}, "purchaser"),
        ({"date_from": "2026-12-01", "date_to": "2026-11-01"}, "date_to"),
    ]
    for query, field in cases:
        assert_error(api.get("/api/v1/purchase-summary/", query), 400, field=field)
    assert_error(
        api.get("/api/v1/purchase-open-orders/", {"overdue": "maybe"}), 400, field="overdue"
    )


def test_another_organization_sees_none_of_it(roles, other_org, history):  # noqa: F811
    outsider = client_for(make_member(other_org, "olga", "admin", roles_by_code=roles), other_org)
    for name in REPORTS:
        assert outsider.get(f"/api/v1/{name}/").json()["rows"] == [], name


def test_a_role_without_purchasing_is_refused(org, roles, history):  # noqa: F811
    seller = client_for(make_member(org, "sam", "salesperson", roles_by_code=roles), org)
    assert_error(seller.get("/api/v1/purchase-summary/"), 403)
