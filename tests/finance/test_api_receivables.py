"""The partner-ledger API: other receivables, receipts, allocation, write-off, ageing and
statements; bad input; isolation."""

from decimal import Decimal

import pytest

from jxc.finance.models import Allocation, OpenItem, Payment
from jxc.finance.services import receivables as ar
from tests.finance.conftest import DAY, account
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db


def other_receivable(api, org, partner, amount="1000.00", day="2026-11-26", **extra):
    response = api.post(
        "/api/v1/open-items/",
        {"kind": "receivable", "partner": partner.pk, "amount": amount, "date": day,
         "counter_account": account(org, "5001").pk, "summary": "服务费", **extra},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    return response.json()


def test_a_receipt_through_the_api_settles_an_other_receivable(api, org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    item = other_receivable(api, org, customer, due_date="2026-12-26")
    assert item["reference"].startswith("QTYS")
    assert item["account_code"] == "1122"
    assert item["open_amount"] == "1000.00"
    draft = api.post(
        "/api/v1/payments/",
        {"kind": "receipt", "date": "2026-11-26", "partner": customer.pk, "amount": "600",
         "account": account(org, "1002").pk, "lines": [{"item": item["id"], "amount": "600"}]},
        format="json",
    )  # fmt: skip
    assert draft.status_code == 201, draft.content
    assert draft.json()["state"] == "draft"
    posted = api.post(f"/api/v1/payments/{draft.json()['id']}/post/")
    assert posted.status_code == 200, posted.content
    assert posted.json()["number"].startswith("SK")
    open_items = api.get("/api/v1/open-items/", {"partner": customer.pk, "open": "true"}).json()
    assert [row["open_amount"] for row in open_items["results"]] == ["400.00"]
    reversed_ = api.post(f"/api/v1/payments/{draft.json()['id']}/reverse/")
    assert reversed_.json()["state"] == "reversed"
    assert_error(api.post(f"/api/v1/payments/{draft.json()['id']}/post/"), 400, field="state")


def test_allocate_write_off_and_undo_through_the_api(api, org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    item = other_receivable(api, org, customer, "100.20")
    payment = ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": DAY, "partner": customer, "amount": Decimal("100"),
                  "account": account(org, "1002")},
        )
    )  # fmt: skip
    body = {"owed_item": item["id"], "paid_item": payment.item_id, "amount": "100"}
    assert_error(
        api.post("/api/v1/open-items/allocate/", {**body, "amount": "100.21"}, format="json"), 400
    )
    allocated = api.post("/api/v1/open-items/allocate/", body, format="json")
    assert allocated.status_code == 201, allocated.content
    assert allocated.json()["exchange_difference"] == "0.00"
    written = api.post(
        f"/api/v1/open-items/{item['id']}/write-off/",
        {"amount": "0.20", "account": account(org, "5711").pk},
        format="json",
    )
    assert written.status_code == 201, written.content
    assert OpenItem.objects.get(pk=item["id"]).open_amount == 0
    undone = api.post(f"/api/v1/allocations/{allocated.json()['id']}/undo/")
    assert undone.status_code == 200
    assert undone.json()["undone"] is True
    assert OpenItem.objects.get(pk=item["id"]).open_amount == Decimal("100.00")


