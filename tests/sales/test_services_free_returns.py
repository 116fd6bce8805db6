"""Free-standing sales returns (no delivery): the goods come back to the chosen location at the
given cost or the product's current cost; priced lines are credited in red on 预收."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem
from jxc.inventory.models import StockBalance
from jxc.inventory.verify import verify
from jxc.sales.services import returns
from tests.inventory.conftest import DAY
from tests.sales.test_services_chain import balance, stock_row

pytestmark = pytest.mark.django_db
D = Decimal


def _free(sales, lines, **header):
    data = {"business_date": DAY, "customer": sales.customer, "location": sales.bin1,
            "reason": "客户退回", "lines": lines, **header}  # fmt: skip
    return returns.save_sales_return(organization=sales.org, user=sales.user, data=data)


def test_free_return_at_the_current_cost_without_a_credit(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    draft = _free(sales, [{"product": product, "quantity": D("2")}])
    assert draft.delivery_id is None
    assert draft.customer_id == sales.customer.pk
    posted = returns.post_sales_return(sales_return=draft, user=sales.user)
    assert posted.number.startswith("XT")
    assert posted.credit_note is None
    line = posted.lines.get()
    assert line.unit_cost == D("50")  # the average of the stock on hand
    assert stock_row(sales, product).on_hand == 12
    assert StockBalance.objects.get(product=product, location=sales.bin1).on_hand == 12
    assert balance(sales.org, "1405") == D("600.00")
    assert balance(sales.org, "5401") == D("-100.00")
    assert verify(sales.org) == []


def test_free_return_at_a_given_cost_with_a_price_is_credited(sales):
    org = sales.org
    product = sales.product()
    sales.receive(product, 10, "50")
    draft = _free(sales, [{"product": product, "quantity": D("3"), "unit_cost": D("40"),
                           "unit_price": D("113")}])  # fmt: skip
    posted = returns.post_sales_return(sales_return=draft, user=sales.user)
    line = posted.lines.get()
    assert line.unit_cost == D("40")
    assert line.tax_percent == D("13")  # the product's rate
    note = posted.credit_note
    assert note.kind == "credit_note"
    assert (note.net_amount, note.tax_amount, note.gross_amount) == (
        D("300.00"), D("39.00"), D("339.00"))  # fmt: skip
    item = OpenItem.objects.get(pk=note.open_item_id)
    assert item.open_amount == D("-339.00")  # the customer's credit on 预收
    assert balance(org, "2203") == D("-339.00")
    assert balance(org, "5001") == D("300.00")  # revenue reversed (a debit)
    assert balance(org, "5401") == D("-120.00")
    assert verify(org) == []


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": D("1"), "product": None}, "lines.0.product"),
        ({"quantity": D("1"), "product": "P1"}, "lines.0.product"),
        ({"quantity": D("0")}, "lines.0.quantity"),
        ({"quantity": D("1"), "unit_cost": D("-1")}, "lines.0.unit_cost"),
        ({"quantity": D("1"), "unit_price": D("-5")}, "lines.0.unit_price"),
        (
            {"quantity": D("1"), "unit_price": D("5"), "tax_percent": D("101")},
            "lines.0.tax_percent",
        ),
    ],
)
def test_free_return_refuses_bad_lines(sales, line, field):
    product = sales.product()
    line = {"product": product, **line}
    with pytest.raises(ValidationFailed) as refused:
        _free(sales, [line])
    assert refused.value.field == field


def test_a_return_needs_a_delivery_or_a_customer(sales):
    with pytest.raises(ValidationFailed) as refused:
        _free(sales, [], customer=None)
    assert refused.value.field == "customer"
