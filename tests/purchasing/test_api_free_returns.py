"""The API of free-standing purchase returns and of their credits: create and post without a
receipt, refund (退款) and offset (抵扣, from the return or 抵扣退货 from the invoice); bad input
and other organizations' ids answer 400 naming the field, nothing written."""

import pytest

from jxc.finance.models import Allocation, Payment
from jxc.purchasing.models import PurchaseReturn
from tests.finance.conftest import account
from tests.helpers import assert_error
from tests.purchasing.conftest import DAY, Purchasing
from tests.purchasing.test_free_returns import invoiced

pytestmark = pytest.mark.django_db
URL = "/api/v1/purchase-returns/"


def body(world, item, **line):
    return {
        "supplier": world.vendor.pk, "warehouse": world.wh1.pk, "business_date": DAY.isoformat(),
        "lines": [{"product": item.pk, "location": world.bin1.pk, "quantity": "4",
                   "unit_price": "12", "tax_percent": "13", **line}],
    }  # fmt: skip


def posted_return(api, world, product):
    created = api.post(URL, body(world, product), format="json")
    assert created.status_code == 201, created.content
    done = api.post(f"{URL}{created.json()['id']}/post/")
    assert done.status_code == 200, done.content
    return done.json()


def test_free_return_created_posted_and_refunded(api, world):
    product, _receipt, _invoice = invoiced(world)
    created = api.post(URL, body(world, product), format="json")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert (draft["receipt"], draft["warehouse"], draft["gross_amount"]) == (
        None, world.wh1.pk, "54.24")  # fmt: skip
    row = draft["lines"][0]
    assert (row["location"], row["net_amount"], row["tax_amount"]) == (
        world.bin1.pk, "48.00", "6.24")  # fmt: skip
    done = api.post(f"{URL}{draft['id']}/post/").json()
    assert (done["state"], done["open_amount"], done["lines"][0]["value"]) == (
        "done", "-54.24", "40.00")  # fmt: skip
    bank = account(world.org, "1002")
    refunded = api.post(f"{URL}{done['id']}/refund/", {"account": bank.pk}, format="json")
    assert refunded.status_code == 200, refunded.content
    assert refunded.json()["open_amount"] == "0.00"
    assert Payment.objects.get().kind == "refund"
    assert_error(
        api.post(f"{URL}{done['id']}/refund/", {"account": bank.pk}, format="json"),
        400, field="state",
    )  # fmt: skip


def test_invoice_offers_and_offsets_the_return_credits(api, world):
    product, _receipt, _first = invoiced(world)
    done = posted_return(api, world, product)
    _p, _r, second = invoiced(world, quantity=10, number="00002", product=product)
    shown = api.get(f"/api/v1/supplier-invoices/{second.pk}/").json()
    assert [(x["return_id"], x["open_amount"]) for x in shown["return_credits"]] == [
        (done["id"], "54.24")
    ]
    offset = api.post(f"/api/v1/supplier-invoices/{second.pk}/offset-returns/", {}, format="json")
    assert offset.status_code == 200, offset.content
    assert (offset.json()["open_amount"], offset.json()["return_credits"]) == ("58.76", [])
    again = api.post(f"/api/v1/supplier-invoices/{second.pk}/offset-returns/", {}, format="json")
    assert_error(again, 400, field="state")


def test_offset_from_the_return(api, world):
    product, _receipt, first = invoiced(world)
    done = posted_return(api, world, product)
    url = f"{URL}{done['id']}/offset/"
    assert_error(api.post(url, {"invoice": first.pk, "amount": "60"}, format="json"), 400,
                 field="amount")  # fmt: skip
    assert_error(api.post(url, {"invoice": first.pk, "amount": "-1"}, format="json"), 400,
                 field="amount")  # fmt: skip
    answer = api.post(url, {"invoice": first.pk, "amount": "20"}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["open_amount"] == "-34.24"
    assert Allocation.objects.get().amount == 20


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "-2"}, "lines.0.quantity"),
        ({"quantity": "1e9"}, "lines.0.quantity"),
        ({"quantity": "11"}, "lines.0.quantity"),
        ({"unit_price": "-1"}, "lines.0.unit_price"),
        ({"unit_price": "x"}, "lines.0.unit_price"),
        ({"tax_percent": "150"}, "lines.0.tax_percent"),
        ({"product": 999999}, "lines.0.product"),
        ({"location": 999999}, "lines.0.location"),
        ({"lot": 999999}, "lines.0.lot"),
        ({"receipt_line": 999999}, "lines.0.receipt_line"),
    ],
)
def test_bad_lines_answer_400_naming_the_field(api, world, line, field):
    product, _receipt, _invoice = invoiced(world)
    assert_error(api.post(URL, body(world, product, **line), format="json"), 400, field=field)
    assert not PurchaseReturn.objects.exists()


def test_other_organizations_ids_are_unknown(api, other_org, world):
    product, _receipt, _invoice = invoiced(world)
    elsewhere = Purchasing(other_org, None)
    foreign = elsewhere.product("X1")
    for change, field in (
        ({"supplier": elsewhere.vendor.pk}, "supplier"),
        ({"warehouse": elsewhere.wh1.pk}, "warehouse"),
    ):
        assert_error(api.post(URL, {**body(world, product), **change}, format="json"), 400,
                     field=field)  # fmt: skip
    for change, field in (
        ({"product": foreign.pk}, "lines.0.product"),
        ({"location": elsewhere.bin1.pk}, "lines.0.location"),
    ):
        response = api.post(URL, body(world, product, **change), format="json")
        assert_error(response, 400, field=field)
    assert not PurchaseReturn.objects.exists()
    done = posted_return(api, world, product)
    foreign_bank = account(other_org, "1002")
    answer = api.post(f"{URL}{done['id']}/refund/", {"account": foreign_bank.pk}, format="json")
    assert_error(answer, 400, field="account")
    _p, _r, theirs = invoiced(elsewhere, number="00009")
    answer = api.post(f"{URL}{done['id']}/offset/", {"invoice": theirs.pk}, format="json")
    assert_error(answer, 400, field="invoice")
    assert not Payment.objects.exists()
    assert not Allocation.objects.exists()


def test_another_organization_cannot_refund_or_offset(api, other_api, world):
    product, _receipt, invoice = invoiced(world)
    done = posted_return(api, world, product)
    bank = account(world.org, "1002")
    answer = other_api.post(f"{URL}{done['id']}/refund/", {"account": bank.pk}, format="json")
    assert_error(answer, 404, "not_found")
    answer = other_api.post(f"{URL}{done['id']}/offset/", {"invoice": invoice.pk}, format="json")
    assert_error(answer, 404, "not_found")
    answer = other_api.post(f"/api/v1/supplier-invoices/{invoice.pk}/offset-returns/")
    assert_error(answer, 404, "not_found")
    assert not Allocation.objects.exists()
