"""Hand-entered expense invoices on PostgreSQL with real threads: two clerks posting the same
draft at once book it once (the invoice row is locked, the second finds it done). (Two drafts
of one supplier invoice number cannot exist: the database's unique constraint covers drafts.)"""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, OpenItem, Voucher
from jxc.finance.verify import check_trial_balance
from jxc.inventory.verify import verify
from jxc.purchasing.models import SupplierInvoice
from jxc.purchasing.services import invoices
from tests.conftest import make_organization
from tests.purchasing.conftest import Purchasing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _draft(world, number: str) -> SupplierInvoice:
    return invoices.save_supplier_invoice(
        organization=world.org,
        user=None,
        data={
            "supplier": world.vendor,
            "invoice_number": number,
            "lines": [{"account": Account.objects.get(organization=world.org, code="5602"),
                       "description": "运费", "unit_price": Decimal(100),
                       "tax_percent": Decimal(9)}],
        },
    )  # fmt: skip


def _race(drafts) -> list[str]:
    start, results = threading.Barrier(len(drafts)), []

    def clerk(draft):
        try:
            start.wait(10)
            invoices.post_supplier_invoice(invoice=draft)
            results.append("ok")
        except ValidationFailed as exc:
            results.append(f"refused:{exc.field}")
        except Exception as exc:  # a deadlock or anything else fails the test
            results.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=clerk, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return sorted(results)


def test_one_expense_draft_posted_twice_at_once_is_booked_once():
    org = make_organization("RACEEXP", "抢记账公司")
    world = Purchasing(org, None)
    draft = _draft(world, "EXP-1")
    assert _race([draft, draft]) == ["ok", "refused:state"]
    assert Voucher.objects.filter(origin_type="purchasing.supplierinvoice").count() == 1
    assert OpenItem.objects.get(organization=org).amount == Decimal("109.00")
    assert check_trial_balance(org) == []
    assert verify(org) == []
