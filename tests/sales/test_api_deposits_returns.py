"""The API of deposits (收订金 on an order) and free-standing returns: the happy path, bad input
naming the field with nothing written, who may do it, other organizations' ids refused."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jxc.finance.models import Account, Payment
from jxc.sales.models import SalesOrderDeposit, SalesReturn
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
D = Decimal


def _order(sales, product, quantity=2):
    return sales.confirmed([(product, quantity)])


def test_receive_a_deposit_and_see_it_on_the_order(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = _order(sales, product)
    answer = api.post(
        f"/api/v1/sales-orders/{order.pk}/deposit/",
        {"amount": "100.00", "account": sales.bank.pk, "date": "2026-11-26"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["deposit_received"] == "100.00"
    (deposit,) = body["deposits"]
    assert deposit["payment_number"].startswith("SK")
    assert (deposit["amount"], deposit["unused"], deposit["state"]) == (
        "100.00", "100.00", "posted")  # fmt: skip
    listed = api.get("/api/v1/sales-orders/").json()["results"][0]
    assert listed["deposit_received"] == "100.00"
    # the order's invoice uses it
    line = sales.deliver([(order.lines.get(), 2)]).lines.get()
    invoice = sales.invoice([(line, 2)])
    shown = api.get(f"/api/v1/customer-invoices/{invoice.pk}/").json()
    assert shown["open_amount"] == "126.00"
    assert api.get(f"/api/v1/sales-orders/{order.pk}/").json()["deposits"][0]["unused"] == "0.00"
    # the list exports with what was received (the deposits themselves are the order's detail)
    exported = api.get("/api/v1/sales-orders/export/")
    assert exported.status_code == 200, exported.content[:300]
    sheet = load_workbook(io.BytesIO(exported.content)).active
    header = [cell.value for cell in sheet[1]]
    assert "deposit received" in header
    assert sheet.cell(row=2, column=header.index("deposit received") + 1).value in ("100.00", 100)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": "-1", "account": "bank"}, "amount"),
        ({"amount": "0", "account": "bank"}, "amount"),
        ({"amount": "abc", "account": "bank"}, "amount"),
        ({"amount": "1e20", "account": "bank"}, "amount"),
        ({"amount": "10"}, "account"),
        ({"amount": "10", "account": 999999}, "account"),
        ({"amount": "10", "account": "revenue"}, "account"),
        ({"amount": "10", "account": "bank", "date": "yesterday"}, "date"),
    ],
)
def test_bad_deposits_name_the_field_and_write_nothing(api, sales, body, field):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = _order(sales, product)
    accounts = {"bank": sales.bank.pk,
                "revenue": Account.objects.get(organization=sales.org, code="5001").pk}  # fmt: skip
    if body.get("account") in accounts:
        body = {**body, "account": accounts[body["account"]]}
    answer = api.post(f"/api/v1/sales-orders/{order.pk}/deposit/", body, format="json")
    assert_error(answer, 400, field=field)
    assert not Payment.objects.filter(organization=sales.org).exists()
    assert not SalesOrderDeposit.objects.exists()


def test_a_draft_order_takes_no_deposit(api, sales):
    product = sales.product()
    draft = sales.order([(product, 1)])
    answer = api.post(
        f"/api/v1/sales-orders/{draft.pk}/deposit/",
        {"amount": "10.00", "account": sales.bank.pk},
        format="json",
    )
    assert_error(answer, 400, field="state")


def test_deposits_are_finance_work_and_other_organizations_are_refused(
    org, sales, roles, other_api, other_org
):
    product = sales.product()
    sales.receive(product, 10, "50")
    order = _order(sales, product)
    body = {"amount": "10.00", "account": sales.bank.pk}
    seller = client_for(make_member(org, "sally", "salesperson"), org)
    assert_error(seller.post(f"/api/v1/sales-orders/{order.pk}/deposit/", body), 403)
    accountant = client_for(make_member(org, "amy", "accountant"), org)
    accepted = accountant.post(f"/api/v1/sales-orders/{order.pk}/deposit/", body, format="json")
    assert accepted.status_code == 200, accepted.content
    # another organization: not its order, and not our bank account on its own order
    assert_error(other_api.post(f"/api/v1/sales-orders/{order.pk}/deposit/", body), 404)
    assert SalesOrderDeposit.objects.count() == 1


def _free_body(sales, product, **line):
    return {
        "business_date": "2026-11-26",
        "customer": sales.customer.pk,
        "location": sales.bin1.pk,
        "reason": "客户退回",
        "lines": [{"product": product.pk, "quantity": "2", **line}],
    }


def test_a_free_standing_return_through_the_api(api, sales, other_api):
    product = sales.product()
    sales.receive(product, 10, "50")
    created = api.post(
        "/api/v1/sales-returns/", _free_body(sales, product, unit_price="113"), format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["delivery"] is None
    assert body["customer"] == sales.customer.pk
    posted = api.post(f"/api/v1/sales-returns/{body['id']}/post/")
    assert posted.status_code == 200, posted.content
    shown = posted.json()
    assert shown["number"].startswith("XT")
    assert shown["lines"][0]["unit_cost"] == "50.000000"
    assert shown["credit_note_number"].startswith("KP")
    note = api.get(f"/api/v1/customer-invoices/{shown['credit_note']}/").json()
    assert (note["kind"], note["gross_amount"]) == ("credit_note", "226.00")
    assert_other_organization_hidden(
        other_api, "/api/v1/sales-returns/", SalesReturn.objects.get(pk=body["id"])
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"customer": None}, "customer"),
        ({"customer": 999999}, "customer"),
        ({"customer": "supplier"}, "customer"),
        ({"location": None}, "location"),
        ({"line": {"product": None}}, "lines.0.product"),
        ({"line": {"product": 999999}}, "lines.0.product"),
        ({"line": {"quantity": "-2"}}, "lines.0.quantity"),
        ({"line": {"quantity": "abc"}}, "lines.0.quantity"),
        ({"line": {"unit_cost": "-1"}}, "lines.0.unit_cost"),
        ({"line": {"unit_price": "-1"}}, "lines.0.unit_price"),
        ({"line": {"unit_price": "10", "tax_percent": "250"}}, "lines.0.tax_percent"),
    ],
)
def test_bad_free_returns_name_the_field_and_write_nothing(api, sales, change, field):
    product = sales.product()
    body = _free_body(sales, product)
    line = change.pop("line", None)
    if line:
        body["lines"][0].update(line)
    if change.get("customer") == "supplier":
        change["customer"] = make_partner(sales.org, "S9", "供应商", is_customer=False,
                                          is_supplier=True).pk  # fmt: skip
    body.update(change)
    answer = api.post("/api/v1/sales-returns/", body, format="json")
    assert_error(answer, 400, field=field)
    assert not SalesReturn.objects.exists()


def test_another_organizations_product_or_customer_is_refused(api, sales, other_org):
    from tests.masterdata.conftest import make_product

    product = sales.product()
    stranger = make_product(other_org, "X1", "别家商品")
    body = _free_body(sales, product)
    body["lines"][0]["product"] = stranger.pk
    assert_error(api.post("/api/v1/sales-returns/", body, format="json"), 400,
                 field="lines.0.product")  # fmt: skip
    foreign = make_partner(other_org, "C9", "别家客户", is_customer=True, is_supplier=False)
    body = {**_free_body(sales, product), "customer": foreign.pk}
    assert_error(api.post("/api/v1/sales-returns/", body, format="json"), 400, field="customer")
    assert not SalesReturn.objects.exists()
