"""出入库成本调整单: revalue the stock of products on hand on a date, without moving it.

Each line gives an amount to add (negative to take away) or the new unit cost of what is on
hand at the end of the date. Posting writes one value-only move per line into the warehouse,
so the ledger, the valuation and the period summary all carry the change; moves after the date
are re-valued like after any back-dated move.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.domain.costing import CannotRevalue, money
from jxc.inventory.locks import lock_valuations
from jxc.inventory.models import CostAdjustment, CostAdjustmentLine
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.inventory.services.revaluation import running_before
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.masterdata.services.locations import warehouse_root

TRANSITIONS = {S.DRAFT: {S.DONE, S.CANCELLED}}
DOC_TYPE = "cost_adjustment"
ORIGIN = "inventory.costadjustmentline"
MAX_LINES = 1000
ZERO = Decimal(0)


def _build_line(organization, index: int, data: dict, seen: set) -> CostAdjustmentLine:
    def fail(message, field):
        raise ValidationFailed(message, field=f"lines.{index}.{field}")

    product = data["product"]
    if product.organization_id != organization.pk:
        fail(_("Unknown product."), "product")
    if product.pk in seen:
        fail(_("This product is already on another line."), "product")
    seen.add(product.pk)
    amount, new_cost = data.get("amount"), data.get("new_unit_cost")
    if (amount is None) == (new_cost is None):
        fail(_("Enter either the adjustment amount or the new unit cost."), "amount")
    if amount is not None and amount == 0:
        fail(_("The adjustment amount cannot be zero."), "amount")
    if new_cost is not None and new_cost < 0:
        fail(_("The unit cost cannot be negative."), "new_unit_cost")
    return CostAdjustmentLine(
        position=index,
        product=product,
        amount=amount,
        new_unit_cost=new_cost,
        note=data.get("note", ""),
    )


@transaction.atomic
def save_cost_adjustment(*, organization, user, data: dict, document=None) -> CostAdjustment:
    """Create or update a draft; ``lines`` replace the document's lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    if document is not None and document.state != S.DRAFT:
        raise ValidationFailed(_("Only drafts can be changed."), field="state")
    document = document or CostAdjustment(organization=organization, created_by=user)
    for field in ("business_date", "warehouse", "reason", "note"):
        if field in data:
            setattr(document, field, data[field])
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    seen: set[int] = set()
    built = [_build_line(organization, i, line, seen) for i, line in enumerate(lines or [])]
    document.save()
    if lines is not None:
        document.lines.all().delete()
        for line in built:
            line.document = document
        CostAdjustmentLine.objects.bulk_create(built)
    return document


def _measure(line: CostAdjustmentLine, index: int, day: datetime.date) -> None:
    """Fill what the line finds on hand at the end of ``day`` and the change it makes."""
    running = running_before(line.product, day + datetime.timedelta(days=1))
    if running.quantity <= 0:
        raise ValidationFailed(
            _("There is no stock of %(product)s on %(date)s to revalue.")
            % {"product": line.product.name, "date": day.isoformat()},
            field=f"lines.{index}.product",
        )
    line.quantity, line.value_before = running.quantity, running.value
    if line.new_unit_cost is not None:
        change = money(line.new_unit_cost * running.quantity) - running.value
    else:
        change = money(line.amount)
    try:
        running.revalue(change)
    except CannotRevalue:
        raise ValidationFailed(
            _("This would make the value of %(product)s negative (it is %(value)s).")
            % {"product": line.product.name, "value": running.value},
            field=f"lines.{index}.amount",
        ) from None
    line.value_change = change


@transaction.atomic
def post_cost_adjustment(*, document: CostAdjustment) -> CostAdjustment:
    document = (
        CostAdjustment.objects.select_for_update(of=("self",))
        .select_related("organization", "warehouse")
        .get(pk=document.pk)
    )
    lines = list(document.lines.select_related("product__base_unit"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    transition(document, S.DONE, TRANSITIONS)
    organization = document.organization
    lock_valuations(organization, [line.product_id for line in lines])  # measure what is there
    for index, line in enumerate(lines):
        _measure(line, index, document.business_date)
    document.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=document.business_date
    )
    source = ensure_virtual_locations(organization)["inventory_loss"]
    target = warehouse_root(document.warehouse)
    post_moves(
        organization=organization,
        business_date=document.business_date,
        reference=document.number,
        moves=[
            MoveRequest(
                product=line.product,
                quantity=ZERO,
                from_location=source,
                to_location=target,
                value_only=True,
                value=line.value_change,
                origin_type=ORIGIN,
                origin_id=line.pk,
            )
            for line in lines
        ],
        savepoint=False,
        source=("inventory.costadjustment", document.pk),
    )
    CostAdjustmentLine.objects.bulk_update(lines, ["quantity", "value_before", "value_change"])
    document.posted_at = timezone.now()
    document.save()
    return document


@transaction.atomic
def cancel_cost_adjustment(*, document: CostAdjustment) -> CostAdjustment:
    transition(document, S.CANCELLED, TRANSITIONS)
    document.save()
    return document
