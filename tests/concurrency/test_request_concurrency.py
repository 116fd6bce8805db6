"""Buyers turning the same purchase request line into orders at the same moment on PostgreSQL:
each locks the request line before reading what was ordered, so together they never order more
than was requested, and the request's ordered quantity is what the orders hold."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from jxc.core.errors import ValidationFailed
from jxc.purchasing.models import PurchaseOrderLine, PurchaseRequestLine
from jxc.purchasing.services import requests
from tests.conftest import make_organization
from tests.purchasing.conftest import Purchasing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_conversions_never_order_more_than_requested():
    org = make_organization("RACEQ", "抢请购公司")
    world = Purchasing(org, None)
    product = world.product(purchase_price=Decimal(5))
    request = requests.save_purchase_request(
        organization=org, user=None,
        data={"warehouse": world.wh1, "lines": [{"product": product, "quantity": Decimal(10)}]},
    )  # fmt: skip
    requests.submit_purchase_request(request=request, user=None)
    line = request.lines.get()
    buyers = 6
    start, results = threading.Barrier(buyers), []

    def buyer():
        try:
            start.wait(10)
            requests.orders_from_requests(
                organization=org,
                user=None,
                lines=[{"request_line": PurchaseRequestLine.objects.select_related("request")
                        .get(pk=line.pk), "supplier": world.vendor, "quantity": Decimal(3)}],
            )  # fmt: skip
            results.append("ok")
        except ValidationFailed as exc:
            results.append("refused" if exc.field == "lines.0.quantity" else repr(exc))
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=buyer) for _ in range(buyers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["ok"] * 3 + ["refused"] * 3, results
    ordered = PurchaseOrderLine.objects.filter(request_line=line).aggregate(q=Sum("base_quantity"))
    assert ordered["q"] == 9
    assert PurchaseRequestLine.objects.get(pk=line.pk).ordered_quantity == 9
