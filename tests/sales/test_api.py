"""The sales API: the chain through HTTP, bad input naming the field with nothing written,
permissions and other-organization isolation."""

from decimal import Decimal

import pytest

from jxc.inventory.models import WarehouseStock
from jxc.sales.models import Delivery, SalesOrder, SalesReturn
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden

pytestmark = pytest.mark.django_db


def order_body(sales, product, quantity="4", **line):
    return {
        "business_date": "2026-11-26",
        "customer": sales.customer.pk,
        "warehouse": sales.wh1.pk,
        "lines": [{"product": product.pk, "quantity": quantity, **line}],
    }


def test_order_delivery_invoice_and_return_through_the_api(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    created = api.post("/api/v1/sales-orders/", order_body(sales, product), format="json")
    assert created.status_code == 201, created.content
    order = created.json()
    line = order["lines"][0]
    # priced from the product (no price list): 113 tax included, 13 % VAT
    assert (line["unit_price"], line["tax_percent"], line["gross_amount"]) == (
        "113.000000", "13.00", "452.00")  # fmt: skip
    submitted = api.post(f"/api/v1/sales-orders/{order['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "approved"
    assert submitted.json()["lines"][0]["reserved_quantity"] == "4.0000"
    assert submitted.json()["lines"][0]["reserved_open"] == "4.0000"
    delivery = api.post(
        "/api/v1/deliveries/",
        {"business_date": "2026-11-26", "orders": [order["id"]], "carrier": "顺丰",
         "tracking_number": "SF123"},
        format="json",
    )  # fmt: skip
    assert delivery.status_code == 201, delivery.content
    assert [x["quantity"] for x in delivery.json()["lines"]] == ["4.0000"]
    posted = api.post(f"/api/v1/deliveries/{delivery.json()['id']}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["number"].startswith("CK")
    assert posted.json()["lines"][0]["cost_amount"] == "200.00"  # the admin sees costs
    listed = api.get("/api/v1/sales-orders/").json()["results"][0]
    assert (listed["state"], listed["lines"][0]["reserved_open"]) == ("done", "0.0000")
    invoice = api.post(
        "/api/v1/customer-invoices/",
        {"business_date": "2026-11-26", "deliveries": [delivery.json()["id"]],
         "invoice_type": "special", "invoice_number": "12345678"},
        format="json",
    )  # fmt: skip
    assert invoice.status_code == 201, invoice.content
    invoiced = api.post(f"/api/v1/customer-invoices/{invoice.json()['id']}/post/")
    assert invoiced.status_code == 200, invoiced.content
    assert (invoiced.json()["gross_amount"], invoiced.json()["open_amount"]) == (
        "452.00", "452.00")  # fmt: skip
    returned = api.post(
        "/api/v1/sales-returns/",
        {"business_date": "2026-11-26", "delivery": delivery.json()["id"],
         "location": sales.bin1.pk, "reason": "质量问题",
         "lines": [{"delivery_line": posted.json()["lines"][0]["id"], "quantity": "1"}]},
        format="json",
    )  # fmt: skip
    assert returned.status_code == 201, returned.content
    done = api.post(f"/api/v1/sales-returns/{returned.json()['id']}/post/")
    assert done.status_code == 200, done.content
    assert done.json()["credit_note"] is not None
    invoice_now = api.get(f"/api/v1/customer-invoices/{invoice.json()['id']}/").json()
    assert invoice_now["open_amount"] == "339.00"
    assert WarehouseStock.objects.get(product=product).on_hand == 7


def test_bad_input_names_the_line_and_field_and_writes_nothing(api, sales):
    product = sales.product()
    for quantity in ("0", "-1"):
        body = order_body(sales, product, quantity)
        assert_error(api.post("/api/v1/sales-orders/", body, format="json"), 400,
                     field="lines.0.quantity")  # fmt: skip
    assert_error(
        api.post("/api/v1/sales-orders/", order_body(sales, product, "abc"), format="json"), 400
    )
    assert SalesOrder.objects.count() == 0
    # confirming more than is available (policy block) names the line
    sales.receive(product, 2, "50")
    order = api.post("/api/v1/sales-orders/", order_body(sales, product, "3"), format="json")
    body = assert_error(
        api.post(f"/api/v1/sales-orders/{order.json()['id']}/submit/"), 400,
        "insufficient_stock", "lines.0.quantity",
    )  # fmt: skip
    assert "P1" in body["message"]
    assert SalesOrder.objects.get().state == "draft"
    assert WarehouseStock.objects.get(product=product).reserved == 0


def test_credit_limit_blocks_by_default(api, sales):
    sales.customer.credit_limit = Decimal("100")
    sales.customer.save()
    product = sales.product()
    sales.receive(product, 5, "50")
    order = api.post("/api/v1/sales-orders/", order_body(sales, product, "1"), format="json")
    assert_error(
        api.post(f"/api/v1/sales-orders/{order.json()['id']}/submit/"), 400,
        "credit_limit_exceeded", "customer",
    )  # fmt: skip
    assert SalesOrder.objects.get().state == "draft"


def test_a_delivery_of_more_than_ordered_is_refused(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 2)])
    body = {"business_date": "2026-11-26", "customer": sales.customer.pk,
            "warehouse": sales.wh1.pk,
            "lines": [{"order_line": order.lines.get().pk, "quantity": "3"}]}  # fmt: skip
    delivery = api.post("/api/v1/deliveries/", body, format="json")
    assert delivery.status_code == 201
    assert_error(
        api.post(f"/api/v1/deliveries/{delivery.json()['id']}/post/"), 400, "over_delivered",
        "lines.0.quantity",
    )  # fmt: skip
    assert Delivery.objects.get().state == "draft"
    assert WarehouseStock.objects.get(product=product).on_hand == 10


def test_a_serial_not_in_stock_is_refused(api, sales):
    product = sales.product("SN1", tracking="serial")
    sales.receive(product, 1, "50", serial="A-001")
    order = sales.confirmed([(product, 1)])
    body = {"business_date": "2026-11-26", "customer": sales.customer.pk,
            "warehouse": sales.wh1.pk,
            "lines": [{"order_line": order.lines.get().pk, "quantity": "1",
                       "serial": "A-999"}]}  # fmt: skip
    delivery = api.post("/api/v1/deliveries/", body, format="json").json()
    assert_error(api.post(f"/api/v1/deliveries/{delivery['id']}/post/"), 400,
                 field="lines.0.serial")  # fmt: skip
    body["lines"][0]["serial"] = "A-001"
    api.put(f"/api/v1/deliveries/{delivery['id']}/", body, format="json")
    posted = api.post(f"/api/v1/deliveries/{delivery['id']}/post/")
    assert posted.status_code == 200, posted.content


def test_who_may_do_what(org, sales, roles):
    """Salespeople order (and see no costs); the warehouse drafts and ships deliveries; finance
    posts invoices."""
    product = sales.product()
    sales.receive(product, 5, "50")
    order = sales.confirmed([(product, 1)])
    delivery = sales.deliver([(order.lines.get(), 1)])
    seller = client_for(make_member(org, "sally", "salesperson"), org)
    data = seller.get(f"/api/v1/deliveries/{delivery.pk}/").json()
    assert "cost_amount" not in data["lines"][0]
    created = seller.post("/api/v1/sales-orders/", order_body(sales, product, "1"), format="json")
    assert created.status_code == 201
    assert seller.post(f"/api/v1/sales-orders/{created.json()['id']}/submit/").status_code == 200
    body = {"business_date": "2026-11-26", "orders": [created.json()["id"]]}
    assert_error(seller.post("/api/v1/deliveries/", body, format="json"), 403)
    keeper = client_for(make_member(org, "kate", "warehouse_keeper"), org)
    drafted = keeper.post("/api/v1/deliveries/", body, format="json")
    assert drafted.status_code == 201, drafted.content
    shipped = keeper.post(f"/api/v1/deliveries/{drafted.json()['id']}/post/")
    assert shipped.status_code == 200, shipped.content
    invoice = {"business_date": "2026-11-26", "deliveries": [delivery.pk],
               "invoice_type": "ordinary", "invoice_number": ""}  # fmt: skip
    assert_error(keeper.post("/api/v1/customer-invoices/", invoice, format="json"), 403)
    accountant = client_for(make_member(org, "amy", "accountant"), org)
    made = accountant.post("/api/v1/customer-invoices/", invoice, format="json")
    assert made.status_code == 201, made.content
    posted = accountant.post(f"/api/v1/customer-invoices/{made.json()['id']}/post/")
    assert posted.status_code == 200, posted.content


def test_settings_and_overrides(api, sales):
    assert api.get("/api/v1/sales/settings/").json() == {
        "availability_policy": "block", "credit_policy": "block",
        "allocate_on_arrival": True}  # fmt: skip
    changed = api.patch("/api/v1/sales/settings/", {"availability_policy": "presale"},
                        format="json")  # fmt: skip
    assert changed.json()["availability_policy"] == "presale"
    assert_error(
        api.patch("/api/v1/sales/settings/", {"availability_policy": "x"}, format="json"), 400
    )
    product = sales.product()
    made = api.post("/api/v1/sales-policy-overrides/",
                    {"product": product.pk, "availability_policy": "warn"}, format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert_error(api.post("/api/v1/sales-policy-overrides/",
                          {"availability_policy": "warn"}, format="json"), 400)  # fmt: skip


def test_other_organizations_sales_documents_are_hidden(api, other_api, sales):
    product = sales.product()
    sales.receive(product, 5, "50")
    order = sales.confirmed([(product, 2)])
    delivery = sales.deliver([(order.lines.get(), 2)])
    invoice = sales.invoice([(delivery.lines.get(), 2)])
    from jxc.sales.services import returns

    sales_return = returns.save_sales_return(
        organization=sales.org, user=None,
        data={"business_date": delivery.business_date, "delivery": delivery,
              "location": sales.bin1},
    )  # fmt: skip
    from jxc.sales.models import PolicyOverride

    override = PolicyOverride.objects.create(
        organization=sales.org, warehouse=sales.wh1, availability_policy="warn"
    )
    assert_other_organization_hidden(other_api, "/api/v1/sales-orders/", order)
    assert_other_organization_hidden(other_api, "/api/v1/deliveries/", delivery)
    assert_other_organization_hidden(other_api, "/api/v1/customer-invoices/", invoice)
    assert_other_organization_hidden(other_api, "/api/v1/sales-returns/", sales_return)
    assert_other_organization_hidden(other_api, "/api/v1/sales-policy-overrides/", override)
    assert SalesReturn.objects.count() == 1
    # the other organization cannot deliver this organization's order lines either
    stranger = other_api.post(
        "/api/v1/deliveries/",
        {"business_date": "2026-11-26", "orders": [order.pk]},
        format="json",
    )
    assert_error(stranger, 400, field="orders.0")


def test_a_currency_without_a_rate_and_another_organizations_product_are_refused(
    api, sales, other_org
):
    from jxc.masterdata.models import Currency
    from tests.masterdata.conftest import make_product

    product = sales.product()
    usd = Currency.objects.create(organization=sales.org, code="USD", name="美元")
    body = {**order_body(sales, product), "currency": usd.pk}
    assert_error(api.post("/api/v1/sales-orders/", body, format="json"), 400, field="currency")
    stranger = make_product(other_org, "X1", "别家商品")
    body = order_body(sales, stranger)
    assert_error(api.post("/api/v1/sales-orders/", body, format="json"), 400,
                 field="lines.0.product")  # fmt: skip
    assert SalesOrder.objects.count() == 0


def test_a_search_matching_several_lines_lists_the_order_once(api, sales):
    product = sales.product()
    body = order_body(sales, product)
    body["lines"].append({"product": product.pk, "quantity": "2"})
    order = api.post("/api/v1/sales-orders/", body, format="json").json()
    found = api.get("/api/v1/sales-orders/", {"search": product.code}).json()
    assert [row["id"] for row in found["results"]] == [order["id"]]
    assert found["count"] == 1


@pytest.mark.parametrize("lines", ["x", {}, {"product": 1}])
def test_lines_that_are_not_a_list_are_an_error_on_lines(api, sales, lines):
    body = {**order_body(sales, sales.product()), "lines": lines}
    error = assert_error(api.post("/api/v1/sales-orders/", body, format="json"), 400)
    assert error["fields"] == {"lines": ["Expected a list."]}
    assert not SalesOrder.objects.exists()


def test_lines_that_are_not_a_list_are_refused_in_chinese(sales):
    zh = client_for(sales.user, sales.org, language="zh-hans")
    body = {**order_body(sales, sales.product()), "lines": {}}
    error = assert_error(zh.post("/api/v1/sales-orders/", body, format="json"), 400)
    assert error["fields"] == {"lines": ["应为列表。"]}
    assert not SalesOrder.objects.exists()
