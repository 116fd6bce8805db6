"""Purchase requests (请购单): any department asks for goods; the request is submitted for
approval (workflow's rules, ``purchase_request``), and approved lines are turned into draft
purchase orders, one per supplier and warehouse: several requests into one order, or one
request split across suppliers. Each request line keeps what was ordered of it.

The number is taken from the ``purchase_request`` series (QG…) when the request is first
submitted."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.purchasing.models import PurchaseOrder, PurchaseRequest, PurchaseRequestLine
from jxc.purchasing.services.common import (
    base_quantity,
    check_lines_count,
    check_quantity,
    check_supplier,
    number_and_submit,
)
from jxc.purchasing.services.suggestions import draft_orders
from jxc.purchasing.states import ORDERABLE_REQUEST_STATES, REQUEST_TRANSITIONS
from jxc.workflow.registry import DocumentRef

DOC_TYPE = "purchase_request"
HEADER_FIELDS = ("business_date", "department", "requester", "warehouse", "needed_by", "note")


def _build_line(request: PurchaseRequest, index: int, data: dict) -> PurchaseRequestLine:
    prefix = f"lines.{index}"
    organization_id = request.organization_id
    product = data.get("product")
    if product is None or product.organization_id != organization_id:
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
    supplier = data.get("supplier")
    if supplier is not None:
        check_supplier(request.organization, supplier, field=f"{prefix}.supplier")
    return PurchaseRequestLine(
        request=request,
        position=index,
        product=product,
        unit=unit,
        quantity=quantity,
        base_quantity=base,
        supplier=supplier,
        needed_by=data.get("needed_by") or request.needed_by,
        note=data.get("note", ""),
    )


@transaction.atomic
def save_purchase_request(*, organization, user, data: dict, request=None) -> PurchaseRequest:
    """Create or update a draft request; ``lines`` replace the request's lines. The requester
    defaults to the user who creates it."""
    data = dict(data)
    lines = data.pop("lines", None)
    if request is not None:
        request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
        if request.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    request = request or PurchaseRequest(organization=organization, created_by=user, requester=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(request, field, data[field])
    if request.business_date is None:
        request.business_date = timezone.localdate()
    if request.requester_id is None:
        request.requester = user
    if not request.warehouse_id:
        raise ValidationFailed(_("Choose the warehouse."), field="warehouse")
    if request.warehouse.organization_id != organization.pk or not request.warehouse.is_active:
        raise ValidationFailed(_("Unknown warehouse."), field="warehouse")
    if request.needed_by and request.needed_by < request.business_date:
        raise ValidationFailed(
            _("The date needed cannot be before the request's date."), field="needed_by"
        )
    check_lines_count(lines)
    built = [_build_line(request, i, line) for i, line in enumerate(lines or [])]
    request.department = (request.department or "").strip()
    request.save()
    if lines is not None:
        request.lines.all().delete()
        for line in built:
            line.request = request
        PurchaseRequestLine.objects.bulk_create(built)
    return request


def approval_ref(request: PurchaseRequest) -> DocumentRef:
    return DocumentRef(DOC_TYPE, request.pk)


@transaction.atomic
def submit_purchase_request(*, request: PurchaseRequest, user) -> PurchaseRequest:
    """Submit a draft for approval: approved at once when no approval rule applies."""
    from jxc.purchasing.selectors import purchase_request_facts

    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    transition(request, S.SUBMITTED, REQUEST_TRANSITIONS)
    if not request.lines.exists():
        raise ValidationFailed(_("Add at least one line."), field="lines")
    number_and_submit(
        request,
        doc_type=DOC_TYPE,
        user=user,
        facts=purchase_request_facts(request),
        approve=mark_approved,
    )
    return request


def mark_approved(request: PurchaseRequest) -> None:
    transition(request, S.APPROVED, REQUEST_TRANSITIONS)
    request.approved_at = timezone.now()
    request.save(update_fields=["state", "approved_at"])


@transaction.atomic
def cancel_purchase_request(*, request: PurchaseRequest) -> PurchaseRequest:
    """A draft, or an approved request nothing was ordered of yet."""
    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    if request.lines.filter(ordered_quantity__gt=0).exists():
        raise ValidationFailed(
            _("Orders were made from this request: close it instead."), field="state"
        )
    transition(request, S.CANCELLED, REQUEST_TRANSITIONS)
    request.save(update_fields=["state"])
    return request


@transaction.atomic
def close_purchase_request(*, request: PurchaseRequest) -> PurchaseRequest:
    """关闭: nothing more is ordered of it."""
    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    transition(request, S.CLOSED, REQUEST_TRANSITIONS)
    request.closed_at = timezone.now()
    request.save(update_fields=["state", "closed_at"])
    return request


def _check_choice(organization, index: int, choice: dict, seen: set) -> dict:
    prefix = f"lines.{index}"
    line = choice.get("request_line")
    if not isinstance(line, PurchaseRequestLine) or (
        line.request.organization_id != organization.pk
    ):
        raise ValidationFailed(_("Unknown request line."), field=f"{prefix}.request_line")
    if line.pk in seen:
        raise ValidationFailed(
            _("The request line is chosen twice."), field=f"{prefix}.request_line"
        )
    seen.add(line.pk)
    if line.request.state == S.DONE:
        raise ValidationFailed(
            _("The purchase request %(number)s is ordered in full.") % {"number": line.request},
            field=f"{prefix}.request_line",
        )
    if line.request.state not in ORDERABLE_REQUEST_STATES:
        raise ValidationFailed(
            _("The purchase request %(number)s is not approved or is already closed.")
            % {"number": line.request},
            field=f"{prefix}.request_line",
        )
    supplier = choice.get("supplier") or line.supplier
    if supplier is None:
        raise ValidationFailed(_("Choose the supplier."), field=f"{prefix}.supplier")
    check_supplier(organization, supplier, field=f"{prefix}.supplier")
    quantity = choice.get("quantity")
    if quantity is None:  # what is still open, in the request line's unit when none was ordered
        if line.open_quantity <= 0:
            raise ValidationFailed(
                _("Nothing is left to order on this line."), field=f"{prefix}.quantity"
            )
        if line.ordered_quantity == 0:
            unit, quantity = line.unit, line.quantity
        else:
            unit, quantity = line.product.base_unit, line.open_quantity
    else:
        check_quantity(quantity, f"{prefix}.quantity")
        unit = line.unit
    price = choice.get("unit_price")
    if price is not None and price < 0:
        raise ValidationFailed(
            _("The unit price cannot be negative."), field=f"{prefix}.unit_price"
        )
    entry = {
        "supplier": supplier,
        "warehouse": line.request.warehouse,
        "product": line.product,
        "unit": unit,
        "quantity": quantity,
        "unit_price": price,
        "expected_date": line.needed_by,
        "request_line": line,
        "note": line.note,
    }
    return entry


@transaction.atomic
def orders_from_requests(*, organization, user, lines: list[dict]) -> list[PurchaseOrder]:
    """转采购订单: chosen lines of approved requests (``request_line``, ``supplier`` — else the
    line's suggested supplier —, optionally ``quantity`` in the request line's unit — else what
    is still open — and ``unit_price``) become one draft purchase order per supplier and
    warehouse. Each order line links its request line, whose ordered quantity follows (never
    above the quantity requested). All or nothing: bad input raises :class:`ValidationFailed`
    naming ``lines.N.field`` and writes nothing."""
    if not lines:
        raise ValidationFailed(_("Choose at least one request line."), field="lines")
    check_lines_count(lines)
    seen: set[int] = set()
    entries = [_check_choice(organization, i, choice, seen) for i, choice in enumerate(lines)]
    return draft_orders(
        organization=organization,
        user=user,
        lines=entries,
        note=_note,
    )


def _note(entries: list[dict]) -> str:
    numbers = dict.fromkeys(str(entry["request_line"].request) for entry in entries)
    return (_("From purchase requests %(numbers)s") % {"numbers": ", ".join(numbers)})[:255]
