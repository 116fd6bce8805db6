"""The purchasing API: the chain order → receipt → invoice → return through HTTP, the errors
naming line and field with nothing written, permissions, and other organizations' isolation."""

from decimal import Decimal

import pytest

from jxc.purchasing.models import GoodsReceipt, PurchaseOrder, ReceiptTolerance, SupplierInvoice
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db


def order_body(world, item, quantity="10", **line):
    return {
        "business_date": DAY.isoformat(),
        "supplier": world.vendor.pk,
        "warehouse": world.wh1.pk,
        "lines": [{"product": item.pk, "quantity": quantity, "unit_price": "10",
                   "tax_rate": world.vat13.pk, "tax_inclusive": False, **line}],
    }  # fmt: skip


def test_order_receipt_invoice_return_through_the_api(api, world):
    product = world.product()
    created = api.post("/api/v1/purchase-orders/", order_body(world, product), format="json")
    assert created.status_code == 201, created.content
    order = created.json()
    assert order["gross_amount"] == "113.00"
    zero = "0.0000"
    assert order["stock"][str(product.pk)] == {"on_hand": zero, "available": zero, "incoming": zero}
    submitted = api.post(f"/api/v1/purchase-orders/{order['id']}/submit/").json()
    assert submitted["state"] == "approved"
    assert submitted["stock"][str(product.pk)]["incoming"] == "10.0000"
    receipt = api.post(
        "/api/v1/goods-receipts/from-orders/", {"orders": [order["id"]]}, format="json"
    )
    assert receipt.status_code == 201, receipt.content
    receipt = receipt.json()
    line = receipt["lines"][0]
    patched = api.patch(
        f"/api/v1/goods-receipts/{receipt['id']}/",
        {"lines": [{"order_line": line["order_line"], "quantity": "4",
                    "location": world.bin1.pk}]},
        format="json",
    )  # fmt: skip
    assert patched.status_code == 200, patched.content
    posted = api.post(f"/api/v1/goods-receipts/{receipt['id']}/post/")
    assert posted.status_code == 200, posted.content
    posted = posted.json()
    assert posted["state"] == "done"
    assert posted["lines"][0]["value"] == "40.00"
    invoice = api.post(
        "/api/v1/supplier-invoices/from-receipts/",
        {"receipts": [receipt["id"]], "invoice_number": "12345678", "invoice_type": "special",
         "business_date": DAY.isoformat()},
        format="json",
    )  # fmt: skip
    assert invoice.status_code == 201, invoice.content
    invoice = api.post(f"/api/v1/supplier-invoices/{invoice.json()['id']}/post/").json()
    assert (invoice["state"], invoice["open_amount"]) == ("done", "45.20")
    returned = api.post(
        "/api/v1/purchase-returns/",
        {"receipt": receipt["id"], "business_date": DAY.isoformat(),
         "lines": [{"receipt_line": posted["lines"][0]["id"], "quantity": "1"}]},
        format="json",
    )  # fmt: skip
    assert returned.status_code == 201, returned.content
    done = api.post(f"/api/v1/purchase-returns/{returned.json()['id']}/post/").json()
    assert done["state"] == "done"
    order = api.get(f"/api/v1/purchase-orders/{order['id']}/").json()
    assert [
        (x["received_quantity"], x["invoiced_quantity"], x["returned_quantity"])
        for x in order["lines"]
    ] == [("4.0000", "4.0000", "1.0000")]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "-3"}, "lines.0.quantity"),
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"quantity": "1e30"}, "lines.0.quantity"),
        ({"product": 999999}, "lines.0.product"),
        ({"unit_price": "-1"}, "lines.0.unit_price"),
    ],
)
def test_bad_order_lines_answer_400_naming_the_field(api, world, line, field):
    response = api.post(
        "/api/v1/purchase-orders/", order_body(world, world.product(), **line), format="json"
    )
    assert_error(response, 400, field=field)
    assert not PurchaseOrder.objects.exists()


def test_editing_an_approved_order_is_refused(api, world):
    order = world.order([{"product": world.product(), "quantity": qty(1), "unit_price": qty(1)}])
    response = api.patch(f"/api/v1/purchase-orders/{order.pk}/", {"note": "x"}, format="json")
    assert_error(response, 400, code="order_approved", field="state")


