"""The sales reports on a small history built through the services, with every figure known:

P1 (cost 50, sold at 113 incl. 13 % VAT = 100 net) ×10 and P2 (cost 30, sold at 56.50 = 50 net)
×4 on one order; 6 P1 and 4 P2 delivered, 1 P1 returned the next day; 5 P1 and 4 P2 invoiced
(791.00) and half of that (395.50) received. A second order of 5 P3 (warn policy) finds 2 in
stock: 3 are on backorder.
"""

from decimal import Decimal

import pytest

from jxc.finance.services import receivables as ar
from jxc.masterdata.models import Category
from jxc.sales.models import PolicyOverride
from jxc.sales.reports import (
    Filters,
    backorders,
    credit_usage,
    gross_profit,
    order_execution,
    sales_detail,
    sales_summary,
)
from jxc.sales.services import returns
from tests.sales.conftest import DAY, DAY2

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def history(sales):
    org = sales.org
    drinks = Category.objects.create(organization=org, code="DR", name="饮料")
    cola = Category.objects.create(organization=org, code="DR-C", name="可乐", parent=drinks)
    p1 = sales.product("P1", category=cola)
    p2 = sales.product("P2", sale_price=D("56.50"))
    p3 = sales.product("P3")
    sales.receive(p1, 10, "50")
    sales.receive(p2, 5, "30")
    sales.receive(p3, 2, "20")
    order = sales.confirmed([(p1, 10), (p2, 4)])
    line1, line2 = order.lines.order_by("position")
    delivery = sales.deliver([(line1, 6), (line2, 4)])
    d1, d2 = delivery.lines.order_by("position")
    returns.post_sales_return(
        sales_return=returns.save_sales_return(
            organization=org, user=None,
            data={"business_date": DAY2, "delivery": delivery, "location": sales.bin1,
                  "lines": [{"delivery_line": d1, "quantity": D(1)}]},
        )
    )  # fmt: skip
    invoice = sales.invoice([(d1, 5), (d2, 4)], day=DAY2)
    assert invoice.gross_amount == D("791.00")
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": DAY2, "partner": sales.customer,
                  "amount": D("395.50"), "account": sales.bank,
                  "lines": [{"item": invoice.open_item, "amount": D("395.50")}]},
        )
    )  # fmt: skip
    PolicyOverride.objects.create(organization=org, product=p3, availability_policy="warn")
    backordered = sales.confirmed([(p3, 5)])
    return {
        "org": org, "p1": p1, "p2": p2, "p3": p3, "drinks": drinks, "order": order,
        "line1": line1, "line2": line2, "backordered": backordered,
    }  # fmt: skip


def by_code(rows):
    return {row["code"]: row for row in rows}


def test_summary_by_product_is_delivered_less_returned_at_order_prices(history):
    rows = by_code(sales_summary(history["org"], Filters(), group_by="product"))
    assert set(rows) == {"P1", "P2"}
    p1, p2 = rows["P1"], rows["P2"]
    assert (p1["quantity"], p1["returned_quantity"]) == (D(5), D(1))
    assert (p1["amount"], p1["tax"], p1["total"]) == (D("500.00"), D("65.00"), D("565.00"))
    assert (p2["quantity"], p2["amount"], p2["total"]) == (D(4), D("200.00"), D("226.00"))
    assert "cost" not in p1


