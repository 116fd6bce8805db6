"""The finance API: vouchers, chart, rules, periods, reports; permissions; isolation."""

import datetime

import pytest

from jxc.finance.models import Account, AccountRole, Period, PostingRule, Voucher
from tests.conftest import client_for, make_member
from tests.finance.conftest import account, manual_voucher
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db


def voucher_body(org, amount="1000.00", **extra):
    return {
        "word": "记",
        "date": "2026-11-26",
        "attachments": 2,
        "lines": [
            {"summary": "投资款", "account": account(org, "1002").pk, "debit": amount},
            {"summary": "投资款", "account": account(org, "3001").pk, "credit": amount},
        ],
        **extra,
    }


def test_a_manual_voucher_is_saved_posted_and_reversed(api, org):
    created = api.post("/api/v1/vouchers/", voucher_body(org), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "draft"
    assert body["number"] is None
    assert body["total"] == "1000.00"
    assert body["lines"][0]["account_code"] == "1002"
    changed = api.put(f"/api/v1/vouchers/{body['id']}/", voucher_body(org, "800.00"), format="json")
    assert changed.status_code == 200, changed.content
    posted = api.post(f"/api/v1/vouchers/{body['id']}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["display_number"] == "记-0001"
    assert posted.json()["period"] == "2026-11"
    assert_error(api.put(f"/api/v1/vouchers/{body['id']}/", voucher_body(org), format="json"), 400)
    assert_error(api.delete(f"/api/v1/vouchers/{body['id']}/"), 400)
    reversed_ = api.post(
        f"/api/v1/vouchers/{body['id']}/reverse/", {"date": "2026-11-27"}, format="json"
    )
    assert reversed_.status_code == 200, reversed_.content
    red = reversed_.json()
    assert red["reversal_of"] == body["id"]
    assert red["lines"][0]["debit"] == "-800.00"
    assert_error(api.post(f"/api/v1/vouchers/{body['id']}/reverse/"), 400, field="state")
    assert api.get(f"/api/v1/vouchers/{body['id']}/").json()["reversed_by"] == red["id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lines": [{"summary": "x", "account": 999999, "debit": "1"}]}, "lines.0.account"),
        ({"lines": [{"summary": "x", "account": "abc", "debit": "1"}]}, "lines.0.account"),
        ({"lines": [{"summary": "x", "debit": "1"}]}, "lines.0.account"),
        ({"date": "2026-13-01"}, "date"),
        ({"word": "借"}, "word"),
        ({"attachments": -1}, "attachments"),
    ],
)
def test_bad_voucher_input_names_the_field(api, org, change, field):
    assert_error(
        api.post("/api/v1/vouchers/", {**voucher_body(org), **change}, format="json"),
        400,
        field=field,
    )
    assert not Voucher.objects.exists()


def test_an_unbalanced_voucher_or_a_missing_dimension_is_refused(api, org):
    body = voucher_body(org)
    body["lines"][1]["credit"] = "999.99"
    assert_error(api.post("/api/v1/vouchers/", body, format="json"), 400, field="lines")
    body = voucher_body(org)
    body["lines"][0]["account"] = account(org, "1121").pk
    assert_error(api.post("/api/v1/vouchers/", body, format="json"), 400, field="lines.0.partner")
    body["lines"][0]["partner"] = make_partner(org, "C1", "客户", is_customer=True).pk
    assert api.post("/api/v1/vouchers/", body, format="json").status_code == 201
    body["lines"][0]["amount_abuse"] = "1e99"
    body["lines"][0]["debit"] = "1e99"
    assert_error(api.post("/api/v1/vouchers/", body, format="json"), 400, field="lines.0.debit")


def test_vouchers_filter_by_account_and_source(api, org):
    manual_voucher(org)
    listed = api.get("/api/v1/vouchers/", {"lines__account": account(org, "1002").pk})
    assert listed.json()["count"] == 1
    assert (
        api.get("/api/v1/vouchers/", {"origin_type": "inventory.stockdocument"}).json()["count"]
        == 0
    )
    assert api.get("/api/v1/vouchers/export/").status_code == 200


