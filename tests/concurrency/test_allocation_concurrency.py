"""Two clerks settling the last open amount of one invoice at the same moment on PostgreSQL:
one allocation lands, the other is refused; the item never goes below zero and the ledger
still equals the control accounts."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Allocation, OpenItem
from jxc.finance.services import receivables as ar
from jxc.finance.verify import verify_ledger
from tests.conftest import make_organization
from tests.finance.conftest import DAY, account
from tests.masterdata.conftest import make_partner

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_last_open_amount_is_settled_once():
    org = make_organization("RACE", "抢核销公司")
    customer = make_partner(org, "C1", "客户", is_customer=True)
    invoice = ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("100"),
        counter_account=account(org, "5001"), date=DAY,
    )  # fmt: skip
    receipts = [
        ar.post_payment(
            payment=ar.save_payment(
                organization=org, user=None,
                data={"kind": "receipt", "date": DAY, "partner": customer,
                      "amount": Decimal("100"), "account": account(org, "1002")},
            )
        )
        for _ in range(8)
    ]  # fmt: skip
    start, results = threading.Barrier(len(receipts)), []

    def clerk(receipt):
        try:
            start.wait(10)
            ar.allocate(organization=org, owed=invoice, paid=receipt.item, amount=Decimal("100"))
            results.append("ok")
        except ValidationFailed:
            results.append("refused")
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(r,)) for r in receipts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == ["ok"] + ["refused"] * 7, results
    assert OpenItem.objects.get(pk=invoice.pk).open_amount == 0
    assert Allocation.objects.filter(owed_item=invoice).count() == 1
    assert verify_ledger(org) == []