def test_summary_groups_and_filters(history, sales):
    org = history["org"]
    (customer,) = sales_summary(org, Filters(), group_by="customer")
    assert (customer["name"], customer["amount"], customer["total"]) == (
        "北京客户有限公司", D("700.00"), D("791.00"))  # fmt: skip
    (person,) = sales_summary(org, Filters(), group_by="salesperson")
    assert (person["code"], person["amount"]) == ("alice", D("700.00"))
    (month,) = sales_summary(org, Filters(), group_by="month")
    assert (month["key"], month["amount"]) == ("2026-11", D("700.00"))
    # the return is the next day: up to the delivery's day, 6 P1 are sold
    (p1,) = sales_summary(
        org, Filters(date_to=DAY, product_id=history["p1"].pk), group_by="product"
    )
    assert (p1["quantity"], p1["amount"]) == (D(6), D("600.00"))
    # a parent category takes its sub-categories' products
    (in_drinks,) = sales_summary(
        org, Filters(category_id=history["drinks"].pk), group_by="category"
    )
    assert (in_drinks["name"], in_drinks["amount"]) == ("可乐", D("500.00"))
    assert sales_summary(org, Filters(warehouse_id=sales.wh2.pk), group_by="product") == []


def test_gross_profit_is_revenue_less_the_cost_goods_left_with_net_of_returns(history):
    rows = by_code(gross_profit(history["org"], Filters(), group_by="product"))
    p1, p2 = rows["P1"], rows["P2"]
    assert (p1["amount"], p1["cost"], p1["profit"], p1["margin"]) == (
        D("500.00"), D("250.00"), D("250.00"), D("50.00"))  # fmt: skip
    assert (p2["amount"], p2["cost"], p2["profit"], p2["margin"]) == (
        D("200.00"), D("120.00"), D("80.00"), D("40.00"))  # fmt: skip


def test_detail_lists_each_delivery_and_return_line(history):
    rows = sales_detail(history["org"], Filters())
    assert [(r["kind"], r["product_code"], r["quantity"], r["amount"]) for r in rows] == [
        ("delivery", "P1", D(6), D("600.00")),
        ("delivery", "P2", D(4), D("200.00")),
        ("return", "P1", D(-1), D("-100.00")),
    ]
    assert sum(r["total"] for r in rows) == D("791.00")


def test_order_execution_per_line_with_received_prorated_over_the_invoice(history):
    rows = {r["line_id"]: r for r in order_execution(history["org"], Filters())}
    one, two = rows[history["line1"].pk], rows[history["line2"].pk]
    assert (one["ordered"], one["delivered"], one["returned"], one["invoiced"], one["open"]) == (
        D(10), D(6), D(1), D(5), D(4))  # fmt: skip
    # 395.50 received on an invoice of 791.00: 565.00 of it is the P1 line's, 226.00 P2's
    assert (one["total"], one["received"]) == (D("1130.00"), D("282.50"))
    assert (two["delivered"], two["open"], two["received"]) == (D(4), D(0), D("113.00"))
    backordered = rows[history["backordered"].lines.get().pk]
    assert (backordered["delivered"], backordered["received"]) == (D(0), D(0))


def test_backorders_are_open_quantities_no_reservation_covers(history):
    rows = backorders(history["org"], Filters())
    # P1 still has 4 open but 4 of its reservation left: not a backorder
    assert [(r["product_code"], r["open"], r["reserved"], r["backorder"]) for r in rows] == [
        ("P3", D(5), D(2), D(3))
    ]


def test_credit_usage_is_the_credit_checks_exposure(history, sales):
    customer = sales.customer
    customer.credit_limit = D("2500")
    customer.save()
    (row,) = credit_usage(history["org"])
    # open AR 395.50; open orders: 4 P1 × 113 and 5 P3 × 113
    assert (row["open_receivables"], row["open_orders"], row["exposure"]) == (
        D("395.50"), D("1017.00"), D("1412.50"))  # fmt: skip
    assert (row["available"], row["used_percent"], row["over_limit"]) == (
        D("1087.50"), D("56.50"), False)  # fmt: skip


