"""Procure-to-pay in one scenario: order → approval → partial receipt → second receipt →
invoice with a price variance (part of the goods already sold) → payment → return. After each
step the stock on hand, the supplier's open items, the trial balance and `jxc verify`'s checks
(inventory and ledger: 1405 equals the stock valuation, AP/预付 equal their open items) agree."""

from decimal import Decimal

import pytest

from jxc.finance.models import OpenItem
from jxc.finance.services import receivables as ar
from jxc.finance.verify import check_trial_balance
from jxc.inventory.selectors import on_hand
from jxc.inventory.verify import verify
from jxc.purchasing.services import invoices, returns
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.finance.conftest import account, balances
from tests.purchasing.conftest import DAY, days, qty

pytestmark = pytest.mark.django_db


def open_items(world) -> list[tuple[str, Decimal]]:
    return sorted(
        (item.document_type, item.open_amount)
        for item in OpenItem.objects.filter(organization=world.org, partner=world.vendor)
        if item.open_amount
    )


def consistent(world, stock: int, books: dict, items: list) -> None:
    product = world.scenario_product
    assert on_hand(product_id=product.pk) == stock
    found = balances(world.org)
    for code, value in books.items():
        assert found.get(code, Decimal(0)) == Decimal(value), (code, found)
    assert open_items(world) == [(kind, Decimal(v)) for kind, v in items]
    assert check_trial_balance(world.org) == []
    assert verify(world.org) == []


def test_procure_to_pay(world, org, roles):
    product = world.scenario_product = world.product("P1")
    manager = make_member(org, "mary", "manager", roles_by_code=roles)
    save_rule(
        organization=org,
        data={"name": "采购审批", "document_type": "purchase_order", "conditions": [],
              "levels": [{"name": "经理", "mode": "any",
                          "approvers": [{"type": "role", "id": roles["manager"].pk}]}]},
    )  # fmt: skip
    # 1. order 100 at 20 (tax-exclusive, 13 %), waiting for approval
    order = world.order([{"product": product, "quantity": qty(100), "unit_price": qty(20)}])
    assert (order.state, order.gross_amount) == ("submitted", Decimal("2260.00"))
    consistent(world, 0, {}, [])
    # 2. approved
    request = ApprovalRequest.objects.get(document_type="purchase_order", document_id=order.pk)
    approvals.approve(request=request, user=manager, comment="同意")
    order.refresh_from_db()
    assert order.state == "approved"
    line = order.lines.get()
    # 3. partial receipt of 60: stock and 暂估 2000 × 60 %
    first = world.receipt([{"order_line": line, "quantity": qty(60)}], business_date=days(1))
    consistent(world, 60, {"1405": "1200.00", "220202": "-1200.00"}, [])
    # 4. second receipt of the other 40
    second = world.receipt([{"order_line": line, "quantity": qty(40)}], business_date=days(2))
    order.refresh_from_db()
    assert order.state == "done"
    consistent(world, 100, {"1405": "2000.00", "220202": "-2000.00"}, [])
    # 25 are sold before the invoice arrives (at 20 each)
    world.issue(product, 25, day=days(3))
    consistent(world, 75, {"1405": "1500.00", "5401": "500.00"}, [])
    # 5. the invoice says 21 a unit: variance 100, 75 % of it to stock, 25 % to cost of sales
    invoice = invoices.invoice_from_receipts(
        organization=org, user=world.user, receipts=[first, second],
        data={"invoice_number": "04400001", "invoice_type": "special",
              "business_date": days(4)},
    )  # fmt: skip
    invoice = invoices.save_supplier_invoice(
        organization=org, user=world.user, invoice=invoice,
        data={"lines": [{"receipt_line": x.receipt_line, "quantity": x.quantity,
                         "unit_price": qty(21)} for x in invoice.lines.all()]},
    )  # fmt: skip
    invoice = invoices.post_supplier_invoice(invoice=invoice)
    assert invoice.variance == Decimal("100.00")
    consistent(
        world,
        75,
        {"1405": "1575.00", "5401": "525.00", "220202": "0", "22210101": "273.00",
         "220201": "-2373.00"},
        [("purchasing.supplierinvoice", "2373.00")],
    )  # fmt: skip
    # 6. payment of 2000 against the invoice
    payment = ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=world.user,
            data={"kind": "payment", "date": days(5), "partner": world.vendor,
                  "amount": qty(2000), "account": account(org, "1002"),
                  "lines": [{"item": invoice.open_item, "amount": qty(2000)}]},
        )
    )  # fmt: skip
    assert payment.state == "posted"
    consistent(
        world,
        75,
        {"1002": "-2000.00", "220201": "-373.00"},
        [("purchasing.supplierinvoice", "373.00")],
    )
    # 7. 10 go back to the supplier (of the second receipt): AP and VAT reversed in red, a credit
    back = returns.save_purchase_return(
        organization=org, user=world.user,
        data={"receipt": second, "business_date": days(6),
              "lines": [{"receipt_line": second.lines.get(), "quantity": qty(10)}]},
    )  # fmt: skip
    back = returns.post_purchase_return(purchase_return=back)
    # 10 left at the average 21 = 210; invoiced cost 210 + VAT 27.30 = 237.30 owed back
    consistent(
        world,
        65,
        {"1405": "1365.00", "22210101": "245.70", "1123": "237.30"},
        [("purchasing.purchasereturn", "-237.30"), ("purchasing.supplierinvoice", "373.00")],
    )
    # the credit is offset against what is still owed on the invoice
    ar.allocate(organization=org, owed=invoice.open_item, paid=back.open_item,
                amount=qty("237.30"), date=days(7))  # fmt: skip
    consistent(world, 65, {"1123": "0", "220201": "-135.70"},
               [("purchasing.supplierinvoice", "135.70")])  # fmt: skip
    order.refresh_from_db()
    line.refresh_from_db()
    assert (line.received_quantity, line.invoiced_quantity, line.returned_quantity) == (
        100, 100, 10)  # fmt: skip
    assert days(7) > DAY
