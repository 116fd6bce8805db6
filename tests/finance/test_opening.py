"""Opening balances: stock and partner openings from their documents, the other accounts
entered, 利润分配 as the old books had it; the whole must balance."""

import datetime
from decimal import Decimal

import pytest

from jxc.finance.services import receivables as ar
from jxc.inventory.services import documents
from tests.finance.conftest import account
from tests.helpers import assert_error
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
GO_LIVE = datetime.date(2026, 10, 1)


def opening_stock_and_partners(stock, user):
    org = stock.org
    product = stock.product()
    receipt = documents.save_stock_document(
        organization=org,
        user=user,
        data={"kind": "receipt", "business_date": datetime.date(2026, 9, 30),
              "warehouse": stock.wh1, "reason": "opening",
              "lines": [{"product": product, "quantity": Decimal(10),
                         "unit_cost": Decimal(50)}]},
    )  # fmt: skip
    documents.post_stock_document(document=receipt)
    customer = make_partner(org, "C1", "老客户", is_customer=True)
    ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("1000"),
        counter_account=account(org, "3104"), date=datetime.date(2026, 9, 15),
        summary="期初应收",
    )  # fmt: skip


def body(org, **change):
    return {
        "go_live": str(GO_LIVE),
        "lines": [
            {"account": account(org, "1002").pk, "debit": "3000"},
            {"account": account(org, "2001").pk, "credit": "2000"},
            {"account": account(org, "3001").pk, "credit": "1500"},
            {"account": account(org, "3104").pk, "credit": "1000"},
        ],
        **change,
    }


def test_opening_balances_with_stock_and_partner_openings(api, stock, admin_user):
    org = stock.org
    opening_stock_and_partners(stock, admin_user)
    before = api.get("/api/v1/finance/opening-balances/", {"go_live": str(GO_LIVE)}).json()
    assert {r["code"]: r["credit"] for r in before["rows"]}["3104"] == "1500.00"  # subledgers
    unbalanced = body(org)
    unbalanced["lines"][0]["debit"] = "2999"
    assert_error(api.post("/api/v1/finance/opening-balances/", unbalanced, format="json"), 400,
                 field="lines")  # fmt: skip
    entered = api.post("/api/v1/finance/opening-balances/", body(org), format="json")
    assert entered.status_code == 201, entered.content
    result = entered.json()
    assert result["balanced"] is True
    assert (result["debit"], result["credit"]) == ("4500.00", "4500.00")
    rows = {r["code"]: r for r in result["rows"]}
    assert rows["1405"]["debit"] == "500.00"
    assert rows["1122"]["debit"] == "1000.00"
    assert rows["3104"]["credit"] == "1000.00"
    assert_error(api.post("/api/v1/finance/opening-balances/", body(org), format="json"), 400,
                 field="go_live")  # fmt: skip


@pytest.mark.parametrize("code", ["1122", "1405", "220201"])
def test_subledger_accounts_open_from_their_documents(api, org, code):
    lines = [{"account": account(org, code).pk, "debit": "10"},
             {"account": account(org, "3001").pk, "credit": "10"}]  # fmt: skip
    assert_error(
        api.post("/api/v1/finance/opening-balances/", body(org, lines=lines), format="json"),
        400,
        field="lines.0.account",
    )
