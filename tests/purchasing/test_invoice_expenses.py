"""Expense lines on supplier invoices (费用行): freight, processing, rent … never received into
stock. A line bills either a receipt line or an expense account; posting books Dr the expense
(plus the VAT when the invoice type does not deduct it), Dr input VAT, Cr AP, in one voucher
with the goods lines; the trial balance and `jxc verify` agree afterwards."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Account, OpenItem, Voucher
from jxc.finance.services.chart import ensure_finance_defaults
from jxc.finance.verify import check_trial_balance
from jxc.purchasing.models import SupplierInvoice, SupplierInvoiceLine
from jxc.purchasing.services import invoices
from jxc.purchasing.services.invoice_tolerances import lines_beyond_tolerance
from tests.finance.conftest import account, balances
from tests.purchasing.conftest import DAY, qty

pytestmark = pytest.mark.django_db


def expense(world, code="5602", description="运费", quantity="1", price="100", percent="9", **kw):
    return {
        "account": account(world.org, code),
        "description": description,
        "quantity": qty(quantity),
        "unit_price": qty(price),
        "tax_percent": qty(percent),
        **kw,
    }


def save(world, lines, number="F0001", invoice_type="special", invoice=None):
    return invoices.save_supplier_invoice(
        organization=world.org,
        user=world.user,
        invoice=invoice,
        data={
            "business_date": DAY,
            "supplier": world.vendor,
            "invoice_type": invoice_type,
            "invoice_number": number,
            "lines": lines,
        },
    )


def received(world, quantity=10, price="10"):
    product = world.product()
    order = world.order([{"product": product, "quantity": qty(quantity), "unit_price": qty(price)}])
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(quantity)}])
    return receipt.lines.get()


def test_expense_only_invoice_books_expense_vat_and_payable(world):
    draft = save(
        world, [expense(world, price="200"), expense(world, "5601", "样品快递", "2", "50")]
    )
    assert (draft.net_amount, draft.tax_amount, draft.gross_amount) == (
        Decimal("300.00"), Decimal("27.00"), Decimal("327.00"))  # fmt: skip
    first = draft.lines.order_by("position")[0]
    assert (first.receipt_line, first.product, first.account.code) == (None, None, "5602")
    posted = invoices.post_supplier_invoice(invoice=draft, user=world.user)
    assert posted.state == "done"
    assert posted.number
    assert balances(world.org) == {
        "5602": Decimal("200.00"),
        "5601": Decimal("100.00"),
        "22210101": Decimal("27.00"),
        "220201": Decimal("-327.00"),
    }
    voucher = Voucher.objects.get(origin_type="purchasing.supplierinvoice", origin_id=posted.pk)
    summaries = {line.account.code: line.summary for line in voucher.lines.all()}
    assert summaries["5602"].startswith("运费")
    assert summaries["5601"].startswith("样品快递")
    item = OpenItem.objects.get(document_type="purchasing.supplierinvoice", document_id=posted.pk)
    assert (item.kind, item.amount, item.open_amount) == (
        "payable", Decimal("327.00"), Decimal("327.00"))  # fmt: skip
    line = posted.lines.order_by("position")[0]
    assert (line.base_cost, line.base_tax, line.variance) == (
        Decimal("200.00"), Decimal("18.00"), Decimal("0.00"))  # fmt: skip
    assert check_trial_balance(world.org) == []


def test_quantity_defaults_to_one_and_tax_inclusive_prices_split(world):
    line = expense(world, price="109", tax_inclusive=True)
    del line["quantity"]
    draft = save(world, [line])
    assert (draft.net_amount, draft.tax_amount, draft.gross_amount) == (
        Decimal("100.00"), Decimal("9.00"), Decimal("109.00"))  # fmt: skip
    assert draft.lines.get().quantity == 1


def test_ordinary_invoice_puts_the_vat_into_the_expense(world):
    posted = invoices.post_supplier_invoice(
        invoice=save(world, [expense(world, percent="3")], invoice_type="ordinary")
    )
    assert balances(world.org) == {"5602": Decimal("103.00"), "220201": Decimal("-103.00")}
    assert posted.lines.get().base_tax == 0


def test_mixed_invoice_is_one_voucher_with_goods_and_expense(world):
    receipt_line = received(world)
    draft = save(
        world,
        [
            {"receipt_line": receipt_line, "quantity": qty(10), "unit_price": qty(10)},
            expense(world, description="运费", price="50"),
        ],
    )
    posted = invoices.post_supplier_invoice(invoice=draft)
    assert balances(world.org) == {
        "1405": Decimal("100.00"),
        "5602": Decimal("50.00"),
        "22210101": Decimal("17.50"),  # 13.00 on the goods + 4.50 on the freight
        "220201": Decimal("-167.50"),
    }
    assert (
        Voucher.objects.filter(
            origin_type="purchasing.supplierinvoice", origin_id=posted.pk
        ).count()
        == 1
    )
    receipt_line.refresh_from_db()
    assert receipt_line.invoiced_quantity == 10
    assert receipt_line.order_line.invoiced_quantity == 10


def test_expense_lines_are_never_beyond_tolerance(world):
    from jxc.purchasing.models import InvoiceTolerance

    InvoiceTolerance.objects.create(
        organization=world.org, price_percent=Decimal("1"), quantity_percent=Decimal("0")
    )
    receipt_line = received(world)
    draft = save(
        world,
        [
            {"receipt_line": receipt_line, "quantity": qty(10), "unit_price": qty(10)},
            expense(world, price="99999"),
        ],
    )
    assert lines_beyond_tolerance(draft, list(draft.lines.all())) == []
    assert invoices.post_supplier_invoice(invoice=draft).state == "done"


def test_duplicate_invoice_number_is_refused_for_expense_invoices(world):
    invoices.post_supplier_invoice(invoice=save(world, [expense(world)]))
    with pytest.raises(ValidationFailed) as caught:
        save(world, [expense(world)])
    assert caught.value.field == "invoice_number"


def test_cancelled_draft_books_nothing(world):
    draft = save(world, [expense(world)])
    cancelled = invoices.cancel_supplier_invoice(invoice=draft)
    assert cancelled.state == "cancelled"
    assert balances(world.org) == {}
    # the number is free again
    assert save(world, [expense(world)]).pk != draft.pk


def _refused(world, lines, field, invoice_type="special"):
    before = (SupplierInvoice.objects.count(), SupplierInvoiceLine.objects.count())
    with pytest.raises(ValidationFailed) as caught:
        save(world, lines, invoice_type=invoice_type)
    assert caught.value.field == field, caught.value
    assert (SupplierInvoice.objects.count(), SupplierInvoiceLine.objects.count()) == before
    return caught.value


def test_bad_expense_lines_are_refused_naming_the_field(world, other_org):
    receipt_line = received(world)
    _refused(
        world,
        [{**expense(world), "receipt_line": receipt_line}],
        "lines.0.account",
    )
    _refused(world, [{"quantity": qty(1), "unit_price": qty(1)}], "lines.0.receipt_line")
    _refused(world, [expense(world), expense(world, "1405")], "lines.1.account")  # an asset
    _refused(world, [expense(world, "5001")], "lines.0.account")  # revenue
    _refused(world, [expense(world, "5603")], "lines.0.account")  # has sub-accounts
    closed = account(world.org, "5711")
    closed.is_active = False
    closed.save()
    _refused(world, [expense(world, "5711")], "lines.0.account")
    ensure_finance_defaults(other_org)
    foreign = Account.objects.get(organization=other_org, code="5602")
    _refused(world, [{**expense(world), "account": foreign}], "lines.0.account")
    _refused(world, [expense(world, description="  ")], "lines.0.description")
    _refused(world, [expense(world, quantity="0")], "lines.0.quantity")
    _refused(world, [expense(world, quantity="-2")], "lines.0.quantity")
    _refused(world, [expense(world, price="-1")], "lines.0.unit_price")
    _refused(world, [expense(world, quantity="100", price="1000000000000")], "lines.0.unit_price")
    _refused(world, [expense(world, percent="101")], "lines.0.tax_percent")
    _refused(world, [{**expense(world), "tax_percent": None}], "lines.0.tax_percent")
    _refused(world, [{**expense(world), "unit_price": None}], "lines.0.unit_price")
    _refused(world, [expense(world, department="销售部")], "lines.0.department")


def test_department_and_project_book_where_the_account_takes_them(world):
    admin = account(world.org, "5602")
    admin.dimensions = {"department": "required", "project": "optional"}
    admin.save()
    _refused(world, [expense(world)], "lines.0.department")
    posted = invoices.post_supplier_invoice(
        invoice=save(world, [expense(world, department="销售部", project="展会")])
    )
    line = Voucher.objects.get(origin_id=posted.pk).lines.get(account=admin)
    assert (line.department, line.project, line.debit) == ("销售部", "展会", Decimal("100.00"))


def test_account_made_inactive_after_the_draft_is_refused_at_posting(world):
    draft = save(world, [expense(world)])
    admin = account(world.org, "5602")
    admin.is_active = False
    admin.save()
    with pytest.raises(ValidationFailed) as caught:
        invoices.post_supplier_invoice(invoice=draft)
    assert caught.value.field == "lines.0.account"
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert balances(world.org) == {}


def test_database_refuses_a_line_with_both_or_neither(world):
    draft = save(world, [expense(world)])
    line = draft.lines.get()
    receipt_line = received(world)
    for receipt, acc in ((receipt_line, line.account), (None, None)):
        with pytest.raises(IntegrityError), transaction.atomic():
            SupplierInvoiceLine.objects.filter(pk=line.pk).update(receipt_line=receipt, account=acc)
