"""Splitting an order across warehouses (拆单): a draft order's lines, or part of a line, move to
a new draft order shipping from another warehouse. Each order keeps one warehouse, so its
reservation, availability policy and deliveries stay as they are; the new order points back
through ``split_from`` and keeps the channel, customer, address and prices."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState as S
from jxc.sales.models import SalesOrder
from jxc.sales.services.common import positive
from jxc.sales.services.orders import HEADER, _as_data, save_sales_order


def _moved(order: SalesOrder, lines: list[dict]) -> dict[int, object]:
    """Per order line id, the quantity (in the line's unit) that moves."""
    if not lines:
        raise ValidationFailed(_("Choose the lines to move."), field="lines")
    moved = {}
    own = {line.pk: line for line in order.lines.all()}
    for index, item in enumerate(lines):
        line = item.get("line")
        if line is None or line.pk not in own:
            raise ValidationFailed(_("Not a line of this order."), field=f"lines.{index}.line")
        if line.pk in moved:
            raise ValidationFailed(_("This line is named twice."), field=f"lines.{index}.line")
        quantity = positive(item.get("quantity"), f"lines.{index}.quantity")
        if quantity > own[line.pk].quantity:
            raise ValidationFailed(
                _("At most %(n)s can move.") % {"n": own[line.pk].quantity},
                field=f"lines.{index}.quantity",
            )
        moved[line.pk] = quantity
    return moved


@transaction.atomic
def split_sales_order(*, order: SalesOrder, user, warehouse, lines: list[dict]) -> SalesOrder:
    """Move ``lines`` ([{line, quantity}]) of a draft to a new draft shipping from
    ``warehouse``; returns the new order."""
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    if order.state != S.DRAFT:
        raise ValidationFailed(_("Only drafts can be split."), field="state")
    if warehouse is None or warehouse.organization_id != order.organization_id:
        raise ValidationFailed(_("Choose an active warehouse."), field="warehouse")
    if warehouse.pk == order.warehouse_id:
        raise ValidationFailed(_("Choose another warehouse than the order's."), field="warehouse")
    moved = _moved(order, lines)
    staying, leaving = [], []
    for line in order.lines.all():
        data = _as_data(line)
        part = moved.get(line.pk)
        if part is not None:
            leaving.append({**data, "quantity": part})
        if part is None or part < line.quantity:
            staying.append({**data, "quantity": line.quantity - (part or 0)})
    if not staying:
        raise ValidationFailed(
            _("Leave at least one line on the order (or change its warehouse)."), field="lines"
        )
    header = {name: getattr(order, name) for name in HEADER}
    new = save_sales_order(
        organization=order.organization,
        user=user,
        data={
            **header,
            "warehouse": warehouse,
            "channel": order.channel,
            "split_from": order,
            "lines": leaving,
        },  # fmt: skip
    )
    save_sales_order(
        organization=order.organization, user=user, data={"lines": staying}, order=order
    )
    return new
