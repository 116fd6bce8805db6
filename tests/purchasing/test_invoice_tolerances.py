"""Supplier invoice tolerances (发票容差): within the supplier's (else the default) price and
quantity tolerance an invoice posts at once; beyond them posting submits it to workflow
(nothing booked), approval posts it, rejection returns it to draft; without an approval rule
for supplier invoices it is refused, naming the line and field. More than received stays
refused whatever the tolerance."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.finance.models import OpenItem, Voucher
from jxc.purchasing.models import InvoiceTolerance, ReceiptTolerance, SupplierInvoice
from jxc.purchasing.services import invoices
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import make_member
from tests.finance.conftest import balances
from tests.purchasing.conftest import qty
from tests.purchasing.test_invoices import invoice, received

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(org, roles):
    save_rule(
        organization=org,
        data={
            "name": "发票差异审批",
            "document_type": "supplier_invoice",
            "conditions": [],
            "levels": [{"name": "经理", "mode": "any",
                        "approvers": [{"type": "role", "id": roles["manager"].pk}]}],
        },
    )  # fmt: skip
    return make_member(org, "mary", "manager", roles_by_code=roles)


def tolerance(world, price=None, quantity=None, supplier=True):
    return InvoiceTolerance.objects.create(
        organization=world.org,
        supplier=world.vendor if supplier else None,
        price_percent=None if price is None else qty(price),
        quantity_percent=None if quantity is None else qty(quantity),
    )


def priced(world, price):
    """10 received at 10.00; a draft invoice of all 10 at ``price`` (tax-exclusive)."""
    _product, _order, receipt = received(world)
    return invoice(world, receipt.lines.get(), 10, price)


def nothing_booked(world, draft) -> None:
    assert not Voucher.objects.filter(origin_type="purchasing.supplierinvoice").exists()
    assert not OpenItem.objects.filter(document_type="purchasing.supplierinvoice").exists()
    assert SupplierInvoice.objects.get(pk=draft.pk).number == ""


def test_within_the_price_tolerance_the_invoice_posts_at_once(world, manager):
    tolerance(world, price=5)
    draft = priced(world, "10.5")  # exactly 5 % dearer
    assert invoices.post_supplier_invoice(invoice=draft, user=world.user).state == "done"
    assert not ApprovalRequest.objects.exists()


def test_beyond_the_price_tolerance_it_waits_for_approval_then_posts(world, manager):
    tolerance(world, price=5)
    draft = priced(world, "11")
    submitted = invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert submitted.state == "submitted"
    nothing_booked(world, draft)
    request = ApprovalRequest.objects.get(document_type="supplier_invoice", document_id=draft.pk)
    assert request.base_amount == Decimal("124.30")  # 110 + 13 % VAT
    with pytest.raises(ValidationFailed) as waiting:  # posting again does not go around it
        invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert waiting.value.code == "awaiting_approval"
    with pytest.raises(ValidationFailed):  # nor does changing it while it waits
        invoices.save_supplier_invoice(
            organization=world.org, user=world.user, data={"note": "x"}, invoice=draft
        )
    approvals.approve(request=request, user=manager, comment="涨价已确认")
    posted = SupplierInvoice.objects.get(pk=draft.pk)
    assert (posted.state, posted.variance) == ("done", Decimal("10.00"))
    assert posted.number.startswith("JP")
    assert balances(world.org) == {
        "1405": Decimal("110.00"),  # all still on hand: the variance went into the stock
        "22210101": Decimal("14.30"),
        "220201": Decimal("-124.30"),
    }


def test_a_cheaper_invoice_beyond_the_tolerance_also_needs_approval(world, manager):
    tolerance(world, price=5)
    draft = priced(world, "9")
    assert invoices.post_supplier_invoice(invoice=draft, user=world.user).state == "submitted"


def test_rejected_goes_back_to_draft_and_nothing_is_booked(world, manager):
    tolerance(world, price=5)
    draft = priced(world, "11")
    invoices.post_supplier_invoice(invoice=draft, user=world.user)
    request = ApprovalRequest.objects.get(document_type="supplier_invoice", document_id=draft.pk)
    approvals.reject(request=request, user=manager, comment="价格不对，找供应商")
    assert SupplierInvoice.objects.get(pk=draft.pk).state == "draft"
    nothing_booked(world, draft)
    # corrected to the order's price, it posts without asking again
    fixed = invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        invoice=draft,
        data={"lines": [{"receipt_line": draft.lines.get().receipt_line, "quantity": qty(10),
                         "unit_price": qty(10)}]},
    )  # fmt: skip
    assert invoices.post_supplier_invoice(invoice=fixed, user=world.user).state == "done"


def test_without_an_approval_rule_it_is_refused_naming_the_line_and_field(world):
    tolerance(world, price=5)
    draft = priced(world, "11")
    with pytest.raises(ValidationFailed) as refused:
        invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert (refused.value.field, refused.value.code) == ("lines.0.unit_price", "beyond_tolerance")
    assert "Line 1" in str(refused.value.message) or "第 1 行" in str(refused.value.message)
    assert SupplierInvoice.objects.get(pk=draft.pk).state == "draft"
    assert not ApprovalRequest.objects.exists()
    nothing_booked(world, draft)


def test_the_suppliers_tolerance_goes_before_the_default(world):
    tolerance(world, price=1, supplier=False)
    tolerance(world, price=20)
    draft = priced(world, "11.5")  # 15 %: beyond the default, within the supplier's
    assert invoices.post_supplier_invoice(invoice=draft, user=world.user).state == "done"


def test_the_default_applies_to_a_supplier_without_its_own(world):
    tolerance(world, price=1, supplier=False)
    draft = priced(world, "11.5")
    with pytest.raises(ValidationFailed) as refused:
        invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert refused.value.field == "lines.0.unit_price"


def test_without_any_tolerance_set_a_variance_posts_as_before(world):
    draft = priced(world, "15")
    assert invoices.post_supplier_invoice(invoice=draft, user=world.user).state == "done"


def over_received(world, quantity_tolerance):
    """10 ordered, 12 received within a 20 % over-receipt tolerance, all 12 invoiced."""
    ReceiptTolerance.objects.create(organization=world.org, supplier=world.vendor, percent=20)
    tolerance(world, quantity=quantity_tolerance)
    _product, order, receipt = received(world, quantity=10)
    second = world.receipt([{"order_line": order.lines.get(), "quantity": qty(2)}])
    draft = invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        data={
            "supplier": world.vendor,
            "invoice_number": "Q-1",
            "lines": [
                {"receipt_line": receipt.lines.get(), "quantity": qty(10)},
                {"receipt_line": second.lines.get(), "quantity": qty(2)},
            ],
        },
    )
    return order, draft


def test_invoicing_more_than_ordered_beyond_the_quantity_tolerance_needs_approval(world):
    order, draft = over_received(world, quantity_tolerance=10)
    with pytest.raises(ValidationFailed) as refused:
        invoices.post_supplier_invoice(invoice=draft, user=world.user)
    # the second line takes the order line to 12 of 10 ordered
    assert (refused.value.field, refused.value.code) == ("lines.1.quantity", "beyond_tolerance")
    assert order.lines.get().invoiced_quantity == 0


def test_invoicing_more_than_ordered_within_the_quantity_tolerance_posts(world):
    order, draft = over_received(world, quantity_tolerance=20)
    assert invoices.post_supplier_invoice(invoice=draft, user=world.user).state == "done"
    assert order.lines.get().invoiced_quantity == 12


def test_more_than_received_stays_refused_whatever_the_tolerance(world, manager):
    tolerance(world, price=1000, quantity=1000)
    _product, _order, receipt = received(world)
    with pytest.raises(ValidationFailed) as refused:
        invoice(world, receipt.lines.get(), 11, "10")
    assert (refused.value.field, refused.value.code) == ("lines.0.quantity", "over_invoice")
    assert not SupplierInvoice.objects.exists()
