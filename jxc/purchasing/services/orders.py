"""Purchase orders (采购订单): drafted, submitted for approval (workflow's rules), approved,
then received in one or more receipts; closing an order releases what is still open.

An approved order is not edited: changes after approval go through a revision that is approved
again (``services/revisions.py``). A line's price defaults to the supplier's accepted quote
(询价), else its price list, else the product's purchase price.
The number is taken from the ``purchase_order`` series when the order is first submitted.
"""

from decimal import Decimal

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.audit import update_statements
from jxc.core.batch import run_statements
from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import TaxedAmount, document_tax, line_tax
from jxc.masterdata.selectors import price_for
from jxc.purchasing.models import PurchaseOrder, PurchaseOrderLine
from jxc.purchasing.selectors import accepted_quote_price
from jxc.purchasing.services.common import (
    ZERO,
    base_quantity,
    check_lines_count,
    check_quantity,
    check_supplier,
    currency_and_rate,
)
from jxc.purchasing.services.loading import insert_document, load_order_for_approval
from jxc.purchasing.services.request_quantities import move_ordered
from jxc.purchasing.states import ORDER_TRANSITIONS
from jxc.workflow.errors import AwaitingApproval
from jxc.workflow.registry import DocumentRef
from jxc.workflow.services.approvals import submit_for_approval

DOC_TYPE = "purchase_order"
HEADER_FIELDS = ("business_date", "supplier", "currency", "warehouse", "note", "payment_days")


def _build_line(order: PurchaseOrder, index: int, data: dict) -> PurchaseOrderLine:
    prefix = f"lines.{index}"
    product = data.get("product")
    if product is None or product.organization_id != order.organization_id:
        raise ValidationFailed(_("Unknown product."), field=f"{prefix}.product")
    if not product.is_active:
        raise ValidationFailed(
            _("The product %(product)s is inactive.") % {"product": product.name},
            field=f"{prefix}.product",
        )
    unit = data.get("unit") or product.base_unit
    quantity = data.get("quantity")
    check_quantity(quantity, f"{prefix}.quantity")
    base = base_quantity(product, unit, quantity, f"{prefix}.unit")
    price, inclusive, discount = data.get("unit_price"), data.get("tax_inclusive"), None
    accepted = None
    if price is None:
        accepted = accepted_quote_price(order=order, product=product, base=base)
    if accepted is not None:  # the supplier's accepted quote (询价)
        price = accepted[0] * (base / quantity)
        inclusive = accepted[1] if inclusive is None else inclusive
    if price is None:  # from the supplier's price list, else the product's purchase price
        quote = price_for(
            partner=order.supplier,
            product=product,
            quantity=base,
            on_date=order.business_date,
            kind="purchase",
        )
        price = quote.price * (base / quantity)  # the list prices the base unit
        discount = quote.discount_percent
        inclusive = quote.tax_included if inclusive is None else inclusive
    if price < 0:
        raise ValidationFailed(
            _("The unit price cannot be negative."), field=f"{prefix}.unit_price"
        )
    discount = data.get("discount_percent", discount) or ZERO
    if discount < 0 or discount > 100:
        raise ValidationFailed(
            _("The discount is between 0 and 100 %."), field=f"{prefix}.discount_percent"
        )
    # the product's default tax rate unless the line names one (or none: null)
    tax_rate = data.get("tax_rate", product.tax_rate)
    if tax_rate is not None and tax_rate.organization_id != order.organization_id:
        raise ValidationFailed(_("Unknown tax rate."), field=f"{prefix}.tax_rate")
    percent = tax_rate.rate if tax_rate is not None else ZERO
    inclusive = True if inclusive is None else inclusive
    amount = price * quantity * (100 - discount) / 100
    taxed = line_tax(amount, percent, inclusive=inclusive)
    return PurchaseOrderLine(
        order=order,
        position=index,
        product=product,
        unit=unit,
        quantity=quantity,
        base_quantity=base,
        unit_price=price.quantize(Decimal("0.000001")),
        tax_rate=tax_rate,
        tax_percent=percent,
        tax_inclusive=inclusive,
        discount_percent=discount,
        expected_date=data.get("expected_date"),
        net_amount=taxed.net,
        tax_amount=taxed.tax,
        gross_amount=taxed.gross,
        note=data.get("note", ""),
        request_line=data.get("request_line"),
        supplier_quote=data.get("supplier_quote"),
    )


def _set_totals(order: PurchaseOrder, lines: list[PurchaseOrderLine]) -> None:
    """The totals are the sums of the lines (rounded per line, half-up); the document check
    compares them with the tax of the totals per rate."""
    total = document_tax([(line_tax_of(line), line.tax_percent) for line in lines])
    order.net_amount, order.tax_amount, order.gross_amount = total.net, total.tax, total.gross


def line_tax_of(line) -> TaxedAmount:
    return TaxedAmount(net=line.net_amount, tax=line.tax_amount, gross=line.gross_amount)