def test_the_trial_balance_and_the_account_ledger(api, org):
    manual_voucher(org)
    manual_voucher(org, amount="200")
    tb = api.get("/api/v1/finance/trial-balance/", {"date_from": "2026-11-01",
                                                    "date_to": "2026-11-30"})  # fmt: skip
    assert tb.status_code == 200, tb.content
    rows = {row["code"]: row for row in tb.json()["rows"]}
    assert rows["1002"]["debit"] == "1200.00"
    assert rows["3001"]["closing_credit"] == "1200.00"
    assert tb.json()["balanced"] is True
    xlsx = api.get(
        "/api/v1/finance/trial-balance/export/",
        {"date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd")
    assert_error(
        api.get("/api/v1/finance/trial-balance/", {"date_from": "2026-11-30",
                                                   "date_to": "2026-11-01"}),
        400,
        field="date_to",
    )  # fmt: skip
    ledger = api.get(
        "/api/v1/finance/account-ledger/",
        {"account": account(org, "1002").pk, "date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    assert ledger.status_code == 200, ledger.content
    assert [row["balance"] for row in ledger.json()["rows"]] == ["1000.00", "1200.00"]
    assert ledger.json()["rows"][0]["voucher_number"] == "记-0001"


def test_the_chart_of_accounts_through_the_api(api, org):
    bank = account(org, "1002")
    created = api.post(
        "/api/v1/accounts/",
        {"code": "100201", "name": "工商银行", "parent": bank.pk,
         "dimensions": {"project": "optional"}},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["type"] == "asset"
    assert created.json()["is_leaf"] is True
    assert api.get(f"/api/v1/accounts/{bank.pk}/").json()["is_leaf"] is False
    assert_error(
        api.post("/api/v1/accounts/", {"code": "9X", "name": "x", "parent": bank.pk},
                 format="json"),
        400,
        field="code",
    )  # fmt: skip
    assert_error(
        api.post("/api/v1/accounts/", {"code": "100202", "name": "x", "parent": bank.pk,
                                       "dimensions": {"colour": "required"}}, format="json"),
        400,
        field="dimensions",
    )  # fmt: skip
    assert api.delete(f"/api/v1/accounts/{created.json()['id']}/").status_code == 204
    assert api.get(f"/api/v1/accounts/{bank.pk}/").json()["is_leaf"] is True
    assert_error(api.delete(f"/api/v1/accounts/{account(org, '1405').pk}/"), 400)
    assert api.get("/api/v1/accounts/templates/").json()["enterprise"] == "企业会计准则"
    manual_voucher(org)
    assert_error(
        api.post("/api/v1/accounts/apply-template/", {"template": "enterprise"}, format="json"),
        400,
        field="template",
    )  # fmt: skip


def test_roles_and_rules_through_the_api(api, org, other_org):
    role = AccountRole.objects.get(organization=org, role="inventory")
    assert_error(
        api.patch(
            f"/api/v1/account-roles/{role.pk}/", {"account": account(org, "2221").pk}, format="json"
        ),
        400,
        field="account",
    )
    moved = api.patch(
        f"/api/v1/account-roles/{role.pk}/", {"account": account(org, "1403").pk}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["account_code"] == "1403"
    labels = api.get("/api/v1/posting-rules/labels/").json()
    assert "inventory.stockdocumentline" in labels["document_type"]
    assert "consumption" in labels["reason"]
    rule = {
        "document_type": "inventory.stockdocumentline",
        "event": "out",
        "reason": "gift",
        "debit_account": account(org, "5711").pk,
        "credit_account": account(org, "1405").pk,
        "summary": "捐赠",
    }
    created = api.post("/api/v1/posting-rules/", rule, format="json")
    assert created.status_code == 201, created.content
    foreign = {**rule, "debit_account": account(other_org, "5711").pk}
    assert_error(
        api.post("/api/v1/posting-rules/", foreign, format="json"), 400, field="debit_account"
    )
    same = {**rule, "credit_account": rule["debit_account"]}
    assert_error(api.post("/api/v1/posting-rules/", same, format="json"), 400)


def test_periods_close_and_reopen_by_permission(api, org, roles):
    manual_voucher(org, day=datetime.date(2026, 10, 30))
    period = Period.objects.get(organization=org)
    checklist = api.get(f"/api/v1/accounting-periods/{period.pk}/checklist/")
    assert checklist.status_code == 200, checklist.content
    assert {item["code"]: item["ok"] for item in checklist.json()}["trial_balance"] is True
    manager = client_for(make_member(org, "boss", "manager", roles_by_code=roles), org)
    assert_error(manager.post(f"/api/v1/accounting-periods/{period.pk}/close/"), 403)
    closed = api.post(f"/api/v1/accounting-periods/{period.pk}/close/")
    assert closed.status_code == 200
    assert closed.json()["state"] == "closed"
    october = voucher_body(org, date="2026-10-31")
    assert_error(api.post("/api/v1/vouchers/", october, format="json"), 400, field="date")
    accountant = client_for(make_member(org, "acc", "accountant", roles_by_code=roles), org)
    assert accountant.post(f"/api/v1/accounting-periods/{period.pk}/reopen/").status_code == 200


def test_roles_without_finance_see_no_ledger(org, roles):
    keeper = client_for(make_member(org, "keeper", "warehouse_keeper", roles_by_code=roles), org)
    assert_error(keeper.get("/api/v1/vouchers/"), 403)
    assert_error(
        keeper.get("/api/v1/finance/trial-balance/", {"date_from": "2026-11-01",
                                                      "date_to": "2026-11-30"}),
        403,
    )  # fmt: skip
    viewer = client_for(make_member(org, "viewer", "viewer", roles_by_code=roles), org)
    assert viewer.get("/api/v1/vouchers/").status_code == 200
    assert_error(viewer.post("/api/v1/vouchers/", voucher_body(org), format="json"), 403)


def test_another_organizations_finance_rows_are_hidden(api, other_org):
    voucher = manual_voucher(other_org)
    assert_other_organization_hidden(api, "/api/v1/vouchers/", voucher, update={"note": "x"})
    assert_error(api.post(f"/api/v1/vouchers/{voucher.pk}/reverse/"), 404)
    assert_other_organization_hidden(
        api, "/api/v1/accounts/", account(other_org, "1002"), update={"name": "x"}
    )
    role = AccountRole.objects.get(organization=other_org, role="inventory")
    assert_other_organization_hidden(api, "/api/v1/account-roles/", role, update={})
    rule = PostingRule.objects.filter(organization=other_org).first()
    assert_other_organization_hidden(api, "/api/v1/posting-rules/", rule, update={"summary": "x"})
    period = Period.objects.get(organization=other_org)
    assert_other_organization_hidden(api, "/api/v1/accounting-periods/", period)
    assert_error(api.post(f"/api/v1/accounting-periods/{period.pk}/close/"), 404)
    ledger = api.get(
        "/api/v1/finance/account-ledger/",
        {"account": account(other_org, "1002").pk, "date_from": "2026-11-01",
         "date_to": "2026-11-30"},
    )  # fmt: skip
    assert_error(ledger, 400, field="account")
    assert Account.objects.filter(organization=other_org, name="x").count() == 0


def test_a_voucher_prints_as_a_pdf(api, org, other_org):
    voucher = manual_voucher(org)
    printed = api.get(f"/api/v1/vouchers/{voucher.pk}/print/")
    assert printed.status_code == 200
    assert printed["Content-Type"] == "application/pdf"
    assert printed.content.startswith(b"%PDF")
    assert_error(api.get(f"/api/v1/vouchers/{manual_voucher(other_org).pk}/print/"), 404)


def test_the_general_ledger_and_the_journal(api, org, other_org):
    manual_voucher(org, day=datetime.date(2025, 12, 5), amount="100")
    manual_voucher(org, day=datetime.date(2026, 3, 5), amount="40")
    manual_voucher(org, day=datetime.date(2026, 3, 9), amount="2")
    ledger = api.get("/api/v1/finance/general-ledger/",
                     {"account": account(org, "1002").pk, "year": 2026})  # fmt: skip
    assert ledger.status_code == 200, ledger.content
    body = ledger.json()
    assert body["opening"] == "100.00"
    march = body["rows"][2]
    assert (march["debit"], march["balance"], march["year_debit"]) == ("42.00", "142.00", "42.00")
    assert body["rows"][11]["balance"] == "142.00"
    journal = api.get("/api/v1/journal/", {"date__gte": "2026-01-01"})
    assert journal.status_code == 200
    assert [r["voucher_number"] for r in journal.json()["results"]] == ["记-0001"] * 2 + [
        "记-0002"
    ] * 2
    assert api.get("/api/v1/journal/export/").status_code == 200
    hidden = manual_voucher(other_org).lines.first()
    assert_other_organization_hidden(api, "/api/v1/journal/", hidden)


def test_voucher_templates(api, org, other_org):
    body = {
        "name": "每月房租",
        "word": "记",
        "lines": [
            {"summary": "房租", "account": account(org, "5602").pk, "debit": "5000"},
            {"summary": "房租", "account": account(org, "1002").pk},
        ],
    }
    created = api.post("/api/v1/voucher-templates/", body, format="json")
    assert created.status_code == 201, created.content
    lines = created.json()["lines"]
    assert [(x["account_code"], x["debit"], x["credit"]) for x in lines] == [
        ("5602", "5000.00", "0.00"),
        ("1002", "0.00", "0.00"),
    ]
    assert_error(api.post("/api/v1/voucher-templates/", body, format="json"), 400, field="name")
    foreign = {
        **body,
        "name": "x",
        "lines": [{"summary": "x", "account": account(other_org, "1002").pk}],
    }
    assert_error(api.post("/api/v1/voucher-templates/", foreign, format="json"), 400,
                 field="lines.0.account")  # fmt: skip
    from jxc.finance.models import VoucherTemplate

    theirs = VoucherTemplate.objects.create(organization=other_org, name="外部", lines=[])
    assert_other_organization_hidden(api, "/api/v1/voucher-templates/", theirs,
                                     update={"name": "x"})  # fmt: skip
