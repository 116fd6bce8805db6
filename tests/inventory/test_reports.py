"""Stock ledger and period summary: opening + in − out = closing, from month-end snapshots."""

import datetime
from decimal import Decimal

import pytest

from jxc.inventory.models import StockMonthClose
from jxc.inventory.reports import stock_ledger, stock_summary

pytestmark = pytest.mark.django_db
D = datetime.date


def test_summary_rows_balance_and_use_month_end_snapshots(stock):
    product = stock.product()
    stock.receive(product, 10, "2", day=D(2026, 9, 5))
    stock.issue(product, 3, day=D(2026, 9, 20))
    stock.receive(product, 5, "4", day=D(2026, 10, 2))
    stock.move(product, 4, stock.bin1, stock.bin2, day=D(2026, 10, 3))
    stock.issue(product, 2, location=stock.bin2, day=D(2026, 10, 15))
    rows = stock_summary(stock.org, date_from=D(2026, 10, 1), date_to=D(2026, 10, 31))
    by_wh = {r["warehouse_id"]: r for r in rows}
    one, two = by_wh[stock.wh1.pk], by_wh[stock.wh2.pk]
    assert (
        one["opening_quantity"],
        one["in_quantity"],
        one["out_quantity"],
        one["closing_quantity"],
    ) == (7, 5, 4, 8)
    assert (two["opening_quantity"], two["in_quantity"], two["out_quantity"]) == (0, 4, 2)
    for row in rows:
        assert (
            row["opening_quantity"] + row["in_quantity"] - row["out_quantity"]
            == row["closing_quantity"]
        )
        assert row["opening_value"] + row["in_value"] - row["out_value"] == row["closing_value"]
    assert StockMonthClose.objects.filter(month=D(2026, 9, 1)).get().quantity == 7
    assert one["opening_value"] == Decimal(14)


def test_a_back_dated_move_rebuilds_the_snapshots(stock):
    product = stock.product()
    stock.receive(product, 10, "1", day=D(2026, 9, 5))
    stock_summary(stock.org, date_from=D(2026, 11, 1), date_to=D(2026, 11, 30))
    assert StockMonthClose.objects.filter(month=D(2026, 10, 1)).get().quantity == 10
    stock.issue(product, 4, day=D(2026, 9, 30))  # back-dated into September
    rows = stock_summary(stock.org, date_from=D(2026, 11, 1), date_to=D(2026, 11, 30))
    assert rows[0]["opening_quantity"] == 6


def test_ledger_shows_a_running_balance_for_one_warehouse(stock):
    product = stock.product()
    stock.receive(product, 10, "1", day=D(2026, 11, 1))
    stock.move(product, 4, stock.bin1, stock.bin2, day=D(2026, 11, 2))
    stock.issue(product, 1, day=D(2026, 11, 3))
    ledger = stock_ledger(
        stock.org,
        product_id=product.pk,
        warehouse_id=stock.wh1.pk,
        date_from=D(2026, 11, 2),
        date_to=D(2026, 11, 30),
    )
    assert ledger["opening"] == 10
    assert [(r["quantity_in"], r["quantity_out"], r["balance"]) for r in ledger["rows"]] == [
        (0, 4, 6),
        (0, 1, 5),
    ]
    assert ledger["closing"] == 5


