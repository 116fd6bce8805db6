"""Products: alternative units, barcodes, pinyin search, costs hidden, custom fields, image."""

import io

import pytest
from openpyxl import load_workbook

from jxc.masterdata.models import CustomFieldDefinition, Product, ProductBarcode
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.masterdata.conftest import make_partner, make_product

pytestmark = pytest.mark.django_db


def product_payload(pcs, **extra):
    return {
        "code": "KL330",
        "name": "可口可乐 330ml",
        "specification": "330ml×24",
        "base_unit": pcs.pk,
        "sale_price": "3.50",
        "purchase_price": "2.10",
        **extra,
    }


def test_create_with_alternative_unit_and_barcode(api, pcs, box):
    response = api.post(
        "/api/v1/products/",
        product_payload(
            pcs, units=[{"unit": box.pk, "factor": "24"}], barcodes=[{"barcode": "6901234567892"}]
        ),
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["pinyin"] == "kkkl330ml"
    assert body["units"] == [{"unit": box.pk, "unit_name": "箱", "factor": "24.000000"}]
    assert body["barcodes"][0]["symbology"] == "ean13"


@pytest.mark.parametrize("query", ["kkkl", "KL330", "可口", "330ml×24", "6901234567892"])
def test_search_matches_code_name_pinyin_specification_and_barcode(api, org, pcs, query):
    make_product(
        org,
        "KL330",
        "可口可乐 330ml",
        specification="330ml×24",
        barcodes=[{"barcode": "6901234567892"}],
    )
    make_product(org, "LSD", "螺丝刀")
    listed = api.get("/api/v1/products/", {"search": query}).json()
    assert [row["code"] for row in listed["results"]] == ["KL330"]
    picked = api.get("/api/v1/products/search/", {"q": query}).json()
    assert [row["code"] for row in picked] == ["KL330"]


def test_picker_puts_an_exact_code_first_and_skips_inactive(api, org):
    make_product(org, "A10", "扳手 10")
    make_product(org, "A1", "扳手")
    make_product(org, "A100", "扳手 100", is_active=False)
    assert [p["code"] for p in api.get("/api/v1/products/search/", {"q": "a1"}).json()] == [
        "A1",
        "A10",
    ]


def test_duplicate_code_and_barcode_are_refused(api, org, pcs):
    make_product(org, "KL330", barcodes=[{"barcode": "6901234567892"}])
    assert_error(
        api.post("/api/v1/products/", product_payload(pcs), format="json"), 400, field="code"
    )
    response = api.post(
        "/api/v1/products/",
        product_payload(pcs, code="OTHER", barcodes=[{"barcode": "6901234567892"}]),
        format="json",
    )
    body = assert_error(response, 400, field="barcodes.0.barcode")
    assert "already belongs" in body["message"]
    assert Product.objects.count() == 1


@pytest.mark.parametrize("barcode", ["6901234567891", "12345678", "条码123"])
def test_invalid_barcodes_are_refused(api, pcs, barcode):
    response = api.post(
        "/api/v1/products/", product_payload(pcs, barcodes=[{"barcode": barcode}]), format="json"
    )
    assert_error(response, 400, field="barcodes.0.barcode")
    assert not Product.objects.exists()


@pytest.mark.parametrize("factor", ["0", "-12"])
def test_unit_conversion_must_be_positive(api, pcs, box, factor):
    response = api.post(
        "/api/v1/products/",
        product_payload(pcs, units=[{"unit": box.pk, "factor": factor}]),
        format="json",
    )
    assert_error(response, 400, field="units.0.factor")
    assert not Product.objects.exists()


def test_base_unit_cannot_be_an_alternative_unit(api, pcs):
    response = api.post(
        "/api/v1/products/",
        product_payload(pcs, units=[{"unit": pcs.pk, "factor": "2"}]),
        format="json",
    )
    assert_error(response, 400, field="units.0.unit")


def test_update_replaces_barcodes_and_keeps_them_unique(api, org):
    product = make_product(org, "P1", barcodes=[{"barcode": "6901234567892"}])
    response = api.patch(
        f"/api/v1/products/{product.pk}/",
        {"barcodes": [{"barcode": "ABC-001"}], "name": "十字螺丝刀"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert list(ProductBarcode.objects.values_list("barcode", flat=True)) == ["ABC-001"]
    assert response.json()["pinyin"] == "szlsd"


def test_purchase_price_is_hidden_from_roles_without_the_cost_flag(org, roles):
    make_product(org, "P1", purchase_price="2.10", sale_price="3.50")
    sales = client_for(make_member(org, "sam", "salesperson"), org)
    buyer = client_for(make_member(org, "pat", "purchaser"), org)
    assert "purchase_price" not in sales.get("/api/v1/products/").json()["results"][0]
    assert buyer.get("/api/v1/products/").json()["results"][0]["purchase_price"] == "2.100000"
    assert_error(sales.post("/api/v1/products/", {}, format="json"), 403)


def test_default_supplier_must_be_a_supplier(api, org, pcs):
    customer = make_partner(org, "C1", "客户", is_supplier=False, is_customer=True)
    response = api.post(
        "/api/v1/products/", product_payload(pcs, default_supplier=customer.pk), format="json"
    )
    assert_error(response, 400, field="default_supplier")


@pytest.fixture
def colour(org):
    return CustomFieldDefinition.objects.create(
        organization=org,
        target="product",
        key="colour",
        label="颜色",
        field_type="choice",
        choices=["红", "蓝"],
    )


def test_custom_fields_are_validated_filtered_and_exported(api, org, pcs, colour):
    assert_error(
        api.post("/api/v1/products/", product_payload(pcs, custom={"colour": "绿"}), format="json"),
        400,
        field="custom.colour",
    )
    assert_error(
        api.post("/api/v1/products/", product_payload(pcs, custom={"size": "L"}), format="json"),
        400,
        field="custom.size",
    )
    api.post("/api/v1/products/", product_payload(pcs, custom={"colour": "红"}), format="json")
    api.post(
        "/api/v1/products/", product_payload(pcs, code="B", custom={"colour": "蓝"}), format="json"
    )
    red = api.get("/api/v1/products/", {"custom.colour": "红"}).json()
    assert [p["code"] for p in red["results"]] == ["KL330"]
    sheet = load_workbook(
        io.BytesIO(api.get("/api/v1/products/export/", {"custom.colour": "蓝"}).content)
    ).active
    rows = list(sheet.values)
    assert "颜色" in rows[0]
    assert len(rows) == 2
    assert rows[1][rows[0].index("颜色")] == "蓝"


def test_export_follows_the_current_filters(api, org):
    make_product(org, "A", "甲", is_active=True)
    make_product(org, "B", "乙", is_active=False)
    sheet = load_workbook(
        io.BytesIO(api.get("/api/v1/products/export/", {"is_active": "false"}).content)
    ).active
    rows = list(sheet.values)
    assert [r[0] for r in rows[1:]] == [rows[1][0]]
    assert "乙" in rows[1]


def test_image_upload_and_download(api, org):
    from PIL import Image

    product = make_product(org)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "p.png"
    response = api.post(
        f"/api/v1/products/{product.pk}/image/", {"image": buffer}, format="multipart"
    )
    assert response.status_code == 200, response.content
    assert response.json()["has_image"] is True
    image = api.get(f"/api/v1/products/{product.pk}/image/")
    assert image["Content-Type"] == "image/png"
    fake = io.BytesIO(b"not an image")
    fake.name = "x.png"
    assert_error(
        api.post(f"/api/v1/products/{product.pk}/image/", {"image": fake}, format="multipart"),
        400,
        field="image",
    )


def test_labels_pdf_for_products(api, org):
    product = make_product(org, barcodes=[{"barcode": "6901234567892"}])
    response = api.post(
        "/api/v1/products/labels/",
        {"ids": [product.pk], "layout": "a4-3x8", "copies": 3},
        format="json",
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert_error(
        api.post("/api/v1/products/labels/", {"ids": [999999]}, format="json"), 400, field="ids"
    )
