"""Channel quotas: what of the shared stock the orders of one sales channel may reserve.

Checked when a channel's order is confirmed, inside ``orders.confirm`` after the warehouse rows
of its products are locked, so the availability read here is the one the reservation follows:

- ``SalesChannel.quota_percent``: an order may take at most that share of what is available in
  its warehouse at that moment (per product, all its lines of the product together);
- ``ChannelQuota``: the channel's open reservations of a product (all its confirmed orders, all
  warehouses) plus this order stay within ``quantity``. The quota row is locked (after the stock
  rows, like every confirmation) so two orders of the channel cannot both take its last units.
"""

from collections import defaultdict
from decimal import ROUND_DOWN, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Reservation
from jxc.sales.models import ChannelQuota, SalesOrderLine
from jxc.sales.services.common import ORDER_LINE, ZERO

QUOTA_CODE = "channel_quota_exceeded"


def check_channel_quota(order, lines, stocks) -> None:
    """Refuse the confirmation of ``order`` (a channel's) beyond the channel's quota, naming the
    first line of the product at fault. ``stocks`` are the locked (product, warehouse) rows."""
    channel = order.channel
    wanted: dict[int, Decimal] = defaultdict(lambda: ZERO)
    first_index: dict[int, int] = {}
    for index, line in enumerate(lines):
        wanted[line.product_id] += line.base_quantity
        first_index.setdefault(line.product_id, index)
    if channel.quota_percent is not None:
        for product_id, quantity in wanted.items():
            stock = stocks[(product_id, order.warehouse_id)]
            available = max(stock.on_hand - stock.reserved - stock.frozen, ZERO)
            share = (available * channel.quota_percent / 100).quantize(
                Decimal("0.0001"), ROUND_DOWN
            )
            if quantity > share:
                _refuse(channel, lines[first_index[product_id]], first_index[product_id], share)
    quotas = {
        quota.product_id: quota
        for quota in ChannelQuota.objects.select_for_update()
        .filter(channel=channel, product_id__in=sorted(wanted))
        .order_by("product_id")
    }
    if not quotas:
        return
    held = _held(channel, list(quotas))
    for product_id, quota in quotas.items():
        left = max(quota.quantity - held.get(product_id, ZERO), ZERO)
        if wanted[product_id] > left:
            _refuse(channel, lines[first_index[product_id]], first_index[product_id], left)


def _held(channel, product_ids) -> dict[int, Decimal]:
    """Per product: what the channel's orders hold reserved now."""
    line_ids = SalesOrderLine.objects.filter(
        order__channel=channel, product_id__in=product_ids
    ).values_list("pk", flat=True)
    return dict(
        Reservation.objects.filter(
            organization_id=channel.organization_id,
            origin_type=ORDER_LINE,
            origin_id__in=line_ids,
            state=Reservation.State.OPEN,
        )
        .values("product_id")
        .annotate(total=Sum("quantity"))
        .values_list("product_id", "total")
    )


def _refuse(channel, line, index: int, left: Decimal) -> None:
    raise ValidationFailed(
        _(
            "Line %(n)d: channel %(channel)s may take at most %(left)s of %(product)s "
            "(its quota of the available stock)."
        )
        % {
            "n": index + 1,
            "channel": channel.name,
            "left": _plain(left),
            "product": f"{line.product.code} {line.product.name}",
        },
        field=f"lines.{index}.quantity",
        code=QUOTA_CODE,
    )


def _plain(number: Decimal) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
