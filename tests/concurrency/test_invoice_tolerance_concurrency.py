"""Clerks posting invoices of one order line at the same moment on PostgreSQL (each for another
receipt of it): posting locks the order line before reading what it was invoiced, so together
they never go beyond the ordered quantity plus the quantity tolerance without approval."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import ValidationFailed
from jxc.inventory.verify import verify
from jxc.purchasing.models import InvoiceTolerance, PurchaseOrderLine, ReceiptTolerance
from jxc.purchasing.services import invoices
from tests.conftest import make_organization
from tests.purchasing.conftest import Purchasing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_invoices_never_pass_the_quantity_tolerance_together():
    org = make_organization("RACEINV", "抢开票公司")
    world = Purchasing(org, None)
    product = world.product()
    order = world.order([{"product": product, "quantity": Decimal(10), "unit_price": Decimal(5)}])
    line = order.lines.get()
    ReceiptTolerance.objects.create(organization=org, percent=Decimal(100))  # up to 20 received
    InvoiceTolerance.objects.create(organization=org, quantity_percent=Decimal(20))  # 12 invoiced
    received = [world.receipt([{"order_line": line, "quantity": Decimal(4)}]) for _ in range(4)]
    drafts = [
        invoices.save_supplier_invoice(
            organization=org,
            user=None,
            data={
                "supplier": world.vendor,
                "invoice_number": f"R-{n}",
                "lines": [{"receipt_line": receipt.lines.get(), "quantity": Decimal(4)}],
            },
        )  # fmt: skip
        for n, receipt in enumerate(received)
    ]
    start, results = threading.Barrier(len(drafts)), []

    def clerk(draft):
        try:
            start.wait(10)
            invoices.post_supplier_invoice(invoice=draft)
            results.append("ok")
        except ValidationFailed as exc:
            results.append("refused" if exc.code == "beyond_tolerance" else repr(exc))
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == ["ok"] * 3 + ["refused"], results
    assert PurchaseOrderLine.objects.get(pk=line.pk).invoiced_quantity == 12
    assert verify(org) == []
