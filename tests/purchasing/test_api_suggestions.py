"""The API of reorder rules and purchase suggestions: list grouped by supplier with filters,
orders in one step, errors naming the line and field with nothing written, permissions and
other organizations' isolation."""

import pytest

from jxc.purchasing.models import PurchaseOrder, ReorderRule
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner
from tests.purchasing.conftest import Purchasing, qty

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-suggestions/"


def rule_body(world, product, **figures):
    return {"product": product.pk, "warehouse": world.wh1.pk, "supplier": world.vendor.pk,
            "reorder_point": "30", "reorder_quantity": "50", "lead_time_days": 7, **figures}  # fmt: skip


def test_rules_crud_then_suggestions_then_orders(api, world):
    product = world.product()
    world.receive(product, 12, 1)
    created = api.post("/api/v1/reorder-rules/", rule_body(world, product), format="json")
    assert created.status_code == 201, created.content
    assert created.json()["product_code"] == "P1"
    again = api.post("/api/v1/reorder-rules/", rule_body(world, product), format="json")
    assert again.status_code == 400
    groups = api.get(URL).json()
    assert [g["supplier"] for g in groups] == [world.vendor.pk]
    line = groups[0]["lines"][0]
    assert line["quantity"] == "68.0000"
    assert line["available"] == "12.0000"
    assert "lead time 7 days" in line["reason"]
    assert api.get(URL, {"warehouse": world.wh2.pk}).json() == []
    made = api.post(
        f"{URL}create-orders/",
        {"lines": [{"product": product.pk, "warehouse": world.wh1.pk,
                    "supplier": world.vendor.pk, "quantity": "70"}]},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    order = PurchaseOrder.objects.get(pk=made.json()[0]["id"])
    assert order.lines.get().quantity == qty(70)
    assert api.get(URL).json() == []  # the draft is expected in: 12 + 70 > 30
    rule_id = created.json()["id"]
    patched = api.patch(f"/api/v1/reorder-rules/{rule_id}/", {"pack_size": "0"}, format="json")
    assert_error(patched, 400, field="pack_size")
    assert api.delete(f"/api/v1/reorder-rules/{rule_id}/").status_code == 204


def test_export_to_excel(api, world):
    from io import BytesIO

    from openpyxl import load_workbook

    product = world.product()
    ReorderRule.objects.create(organization=world.org, product=product, warehouse=world.wh1,
                               supplier=world.vendor, reorder_point=qty(5),
                               reorder_quantity=qty(10))  # fmt: skip
    response = api.get(f"{URL}export/", {"warehouse": world.wh1.pk})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:4] == (world.vendor.name, "P1", product.name, world.wh1.name)


def test_bad_lines_name_the_field_and_write_nothing(api, world, other_org):
    product = world.product()
    good = {"product": product.pk, "warehouse": world.wh1.pk, "supplier": world.vendor.pk,
            "quantity": "5"}  # fmt: skip
    for change, field in [
        ({"quantity": "0"}, "lines.1.quantity"),
        ({"quantity": "-1"}, "lines.1.quantity"),
        ({"quantity": "abc"}, "lines.1.quantity"),
        ({"supplier": None}, "lines.1.supplier"),
        ({"product": Purchasing(other_org, None).product("X").pk}, "lines.1.product"),
    ]:
        response = api.post(f"{URL}create-orders/", {"lines": [good, {**good, **change}]},
                            format="json")  # fmt: skip
        assert_error(response, 400, field=field)
    inactive = make_partner(world.org, "S9", "停用", is_active=False)
    response = api.post(f"{URL}create-orders/",
                        {"lines": [good, {**good, "supplier": inactive.pk}]}, format="json")  # fmt: skip
    assert_error(response, 400, field="lines.1.supplier")
    assert_error(api.post(f"{URL}create-orders/", {"lines": []}, format="json"), 400,
                 field="lines")  # fmt: skip
    assert not PurchaseOrder.objects.exists()
    assert_error(api.get(URL, {"warehouse": "x"}), 400, field="warehouse")


def test_permissions(org, roles, world):
    clerk = client_for(make_member(org, "wk", "warehouse_keeper", roles_by_code=roles), org)
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    product = world.product()
    assert buyer.get(URL).status_code == 200
    body = {"lines": [{"product": product.pk, "warehouse": world.wh1.pk,
                       "supplier": world.vendor.pk, "quantity": "5"}]}  # fmt: skip
    assert clerk.post(f"{URL}create-orders/", body, format="json").status_code == 403
    assert buyer.post(f"{URL}create-orders/", body, format="json").status_code == 201
    assert buyer.post("/api/v1/reorder-rules/", rule_body(world, product),
                      format="json").status_code == 201  # fmt: skip


def test_other_organizations_rules_and_suggestions_are_hidden(other_api, world):
    product = world.product()
    found = ReorderRule.objects.create(organization=world.org, product=product,
                                       warehouse=world.wh1, reorder_point=qty(5))  # fmt: skip
    assert_other_organization_hidden(other_api, "/api/v1/reorder-rules/", found)
    assert other_api.get(URL).json() == []
    assert_error(other_api.get(URL, {"warehouse": world.wh1.pk}), 400, field="warehouse")
    assert_error(other_api.get(URL, {"supplier": world.vendor.pk}), 400, field="supplier")
