"""Payment requests at the same moment on PostgreSQL: requests of one invoice lock its open item
before reading what other open requests ask, so together they never ask for more than is
open; paying locks the request, so two clerks paying it post one payment."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem, Payment
from jxc.inventory.verify import verify
from jxc.purchasing.models import PaymentRequest, PaymentRequestLine
from jxc.purchasing.services import payment_requests as pr
from tests.conftest import make_organization
from tests.purchasing.conftest import DAY, Purchasing
from tests.purchasing.test_payment_requests import bank, posted_invoice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _race(work, arguments) -> list[str]:
    start, results = threading.Barrier(len(arguments)), []

    def clerk(argument):
        try:
            start.wait(10)
            work(argument)
            results.append("ok")
        except ValidationFailed as exc:
            results.append(exc.code or exc.field or "refused")
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_requests_never_ask_for_more_than_is_open():
    org = make_organization("RACEFQ", "抢付款公司")
    world = Purchasing(org, None)
    first = posted_invoice(world, "R1", DAY)  # 113.00 open each
    second = posted_invoice(world, "R2", DAY)

    def request(amount):
        # both invoices, in opposite orders, so a lock taken in line order would deadlock
        lines = [(first, amount), (second, amount)]
        if amount == Decimal("60.00"):
            lines.reverse()
        pr.save_payment_request(
            organization=org,
            user=None,
            data={"supplier": world.vendor, "account": bank(org), "business_date": DAY,
                  "lines": [{"invoice": i, "amount": a} for i, a in lines]},
        )  # fmt: skip

    results = _race(request, [Decimal("60.00"), Decimal("60.00"), Decimal("53.00")])
    assert sorted(results) == ["ok", "ok", "over_requested"], results
    for invoice in (first, second):
        asked = sum(x.amount for x in PaymentRequestLine.objects.filter(invoice=invoice))
        assert asked == Decimal("113.00")
    assert verify(org) == []


def test_paying_at_once_twice_posts_one_payment():
    org = make_organization("RACEPAY", "抢付款二公司")
    world = Purchasing(org, None)
    invoice = posted_invoice(world, "P1", DAY)
    request = pr.save_payment_request(
        organization=org,
        user=None,
        data={"supplier": world.vendor, "account": bank(org), "business_date": DAY,
              "lines": [{"invoice": invoice, "amount": Decimal("113.00")}]},
    )  # fmt: skip
    request = pr.submit_payment_request(request=request, user=None)
    assert request.state == "approved"
    results = _race(lambda _n: pr.pay_payment_request(request=request, user=None), [1, 2, 3])
    assert sorted(results) == ["already_paid", "already_paid", "ok"], results
    assert Payment.objects.filter(organization=org).count() == 1
    assert OpenItem.objects.get(pk=invoice.open_item_id).open_amount == 0
    assert PaymentRequest.objects.get(pk=request.pk).state == "done"
    assert verify(org) == []
