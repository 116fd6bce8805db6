"""红冲 of a supplier invoice at the same moment as something else on PostgreSQL: the reversal
locks the invoice, then its AP open item (as payments and payment requests lock it), so two
reversals reverse once, and a reversal racing a payment or a payment request of the invoice ends
with one of them done and the other refused — never a reversed invoice that was paid or asked
for, never a paid one whose payable was closed."""

from decimal import Decimal

import pytest

from jxc.finance.models import Allocation, OpenItem, Payment, Voucher
from jxc.finance.services.receivables import post_payment, save_payment
from jxc.inventory.verify import verify
from jxc.purchasing.models import GoodsReceiptLine, PaymentRequestLine, SupplierInvoice
from jxc.purchasing.services import payment_requests as pr
from jxc.purchasing.services.invoice_reversals import reverse_supplier_invoice
from tests.concurrency.test_payment_request_concurrency import _race
from tests.conftest import make_organization
from tests.purchasing.conftest import DAY, Purchasing
from tests.purchasing.test_payment_requests import bank, posted_invoice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
FULL = Decimal("113.00")


def reverse(invoice):
    reverse_supplier_invoice(invoice=invoice, user=None, reason="录错", business_date=DAY)


def test_two_reversals_at_once_reverse_once():
    org = make_organization("RACERV", "抢冲销公司")
    world = Purchasing(org, None)
    invoice = posted_invoice(world, "V1", DAY)
    results = _race(lambda _n: reverse(invoice), [1, 2, 3])
    assert sorted(results) == ["invalid_state", "invalid_state", "ok"], results
    assert SupplierInvoice.objects.get(pk=invoice.pk).state == "reversed"
    assert Voucher.objects.filter(organization=org, reversal_of__isnull=False).count() == 1
    line = GoodsReceiptLine.objects.get(receipt__organization=org)
    assert (line.invoiced_quantity, line.estimate_cleared) == (0, 0)
    assert verify(org) == []


def _consistent(org, invoice) -> str:
    """What happened to the invoice, checked to be one whole story or the other."""
    invoice = SupplierInvoice.objects.get(pk=invoice.pk)
    item = OpenItem.objects.get(pk=invoice.open_item_id)
    settled = Allocation.objects.filter(owed_item=item, undone=False)
    if invoice.state == "reversed":
        assert item.open_amount == 0
        assert not settled.exists()
        assert not Payment.objects.filter(organization=org, state="posted").exists()
        assert not PaymentRequestLine.objects.filter(invoice=invoice).exists()
        assert GoodsReceiptLine.objects.get(receipt__organization=org).invoiced_quantity == 0
    else:
        assert invoice.state == "done"
        assert GoodsReceiptLine.objects.get(receipt__organization=org).invoiced_quantity == 10
    assert verify(org) == []
    return invoice.state


def test_a_reversal_racing_a_payment_of_the_invoice():
    org = make_organization("RACERVP", "抢冲销付款公司")
    world = Purchasing(org, None)
    invoice = posted_invoice(world, "V2", DAY)
    item = OpenItem.objects.get(pk=invoice.open_item_id)

    def pay():
        payment = save_payment(
            organization=org,
            user=None,
            data={"kind": Payment.Kind.PAYMENT, "date": DAY, "partner": world.vendor,
                  "currency": world.cny, "amount": FULL, "account": bank(org),
                  "lines": [{"item": item, "amount": FULL}]},
        )  # fmt: skip
        post_payment(payment=payment, user=None)

    work = {"reverse": lambda: reverse(invoice), "pay": pay}
    results = _race(lambda name: work[name](), ["reverse", "pay"])
    assert results.count("ok") == 1, results
    state = _consistent(org, invoice)
    if state == "done":  # the payment won: paid in full, the reversal refused
        assert "invoice_paid" in results, results
        assert OpenItem.objects.get(pk=item.pk).open_amount == 0
        assert Allocation.objects.filter(owed_item=item, undone=False).count() == 1


def test_a_reversal_racing_a_payment_request_of_the_invoice():
    org = make_organization("RACERVQ", "抢冲销申请公司")
    world = Purchasing(org, None)
    invoice = posted_invoice(world, "V3", DAY)

    def request():
        pr.save_payment_request(
            organization=org,
            user=None,
            data={"supplier": world.vendor, "account": bank(org), "business_date": DAY,
                  "lines": [{"invoice": invoice, "amount": FULL}]},
        )  # fmt: skip

    work = {"reverse": lambda: reverse(invoice), "request": request}
    results = _race(lambda name: work[name](), ["reverse", "request"])
    assert results.count("ok") == 1, results
    if _consistent(org, invoice) == "done":
        assert "invoice_requested" in results, results
        assert PaymentRequestLine.objects.filter(invoice=invoice).count() == 1
    else:
        assert "over_requested" in results or "lines.0.invoice" in results, results
