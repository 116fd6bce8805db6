"""A month from opening balances to a closed period with every check green: opening stock and
balances, receipts and issues of stock, a count, an other receivable and its receipt, a
supplier's bill paid in dollars at another rate, a manual voucher; the close fixes the stock
month, revalues, transfers VAT and carries profit forward."""

import datetime
from decimal import Decimal

import pytest

from jxc.finance.models import Period, Voucher
from jxc.finance.selectors import trial_balance
from jxc.finance.services import closing
from jxc.finance.services import receivables as ar
from jxc.finance.services.opening import enter_opening_balances
from jxc.inventory.services import counts, documents
from jxc.masterdata.models import Currency, ExchangeRate
from tests.finance.conftest import account, balances, line, manual_voucher
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
OCT = datetime.date(2026, 10, 1)


def day(n: int) -> datetime.date:
    return OCT.replace(day=n)


def stock_document(stock, user, kind, lines, on, reason="other"):
    doc = documents.save_stock_document(
        organization=stock.org,
        user=user,
        data={"kind": kind, "business_date": on, "warehouse": stock.wh1, "reason": reason,
              "lines": lines},
    )  # fmt: skip
    return documents.post_stock_document(document=doc)


def test_a_month_closes_with_every_check_green(stock, admin_user):
    org = stock.org
    widget = stock.product("W")
    gadget = stock.product("G", costing_method="monthly_average")
    customer = make_partner(org, "C1", "客户", is_customer=True)
    supplier = make_partner(org, "S1", "供应商", is_supplier=True)
    usd = Currency.objects.create(organization=org, code="USD", name="美元")
    ExchangeRate.objects.create(organization=org, currency=usd, date=day(1), rate=Decimal("7"))

    # opening: stock, a receivable, and the other balances
    stock_document(stock, admin_user, "receipt",
                   [{"product": widget, "quantity": Decimal(100), "unit_cost": Decimal(10)}],
                   datetime.date(2026, 9, 30), reason="opening")  # fmt: skip
    ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("5000"),
        counter_account=account(org, "3104"), date=datetime.date(2026, 9, 20),
    )  # fmt: skip
    enter_opening_balances(
        organization=org,
        go_live=OCT,
        lines=[
            {"account": account(org, "1002"), "debit": Decimal("100000")},
            {"account": account(org, "3001"), "credit": Decimal("100000")},
            {"account": account(org, "3104"), "credit": Decimal("6000")},
        ],
    )

    # the month
    stock_document(stock, admin_user, "receipt",
                   [{"product": gadget, "quantity": Decimal(10), "unit_cost": Decimal(20)}],
                   day(3))  # fmt: skip
    stock_document(stock, admin_user, "issue",
                   [{"product": widget, "quantity": Decimal(30)},
                    {"product": gadget, "quantity": Decimal(5)}],
                   day(10), reason="consumption")  # fmt: skip
    stock_document(stock, admin_user, "receipt",
                   [{"product": gadget, "quantity": Decimal(10), "unit_cost": Decimal(26)}],
                   day(15))  # fmt: skip
    count = counts.start_count(
        count=counts.create_count(
            organization=org, user=admin_user, warehouse=stock.wh1, business_date=day(25)
        )
    )
    counts.record_counts(
        count=count,
        counts=[
            {"product": x.product, "location": x.location, "lot": x.lot,
             "counted_quantity": x.book_quantity - (1 if x.product == widget else 0)}
            for x in count.lines.all()
        ],
    )  # fmt: skip
    counts.post_count(count=count)
    service = ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("1130"),
        counter_account=account(org, "5051"), date=day(12),
    )  # fmt: skip
    old = ar.OpenItem.objects.get(organization=org, amount=Decimal("5000"))
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "receipt", "date": day(20), "partner": customer,
                  "amount": Decimal("6000"), "account": account(org, "1002"),
                  "lines": [{"item": old, "amount": Decimal("5000")},
                            {"item": service, "amount": Decimal("1000")}]},
        )
    )  # fmt: skip
    bill = ar.book_other_item(
        organization=org, kind="payable", partner=supplier, amount=Decimal("100"),
        counter_account=account(org, "5602"), date=day(5), currency=usd,
    )  # fmt: skip
    ExchangeRate.objects.create(organization=org, currency=usd, date=day(28), rate=Decimal("7.2"))
    ar.post_payment(
        payment=ar.save_payment(
            organization=org, user=None,
            data={"kind": "payment", "date": day(28), "partner": supplier,
                  "amount": Decimal("60"), "currency": usd, "account": account(org, "1002"),
                  "lines": [{"item": bill, "amount": Decimal("60")}]},
        )
    )  # fmt: skip
    ExchangeRate.objects.create(organization=org, currency=usd, date=day(31), rate=Decimal("7.3"))
    manual_voucher(org, day=day(18), lines=[line(org, "1002", "销售", debit="565"),
                                            line(org, "5001", "销售", credit="500"),
                                            line(org, "22210108", "销项", credit="65")])  # fmt: skip

    september = Period.objects.get(organization=org, year=2026, month=9)  # the openings
    closing.close_period(period=september, user=admin_user)
    october = Period.objects.get(organization=org, year=2026, month=10)
    before = {c["code"]: c for c in closing.checklist(org, october)}
    assert [c for c in before.values() if not c["ok"]] == []
    closing.close_period(period=october, user=admin_user)

    october.refresh_from_db()
    assert october.state == "closed"
    origins = set(Voucher.objects.filter(organization=org).values_list("origin_type", flat=True))
    assert {
        "finance.opening",
        "inventory.revaluation",
        "finance.fx_revaluation",
        "finance.vat_transfer",
        "finance.carry_forward",
        "finance.payment",
    } <= origins
    after = balances(org)
    assert not [code for code in after if code.startswith(("5001", "5051", "5401", "5602"))]
    result = trial_balance(org, OCT, day(31))
    assert result["balanced"]
    # the dollar bill's 40 open at 7.3 on the month's last day, reversed on 1 November
    revaluation = Voucher.objects.get(origin_type="finance.fx_revaluation", reversal_of=None)
    assert ("220201", Decimal(0), Decimal("12.00")) in {
        (x.account.code, x.debit, x.credit) for x in revaluation.lines.all()
    }
