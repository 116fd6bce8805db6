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


# --- POST customer-invoices/{id}/credit/: 红冲预开票 without a return ---------------------------


@pytest.fixture
def billed_ahead(api, sales):
    """An order of 4 billed ahead and posted, 1 of it delivered: 3 creditable."""
    product = sales.product()
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 4)])
    made = api.post("/api/v1/customer-invoices/",
                    {"business_date": "2026-11-26", "orders": [order.pk]}, format="json")  # fmt: skip
    invoice = api.post(f"/api/v1/customer-invoices/{made.json()['id']}/post/").json()
    sales.deliver([(order.lines.get(), 1)])
    return sales, order, invoice


def credit_url(invoice):
    return f"/api/v1/customer-invoices/{invoice['id']}/credit/"


def test_credit_a_prepaid_invoice_without_a_return(api, billed_ahead):
    sales, order, invoice = billed_ahead
    shown = api.get(f"/api/v1/customer-invoices/{invoice['id']}/").json()
    line = shown["lines"][0]
    assert line["creditable_quantity"] == "3.0000"
    made = api.post(credit_url(invoice), {"business_date": "2026-11-27", "note": "客户取消",
                    "lines": [{"invoice_line": line["id"], "quantity": "2"}]},
                    format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    note = made.json()
    assert (note["kind"], note["state"], note["credit_of"]) == (
        "credit_note",
        "done",
        invoice["id"],
    )
    assert (note["gross_amount"], note["note"], note["business_date"]) == (
        "226.00", "客户取消", "2026-11-27")  # fmt: skip
    assert note["lines"][0]["credited_line"] == line["id"]
    assert note["lines"][0]["creditable_quantity"] is None
    shown = api.get(f"/api/v1/customer-invoices/{invoice['id']}/").json()
    assert shown["lines"][0]["creditable_quantity"] == "1.0000"
    assert shown["open_amount"] == "226.00"
    assert api.get(f"/api/v1/sales-orders/{order.pk}/").json()["lines"][0][
        "prepaid_quantity"] == "1.0000"  # fmt: skip
    # without lines: the rest
    rest = api.post(credit_url(invoice), {}, format="json")
    assert rest.status_code == 201, rest.content
    assert rest.json()["lines"][0]["quantity"] == "1.0000"
    assert_error(api.post(credit_url(invoice), {}, format="json"), 400, field="lines")


@pytest.mark.parametrize(
    ("lines", "field"),
    [
        ([{"quantity": "1"}], "lines.0.invoice_line"),
        ([{"invoice_line": 999999999, "quantity": "1"}], "lines.0.invoice_line"),
        ([{"invoice_line": "x", "quantity": "1"}], "lines.0.invoice_line"),
        ([{"invoice_line": "LINE", "quantity": "4"}], "lines.0.quantity"),  # 1 was delivered
        ([{"invoice_line": "LINE", "quantity": "0"}], "lines.0.quantity"),
        ([{"invoice_line": "LINE", "quantity": "-2"}], "lines.0.quantity"),
        ([{"invoice_line": "LINE", "quantity": "abc"}], "lines.0.quantity"),
        ([{"invoice_line": "LINE", "quantity": "1e30"}], "lines.0.quantity"),
        (
            [{"invoice_line": "LINE", "quantity": "2"}, {"invoice_line": "LINE", "quantity": "2"}],
            "lines.1.quantity",
        ),
        ("all", "lines"),  # a non-list is an error of the list itself, as everywhere
        ([], "lines"),
    ],
)
def test_bad_credits_name_the_field_and_write_nothing(api, billed_ahead, lines, field):
    sales, order, invoice = billed_ahead
    line_id = invoice["lines"][0]["id"]
    if isinstance(lines, list):
        lines = [{**x, **({"invoice_line": line_id} if x.get("invoice_line") == "LINE" else {})}
                 for x in lines]  # fmt: skip
    refused = api.post(credit_url(invoice), {"lines": lines}, format="json")
    assert_error(refused, 400, field=field)
    assert not CustomerInvoice.objects.filter(kind="credit_note").exists()
    assert order.lines.get().prepaid_quantity == 3
    assert_error(api.post(credit_url(invoice), {"business_date": "2020-01-01"}, format="json"),
                 400, field="business_date")  # fmt: skip
    assert_error(api.post(credit_url(invoice), {"business_date": "x"}, format="json"),
                 400, field="business_date")  # fmt: skip


def test_credit_refusals_are_translated(billed_ahead):
    from tests.conftest import client_for, make_member

    sales, _order, invoice = billed_ahead
    zh = client_for(make_member(sales.org, "zhao", "admin"), sales.org, language="zh-hans")
    refused = assert_error(
        zh.post(credit_url(invoice), {"lines": [{"invoice_line": invoice["lines"][0]["id"],
                                                 "quantity": "9"}]}, format="json"),
        400, field="lines.0.quantity",
    )  # fmt: skip
    assert "已预开票且未出库" in refused["message"] + str(refused["fields"])


def test_another_organizations_invoice_or_line_is_refused(other_api, api, billed_ahead, other_org):
    from jxc.sales.services import invoices
    from tests.sales.conftest import Sales

    sales, _order, invoice = billed_ahead
    assert_error(other_api.post(credit_url(invoice), {}, format="json"), 404)
    foreign = Sales(other_org, None)
    product = foreign.product("X1")
    foreign.receive(product, 5, "50")
    theirs = invoices.post_invoice(invoice=invoices.save_invoice(
        organization=other_org, user=None,
        data={"business_date": invoice["business_date"], "customer": foreign.customer,
              "orders": [foreign.confirmed([(product, 2)])]},
    ))  # fmt: skip
    refused = api.post(credit_url(invoice), {"lines": [
        {"invoice_line": theirs.lines.get().pk, "quantity": "1"}]}, format="json")  # fmt: skip
    assert_error(refused, 400, field="lines.0.invoice_line")
    assert not CustomerInvoice.objects.filter(kind="credit_note").exists()
    assert theirs.lines.get().order_line.prepaid_quantity == 2


def test_only_who_posts_invoices_may_credit(billed_ahead):
    from tests.conftest import client_for, make_member

    sales, _order, invoice = billed_ahead
    seller = client_for(make_member(sales.org, "sally", "salesperson"), sales.org)
    assert_error(seller.post(credit_url(invoice), {}, format="json"), 403)
    assert not CustomerInvoice.objects.filter(kind="credit_note").exists()
