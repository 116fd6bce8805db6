"""Every stock posting books its voucher through the posting rules, in the same transaction:
the inventory account equals the valuation after each scenario (the ``stock`` fixture runs
``verify``), and a posting the books refuse writes no stock either."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Period, PostingRule, Voucher
from jxc.finance.services import chart, closing
from jxc.inventory.models import StockMove, StockPeriodClose
from jxc.inventory.services import cost_adjustments, counts, documents
from jxc.inventory.services import periods as stock_periods
from tests.finance.conftest import DAY, account, balances

pytestmark = pytest.mark.django_db


def document(stock, user, kind, lines, post=True, **header):
    doc = documents.save_stock_document(
        organization=stock.org,
        user=user,
        data={"kind": kind, "business_date": DAY, "warehouse": stock.wh1, "lines": lines, **header},
    )
    return documents.post_stock_document(document=doc) if post else doc


def lines_of(voucher) -> list[tuple]:
    return [(x.account.code, x.debit, x.credit) for x in voucher.lines.select_related("account")]


def test_a_receipt_books_stock_against_the_unbilled_payable(stock, admin_user):
    product = stock.product()
    doc = document(
        stock, admin_user, "receipt",
        [{"product": product, "quantity": Decimal(10), "unit_cost": Decimal("2.5")}],
        reason="other",
    )  # fmt: skip
    voucher = Voucher.objects.get(origin_type="inventory.stockdocument", origin_id=doc.pk)
    assert voucher.state == "posted"
    assert voucher.display_number == "记-0001"
    assert voucher.reference == doc.number
    assert voucher.date == DAY
    assert lines_of(voucher) == [("1405", Decimal("25.00"), 0), ("220202", 0, Decimal("25.00"))]
    stock_line = voucher.lines.get(account__code="1405")
    assert stock_line.warehouse == stock.wh1
    assert stock_line.summary == f"其他入库 {doc.number}"


@pytest.mark.parametrize(
    ("reason", "expense"),
    [("consumption", "5602"), ("gift", "5601"), ("sample", "5601"), ("damage", "1901")],
)
def test_an_issue_books_its_cost_to_the_account_of_its_reason(stock, admin_user, reason, expense):
    product = stock.product()
    stock.receive(product, 10, 3)
    doc = document(
        stock, admin_user, "issue", [{"product": product, "quantity": Decimal(4)}], reason=reason
    )
    voucher = Voucher.objects.get(origin_id=doc.pk, origin_type="inventory.stockdocument")
    assert lines_of(voucher) == [(expense, Decimal("12.00"), 0), ("1405", 0, Decimal("12.00"))]


def test_a_transfer_between_own_warehouses_books_nothing(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    before = Voucher.objects.count()
    document(
        stock, admin_user, "transfer",
        [{"product": product, "quantity": Decimal(4), "to_location": stock.bin2}],
        to_warehouse=stock.wh2,
    )  # fmt: skip
    assert Voucher.objects.count() == before


def test_count_gains_and_losses_go_through_assets_pending_disposal(stock, admin_user):
    apples, pears = stock.product("A"), stock.product("B")
    stock.receive(apples, 10, 2)
    stock.receive(pears, 5, 4)
    count = counts.start_count(
        count=counts.create_count(
            organization=stock.org, user=admin_user, warehouse=stock.wh1, business_date=DAY
        )
    )
    counts.record_counts(
        count=count,
        counts=[
            {"product": apples, "location": stock.bin1, "counted_quantity": Decimal(8)},
            {"product": pears, "location": stock.bin1, "counted_quantity": Decimal(6)},
        ],
    )
    count = counts.post_count(count=count)
    voucher = Voucher.objects.get(origin_type="inventory.stockcount", origin_id=count.pk)
    assert sorted(lines_of(voucher)) == [
        ("1405", 0, Decimal("4.00")),  # 2 apples lost at 2
        ("1405", Decimal("4.00"), 0),  # 1 pear found at 4
        ("1901", 0, Decimal("4.00")),
        ("1901", Decimal("4.00"), 0),
    ]


def test_a_cost_adjustment_books_the_change_against_cost_of_sales(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 5)
    doc = cost_adjustments.save_cost_adjustment(
        organization=stock.org,
        user=admin_user,
        data={
            "business_date": DAY,
            "warehouse": stock.wh1,
            "lines": [{"product": product, "new_unit_cost": Decimal("4")}],
        },
    )
    doc = cost_adjustments.post_cost_adjustment(document=doc)
    voucher = Voucher.objects.get(origin_type="inventory.costadjustment", origin_id=doc.pk)
    # value down by 10: the rule's sides swap for a change the other way
    assert lines_of(voucher) == [("5401", Decimal("10.00"), 0), ("1405", 0, Decimal("10.00"))]


def test_a_reversed_receipt_books_its_voucher_again_in_red(stock, admin_user):
    product = stock.product()
    doc = document(
        stock, admin_user, "receipt",
        [{"product": product, "quantity": Decimal(10), "unit_cost": Decimal("2.5")}],
        reason="other",
    )  # fmt: skip
    reversal = documents.reverse_stock_document(document=doc, user=admin_user, on_date=DAY)
    red = Voucher.objects.get(origin_type="inventory.stockdocument", origin_id=reversal.pk)
    assert lines_of(red) == [("1405", Decimal("-25.00"), 0), ("220202", 0, Decimal("-25.00"))]
    assert balances(stock.org) == {}


def test_a_back_dated_receipt_books_the_change_of_the_later_issues(stock):
    product = stock.product()
    stock.receive(product, 10, 10, day=datetime.date(2026, 11, 10))
    stock.issue(product, 10, day=datetime.date(2026, 11, 20))  # at 10: 100
    stock.receive(product, 10, 4, day=datetime.date(2026, 11, 5))  # average now 7
    revalued = Voucher.objects.get(origin_type="inventory.revaluation")
    assert revalued.date == datetime.date(2026, 11, 20)
    assert lines_of(revalued) == [("1405", Decimal("30.00"), 0), ("5401", 0, Decimal("30.00"))]
    assert revalued.lines.first().summary.startswith("Stock revalued")
    assert balances(stock.org)["1405"] == Decimal("70.00")


def test_closing_a_month_average_books_the_fixed_cost_of_its_issues(stock):
    product = stock.product(costing_method="monthly_average")
    stock.receive(product, 10, 10, day=datetime.date(2026, 10, 3))
    stock.issue(product, 5, day=datetime.date(2026, 10, 10))  # provisionally 50
    stock.receive(product, 10, 16, day=datetime.date(2026, 10, 20))
    stock_periods.close_month(organization=stock.org, month=datetime.date(2026, 10, 1))
    revalued = Voucher.objects.get(origin_type="inventory.revaluation")
    # fixed at (100 + 160) / 20 = 13: the issue took 15 more
    assert lines_of(revalued) == [("5401", Decimal("15.00"), 0), ("1405", 0, Decimal("15.00"))]
    assert revalued.date == datetime.date(2026, 10, 10)


def test_the_accountant_edits_a_rule_and_the_next_posting_follows_it(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    rule = PostingRule.objects.get(
        organization=stock.org, document_type="inventory.stockdocumentline", reason="consumption"
    )
    chart.save_rule(organization=stock.org, data={"debit_account": account(stock.org, "5601")},
                    rule=rule)  # fmt: skip
    doc = document(
        stock, admin_user, "issue", [{"product": product, "quantity": Decimal(1)}],
        reason="consumption",
    )  # fmt: skip
    voucher = Voucher.objects.get(origin_id=doc.pk, origin_type="inventory.stockdocument")
    assert lines_of(voucher)[0] == ("5601", Decimal("3.00"), 0)


def test_a_posting_the_books_refuse_moves_no_stock(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, 3)
    october = datetime.date(2026, 10, 15)
    stock.receive(product, 1, 3, day=october)
    closing.close_period(
        period=Period.objects.get(organization=stock.org, year=2026, month=10), user=None
    )
    # the finance close closed the stock month too; reopened, the books still refuse
    stock_month = StockPeriodClose.objects.get(organization=stock.org)
    assert stock_month.month == datetime.date(2026, 10, 1)
    stock_periods.reopen_month(close=stock_month)
    moves = StockMove.objects.count()
    doc = document(
        stock, admin_user, "issue", [{"product": product, "quantity": Decimal(1)}],
        post=False, reason="other", business_date=october,
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as error:
        documents.post_stock_document(document=doc)
    assert error.value.field == "date"
    PostingRule.objects.filter(organization=stock.org, event="out").update(is_active=False)
    doc = document(
        stock, admin_user, "issue", [{"product": product, "quantity": Decimal(1)}],
        post=False, reason="other",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as error:
        documents.post_stock_document(document=doc)
    assert error.value.field == "posting_rule"
    assert StockMove.objects.count() == moves
    doc.refresh_from_db()
    assert doc.state == "draft"
    PostingRule.objects.filter(organization=stock.org, event="out").update(is_active=True)
