"""Clerks receiving against the same purchase order line at the same moment on PostgreSQL:
each locks the order line before reading what was received, so together they never take more
than the ordered quantity plus the tolerance; stock and the 暂估 agree afterwards."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import ValidationFailed
from jxc.inventory.selectors import on_hand
from jxc.inventory.verify import verify
from jxc.purchasing.models import PurchaseOrderLine, ReceiptTolerance
from jxc.purchasing.services import receipts
from tests.conftest import make_organization
from tests.purchasing.conftest import Purchasing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_receipts_never_exceed_ordered_plus_tolerance():
    org = make_organization("RACE", "抢收货公司")
    world = Purchasing(org, None)
    product = world.product()
    order = world.order([{"product": product, "quantity": Decimal(10), "unit_price": Decimal(5)}])
    line = order.lines.get()
    ReceiptTolerance.objects.create(organization=org, percent=Decimal(20))  # up to 12
    drafts = [
        world.receipt([{"order_line": line, "quantity": Decimal(3)}], post=False) for _ in range(8)
    ]
    start, results = threading.Barrier(len(drafts)), []

    def clerk(draft):
        try:
            start.wait(10)
            receipts.post_goods_receipt(receipt=draft)
            results.append("ok")
        except ValidationFailed as exc:
            results.append("refused" if exc.code == "over_receipt" else repr(exc))
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["ok"] * 4 + ["refused"] * 4, results
    assert PurchaseOrderLine.objects.get(pk=line.pk).received_quantity == 12
    assert on_hand(product_id=product.pk) == 12
    assert verify(org) == []
