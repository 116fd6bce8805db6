"""On PostgreSQL, clerks refunding and offsetting one purchase return's credit at the same
moment: one lands, the others are refused; the credit is never used twice and the ledger still
equals the control accounts. Two free-standing returns of the same last stock: one is posted,
the other refused as more than is in stock."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import DomainError
from jxc.finance.models import Allocation, OpenItem, Payment
from jxc.inventory.selectors import on_hand
from jxc.inventory.verify import verify
from jxc.purchasing.services import return_credits, returns
from tests.conftest import make_organization
from tests.finance.conftest import account
from tests.purchasing.conftest import Purchasing
from tests.purchasing.test_free_returns import free_return, invoiced, line

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(jobs) -> list[str]:
    start, results = threading.Barrier(len(jobs)), []

    def run(job):
        try:
            start.wait(10)
            job()
            results.append("ok")
        except DomainError:
            results.append("refused")
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_a_return_credit_is_refunded_or_offset_once():
    org = make_organization("RACE", "抢退款公司")
    world = Purchasing(org, None)
    product, _receipt, invoice = invoiced(world)
    done = free_return(world, [line(world, product, 4)])  # a credit of 54.24
    bank = account(org, "1002")

    def refund():
        return_credits.refund_purchase_return(purchase_return=done, account=bank, user=None)

    def offset():
        return_credits.offset_purchase_return(purchase_return=done, invoice=invoice, user=None)

    def offset_from_the_invoice():
        return_credits.offset_invoice_with_returns(invoice=invoice, user=None)

    results = race([refund, offset, offset_from_the_invoice] * 3)
    assert sorted(results) == ["ok"] + ["refused"] * 8, results
    credit = OpenItem.objects.get(pk=done.open_item_id)
    assert credit.open_amount == 0
    # one allocation used it: the refund's (its payment settles the credit) or an offset's
    assert Allocation.objects.filter(paid_item=credit).count() == 1
    assert Payment.objects.filter(kind="refund").count() <= 1
    assert verify(org) == []


def test_two_free_returns_of_the_last_stock():
    org = make_organization("RACE2", "抢退货公司")
    world = Purchasing(org, None)
    product, _receipt, _invoice = invoiced(world)
    drafts = [free_return(world, [line(world, product, 8)], post=False) for _ in range(4)]

    def post(draft):
        return lambda: returns.post_purchase_return(purchase_return=draft)

    results = race([post(draft) for draft in drafts])
    assert sorted(results) == ["ok"] + ["refused"] * 3, results
    assert on_hand(product_id=product.pk) == Decimal(2)
    assert verify(org) == []