def test_over_receipt_answers_400_naming_the_line(api, world):
    order = world.order([{"product": world.product(), "quantity": qty(2), "unit_price": qty(1)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(3)}], post=False)
    response = api.post(f"/api/v1/goods-receipts/{receipt.pk}/post/")
    assert_error(response, 400, code="over_receipt", field="lines.0.quantity")
    assert GoodsReceipt.objects.get().state == "draft"


def test_receiving_without_an_order_needs_the_approve_permission(org, roles, world):
    buyer = make_member(org, "bob", "purchaser", roles_by_code=roles)
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    product = world.product(purchase_price=Decimal("2"))
    body = {
        "supplier": world.vendor.pk,
        "warehouse": world.wh1.pk,
        "lines": [{"product": product.pk, "quantity": "2"}],
    }
    refused = client_for(buyer, org).post("/api/v1/goods-receipts/", body, format="json")
    assert_error(refused, 400, code="order_required", field="lines.0.order_line")
    allowed = client_for(manager, org).post("/api/v1/goods-receipts/", body, format="json")
    assert allowed.status_code == 201, allowed.content


def test_duplicate_invoice_number_answers_400(api, world):
    order = world.order([{"product": world.product(), "quantity": qty(2), "unit_price": qty(1)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(2)}])
    body = {"receipts": [receipt.pk], "invoice_number": "1", "invoice_type": "ordinary"}
    assert api.post("/api/v1/supplier-invoices/from-receipts/", body, format="json").status_code
    second = api.post("/api/v1/supplier-invoices/from-receipts/", body, format="json")
    assert_error(second, 400, code="duplicate_invoice", field="invoice_number")
    assert SupplierInvoice.objects.count() == 1


def test_a_viewer_cannot_create_orders(org, roles, world):
    viewer = make_member(org, "vic", "viewer", roles_by_code=roles)
    response = client_for(viewer, org).post(
        "/api/v1/purchase-orders/", order_body(world, world.product()), format="json"
    )
    assert_error(response, 403)


def test_other_organizations_documents_are_hidden(other_api, world, org):
    product = world.product()
    order = world.order([{"product": product, "quantity": qty(2), "unit_price": qty(1)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(2)}])
    from jxc.purchasing.services import invoices, returns

    invoice = invoices.invoice_from_receipts(
        organization=org, user=None, receipts=[receipt],
        data={"invoice_number": "9", "business_date": DAY},
    )  # fmt: skip
    back = returns.save_purchase_return(
        organization=org, user=None,
        data={"receipt": receipt, "lines": [{"receipt_line": receipt.lines.get(),
                                             "quantity": qty(1)}]},
    )  # fmt: skip
    tolerance = ReceiptTolerance.objects.create(organization=org, percent=qty(5))
    assert_other_organization_hidden(other_api, "/api/v1/purchase-orders/", order)
    assert_other_organization_hidden(other_api, "/api/v1/goods-receipts/", receipt)
    assert_other_organization_hidden(other_api, "/api/v1/supplier-invoices/", invoice)
    assert_other_organization_hidden(other_api, "/api/v1/purchase-returns/", back)
    assert_other_organization_hidden(other_api, "/api/v1/receipt-tolerances/", tolerance)


def test_other_organizations_ids_in_payloads_are_unknown(api, other_org, world):
    elsewhere = Purchasing(other_org, None)
    foreign = elsewhere.product("X1")
    response = api.post("/api/v1/purchase-orders/", order_body(world, foreign), format="json")
    assert_error(response, 400, field="lines.0.product")
    body = order_body(world, world.product())
    body["supplier"] = elsewhere.vendor.pk
    assert_error(api.post("/api/v1/purchase-orders/", body, format="json"), 400, field="supplier")
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize("lines", ["x", {}, {"product": 1}, 5])
def test_lines_that_are_not_a_list_are_an_error_on_lines(api, world, lines):
    body = {**order_body(world, world.product()), "lines": lines}
    error = assert_error(api.post("/api/v1/purchase-orders/", body, format="json"), 400)
    assert error["fields"] == {"lines": ["Expected a list."]}
    assert error["message"] == "lines: Expected a list."
    assert not PurchaseOrder.objects.exists()


def test_lines_that_are_not_a_list_are_refused_in_chinese(org, admin_user, world):
    zh = client_for(admin_user, org, language="zh-hans")
    body = {**order_body(world, world.product()), "lines": "x"}
    error = assert_error(zh.post("/api/v1/purchase-orders/", body, format="json"), 400)
    assert error["fields"] == {"lines": ["应为列表。"]}
