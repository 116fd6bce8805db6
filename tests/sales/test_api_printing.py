"""The sales documents' PDFs and the 数电票 export through the API: content type,
permissions, bad input and other organizations' documents."""

import io

import pytest
from openpyxl import load_workbook

from tests.conftest import client_for, make_member
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoiced(sales):
    """An order delivered and invoiced (posted), in the sales world."""
    product = sales.product("PRN-1")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 3)])
    delivery = sales.deliver([(order.lines.get(), 3)])
    invoice = sales.invoice([(delivery.lines.get(), 3)])
    return order, delivery, invoice


def test_each_sales_document_prints_as_a_pdf(api, invoiced):
    order, delivery, invoice = invoiced
    for url, document in (("sales-orders", order), ("deliveries", delivery),
                          ("customer-invoices", invoice)):  # fmt: skip
        response = api.get(f"/api/v1/{url}/{document.pk}/pdf/")
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("inline; filename=")
        assert document.number in response["Content-Disposition"]


def test_printing_needs_the_sales_view_permission(org, roles, invoiced):
    order, delivery, invoice = invoiced
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    viewer = client_for(make_member(org, "vic", "viewer", roles_by_code=roles), org)
    for url, document in (("sales-orders", order), ("deliveries", delivery),
                          ("customer-invoices", invoice)):  # fmt: skip
        assert_error(buyer.get(f"/api/v1/{url}/{document.pk}/pdf/"), 403)
        assert viewer.get(f"/api/v1/{url}/{document.pk}/pdf/").status_code == 200


def test_another_organizations_documents_are_not_printed(other_api, invoiced):
    order, delivery, invoice = invoiced
    for url, document in (("sales-orders", order), ("deliveries", delivery),
                          ("customer-invoices", invoice)):  # fmt: skip
        assert_error(other_api.get(f"/api/v1/{url}/{document.pk}/pdf/"), 404, "not_found")
    assert_error(other_api.get("/api/v1/sales-orders/999999999/pdf/"), 404, "not_found")
    exported = other_api.get("/api/v1/customer-invoices/einvoice-export/", {"ids": invoice.pk})
    assert_error(exported, 400, "nothing_to_export")


def test_the_einvoice_export_through_the_api(api, sales, invoiced):
    _order, _delivery, invoice = invoiced
    url = "/api/v1/customer-invoices/einvoice-export/"
    response = api.get(url, {"business_date__gte": "2026-11-01",
                             "business_date__lte": "2026-11-30"})  # fmt: skip
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["2-发票明细信息"].iter_rows(values_only=True))
    assert rows[1][0] == invoice.number
    assert rows[1][7] == 300
    by_id = api.get(url, {"ids": f"{invoice.pk}"})
    assert by_id.status_code == 200
    outside = api.get(url, {"business_date__gte": "2026-12-01"})
    assert_error(outside, 400, "nothing_to_export")
    assert_error(api.get(url, {"ids": "1,x"}), 400, field="ids")
    assert_error(api.get(url, {"business_date__gte": "not-a-date"}), 400)


def test_the_einvoice_export_needs_the_export_permission(org, roles, invoiced):
    viewer = client_for(make_member(org, "vic", "viewer", roles_by_code=roles), org)
    assert_error(viewer.get("/api/v1/customer-invoices/einvoice-export/"), 403)
    accountant = client_for(make_member(org, "amy", "accountant", roles_by_code=roles), org)
    assert accountant.get("/api/v1/customer-invoices/einvoice-export/").status_code == 200


def test_the_schema_documents_the_pdfs_and_the_export(api):
    schema = api.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/sales-orders/{id}/pdf/", "/api/v1/deliveries/{id}/pdf/",
                 "/api/v1/customer-invoices/{id}/pdf/"):  # fmt: skip
        assert "application/pdf" in schema["paths"][path]["get"]["responses"]["200"]["content"]
    export = schema["paths"]["/api/v1/customer-invoices/einvoice-export/"]["get"]
    assert "ids" in {parameter["name"] for parameter in export["parameters"]}
