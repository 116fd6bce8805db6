"""What purchase orders take from purchase request lines (请购单 → 采购订单): the request line's
ordered quantity follows its order lines, locked, never above the quantity requested; the
request's state follows its lines (partially ordered, ordered)."""

from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.purchasing.models import PurchaseRequest, PurchaseRequestLine
from jxc.purchasing.states import ORDERABLE_REQUEST_STATES

ZERO = Decimal(0)


def move_ordered(organization, released: list, taken: list) -> None:
    """Give back ``released`` (order lines leaving: cancelled, or replaced) and take ``taken``
    (``(index, order_line)`` pairs of new order lines, naming ``lines.N``) from their request
    lines, locked in key order. Taking needs an approved request line of the same product with
    enough still open."""
    ids = {line.request_line_id for line in released if line.request_line_id}
    ids |= {line.request_line_id for _i, line in taken if line.request_line_id}
    if not ids:
        return
    locked = {
        line.pk: line
        # the requests too: their state follows their lines' ordered quantities
        for line in PurchaseRequestLine.objects.select_for_update(of=("self", "request"))
        .filter(pk__in=sorted(ids))
        .select_related("request")
        .order_by("pk")
    }
    delta: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in released:
        if line.request_line_id in locked:
            delta[line.request_line_id] -= line.base_quantity
    for index, line in taken:
        if not line.request_line_id:
            continue
        prefix = f"lines.{index}"
        source = locked.get(line.request_line_id)
        if source is None or source.request.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown request line."), field=f"{prefix}.request_line")
        if source.product_id != line.product_id:
            raise ValidationFailed(
                _("The product differs from the request line's."), field=f"{prefix}.product"
            )
        # ordered in full (done) still takes back what this same change released
        if source.request.state not in (*ORDERABLE_REQUEST_STATES, S.DONE):
            raise ValidationFailed(
                _("The purchase request %(number)s is not approved or is already closed.")
                % {"number": source.request},
                field=f"{prefix}.request_line",
            )
        delta[source.pk] += line.base_quantity
        if source.ordered_quantity + delta[source.pk] > source.base_quantity:
            raise ValidationFailed(
                _("More than the request line still needs (%(open)s).")
                % {"open": f"{source.open_quantity.normalize():f}"},
                field=f"{prefix}.quantity",
            )
    requests = {}
    for pk, change in delta.items():
        if change == 0:
            continue
        source = locked[pk]
        source.ordered_quantity = max(source.ordered_quantity + change, ZERO)
        source.save(update_fields=["ordered_quantity"])
        requests[source.request_id] = source.request_id
    for request_id in sorted(requests):
        refresh_request_state(PurchaseRequest.objects.select_for_update().get(pk=request_id))


def refresh_request_state(request: PurchaseRequest) -> None:
    """Every line ordered in full → ordered (done); some → partially ordered; none → approved.
    A closed or cancelled request keeps its state."""
    if request.state not in (S.APPROVED, S.PARTIALLY_DONE, S.DONE):
        return
    lines = list(request.lines.all())
    if lines and all(line.ordered_quantity >= line.base_quantity for line in lines):
        state = S.DONE
    elif any(line.ordered_quantity > 0 for line in lines):
        state = S.PARTIALLY_DONE
    else:
        state = S.APPROVED
    if state != request.state:
        request.state = state
        request.save(update_fields=["state"])