@transaction.atomic
def save_purchase_order(*, organization, user, data: dict, order=None) -> PurchaseOrder:
    """Create or update a draft order; ``lines`` replace the order's lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    if order is not None:
        order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
        if order.state in (S.APPROVED, S.PARTIALLY_DONE, S.DONE, S.CLOSED):
            raise ValidationFailed(
                _("An approved order cannot be changed: it needs a revision."),
                field="state",
                code="order_approved",
            )
        if order.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    order = order or PurchaseOrder(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(order, field, data[field])
    if order.business_date is None:
        order.business_date = timezone.localdate()
    supplier = getattr(order, "supplier", None) if order.supplier_id else None
    check_supplier(organization, supplier)
    if not order.warehouse_id:
        raise ValidationFailed(_("Choose the warehouse."), field="warehouse")
    if order.warehouse.organization_id != organization.pk or not order.warehouse.is_active:
        raise ValidationFailed(_("Unknown warehouse."), field="warehouse")
    if "currency" not in data and not order.currency_id:
        order.currency = supplier.currency
    order.currency, order.rate = currency_and_rate(
        organization, order.currency if order.currency_id else None, order.business_date
    )
    if not order.payment_terms:
        order.payment_terms = supplier.payment_terms
        if "payment_days" not in data:
            order.payment_days = supplier.payment_days
    check_lines_count(lines)
    if lines is not None:
        built = [_build_line(order, i, line) for i, line in enumerate(lines)]
    else:
        built = list(order.lines.all()) if order.pk else []
    _set_totals(order, built)
    if order.pk is None:  # a new order has no lines to replace
        move_ordered(organization, [], list(enumerate(built)))
        insert_document(order, built, line_model=PurchaseOrderLine, parent="order")
        return order
    order.save()
    if lines is not None:
        previous = list(order.lines.all())
        move_ordered(organization, previous, list(enumerate(built)))
        if previous:
            order.lines.all().delete()
        for line in built:
            line.order = order
        PurchaseOrderLine.objects.bulk_create(built)
    return order


def approval_ref(order: PurchaseOrder) -> DocumentRef:
    return DocumentRef(DOC_TYPE, order.pk)


@transaction.atomic
def submit_purchase_order(*, order: PurchaseOrder, user) -> PurchaseOrder:
    """Submit a draft for approval: approved at once when no approval rule applies."""
    loaded = load_order_for_approval(order, DOC_TYPE)
    order, lines = loaded.order, loaded.lines
    transition(order, S.SUBMITTED, ORDER_TRANSITIONS)
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    check_supplier(order.organization, order.supplier)
    if loaded.awaiting:  # as submitting would find (the order is a draft: hardly ever)
        raise AwaitingApproval(field="document")
    if not order.number:
        order.number = next_number(
            organization=order.organization,
            doc_type=DOC_TYPE,
            on_date=order.business_date,
            series=loaded.series,
        )
    if not loaded.ruled:  # no rule can apply: approved at once, in one write
        transition(order, S.APPROVED, ORDER_TRANSITIONS)
        order.approved_at = timezone.now()
        connection = connections[router.db_for_write(PurchaseOrder)]
        run_statements(
            connection, update_statements(connection, order, ["state", "number", "approved_at"])
        )
        return order
    return _submit_to_workflow(order, lines, user)


def _submit_to_workflow(order: PurchaseOrder, lines, user) -> PurchaseOrder:
    from jxc.purchasing.selectors import purchase_order_facts

    order.save(update_fields=["state", "number"])
    submission = submit_for_approval(
        organization=order.organization,
        document=approval_ref(order),
        submitter=user,
        facts=purchase_order_facts(order, lines),
    )
    if submission.approved:
        mark_approved(order)
    return order


def mark_approved(order: PurchaseOrder) -> None:
    transition(order, S.APPROVED, ORDER_TRANSITIONS)
    order.approved_at = timezone.now()
    order.save(update_fields=["state", "approved_at"])


@transaction.atomic
def cancel_purchase_order(*, order: PurchaseOrder) -> PurchaseOrder:
    """A draft, or an approved order nothing was received against yet."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    _check_no_pending_revision(order)
    if order.state == S.APPROVED and order.lines.filter(received_quantity__gt=0).exists():
        raise ValidationFailed(
            _("Goods were received against this order: close it instead."), field="state"
        )
    transition(order, S.CANCELLED, ORDER_TRANSITIONS)
    order.save(update_fields=["state"])
    # what it ordered of purchase requests is open on them again
    move_ordered(order.organization, list(order.lines.all()), [])
    return order


@transaction.atomic
def close_purchase_order(*, order: PurchaseOrder) -> PurchaseOrder:
    """关闭: nothing more is received; the open remainder is no longer expected in."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    _check_no_pending_revision(order)
    transition(order, S.CLOSED, ORDER_TRANSITIONS)
    order.closed_at = timezone.now()
    order.save(update_fields=["state", "closed_at"])
    return order


def _check_no_pending_revision(order: PurchaseOrder) -> None:
    """A revision awaiting approval is decided first (or withdrawn)."""
    if order.revisions.filter(state=S.SUBMITTED).exists():
        raise ValidationFailed(
            _("A revision of this order is awaiting approval."),
            field="state",
            code="revision_pending",
        )


def refresh_order_state(order: PurchaseOrder) -> None:
    """After a receipt: received in full (every line) → done; some → partially done. The
    caller holds the order's lines locked."""
    if order.state not in (S.APPROVED, S.PARTIALLY_DONE, S.DONE):
        return
    state = received_state(list(order.lines.all()))
    if state != order.state:
        order.state = state
        order.save(update_fields=["state"])


def received_state(lines) -> str:
    """The state of an open order with ``lines`` as received so far."""
    if all(line.received_quantity >= line.base_quantity for line in lines):
        return S.DONE
    if any(line.received_quantity > 0 for line in lines):
        return S.PARTIALLY_DONE
    return S.APPROVED


def open_quantity(line: PurchaseOrderLine) -> Decimal:
    """Ordered and not yet received (base unit), never below zero."""
    return max(line.base_quantity - line.received_quantity, ZERO)
