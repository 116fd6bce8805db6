"""Prepaid sales through the API: an invoice from a confirmed order before delivery, bad input
named by field with nothing written, and another organization's order lines refused."""

import pytest

from jxc.sales.models import CustomerInvoice
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_invoice_from_an_order_before_delivery(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 4)])
    made = api.post(
        "/api/v1/customer-invoices/",
        {"business_date": "2026-11-26", "orders": [order.pk], "invoice_type": "special"},
        format="json",
    )
    assert made.status_code == 201, made.content
    line = made.json()["lines"][0]
    assert (line["order_line"], line["order_number"], line["delivery_line"]) == (
        order.lines.get().pk, order.number, None)  # fmt: skip
    assert line["quantity"] == "4.0000"
    posted = api.post(f"/api/v1/customer-invoices/{made.json()['id']}/post/")
    assert posted.status_code == 200, posted.content
    assert (posted.json()["gross_amount"], posted.json()["open_amount"]) == ("452.00", "452.00")
    shown = api.get(f"/api/v1/sales-orders/{order.pk}/").json()
    assert shown["lines"][0]["prepaid_quantity"] == "4.0000"
    # the order has nothing left to invoice ahead
    again = api.post(
        "/api/v1/customer-invoices/",
        {"business_date": "2026-11-26", "customer": sales.customer.pk,
         "lines": [{"order_line": order.lines.get().pk, "quantity": "1"}]},
        format="json",
    )  # fmt: skip
    assert_error(again, 400, field="lines.0.quantity")
    assert CustomerInvoice.objects.count() == 1


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1e30"])
def test_bad_quantities_are_refused_naming_the_line(api, sales, quantity):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 4)])
    answer = api.post(
        "/api/v1/customer-invoices/",
        {"business_date": "2026-11-26", "customer": sales.customer.pk,
         "lines": [{"order_line": order.lines.get().pk, "quantity": quantity}]},
        format="json",
    )  # fmt: skip
    assert_error(answer, 400, field="lines.0.quantity")
    assert not CustomerInvoice.objects.exists()


def test_another_organizations_order_line_is_refused(other_api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 4)])
    answer = other_api.post(
        "/api/v1/customer-invoices/",
        {"business_date": "2026-11-26", "orders": [order.pk]},
        format="json",
    )
    assert_error(answer, 400, field="orders.0")
    assert not CustomerInvoice.objects.exists()