def test_a_free_standing_return_counts_at_its_own_price_and_cost(history, sales):
    """A return without a delivery has no order line: it is priced on its own line (113 tax
    included at 13 %: 100 net) and comes back at the cost it names."""
    org, p1 = history["org"], history["p1"]
    returns.post_sales_return(
        sales_return=returns.save_sales_return(
            organization=org, user=None,
            data={"business_date": DAY2, "customer": sales.customer, "location": sales.bin1,
                  "lines": [{"product": p1, "quantity": D(2), "unit_cost": D("40"),
                             "unit_price": D("113")}]},
        )
    )  # fmt: skip
    detail = [r for r in sales_detail(org, Filters()) if r["kind"] == "return"]
    assert sorted((r["quantity"], r["amount"], r["unit_price"]) for r in detail) == [
        (D(-2), D("-200.00"), D("100.000000")),
        (D(-1), D("-100.00"), D("100.000000")),
    ]
    (row,) = [r for r in gross_profit(org, Filters(), group_by="product") if r["code"] == "P1"]
    # 6 delivered − 1 returned − 2 returned: 300 revenue; cost 300 − 50 − 80
    assert (row["quantity"], row["amount"], row["cost"]) == (D(3), D("300.00"), D("170.00"))
    by_warehouse = sales_summary(org, Filters(), group_by="warehouse")
    assert sum(r["amount"] for r in by_warehouse) == D("300.00") + D("200.00")


def test_order_execution_counts_what_was_invoiced_ahead_and_its_receipts(sales):
    """先开票后发货: 6 of 10 invoiced before delivery, then 4 delivered (which the prepaid
    invoice covers): 6 invoiced, not the 4 the delivery lines count; 1 credited without a
    return: 5; the prepaid invoice half paid: its receipt counts as received."""
    from jxc.sales.services import invoices

    org = sales.org
    product = sales.product("PP")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 10)])
    line = order.lines.get()
    invoice = invoices.post_invoice(invoice=invoices.save_invoice(
        organization=org, user=None,
        data={"business_date": DAY, "customer": sales.customer,
              "lines": [{"order_line": line, "quantity": D(6)}]},
    ))  # fmt: skip
    assert invoice.gross_amount == D("678.00")

    def row():
        return next(r for r in order_execution(org, Filters()) if r["line_id"] == line.pk)

    assert (row()["delivered"], row()["invoiced"]) == (D(0), D(6))
    sales.deliver([(line, 4)], day=DAY2)
    assert (row()["delivered"], row()["invoiced"], row()["open"]) == (D(4), D(6), D(6))
    invoices.credit_prepaid_invoice(
        invoice=invoice, lines=[{"invoice_line": invoice.lines.get(), "quantity": D(1)}],
        business_date=DAY2,
    )  # fmt: skip
    assert row()["invoiced"] == D(5)
    assert row()["received"] == 0  # the credit note settled 113.00: no money
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": DAY2, "partner": sales.customer,
                  "amount": D("282.50"), "account": sales.bank,
                  "lines": [{"item": invoice.open_item, "amount": D("282.50")}]},
        )
    )  # fmt: skip
    assert row()["received"] == D("282.50")


def test_a_line_delivered_beyond_its_reservation_then_allocated_is_not_short(sales):
    """Warn policy: 10 ordered with 4 in stock (4 reserved, 6 backordered); 2 more arrive but
    are not allocated; 6 delivered (the 4 reserved and 2 free); 4 arrive and are allocated to
    the line, which has 4 open: all of it is reserved, nothing is short — reserved at
    confirmation (8) less delivered (6) would say 2 are."""
    from jxc.sales.models import SalesSettings
    from jxc.sales.services.backorders import allocate_backorders

    SalesSettings.objects.create(organization=sales.org, availability_policy="warn")
    product = sales.product("PW")
    sales.receive(product, 4, "50")
    line = sales.confirmed([(product, 10)]).lines.get()
    assert (line.reserved_quantity, line.backorder_quantity) == (4, 6)
    sales.receive(product, 2, "50")
    sales.deliver([(line, 6)])
    sales.receive(product, 4, "50")
    [given] = allocate_backorders(organization=sales.org)
    assert given.quantity == 4
    assert backorders(sales.org, Filters()) == []
    sales.receive(product, 1, "50")  # more free stock changes nothing
    assert backorders(sales.org, Filters(product_id=product.pk)) == []