def test_reports_through_the_api(api, stock):
    product = stock.product()
    stock.receive(product, 10, "3", day=D(2026, 11, 1))
    summary = api.get(
        "/api/v1/stock-summary/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    ).json()
    assert summary["results"][0]["closing_quantity"] == "10.0000"
    assert summary["results"][0]["closing_value"] == "30.00"
    ledger = api.get(
        "/api/v1/stock-ledger/",
        {
            "product": product.pk,
            "warehouse": stock.wh1.pk,
            "date_from": "2026-11-01",
            "date_to": "2026-11-30",
        },
    ).json()
    assert ledger["rows"][0]["balance"] == "10.0000"
    bad = api.get("/api/v1/stock-summary/", {"date_from": "2026-11-30", "date_to": "2026-11-01"})
    assert bad.status_code == 400
    export = api.get(
        "/api/v1/stock-summary/export/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    )
    assert export.status_code == 200


def test_reports_never_show_another_organizations_stock(api, stock, other_org):
    from tests.inventory.conftest import Stock

    other = Stock(other_org)
    foreign = other.product("F")
    other.receive(foreign, 5, "1", day=D(2026, 11, 1))
    summary = api.get(
        "/api/v1/stock-summary/", {"date_from": "2026-11-01", "date_to": "2026-11-30"}
    ).json()
    assert summary["count"] == 0
    response = api.get(
        "/api/v1/stock-ledger/",
        {"product": foreign.pk, "date_from": "2026-11-01", "date_to": "2026-11-30"},
    )
    assert response.status_code == 400
    assert "product" in response.json()["fields"]


def test_whole_past_months_are_read_from_snapshots_and_agree_with_the_moves(stock, monkeypatch):
    from jxc.inventory import reports

    product, other = stock.product(), stock.product("P2")
    stock.receive(product, 10, "2", day=D(2026, 8, 30))
    stock.receive(other, 3, "7", day=D(2026, 9, 1))
    stock.issue(product, 3, day=D(2026, 9, 20))
    stock.move(product, 4, stock.bin1, stock.bin2, day=D(2026, 10, 3))
    stock.move(product, 1, stock.bin1, stock.transit, day=D(2026, 10, 4))
    stock.issue(other, 3, day=D(2026, 10, 30))
    ranges = [(D(2026, 9, 1), D(2026, 9, 30)), (D(2026, 9, 1), D(2026, 10, 31))]
    from_snapshots = [stock_summary(stock.org, date_from=a, date_to=b) for a, b in ranges]
    with_warehouse = stock_summary(
        stock.org, date_from=D(2026, 10, 1), date_to=D(2026, 10, 31), warehouse_id=stock.wh2.pk
    )
    assert StockMonthClose.objects.filter(month=D(2026, 10, 1)).exists()
    monkeypatch.setattr(reports, "_whole_past_months", lambda *_: False)
    from_moves = [stock_summary(stock.org, date_from=a, date_to=b) for a, b in ranges]

    def parsed(rows):
        return [{**row, "by_kind": reports.kinds_of(row)} for row in rows]

    assert [parsed(rows) for rows in from_snapshots] == [parsed(rows) for rows in from_moves]
    assert parsed(with_warehouse) == parsed(
        stock_summary(
            stock.org, date_from=D(2026, 10, 1), date_to=D(2026, 10, 31), warehouse_id=stock.wh2.pk
        )
    )
    assert [r["in_quantity"] for r in with_warehouse] == [4]


def test_the_current_month_is_summed_from_the_moves():
    from django.utils import timezone

    from jxc.inventory import reports

    today = timezone.localdate()
    assert not reports._whole_past_months(
        today.replace(day=1), reports.next_month(today) - datetime.timedelta(days=1)
    )


def test_the_summary_splits_flows_by_kind_of_move(api, org, stock):
    import io

    from openpyxl import load_workbook

    from tests.conftest import client_for, make_member

    product = stock.product()
    stock.receive(product, 10, "3", day=D(2026, 11, 1))
    stock.move(product, 4, stock.bin1, stock.bin2, day=D(2026, 11, 2))
    stock.move(
        product,
        1,
        stock.bin1,
        stock.loss,
        day=D(2026, 11, 3),
        origin_type="inventory.stockcountline",
    )
    rows = {
        r["warehouse_id"]: r
        for r in stock_summary(stock.org, date_from=D(2026, 11, 1), date_to=D(2026, 11, 30))
    }

    def figures(by_kind):
        return {kind: [Decimal(f) for f in values] for kind, values in by_kind.items()}

    one = figures(rows[stock.wh1.pk]["by_kind"])  # this month: summed from the moves
    assert one["other"] == [10, 30, 0, 0]
    assert one["transfer"] == [0, 0, 4, 12]
    assert one["inventory.stockcountline"] == [0, 0, 1, 3]
    assert figures(rows[stock.wh2.pk]["by_kind"]) == {"transfer": [4, 12, 0, 0]}
    for row in rows.values():  # the kinds add up to the totals
        by_kind = figures(row["by_kind"]).values()
        assert [sum(k[i] for k in by_kind) for i in range(4)] == [
            row["in_quantity"],
            row["in_value"],
            row["out_quantity"],
            row["out_value"],
        ]
    period = {"date_from": "2026-11-01", "date_to": "2026-11-30", "warehouse": stock.wh1.pk}
    shown = api.get("/api/v1/stock-summary/", period).json()["results"][0]["by_kind"]
    assert shown["transfer"] == {
        "in_quantity": "0.0000",
        "in_value": "0.00",
        "out_quantity": "4.0000",
        "out_value": "12.00",
    }
    keeper = client_for(make_member(org, "keeper", "warehouse_keeper"), org)
    hidden = keeper.get("/api/v1/stock-summary/", period).json()["results"][0]["by_kind"]
    assert hidden["transfer"] == {"in_quantity": "0.0000", "out_quantity": "4.0000"}
    sheet = load_workbook(
        io.BytesIO(api.get("/api/v1/stock-summary/export/", period).content)
    ).active
    headers = [cell.value for cell in sheet[1]]
    assert "Transfers quantity out" in headers
    assert sheet.cell(row=2, column=headers.index("Transfers quantity out") + 1).value in (
        "4.0000",
        4,
    )
