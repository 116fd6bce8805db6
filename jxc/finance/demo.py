"""Demo books for the demo company: opening balances, a voucher template, an other receivable
half paid, and a month's rent, so the finance pages have something to show."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jxc.finance.models import Account, Voucher, VoucherTemplate
from jxc.finance.services import receivables
from jxc.finance.services.opening import enter_opening_balances
from jxc.finance.services.vouchers import post_voucher, save_voucher
from jxc.masterdata.models import Partner


def load_finance_demo(company, branch) -> list[str]:
    if Voucher.objects.filter(organization=company, origin_type="finance.opening").exists():
        return []
    accounts = {a.code: a for a in Account.objects.filter(organization=company)}
    today = timezone.localdate()
    go_live = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    enter_opening_balances(
        organization=company,
        go_live=go_live,
        lines=[
            {"account": accounts["1002"], "debit": Decimal("500000")},
            {"account": accounts["1001"], "debit": Decimal("8000")},
            {"account": accounts["3001"], "credit": Decimal("480000")},
            {"account": accounts["3104"], "credit": Decimal("28000")},
        ],
    )
    VoucherTemplate.objects.get_or_create(
        organization=company,
        name="每月房租",
        defaults={
            "lines": [
                {"summary": "支付房租", "account": accounts["5602"].pk, "debit": "12000.00",
                 "credit": "0.00"},
                {"summary": "支付房租", "account": accounts["1002"].pk, "debit": "0.00",
                 "credit": "12000.00"},
            ]
        },
    )  # fmt: skip
    rent = save_voucher(
        organization=company,
        user=None,
        data={
            "date": go_live + datetime.timedelta(days=4),
            "attachments": 1,
            "lines": [
                {"account": accounts["5602"], "summary": "支付房租", "debit": Decimal("12000")},
                {"account": accounts["1002"], "summary": "支付房租", "credit": Decimal("12000")},
            ],
        },
    )
    post_voucher(voucher=rent, user=None)
    customer = Partner.objects.filter(organization=company, is_customer=True).order_by("code")
    if customer:
        item = receivables.book_other_item(
            organization=company, kind="receivable", partner=customer[0],
            amount=Decimal("8600"), counter_account=accounts["5051"],
            date=go_live + datetime.timedelta(days=9), summary="技术服务费",
        )  # fmt: skip
        receipt = receivables.save_payment(
            organization=company,
            user=None,
            data={"kind": "receipt", "date": go_live + datetime.timedelta(days=20),
                  "partner": customer[0], "amount": Decimal("5000"),
                  "account": accounts["1002"], "lines": [{"item": item, "amount": Decimal("5000")}]},
        )  # fmt: skip
        receivables.post_payment(payment=receipt)
    return ["opening balances, a voucher template, vouchers, a receivable half received"]