def test_ageing_and_statement(api, org):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    other_receivable(api, org, customer, "100", day="2026-06-01", due_date="2026-07-01")
    other_receivable(api, org, customer, "200", day="2026-11-01", due_date="2026-11-20")
    other_receivable(api, org, customer, "300", day="2026-11-20", due_date="2026-12-20")
    report = api.get("/api/v1/finance/ageing/", {"kind": "receivable", "as_of": "2026-11-26"})
    assert report.status_code == 200, report.content
    body = report.json()
    assert body["labels"] == ["not_due", "1-30", "31-60", "61-90", "91-180", ">180"]
    assert body["rows"][0]["buckets"] == ["300.00", "200.00", "0.00", "0.00", "100.00", "0.00"]
    assert body["total"] == "600.00"
    custom = api.get(
        "/api/v1/finance/ageing/",
        {"kind": "receivable", "as_of": "2026-11-26", "buckets": "10,200"},
    ).json()
    assert custom["labels"] == ["not_due", "1-10", "11-200", ">200"]
    assert_error(api.get("/api/v1/finance/ageing/", {"kind": "receivable", "buckets": "x"}), 400,
                 field="buckets")  # fmt: skip
    assert api.get("/api/v1/finance/ageing/export/", {"kind": "receivable"}).status_code == 200
    statement = api.get(
        "/api/v1/finance/statement/",
        {"kind": "receivable", "partner": customer.pk, "date_from": "2026-11-01",
         "date_to": "2026-11-30"},
    )  # fmt: skip
    assert statement.status_code == 200, statement.content
    rows = statement.json()
    assert rows["opening"] == "100.00"
    assert [r["balance"] for r in rows["rows"]] == ["300.00", "600.00"]
    assert rows["closing"] == "600.00"
    exported = api.get(
        "/api/v1/finance/statement/export/",
        {"kind": "receivable", "partner": customer.pk, "date_from": "2026-11-01",
         "date_to": "2026-11-30"},
    )  # fmt: skip
    assert exported.status_code == 200


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "1e20"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"partner": 999999}, "partner"),
        ({"account": 999999}, "account"),
        ({"fee": "-1"}, "fee"),
        ({"lines": [{"item": 999999, "amount": "1"}]}, "lines.0.item"),
        ({"kind": "gift"}, "kind"),
    ],
)
def test_bad_payments_name_the_field(api, org, change, field):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    body = {"kind": "receipt", "date": "2026-11-26", "partner": customer.pk, "amount": "10",
            "account": account(org, "1002").pk, **change}  # fmt: skip
    assert_error(api.post("/api/v1/payments/", body, format="json"), 400, field=field)
    assert not Payment.objects.exists()


def test_another_organizations_ledger_is_hidden(api, org, other_org):
    stranger = make_partner(other_org, "C9", "外部客户", is_customer=True)
    item = ar.book_other_item(
        organization=other_org, kind="receivable", partner=stranger, amount=Decimal("50"),
        counter_account=account(other_org, "5001"), date=DAY,
    )  # fmt: skip
    payment = ar.post_payment(
        payment=ar.save_payment(
            organization=other_org, user=None,
            data={"kind": "receipt", "date": DAY, "partner": stranger, "amount": Decimal("50"),
                  "account": account(other_org, "1002"),
                  "lines": [{"item": item, "amount": Decimal("20")}]},
        )
    )  # fmt: skip
    assert_other_organization_hidden(api, "/api/v1/open-items/", item)
    assert_other_organization_hidden(api, "/api/v1/payments/", payment, update={"note": "x"})
    allocation = Allocation.objects.get(paid_item=payment.item)
    assert_other_organization_hidden(api, "/api/v1/allocations/", allocation)
    assert_error(api.post(f"/api/v1/allocations/{allocation.pk}/undo/"), 404)
    assert_error(
        api.post(f"/api/v1/open-items/{item.pk}/write-off/",
                 {"amount": "1", "account": account(org, "5711").pk}, format="json"),
        404,
    )  # fmt: skip
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    mine = other_receivable(api, org, customer, "10")
    assert_error(
        api.post("/api/v1/open-items/allocate/",
                 {"owed_item": mine["id"], "paid_item": payment.item_id, "amount": "1"},
                 format="json"),
        400,
        field="paid_item",
    )  # fmt: skip
    assert_error(
        api.get("/api/v1/finance/statement/", {"kind": "receivable", "partner": stranger.pk,
                                               "date_from": "2026-11-01",
                                               "date_to": "2026-11-30"}),
        400,
        field="partner",
    )  # fmt: skip
