"""存货科目 by warehouse: a warehouse kept in an account of its own books its stock there;
transfers book between accounts only when the warehouses' accounts differ; changing the account
moves what the warehouse holds; the month-end check and ``verify`` check each account against
the stock it holds (the ``stock`` fixture runs ``verify`` after every test)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Period, PostingRule, Voucher, WarehouseAccount
from jxc.inventory.month_end import check_books_equal_stock
from jxc.inventory.services import documents
from jxc.inventory.services.warehouse_accounts import set_warehouse_account
from jxc.inventory.verify import check_books_equal_valuation
from tests.finance.conftest import DAY, account, balances, line, manual_voucher
from tests.finance.test_stock_postings import document, lines_of
from tests.masterdata.conftest import make_warehouse

pytestmark = pytest.mark.django_db


def keep(stock, warehouse, code):
    return set_warehouse_account(
        organization=stock.org, warehouse=warehouse, account=account(stock.org, code)
    )


def stock_books(org) -> dict[str, Decimal]:
    return {code: v for code, v in balances(org).items() if code.startswith("14")}


def vouchers_of(doc) -> list[Voucher]:
    return list(
        Voucher.objects.filter(origin_type="inventory.stockdocument", origin_id=doc.pk).order_by(
            "id"
        )
    )


def transfer(stock, user, product, quantity, **header):
    return document(
        stock, user, "transfer",
        [{"product": product, "quantity": Decimal(quantity), "to_location": stock.bin2}],
        to_warehouse=stock.wh2, **header,
    )  # fmt: skip


def test_stock_of_a_warehouse_with_its_own_account_is_booked_there(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    product = stock.product()
    received = document(
        stock, admin_user, "receipt",
        [{"product": product, "quantity": Decimal(10), "unit_cost": Decimal(3)}], reason="other",
    )  # fmt: skip
    assert lines_of(vouchers_of(received)[0]) == [
        ("1403", Decimal("30.00"), 0),
        ("220202", 0, Decimal("30.00")),
    ]
    issued = document(
        stock, admin_user, "issue", [{"product": product, "quantity": Decimal(4)}],
        reason="consumption",
    )  # fmt: skip
    assert lines_of(vouchers_of(issued)[0]) == [
        ("5602", Decimal("12.00"), 0),
        ("1403", 0, Decimal("12.00")),
    ]
    stock.receive(product, 5, 3, location=stock.bin2)  # the other warehouse: the rules' account
    assert stock_books(stock.org) == {"1403": Decimal("18.00"), "1405": Decimal("15.00")}


def test_a_transfer_books_from_one_warehouse_account_to_the_other(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    keep(stock, stock.wh1, "1403")  # moves the 30.00 already held from 1405
    assert stock_books(stock.org) == {"1403": Decimal("30.00")}
    moved = transfer(stock, admin_user, product, 4)
    (voucher,) = vouchers_of(moved)
    assert lines_of(voucher) == [("1405", Decimal("12.00"), 0), ("1403", 0, Decimal("12.00"))]
    assert voucher.lines.get(account__code="1405").warehouse == stock.wh2
    assert voucher.lines.get(account__code="1403").warehouse == stock.wh1
    assert voucher.lines.first().summary.startswith("库存调拨")
    assert stock_books(stock.org) == {"1403": Decimal("18.00"), "1405": Decimal("12.00")}


def test_a_transfer_between_warehouses_kept_in_one_account_books_nothing(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    keep(stock, stock.wh2, "1403")
    product = stock.product()
    stock.receive(product, 10, 3)
    moved = transfer(stock, admin_user, product, 4)
    assert vouchers_of(moved) == []


def test_a_two_step_transfer_passes_through_the_rules_account_while_in_transit(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    keep(stock, stock.wh2, "1408")
    product = stock.product()
    stock.receive(product, 10, 3)
    shipped = transfer(stock, admin_user, product, 4, two_step=True)
    assert stock_books(stock.org) == {"1403": Decimal("18.00"), "1405": Decimal("12.00")}
    documents.receive_transfer(document=shipped)
    assert stock_books(stock.org) == {"1403": Decimal("18.00"), "1408": Decimal("12.00")}
    ship, arrive = vouchers_of(shipped)
    assert lines_of(arrive) == [("1408", Decimal("12.00"), 0), ("1405", 0, Decimal("12.00"))]


def test_a_reversed_transfer_books_its_voucher_in_red(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    product = stock.product()
    stock.receive(product, 10, 3)
    moved = transfer(stock, admin_user, product, 4)
    documents.reverse_stock_document(document=moved, user=admin_user)
    red = Voucher.objects.filter(origin_type="inventory.stockdocument").exclude(
        pk=vouchers_of(moved)[0].pk
    )
    assert [lines_of(v) for v in red if any(x[1] < 0 or x[2] < 0 for x in lines_of(v))] == [
        [("1405", Decimal("-12.00"), 0), ("1403", 0, Decimal("-12.00"))]
    ]
    assert stock_books(stock.org) == {"1403": Decimal("30.00")}


def test_a_back_dated_receipt_rebooks_the_change_of_a_later_transfer(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    product = stock.product()
    stock.receive(product, 10, 2)
    transfer(stock, admin_user, product, 5)  # carries 5 × 2.00
    stock.receive(product, 10, 4, day=DAY - datetime.timedelta(days=1))  # average 3.00 before it
    books = stock_books(stock.org)
    assert books["1405"] == Decimal("15.00")  # the transfer now carries 5 × 3.00
    assert books["1403"] == Decimal("45.00")


def test_changing_a_warehouses_account_moves_what_it_holds(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    stock.receive(product, 2, 3, location=stock.bin2)
    keep(stock, stock.wh1, "1403")
    moved = Voucher.objects.get(origin_type="finance.warehouseaccount")
    assert lines_of(moved) == [("1403", Decimal("30.00"), 0), ("1405", 0, Decimal("30.00"))]
    keep(stock, stock.wh1, "1408")
    assert stock_books(stock.org) == {"1408": Decimal("30.00"), "1405": Decimal("6.00")}
    set_warehouse_account(organization=stock.org, warehouse=stock.wh1, account=None)
    assert stock_books(stock.org) == {"1405": Decimal("36.00")}
    assert not WarehouseAccount.objects.filter(organization=stock.org).exists()


def test_the_move_keeps_each_open_period_whole(stock, admin_user):
    """October is still open: its end must show the warehouse in the new account too."""
    product = stock.product()
    october = datetime.date(2026, 10, 20)
    stock.receive(product, 10, 3, day=october)
    stock.receive(product, 5, 3)
    keep(stock, stock.wh1, "1403")
    moves = Voucher.objects.filter(origin_type="finance.warehouseaccount").order_by("date")
    assert [(v.date, v.total) for v in moves] == [
        (datetime.date(2026, 10, 31), Decimal("30.00")),
        (max(DAY, timezone.localdate()), Decimal("15.00")),
    ]
    period = Period.objects.get(organization=stock.org, year=2026, month=10)
    assert check_books_equal_stock(stock.org, period) == []


def test_each_account_must_equal_the_stock_it_holds(stock, admin_user):
    keep(stock, stock.wh1, "1403")
    product = stock.product()
    stock.receive(product, 10, 3)
    stock.receive(product, 10, 3, location=stock.bin2)
    # the total is right, but 10.00 of the first warehouse's stock now sits in 1405
    manual_voucher(stock.org, lines=[line(stock.org, "1405", "错记", debit="10"),
                                     line(stock.org, "1403", "错记", credit="10")])  # fmt: skip
    period = Period.objects.get(organization=stock.org, year=2026, month=11)
    found = check_books_equal_stock(stock.org, period)
    assert len(found) == 2
    assert "1403" in found[1]["message"]
    assert "20.00" in found[1]["message"]
    assert {p["books"] for p in check_books_equal_valuation(stock.org)} == {"40.00", "20.00"}
    manual_voucher(stock.org, lines=[line(stock.org, "1403", "更正", debit="10"),
                                     line(stock.org, "1405", "更正", credit="10")])  # fmt: skip
    assert check_books_equal_stock(stock.org, period) == []


@pytest.mark.parametrize(
    ("code", "message"),
    [("1405", None), ("14", "leaf"), ("2202", "asset"), ("1122", "cannot hold stock")],
)
def test_only_an_active_leaf_asset_account_can_hold_stock(stock, code, message):
    from jxc.finance.models import Account

    if code == "14":  # make a parent: 1403 gets a sub-account
        from jxc.finance.services.chart import save_account

        save_account(
            organization=stock.org,
            data={"code": "140301", "name": "原材料-一号仓", "parent": account(stock.org, "1403")},
        )
        code = "1403"
    target = Account.objects.get(organization=stock.org, code=code)
    if message is None:
        assert keep(stock, stock.wh1, code).account == target
        return
    with pytest.raises(ValidationFailed) as error:
        keep(stock, stock.wh1, code)
    assert error.value.field == "account"
    assert not WarehouseAccount.objects.exists()


def test_another_organizations_warehouse_or_account_is_refused(stock, other_org):
    from jxc.finance.services.chart import ensure_finance_defaults

    ensure_finance_defaults(other_org)
    theirs = make_warehouse(other_org, "X1", "别家仓")
    with pytest.raises(ValidationFailed) as error:
        set_warehouse_account(
            organization=stock.org, warehouse=theirs, account=account(stock.org, "1403")
        )
    assert error.value.field == "warehouse"
    with pytest.raises(ValidationFailed) as error:
        set_warehouse_account(
            organization=stock.org, warehouse=stock.wh1, account=account(other_org, "1403")
        )
    assert error.value.field == "account"


def test_an_organization_without_the_transfer_rule_gets_it_with_its_first_account(stock):
    PostingRule.objects.filter(organization=stock.org, event="transfer").delete()
    keep(stock, stock.wh1, "1403")
    rule = PostingRule.objects.get(organization=stock.org, event="transfer")
    assert (rule.debit_account.code, rule.credit_account.code) == ("1405", "1405")


# --- the API ---------------------------------------------------------------------------------


def test_the_api_sets_changes_and_removes_a_warehouses_account(api, stock):
    from tests.helpers import assert_error

    product = stock.product()
    stock.receive(product, 10, 3)
    body = {"warehouse": stock.wh1.pk, "account": account(stock.org, "1403").pk}
    created = api.post("/api/v1/warehouse-accounts/", body, format="json")
    assert created.status_code == 201, created.content
    row = created.json()
    assert (row["warehouse_code"], row["account_code"]) == ("WH1", "1403")
    assert stock_books(stock.org) == {"1403": Decimal("30.00")}
    listed = api.get("/api/v1/warehouse-accounts/").json()["results"]
    assert [r["id"] for r in listed] == [row["id"]]
    changed = api.patch(
        f"/api/v1/warehouse-accounts/{row['id']}/",
        {"account": account(stock.org, "1408").pk},
        format="json",
    )
    assert changed.status_code == 200, changed.content
    assert stock_books(stock.org) == {"1408": Decimal("30.00")}
    wrong = api.patch(
        f"/api/v1/warehouse-accounts/{row['id']}/",
        {"account": account(stock.org, "2202").pk},
        format="json",
    )
    assert_error(wrong, 400, field="account")
    assert_error(
        api.post("/api/v1/warehouse-accounts/", {"warehouse": "x", "account": 1}, format="json"),
        400,
        field="warehouse",
    )
    assert api.delete(f"/api/v1/warehouse-accounts/{row['id']}/").status_code == 204
    assert stock_books(stock.org) == {"1405": Decimal("30.00")}


def test_only_who_configures_finance_sets_warehouse_accounts(org, roles, stock):
    from tests.conftest import client_for, make_member
    from tests.helpers import assert_error

    viewer = client_for(make_member(org, "viewer", "viewer", roles_by_code=roles), org)
    assert viewer.get("/api/v1/warehouse-accounts/").status_code == 200
    body = {"warehouse": stock.wh1.pk, "account": account(org, "1403").pk}
    assert_error(viewer.post("/api/v1/warehouse-accounts/", body, format="json"), 403)


def test_another_organizations_warehouse_accounts_are_hidden(api, stock, other_org):
    from jxc.finance.services.chart import ensure_finance_defaults
    from tests.helpers import assert_error, assert_other_organization_hidden

    ensure_finance_defaults(other_org)
    theirs = set_warehouse_account(
        organization=other_org,
        warehouse=make_warehouse(other_org, "X1", "别家仓"),
        account=account(other_org, "1403"),
    )
    assert_other_organization_hidden(api, "/api/v1/warehouse-accounts/", theirs, update={})
    body = {"warehouse": theirs.warehouse_id, "account": account(stock.org, "1403").pk}
    assert_error(api.post("/api/v1/warehouse-accounts/", body, format="json"), 400,
                 field="warehouse")  # fmt: skip
