"""Excel/CSV import: mapping, dry run with every row's errors, all-or-nothing apply."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from jxc.core.models import AuditLog
from jxc.masterdata.models import ImportJob, Partner, Product, ProductBarcode
from jxc.masterdata.services import imports as services
from tests.helpers import assert_error
from tests.masterdata.conftest import make_product

pytestmark = pytest.mark.django_db


def xlsx(rows) -> io.BytesIO:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "products.xlsx"
    return buffer


def upload(api, rows, target="products", name="products.xlsx"):
    file = xlsx(rows) if not isinstance(rows, bytes) else io.BytesIO(rows)
    file.name = name
    return api.post("/api/v1/imports/", {"target": target, "file": file}, format="multipart")


HEADERS = ["商品编码", "商品名称", "规格型号", "基本单位", "辅助单位", "条码", "销售价", "税率"]


def test_chinese_headers_are_mapped_and_a_clean_file_is_applied(api, org):
    job = upload(
        api,
        [
            HEADERS,
            ["KL330", "可口可乐 330ml", "330ml", "个", "箱=24", "6901234567892", 3.5, "13%"],
            ["XB500", "雪碧 500ml", "500ml", "PCS", "", "", "4", "VAT13"],
        ],
    ).json()
    assert job["total_rows"] == 2
    assert sorted(job["mapping"].values()) == sorted(
        [
            "code",
            "name",
            "specification",
            "base_unit",
            "units",
            "barcodes",
            "sale_price",
            "tax_rate",
        ]
    )
    checked = api.post(f"/api/v1/imports/{job['id']}/check/", {}, format="json").json()
    assert checked["status"] == "checked"
    assert checked["error_count"] == 0
    assert not Product.objects.exists()  # a dry run writes nothing
    applied = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert applied["status"] == "done", applied
    assert applied["created_count"] == 2
    cola = Product.objects.get(code="KL330")
    assert cola.pinyin == "kkkl330ml"
    assert cola.units.get().factor == 24
    assert cola.tax_rate.code == "VAT13"
    assert ProductBarcode.objects.get().product == cola
    assert api.get("/api/v1/products/", {"search": "xb"}).json()["count"] == 1
    assert AuditLog.objects.filter(model="masterdata.product", action="create").count() == 2


def test_english_headers_and_updates_matched_by_code(api, org):
    make_product(org, "KL330", "旧名称", sale_price="1")
    job = upload(
        api, [["Code", "Name", "Unit", "Sale price"], ["KL330", "Coca-Cola", "PCS", "3.8"]]
    ).json()
    done = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert (done["created_count"], done["updated_count"]) == (0, 1)
    product = Product.objects.get(code="KL330")
    assert (product.name, str(product.sale_price)) == ("Coca-Cola", "3.800000")
    update = AuditLog.objects.filter(model="masterdata.product", action="update").get()
    assert update.changes["name"] == ["旧名称", "Coca-Cola"]


def test_dry_run_lists_every_rows_errors_and_apply_writes_nothing(api, org):
    job = upload(
        api,
        [
            HEADERS,
            ["A1", "好商品", "", "个", "", "", "1", ""],
            ["A2", "", "", "个", "", "", "1", ""],
            ["A3", "坏单位", "", "吨", "", "", "1", ""],
            ["A4", "坏价格", "", "个", "", "", "abc", ""],
            ["A1", "重复编码", "", "个", "", "", "1", ""],
            ["A6", "坏条码", "", "个", "", "6901234567891", "1", ""],
            ["A7", "坏换算", "", "个", "箱=0", "", "1", ""],
        ],
    ).json()
    checked = api.post(f"/api/v1/imports/{job['id']}/check/", {}, format="json").json()
    errors = {(e["row"], e["column"]) for e in checked["errors"]}
    assert errors == {
        (3, "商品名称"),
        (4, "基本单位"),
        (5, "销售价"),
        (6, "商品编码"),
        (7, "条码"),
        (8, "辅助单位"),
    }
    assert all(e["message"] for e in checked["errors"])
    applied = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert applied["status"] == "checked"
    assert applied["error_count"] == 6
    assert not Product.objects.exists()


def test_one_bad_row_among_ten_thousand_writes_nothing(org, admin_user):
    rows = [["商品编码", "商品名称", "基本单位", "销售价"]]
    rows += [[f"P{i:05d}", f"商品{i}", "个", "9.9"] for i in range(10_000)]
    rows[7_777][3] = "-1"
    content = xlsx(rows).getvalue()
    job = services.create_import(
        organization=org, user=admin_user, target="products", filename="big.xlsx", content=content
    )
    services.run_import(job.pk, apply=True)
    job.refresh_from_db()
    assert job.status == "checked"
    assert job.error_count == 1
    assert job.errors[0]["row"] == 7_778
    assert job.errors[0]["column"] == "销售价"
    assert not Product.objects.exists()
    rows[7_777][3] = "1"
    job = services.create_import(
        organization=org,
        user=admin_user,
        target="products",
        filename="big.xlsx",
        content=xlsx(rows).getvalue(),
    )
    services.run_import(job.pk, apply=True)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert Product.objects.count() == 10_000


def test_mapping_can_be_changed_and_must_cover_required_fields(api):
    job = upload(api, [["货号", "品名", "计量单位"], ["X1", "毛巾", "条"]]).json()
    assert job["mapping"] == {}
    assert_error(
        api.post(
            f"/api/v1/imports/{job['id']}/check/",
            {"mapping": {"0": "code", "1": "name"}},
            format="json",
        ),
        400,
        field="mapping",
    )
    assert_error(
        api.post(
            f"/api/v1/imports/{job['id']}/check/",
            {"mapping": {"0": "code", "1": "code"}},
            format="json",
        ),
        400,
        field="mapping",
    )
    checked = api.post(
        f"/api/v1/imports/{job['id']}/check/",
        {"mapping": {"0": "code", "1": "name", "2": "base_unit"}},
        format="json",
    ).json()
    assert checked["errors"][0]["message"].startswith("Unknown unit")


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"", "empty.xlsx"),
        (b"PK\x03\x04 this is not really a workbook", "fake.xlsx"),
        (b"%PDF-1.4", "report.pdf"),
        (b"\x00\x01\x02", "binary.csv"),
        ("商品编码,商品名称\n".encode(), "headers-only.csv"),
    ],
)
def test_unusable_files_are_refused_with_a_message(api, content, name):
    body = assert_error(upload(api, content, name=name), 400, field="file")
    assert body["message"]
    assert not ImportJob.objects.exists()


def test_a_million_rows_is_refused(api):
    content = ("code,name\n" + "x,y\n" * 1_000_000).encode()
    body = assert_error(upload(api, content, name="huge.csv"), 400, field="file")
    assert "200,000" in body["message"]


def test_csv_in_gb18030_and_partners(api):
    content = "编码,名称,客户,统一社会信用代码\nKH1,华东客户,是,91350100M000100Y43\n".encode(
        "gb18030"
    )
    job = upload(api, content, target="partners", name="partners.csv").json()
    done = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert done["status"] == "done", done
    assert Partner.objects.get().is_customer is True


def test_template_has_the_headers(api):
    response = api.get("/api/v1/imports/template/", {"target": "products"})
    headers = next(load_workbook(io.BytesIO(response.content)).active.values)
    assert headers[:2] == ("商品编码*", "商品名称*")
    assert_error(
        api.get("/api/v1/imports/template/", {"target": "spaceships"}), 400, field="target"
    )


@pytest.mark.django_db(transaction=True)
def test_big_files_run_in_the_background_and_report_progress(monkeypatch, org, admin_user):
    import threading

    from django.db import transaction

    monkeypatch.setattr(services, "BACKGROUND_ROWS", 50)
    monkeypatch.setattr(services, "PROGRESS_EVERY", 100)
    ticks = []
    record = services.set_progress
    monkeypatch.setattr(
        services, "set_progress", lambda job_id, done: (ticks.append(done), record(job_id, done))
    )
    rows = [["商品编码", "商品名称", "基本单位"]] + [
        [f"Q{i:04d}", f"商品{i}", "个"] for i in range(500)
    ]
    job = services.create_import(
        organization=org,
        user=admin_user,
        target="products",
        filename="bg.xlsx",
        content=xlsx(rows).getvalue(),
    )
    with transaction.atomic():
        started = services.start_import(job=job, apply=True)
    assert started.status == "applying"  # returned before the work was done
    # wait for the worker thread without reading the job meanwhile: the test database is an
    # in-memory SQLite whose shared cache makes readers block writers (a file in WAL mode,
    # as in real use, does not)
    worker = next((t for t in threading.enumerate() if t.name == "job-masterdata.run_import"), None)
    if worker is not None:
        worker.join(timeout=120)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert job.processed_rows == job.total_rows == 500
    assert ticks == [99, 199, 299, 399, 499]  # progress was recorded while checking
    assert Product.objects.filter(organization=org).count() == 500
    assert AuditLog.objects.filter(model="masterdata.product", user=admin_user).count() == 500


def test_an_export_can_be_imported_back(api, org, box):
    make_product(
        org,
        "RT1",
        "往返商品",
        barcodes=[{"barcode": "6901234567892"}],
        units=[{"unit": box, "factor": Decimal(24)}],
        sale_price=Decimal("9.90"),
    )
    exported = api.get("/api/v1/products/export/").content
    Product.objects.filter(code="RT1").update(name="改过的名字")
    job = upload(api, exported, name="export.xlsx").json()
    done = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert done["status"] == "done", done
    product = Product.objects.get(code="RT1")
    assert product.name == "往返商品"
    assert product.units.get().factor == 24
    assert list(product.barcodes.values_list("barcode", flat=True)) == ["6901234567892"]


def test_exchange_rates_are_imported_by_currency_and_date(api, org):
    from jxc.masterdata.models import Currency, ExchangeRate

    Currency.objects.create(organization=org, code="USD", name="美元")
    content = "币种,日期,汇率\nUSD,2026-11-01,7.10\nUSD,2026-11-02,7.12\nEUR,2026-11-02,7.7\n"
    job = upload(api, content.encode(), target="exchange_rates", name="rates.csv").json()
    checked = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert [(e["row"], e["column"]) for e in checked["errors"]] == [(4, "币种")]
    assert not ExchangeRate.objects.exists()
    content = "币种,日期,汇率\nUSD,2026-11-01,7.10\nUSD,2026-11-02,7.12\n"
    job = upload(api, content.encode(), target="exchange_rates", name="rates.csv").json()
    done = api.post(f"/api/v1/imports/{job['id']}/apply/", {}, format="json").json()
    assert done["created_count"] == 2
    assert ExchangeRate.objects.get(date="2026-11-02").rate == Decimal("7.12")
