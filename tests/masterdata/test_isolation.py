"""Master data of another organization is invisible and untouchable, and its ids unusable."""

import pytest

from jxc.masterdata.models import (
    Category,
    Currency,
    CustomFieldDefinition,
    ExchangeRate,
    ImportJob,
    Location,
    TaxRate,
    Unit,
)
from jxc.masterdata.services.locations import warehouse_root
from jxc.masterdata.services.prices import save_price_list
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner, make_product, make_warehouse

pytestmark = pytest.mark.django_db


def test_reference_records(api, other_org):
    usd = Currency.objects.create(organization=other_org, code="USD", name="美元")
    rate = ExchangeRate.objects.create(
        organization=other_org, currency=usd, date="2026-11-01", rate="7.1"
    )
    cases = [
        ("/api/v1/units/", Unit.objects.filter(organization=other_org).first()),
        (
            "/api/v1/categories/",
            Category.objects.create(organization=other_org, code="C", name="分类"),
        ),
        ("/api/v1/tax-rates/", TaxRate.objects.filter(organization=other_org).first()),
        ("/api/v1/currencies/", usd),
        ("/api/v1/exchange-rates/", rate),
        (
            "/api/v1/custom-fields/",
            CustomFieldDefinition.objects.create(
                organization=other_org, target="product", key="k", label="k", field_type="text"
            ),
        ),
    ]
    for url, obj in cases:
        assert_other_organization_hidden(api, url, obj, update={"name": "hacked"})


def test_products_partners_warehouses_locations_price_lists(api, other_org):
    product = make_product(other_org)
    partner = make_partner(other_org)
    warehouse = make_warehouse(other_org)
    price_list = save_price_list(
        organization=other_org,
        data={
            "code": "PL",
            "name": "PL",
            "kind": "sales",
            "currency": Currency.objects.get(organization=other_org, is_base=True),
        },
    )
    job = ImportJob.objects.create(
        organization=other_org, target="products", filename="x.csv", content=b"a"
    )
    for url, obj in [
        ("/api/v1/products/", product),
        ("/api/v1/partners/", partner),
        ("/api/v1/warehouses/", warehouse),
        ("/api/v1/locations/", warehouse_root(warehouse)),
        ("/api/v1/locations/", Location.objects.get(organization=other_org, kind="customer")),
        ("/api/v1/price-lists/", price_list),
        ("/api/v1/imports/", job),
    ]:
        assert_other_organization_hidden(api, url, obj, update={"name": "hacked"})
    assert_error(api.get(f"/api/v1/products/{product.pk}/image/"), 404)
    assert_error(api.post(f"/api/v1/imports/{job.pk}/apply/", {}, format="json"), 404)
    assert api.get("/api/v1/products/search/", {"q": product.code}).json() == []


def test_another_organizations_ids_in_payloads_are_unknown(api, org, other_org):
    foreign_unit = Unit.objects.filter(organization=other_org).first()
    foreign_supplier = make_partner(other_org)
    response = api.post(
        "/api/v1/products/", {"code": "X", "name": "x", "base_unit": foreign_unit.pk}, format="json"
    )
    assert_error(response, 400, field="base_unit")
    local_unit = Unit.objects.filter(organization=org).first()
    response = api.post(
        "/api/v1/products/",
        {
            "code": "X",
            "name": "x",
            "base_unit": local_unit.pk,
            "default_supplier": foreign_supplier.pk,
        },
        format="json",
    )
    assert_error(response, 400, field="default_supplier")
    foreign_product = make_product(other_org, "FP")
    response = api.get("/api/v1/prices/lookup/", {"product": foreign_product.pk})
    assert_error(response, 400, field="product")
    root = warehouse_root(make_warehouse(other_org))
    response = api.post(
        "/api/v1/locations/",
        {"code": "Z", "name": "Z", "kind": "zone", "parent": root.pk},
        format="json",
    )
    assert_error(response, 400, field="parent")
    response = api.post("/api/v1/products/labels/", {"ids": [foreign_product.pk]}, format="json")
    assert_error(response, 400, field="ids")
