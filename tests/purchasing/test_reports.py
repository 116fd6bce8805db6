"""The purchasing reports on a small history built through the services, every figure known:

10 P1 ordered at 10.00 (+13 % VAT), expected two days after the order; 6 received on the day
(on time), 4 three days late; 1 of the first receipt sent back; the 9 kept are invoiced
(101.70) and half of that (50.85) paid. A second order of 3 P2, expected the next day, has
received nothing.
"""

from decimal import Decimal

import pytest

from jxc.finance.models import Account
from jxc.finance.services import receivables as ar
from jxc.purchasing.reports import (
    Filters,
    open_orders,
    order_execution,
    price_trend,
    purchase_detail,
    purchase_summary,
    supplier_performance,
)
from jxc.purchasing.services import invoices, returns
from tests.purchasing.conftest import DAY, days, qty

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def history(world):
    org = world.org
    p1, p2 = world.product("P1"), world.product("P2")
    order = world.order([{"product": p1, "quantity": qty(10), "unit_price": qty(10),
                          "expected_date": days(2)}])  # fmt: skip
    line = order.lines.get()
    first = world.receipt([{"order_line": line, "quantity": qty(6)}])
    second = world.receipt([{"order_line": line, "quantity": qty(4)}], business_date=days(5))
    draft = returns.save_purchase_return(
        organization=org, user=world.user,
        data={"receipt": first, "business_date": days(5),
              "lines": [{"receipt_line": first.lines.get(), "quantity": qty(1)}]},
    )  # fmt: skip
    returns.post_purchase_return(purchase_return=draft)
    invoice = invoices.post_supplier_invoice(
        invoice=invoices.save_supplier_invoice(
            organization=org, user=world.user,
            data={"business_date": days(5), "supplier": world.vendor, "invoice_type": "special",
                  "invoice_number": "00001",
                  "lines": [{"receipt_line": first.lines.get(), "quantity": qty(5),
                             "unit_price": qty(10)},
                            {"receipt_line": second.lines.get(), "quantity": qty(4),
                             "unit_price": qty(10)}]},
        )
    )  # fmt: skip
    assert invoice.gross_amount == D("101.70")
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=world.user,
            data={"kind": "payment", "date": days(5), "partner": world.vendor,
                  "amount": D("50.85"), "account": Account.objects.get(organization=org,
                                                                       code="1002"),
                  "lines": [{"item": invoice.open_item, "amount": D("50.85")}]},
        )
    )  # fmt: skip
    waiting = world.order([{"product": p2, "quantity": qty(3), "unit_price": qty(20),
                            "expected_date": days(1)}])  # fmt: skip
    return {"org": org, "p1": p1, "line": line, "waiting": waiting.lines.get()}


def test_summary_is_received_less_returned_at_the_stock_value(history, world):
    (supplier,) = purchase_summary(history["org"], Filters(), group_by="supplier")
    assert (supplier["name"], supplier["received_quantity"], supplier["returned_quantity"]) == (
        "上海供应商有限公司", D(10), D(1))  # fmt: skip
    assert (supplier["quantity"], supplier["amount"], supplier["average_price"]) == (
        D(9), D("90.00"), D("10"))  # fmt: skip
    months = {r["key"]: r for r in purchase_summary(history["org"], Filters(), group_by="month")}
    assert (months["2026-11"]["quantity"], months["2026-11"]["amount"]) == (D(6), D("60.00"))
    assert (months["2026-12"]["received_quantity"], months["2026-12"]["returned_quantity"]) == (
        D(4), D(1))  # fmt: skip
    assert months["2026-12"]["amount"] == D("30.00")
    (person,) = purchase_summary(history["org"], Filters(), group_by="purchaser")
    assert person["code"] == "alice"
    assert (
        purchase_summary(history["org"], Filters(warehouse_id=world.wh2.pk), group_by="product")
        == []
    )
    (to_day,) = purchase_summary(history["org"], Filters(date_to=DAY), group_by="product")
    assert (to_day["code"], to_day["quantity"]) == ("P1", D(6))


def test_detail_lists_receipt_and_return_lines(history):
    rows = purchase_detail(history["org"], Filters(product_id=history["p1"].pk))
    assert [(r["kind"], r["quantity"], r["unit_price"], r["amount"]) for r in rows] == [
        ("receipt", D(6), D(10), D("60.00")),
        ("receipt", D(4), D(10), D("40.00")),
        ("return", D(-1), D(10), D("-10.00")),
    ]


def test_order_execution_with_paid_prorated_over_the_invoice_lines(history):
    rows = {r["line_id"]: r for r in order_execution(history["org"], Filters())}
    row = rows[history["line"].pk]
    assert (row["ordered"], row["received"], row["returned"], row["invoiced"], row["open"]) == (
        D(10), D(10), D(1), D(9), D(0))  # fmt: skip
    # both invoice lines are this order line's: 28.25 + 22.60 of the 50.85 paid
    assert (row["total"], row["invoiced_amount"], row["paid"]) == (
        D("113.00"), D("101.70"), D("50.85"))  # fmt: skip
    waiting = rows[history["waiting"].pk]
    assert (waiting["received"], waiting["open"], waiting["paid"]) == (D(0), D(3), D(0))


def test_open_orders_and_overdue_deliveries(history):
    org = history["org"]
    (row,) = open_orders(org, Filters(), today=days(3))
    assert (row["line_id"], row["open"], row["overdue"], row["days_overdue"]) == (
        history["waiting"].pk, D(3), True, 2)  # fmt: skip
    assert open_orders(org, Filters(), today=DAY, overdue_only=True) == []
    (on_time,) = open_orders(org, Filters(), today=DAY)
    assert not on_time["overdue"]


def test_supplier_performance_on_time_and_return_rates(history):
    (row,) = supplier_performance(history["org"], Filters())
    assert (row["receipts"], row["lines"], row["timed_lines"], row["on_time_lines"]) == (2, 2, 2, 1)
    assert (row["on_time_rate"], row["return_rate"]) == (D("50.00"), D("10.00"))
    assert (row["received_quantity"], row["returned_quantity"], row["amount"]) == (
        D(10), D(1), D("100.00"))  # fmt: skip


def test_price_trend_per_product_and_month(history):
    rows = price_trend(history["org"], Filters())
    assert [(r["product_code"], r["month"], r["quantity"], r["average_price"]) for r in rows] == [
        ("P1", "2026-11", D(6), D(10)),
        ("P1", "2026-12", D(4), D(10)),
    ]
