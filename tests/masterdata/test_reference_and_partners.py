"""Units, tax rates, currencies and rates, partners, warehouses and locations."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.masterdata.models import Currency, ExchangeRate, Location, Partner, TaxRate
from jxc.masterdata.selectors import rate_on
from jxc.masterdata.services.locations import warehouse_root
from tests.helpers import assert_error
from tests.masterdata.conftest import make_warehouse

pytestmark = pytest.mark.django_db
VALID_CREDIT_CODE = "91350100M000100Y43"


def test_new_organizations_get_base_currency_units_taxes_and_virtual_locations(org):
    assert Currency.objects.get(organization=org, is_base=True).code == "CNY"
    assert set(TaxRate.objects.filter(organization=org).values_list("rate", flat=True)) >= {
        Decimal(13),
        Decimal(9),
        Decimal(6),
        Decimal(0),
        Decimal(3),
        Decimal(1),
        Decimal(5),
    }
    kinds = set(Location.objects.filter(organization=org).values_list("kind", flat=True))
    assert kinds == {"supplier", "customer", "inventory_loss", "scrap", "transit"}


@pytest.mark.parametrize("rate", ["-1", "100.01", "abc"])
def test_tax_rate_outside_0_to_100_is_refused(api, rate):
    response = api.post(
        "/api/v1/tax-rates/", {"code": "X", "name": "x", "rate": rate}, format="json"
    )
    assert_error(response, 400, field="rate")


def test_units_have_decimal_places_and_unique_codes(api):
    assert (
        api.post(
            "/api/v1/units/", {"code": "G", "name": "克", "decimal_places": 2}, format="json"
        ).status_code
        == 201
    )
    assert_error(
        api.post("/api/v1/units/", {"code": "G", "name": "克"}, format="json"), 400, field="code"
    )
    assert_error(
        api.post("/api/v1/units/", {"code": "T", "name": "吨", "decimal_places": 9}, format="json"),
        400,
        field="decimal_places",
    )


def test_rate_on_a_date_is_the_latest_on_or_before_it(api, org):
    usd = api.post(
        "/api/v1/currencies/", {"code": "usd", "name": "美元", "symbol": "$"}, format="json"
    ).json()
    assert usd["code"] == "USD"
    for day, rate in (("2026-11-01", "7.10"), ("2026-11-20", "7.25")):
        assert (
            api.post(
                "/api/v1/exchange-rates/",
                {"currency": usd["id"], "date": day, "rate": rate},
                format="json",
            ).status_code
            == 201
        )
    assert (
        api.get(f"/api/v1/currencies/{usd['id']}/rate/", {"date": "2026-11-19"}).json()["rate"]
        == "7.10000000"
    )
    currency = Currency.objects.get(pk=usd["id"])
    assert rate_on(currency=currency, on_date=datetime.date(2026, 11, 25)) == Decimal("7.25")
    with pytest.raises(ValidationFailed):
        rate_on(currency=currency, on_date=datetime.date(2026, 10, 1))
    body = assert_error(
        api.get(f"/api/v1/currencies/{usd['id']}/rate/", {"date": "2026-10-01"}),
        400,
        field="currency",
    )
    assert "USD" in body["message"]
    assert_error(
        api.post(
            "/api/v1/exchange-rates/",
            {"currency": usd["id"], "date": "2026-11-01", "rate": "7.2"},
            format="json",
        ),
        400,
        field="date",
    )
    assert_error(
        api.post(
            "/api/v1/exchange-rates/",
            {"currency": usd["id"], "date": "2026-11-02", "rate": "0"},
            format="json",
        ),
        400,
        field="rate",
    )
    assert ExchangeRate.objects.count() == 2


def test_base_currency_always_has_rate_one_and_cannot_be_deleted(api, org):
    cny = Currency.objects.get(organization=org, is_base=True)
    assert rate_on(currency=cny, on_date=datetime.date(2000, 1, 1)) == 1
    assert_error(api.delete(f"/api/v1/currencies/{cny.pk}/"), 400)
    assert_error(
        api.post(
            "/api/v1/exchange-rates/",
            {"currency": cny.pk, "date": "2026-11-01", "rate": "1"},
            format="json",
        ),
        400,
        field="currency",
    )


PARTNER = {"code": "KH001", "name": "上海示例商贸有限公司", "is_customer": True}


def test_partner_with_contacts_and_addresses(api):
    response = api.post(
        "/api/v1/partners/",
        {
            **PARTNER,
            "credit_code": VALID_CREDIT_CODE.lower(),
            "credit_limit": "50000",
            "payment_terms": "month_end",
            "payment_days": 30,
            "contacts": [{"name": "王经理", "phone": "13800000000", "is_primary": True}],
            "addresses": [{"address": "上海市浦东新区 1 号"}, {"address": "苏州市工业园区 2 号"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["credit_code"] == VALID_CREDIT_CODE
    assert body["pinyin"] == "shslsmyxgs"
    assert [a["is_default"] for a in body["addresses"]] == [True, False]
    assert api.get("/api/v1/partners/", {"search": "shsl"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"credit_code": "91350100M000100Y44"}, "credit_code"),
        ({"credit_code": "123"}, "credit_code"),
        ({"is_customer": False}, "is_customer"),
        ({"credit_limit": "-1"}, "credit_limit"),
        ({"payment_days": 400}, "payment_days"),
        ({"contacts": [{"phone": "1"}]}, "contacts.0.name"),
    ],
)
def test_bad_partner_data_is_refused(api, payload, field):
    assert_error(
        api.post("/api/v1/partners/", {**PARTNER, **payload}, format="json"), 400, field=field
    )
    assert not Partner.objects.exists()


def test_warehouse_gets_a_root_location_and_holds_zones_and_bins(api, org):
    warehouse = api.post(
        "/api/v1/warehouses/", {"code": "WH1", "name": "一号仓"}, format="json"
    ).json()
    root = Location.objects.get(warehouse_id=warehouse["id"], kind="warehouse")
    zone = api.post(
        "/api/v1/locations/",
        {"code": "A", "name": "A 区", "kind": "zone", "parent": root.pk},
        format="json",
    )
    assert zone.status_code == 201, zone.content
    bin_ = api.post(
        "/api/v1/locations/",
        {
            "code": "A-01",
            "name": "A-01",
            "kind": "bin",
            "parent": zone.json()["id"],
            "barcode": "LOC-A01",
        },
        format="json",
    )
    assert bin_.status_code == 201
    assert bin_.json()["warehouse"] == warehouse["id"]
    duplicate = api.post(
        "/api/v1/locations/",
        {
            "code": "A-02",
            "name": "A-02",
            "kind": "bin",
            "parent": zone.json()["id"],
            "barcode": "LOC-A01",
        },
        format="json",
    )
    assert_error(duplicate, 400, field="barcode")
    zone_under_bin = api.post(
        "/api/v1/locations/",
        {"code": "Z", "name": "Z", "kind": "zone", "parent": bin_.json()["id"]},
        format="json",
    )
    assert_error(zone_under_bin, 400, field="parent")


def test_virtual_and_root_locations_are_not_editable(api, org):
    virtual = Location.objects.get(organization=org, kind="customer")
    assert_error(api.patch(f"/api/v1/locations/{virtual.pk}/", {"name": "x"}, format="json"), 400)
    assert_error(api.delete(f"/api/v1/locations/{virtual.pk}/"), 400)
    root = warehouse_root(make_warehouse(org))
    assert_error(api.patch(f"/api/v1/locations/{root.pk}/", {"name": "x"}, format="json"), 400)
    virtual.refresh_from_db()
    assert virtual.name != "x"


def test_location_labels_pdf(api, org):
    root = warehouse_root(make_warehouse(org))
    response = api.post(
        "/api/v1/locations/labels/", {"ids": [root.pk], "layout": "roll-60x40"}, format="json"
    )
    assert response.content.startswith(b"%PDF")


def test_the_base_currency_is_read_once_per_organization_instance(org, other_org):
    """Read once for an organization instance (a request's, a caller's), never shared with
    another organization or another instance: a new request reads it anew."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jxc.core.models import Organization
    from jxc.masterdata.selectors import base_currency

    with CaptureQueriesContext(connection) as first:
        mine = base_currency(org)
    with CaptureQueriesContext(connection) as again:
        assert base_currency(org) is mine
    assert (len(first.captured_queries), len(again.captured_queries)) == (1, 0)
    theirs = base_currency(other_org)
    assert (mine.organization_id, theirs.organization_id) == (org.pk, other_org.pk)
    assert theirs.pk != mine.pk
    Currency.objects.filter(pk=mine.pk).update(name="Renminbi")
    with CaptureQueriesContext(connection) as fresh:
        assert base_currency(Organization.objects.get(pk=org.pk)).name == "Renminbi"
    assert len(fresh.captured_queries) == 2  # the organization, then its base currency
    assert base_currency(org.pk).pk == mine.pk  # by id: read each time
