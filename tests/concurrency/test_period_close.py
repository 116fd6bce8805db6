"""A month close on PostgreSQL waits for a posting into the month that is in flight (of any
product, not only those whose valuation the close locks), and refuses the postings after it."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import StockMove
from jxc.inventory.services import periods
from jxc.inventory.verify import verify
from tests.conftest import make_organization
from tests.inventory.conftest import Stock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
OCTOBER = datetime.date(2026, 10, 1)


def test_a_close_waits_for_the_posting_in_flight_and_refuses_later_ones():
    org = make_organization("CLOSE", "月结公司")
    stock = Stock(org)
    product = stock.product("M", costing_method="monthly_average")
    other = stock.product("N")  # moving average: no valuation row the close would lock
    stock.receive(product, 10, 10, day=datetime.date(2026, 10, 3))
    stock.receive(product, 10, 16, day=datetime.date(2026, 10, 20))
    stock.issue(product, 5, day=datetime.date(2026, 10, 10))  # provisionally at 10: 50
    posting, release, errors = threading.Event(), threading.Event(), []

    def poster():
        try:
            with transaction.atomic():
                stock.receive(other, 1, 1, day=datetime.date(2026, 10, 11))
                posting.set()
                release.wait(20)  # still in flight while the close starts
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    def closer():
        try:
            periods.close_month(organization=org, month=OCTOBER)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    first = threading.Thread(target=poster)
    first.start()
    assert posting.wait(20)
    second = threading.Thread(target=closer)
    second.start()
    time.sleep(0.5)
    assert second.is_alive()  # the close waits for the posting, whatever it posts
    release.set()
    first.join(30)
    second.join(30)
    assert errors == []
    issue = StockMove.objects.get(product=product, flow="out")
    assert issue.value == Decimal("65.00")  # (100 + 160) / 20 = 13, fixed by the close
    assert StockMove.objects.filter(product=other).count() == 1  # landed before the close
    with pytest.raises(ValidationFailed):
        stock.issue(product, 1, day=datetime.date(2026, 10, 25))
    assert verify(org) == []


def test_a_posting_that_waited_for_a_close_sees_it_and_is_refused():
    """The posting's check reads the closed months after its lock is granted: a read taken
    before the wait would miss the close and post into the closed month."""
    org = make_organization("WAIT", "等待公司")
    stock = Stock(org)
    product = stock.product("W")
    stock.receive(product, 10, 10, day=datetime.date(2026, 10, 3))
    closing, waiting, errors = threading.Event(), threading.Event(), []

    def poster():
        try:
            assert closing.wait(20)
            waiting.set()
            stock.receive(product, 1, 1, day=datetime.date(2026, 10, 20))
        except Exception as exc:  # the refusal is expected, checked below
            errors.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=poster)
    thread.start()
    with transaction.atomic():  # a close in progress: the organization row held exclusively
        periods._hold_periods(org, exclusive=True)
        closing.set()
        assert waiting.wait(20)
        time.sleep(0.5)  # the posting is now queued on the row
        assert thread.is_alive()
        periods.StockPeriodClose.objects.create(organization=org, month=OCTOBER)
    thread.join(30)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], ValidationFailed), errors
    assert errors[0].field == "business_date"
    assert StockMove.objects.filter(product=product).count() == 1
