"""Purchase order revisions (修订): an approved order that is not received in full is changed
through a revision that goes through the order's approval rules again (workflow, document type
``purchase_order`` with the revised figures). Until it is approved the order keeps its approved
lines, which receipts go on taking; on approval the lines are changed in place (received,
invoiced and returned quantities stay with them), the totals follow, and what is expected in
(open order lines, read by inventory) follows with them. A rejected or withdrawn revision is
cancelled and the order stays as it was.

A line may not drop below what was received of it, and a line with receipts (even drafts)
cannot be removed or change its product."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.masterdata.models import Product, TaxRate, Unit
from jxc.purchasing.models import PurchaseOrder, PurchaseOrderLine, PurchaseOrderRevision
from jxc.purchasing.selectors import revision_facts
from jxc.purchasing.services.common import check_lines_count, check_supplier, plain
from jxc.purchasing.services.orders import (
    _build_line,
    _check_no_pending_revision,
    _set_totals,
    approval_ref,
    refresh_order_state,
)
from jxc.purchasing.services.request_quantities import move_ordered
from jxc.purchasing.states import REVISABLE_ORDER_STATES
from jxc.workflow.services.approvals import submit_for_approval

EDITABLE = (
    "product", "unit", "quantity", "base_quantity", "unit_price", "tax_rate", "tax_percent",
    "tax_inclusive", "discount_percent", "expected_date", "net_amount", "tax_amount",
    "gross_amount", "note", "position",
)  # fmt: skip


def pending_revision(order: PurchaseOrder) -> PurchaseOrderRevision | None:
    return order.revisions.filter(state=S.SUBMITTED).first()


def _locked(order: PurchaseOrder) -> tuple[PurchaseOrder, dict[int, PurchaseOrderLine]]:
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)
    lines = {
        line.pk: line
        for line in PurchaseOrderLine.objects.select_for_update().filter(order=order).order_by("pk")
    }
    return order, lines


def _build(order, current: dict[int, PurchaseOrderLine], lines: list[dict]):
    """The proposed lines, checked against what was received: ``(existing line or None,
    built line)`` per input line, and the existing lines left out (removed)."""
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    check_lines_count(lines)
    built, kept = [], set()
    for index, data in enumerate(lines):
        prefix = f"lines.{index}"
        line_id = data.get("line")
        existing = None
        if line_id is not None:
            existing = current.get(getattr(line_id, "pk", line_id))
            if existing is None:
                raise ValidationFailed(_("Unknown order line."), field=f"{prefix}.line")
            if existing.pk in kept:
                raise ValidationFailed(_("The line is listed twice."), field=f"{prefix}.line")
            kept.add(existing.pk)
        line = _build_line(order, index, {**data, "line": None})
        if existing is not None:
            _check_against_progress(existing, line, prefix)
        built.append((existing, line))
    removed = [line for pk, line in current.items() if pk not in kept]
    for line in removed:
        if line.received_quantity > 0 or line.receipt_lines.exists():
            raise ValidationFailed(
                _("The line of %(product)s has receipts: it cannot be removed.")
                % {"product": line.product.name},
                field="lines",
            )
    return built, removed


def _check_against_progress(existing: PurchaseOrderLine, line: PurchaseOrderLine, prefix) -> None:
    taken = existing.received_quantity > 0 or existing.receipt_lines.exists()
    if taken and line.product_id != existing.product_id:
        raise ValidationFailed(
            _("The line has receipts: its product cannot change."), field=f"{prefix}.product"
        )
    if line.base_quantity < existing.received_quantity:
        raise ValidationFailed(
            _("The quantity cannot be below what was received (%(received)s).")
            % {"received": plain(existing.received_quantity)},
            field=f"{prefix}.quantity",
        )


def _snapshot(line: PurchaseOrderLine, existing: PurchaseOrderLine | None = None) -> dict:
    return {
        "line": existing.pk if existing is not None else line.pk,
        "product": line.product_id,
        "product_name": f"{line.product.code} {line.product.name}",
        "unit": line.unit_id,
        "unit_name": line.unit.name,
        "quantity": plain(line.quantity),
        "unit_price": plain(line.unit_price),
        "tax_rate": line.tax_rate_id,
        "tax_inclusive": line.tax_inclusive,
        "discount_percent": plain(line.discount_percent),
        "expected_date": line.expected_date.isoformat() if line.expected_date else None,
        "gross_amount": f"{line.gross_amount:f}",
        "note": line.note,
    }


def _changes(before: list[dict], after: list[dict]) -> list[dict]:
    """What differs line by line: added, removed, or changed (quantity, price, ...)."""
    old = {row["line"]: row for row in before}
    changes = []
    compared = ("product", "unit", "quantity", "unit_price", "tax_rate", "tax_inclusive",
                "discount_percent", "expected_date", "note")  # fmt: skip
    for row in after:
        previous = old.pop(row["line"], None) if row["line"] else None
        if previous is None:
            changes.append({"kind": "added", "product_name": row["product_name"], "after": row})
        elif any(previous[key] != row[key] for key in compared):
            changes.append(
                {
                    "kind": "changed",
                    "product_name": row["product_name"],
                    "before": previous,
                    "after": row,
                }  # fmt: skip
            )
    for row in old.values():
        changes.append({"kind": "removed", "product_name": row["product_name"], "before": row})
    return changes


@transaction.atomic
def revise_purchase_order(*, order: PurchaseOrder, user, reason: str, lines: list[dict]):
    """修订: propose new lines for an approved order (``line``: the order line a row changes,
    none for a new line; a line left out is removed) and submit them for approval. Approved at
    once (and applied) when no approval rule applies. Returns the revision."""
    order, current = _locked(order)
    if order.state not in REVISABLE_ORDER_STATES:
        raise ValidationFailed(
            _("Only an approved order that is not received in full can be revised."),
            field="state",
            code="not_revisable",
        )
    _check_no_pending_revision(order)
    check_supplier(order.organization, order.supplier)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why the order is revised."), field="reason")
    built, _removed = _build(order, current, lines)
    after = [_snapshot(line, existing) for existing, line in built]
    before = [_snapshot(line) for line in current.values()]
    if not _changes(before, after):
        raise ValidationFailed(_("The revision changes nothing."), field="lines")
    new_gross = _proposed_total(order, [line for _existing, line in built])
    number = (order.revisions.aggregate(n=Max("revision"))["n"] or 0) + 1
    revision = PurchaseOrderRevision.objects.create(
        order=order,
        revision=number,
        reason=reason[:255],
        before=before,
        after=after,
        changes=_changes(before, after),
        gross_before=order.gross_amount,
        gross_after=new_gross,
        created_by=user,
    )
    submission = submit_for_approval(
        organization=order.organization,
        document=approval_ref(order),
        submitter=user,
        facts=revision_facts(order, revision, [line for _existing, line in built]),
    )
    if submission.approved:
        apply_revision(order=order, revision=revision)
        revision.refresh_from_db()
    return revision


def _proposed_total(order, lines) -> Decimal:
    probe = PurchaseOrder(organization=order.organization)
    _set_totals(probe, lines)
    return probe.gross_amount


def _from_snapshot(row: dict) -> dict:
    """A stored proposed line as the input ``_build_line`` takes (read again: the product,
    unit and tax rate must still be usable when the revision is approved)."""
    return {
        "line": row["line"],
        "product": Product.objects.filter(pk=row["product"]).first(),
        "unit": Unit.objects.filter(pk=row["unit"]).first(),
        "quantity": Decimal(row["quantity"]),
        "unit_price": Decimal(row["unit_price"]),
        "tax_rate": TaxRate.objects.filter(pk=row["tax_rate"]).first() if row["tax_rate"] else None,
        "tax_inclusive": row["tax_inclusive"],
        "discount_percent": Decimal(row["discount_percent"]),
        "expected_date": datetime.date.fromisoformat(row["expected_date"])
        if row["expected_date"]
        else None,
        "note": row["note"],
    }


def apply_revision(*, order: PurchaseOrder, revision: PurchaseOrderRevision) -> PurchaseOrder:
    """The approved revision takes effect: the order's lines become the proposed ones. Checked
    again against what was received meanwhile (a failure keeps the approval undecided). The
    caller holds the transaction."""
    order, current = _locked(order)
    revision = PurchaseOrderRevision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != S.SUBMITTED or order.state not in REVISABLE_ORDER_STATES:
        raise ValidationFailed(
            _("Only an approved order that is not received in full can be revised."),
            field="state",
            code="not_revisable",
        )
    built, removed = _build(order, current, [_from_snapshot(row) for row in revision.after])
    # purchase requests the lines came from follow the quantities ordered of them
    for existing, line in built:
        if existing is not None:
            line.request_line_id = existing.request_line_id
    moved = [
        (index, existing, line)
        for index, (existing, line) in enumerate(built)
        if existing is None
        or (existing.base_quantity, existing.product_id) != (line.base_quantity, line.product_id)
    ]
    move_ordered(
        order.organization,
        removed + [existing for _i, existing, _line in moved if existing is not None],
        [(index, line) for index, _existing, line in moved],
    )
    for existing, line in built:
        if existing is None:
            line.order = order
            line.save()
            continue
        for field in EDITABLE:
            setattr(existing, field, getattr(line, field))
        existing.save(update_fields=list(EDITABLE))
    PurchaseOrderLine.objects.filter(pk__in=[line.pk for line in removed]).delete()
    _set_totals(order, [existing or line for existing, line in built])
    order.revision = revision.revision
    order.save(update_fields=["net_amount", "tax_amount", "gross_amount", "revision"])
    revision.state, revision.decided_at = S.APPROVED, timezone.now()
    revision.save(update_fields=["state", "decided_at"])
    refresh_order_state(order)
    return order


def reject_revision(*, order: PurchaseOrder) -> None:
    """Rejected or withdrawn: the revision is cancelled; the order stays as approved."""
    revision = pending_revision(order)
    if revision is not None:
        revision.state, revision.decided_at = S.CANCELLED, timezone.now()
        revision.save(update_fields=["state", "decided_at"])
