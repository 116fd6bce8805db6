"""Expense lines through the API: a hand-entered invoice of expenses only (手工录入), the
account picker's list, and bad input — both or neither of receipt line and account, an
inactive, non-expense or another organization's account, zero or negative quantities, absurd
prices, wrong types — refused with a translated 400 naming ``lines.N.<field>``, nothing
written."""

import pytest

from jxc.finance.models import Account
from jxc.finance.services.chart import ensure_finance_defaults
from jxc.purchasing.models import SupplierInvoice, SupplierInvoiceLine
from tests.conftest import client_for, make_member
from tests.finance.conftest import account, balances
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.purchasing.conftest import DAY, Purchasing, qty

pytestmark = pytest.mark.django_db


def body(world, *lines, number="FY-1", invoice_type="special"):
    return {
        "business_date": DAY.isoformat(),
        "supplier": world.vendor.pk,
        "invoice_type": invoice_type,
        "invoice_number": number,
        "lines": list(lines),
    }


def expense(world, code="5602", **extra):
    return {
        "account": account(world.org, code).pk,
        "description": "运费",
        "unit_price": "100",
        "tax_percent": "9",
        **extra,
    }


def test_hand_entered_expense_invoice_is_created_shown_and_posted(api, world):
    created = api.post(
        "/api/v1/supplier-invoices/",
        body(world, expense(world), expense(world, "5601", description="快递费", quantity="2",
                                             unit_price="21.2", tax_inclusive=True)),
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    invoice = created.json()
    assert (invoice["net_amount"], invoice["tax_amount"], invoice["gross_amount"]) == (
        "138.90", "12.50", "151.40")  # fmt: skip
    first, second = invoice["lines"]
    assert (first["account_code"], first["account_name"], first["description"]) == (
        "5602", "管理费用", "运费")  # fmt: skip
    assert (first["receipt_line"], first["product"], first["quantity"]) == (None, None, "1.0000")
    assert (first["price_difference"], first["order_price"], first["beyond_tolerance"]) == (
        None, None, [])  # fmt: skip
    assert second["quantity"] == "2.0000"
    posted = api.post(f"/api/v1/supplier-invoices/{invoice['id']}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["state"] == "done"
    assert posted.json()["open_amount"] == "151.40"
    assert balances(world.org) == {
        "5602": qty("100.00"),
        "5601": qty("38.90"),  # 42.40 including 9 % VAT
        "22210101": qty("12.50"),
        "220201": qty("-151.40"),
    }
    listed = api.get("/api/v1/supplier-invoices/").json()
    assert listed["count"] == 1


def test_expense_accounts_lists_active_expense_and_cost_leaves(api, world, other_api):
    found = api.get("/api/v1/supplier-invoices/expense-accounts/").json()
    codes = [row["code"] for row in found]
    assert "5602" in codes
    assert "4101" in codes
    assert "1405" not in codes
    assert "5001" not in codes  # revenue
    assert "5603" not in codes  # has sub-accounts
    assert "560302" in codes
    searched = api.get("/api/v1/supplier-invoices/expense-accounts/", {"search": "管理"}).json()
    assert [row["code"] for row in searched] == ["5602"]
    mine = {row["id"] for row in found}
    theirs = {
        row["id"] for row in other_api.get("/api/v1/supplier-invoices/expense-accounts/").json()
    }
    assert theirs
    assert not mine & theirs


def _refused(api, world, line, field, **kw):
    before = (SupplierInvoice.objects.count(), SupplierInvoiceLine.objects.count())
    response = api.post("/api/v1/supplier-invoices/", body(world, line, **kw), format="json")
    error = assert_error(response, 400, field=field)
    assert (SupplierInvoice.objects.count(), SupplierInvoiceLine.objects.count()) == before
    return error


def test_bad_expense_lines_are_refused_naming_the_field(api, world, other_org):
    product = world.product()
    order = world.order([{"product": product, "quantity": qty(5), "unit_price": qty(10)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(5)}])
    receipt_line = receipt.lines.get().pk
    error = _refused(api, world, expense(world, receipt_line=receipt_line), "lines.0.account")
    assert error["code"] == "receipt_or_account"
    _refused(api, world, {"quantity": "1", "unit_price": "1"}, "lines.0.receipt_line")
    _refused(api, world, expense(world, "1405"), "lines.0.account")
    _refused(api, world, expense(world, "5001"), "lines.0.account")
    _refused(api, world, expense(world, "5603"), "lines.0.account")
    closed = account(world.org, "5711")
    closed.is_active = False
    closed.save()
    _refused(api, world, expense(world, "5711"), "lines.0.account")
    ensure_finance_defaults(other_org)
    foreign = Account.objects.get(organization=other_org, code="5602").pk
    _refused(api, world, {**expense(world), "account": foreign}, "lines.0.account")
    _refused(api, world, {**expense(world), "account": 10**9}, "lines.0.account")
    _refused(api, world, {**expense(world), "account": "五六"}, "lines.0.account")
    _refused(api, world, expense(world, description=""), "lines.0.description")
    _refused(api, world, expense(world, description="x" * 201), "lines.0.description")
    _refused(api, world, expense(world, quantity="0"), "lines.0.quantity")
    _refused(api, world, expense(world, quantity="-1"), "lines.0.quantity")
    _refused(api, world, expense(world, quantity="abc"), "lines.0.quantity")
    _refused(api, world, expense(world, unit_price="-5"), "lines.0.unit_price")
    _refused(api, world, expense(world, unit_price="1e30"), "lines.0.unit_price")
    _refused(
        api, world, expense(world, quantity="1000", unit_price="999999999999"), "lines.0.unit_price"
    )
    _refused(api, world, expense(world, tax_percent="150"), "lines.0.tax_percent")
    _refused(api, world, {**expense(world), "tax_percent": None}, "lines.0.tax_percent")
    _refused(api, world, expense(world, department="销售部"), "lines.0.department")
    assert set(balances(world.org)) == {"1405", "220202"}  # the receipt only


def test_another_organizations_invoice_and_receipt_lines_stay_hidden(
    api, world, other_api, other_org
):
    created = api.post("/api/v1/supplier-invoices/", body(world, expense(world)), format="json")
    invoice = SupplierInvoice.objects.get(pk=created.json()["id"])
    assert_other_organization_hidden(other_api, "/api/v1/supplier-invoices/", invoice)
    elsewhere = Purchasing(other_org, None)
    response = other_api.post(
        "/api/v1/supplier-invoices/",
        {**body(elsewhere, {**expense(world)}), "supplier": elsewhere.vendor.pk},
        format="json",
    )
    assert_error(response, 400, field="lines.0.account")


def test_a_purchaser_enters_and_posts_an_expense_invoice(org, roles, world):
    buyer = make_member(org, "pete", "purchaser", roles_by_code=roles)
    client = client_for(buyer, org)
    assert client.get("/api/v1/supplier-invoices/expense-accounts/").status_code == 200
    created = client.post("/api/v1/supplier-invoices/", body(world, expense(world)), format="json")
    assert created.status_code == 201, created.content
