"""Purchase orders from purchase suggestions (采购建议 → 采购订单) in one step."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.purchasing.models import PurchaseOrder
from jxc.purchasing.services.common import check_lines_count, check_quantity, check_supplier
from jxc.purchasing.services.orders import save_purchase_order


def _check_line(organization, index: int, line: dict) -> None:
    prefix = f"lines.{index}"
    product, warehouse = line.get("product"), line.get("warehouse")
    if product is None or product.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown product."), field=f"{prefix}.product")
    if warehouse is None or warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown warehouse."), field=f"{prefix}.warehouse")
    if not warehouse.is_active:
        raise ValidationFailed(_("Unknown warehouse."), field=f"{prefix}.warehouse")
    supplier = line.get("supplier")
    if supplier is None:
        raise ValidationFailed(_("Choose the supplier."), field=f"{prefix}.supplier")
    check_supplier(organization, supplier, field=f"{prefix}.supplier")
    check_quantity(line.get("quantity"), f"{prefix}.quantity")
    price = line.get("unit_price")
    if price is not None and (not isinstance(price, Decimal) or price < 0):
        raise ValidationFailed(
            _("The unit price cannot be negative."), field=f"{prefix}.unit_price"
        )


@transaction.atomic
def orders_from_suggestions(*, organization, user, lines: list[dict]) -> list[PurchaseOrder]:
    """One draft purchase order per (supplier, warehouse) of the chosen suggestion lines, in
    the product's base unit, priced as any order line is (the supplier's price list, else the
    product's purchase price) unless a unit price is given. All or nothing: bad input raises
    :class:`ValidationFailed` naming ``lines.N.field`` and writes nothing."""
    if not lines:
        raise ValidationFailed(_("Choose at least one suggestion."), field="lines")
    check_lines_count(lines)
    for index, line in enumerate(lines):
        _check_line(organization, index, line)
    return draft_orders(
        organization=organization, user=user, lines=lines, note=_("From purchase suggestions")
    )


def draft_orders(*, organization, user, lines: list[dict], note) -> list[PurchaseOrder]:
    """One draft purchase order per (supplier, warehouse) of checked ``lines`` (dicts of
    supplier, warehouse, product, quantity and optionally unit, unit_price, expected_date,
    request_line), in the order the groups first appear; ``note`` is a text, or a function of
    an order's input lines giving its note. An order's error names the input
    line (``lines.N.field``). The caller holds the transaction."""
    groups: dict[tuple, list[tuple[int, dict]]] = defaultdict(list)
    for index, line in enumerate(lines):
        groups[(line["supplier"].pk, line["warehouse"].pk)].append((index, line))
    today = timezone.localdate()
    created = []
    for members in groups.values():
        first = members[0][1]
        order_lines = []
        for _index, line in members:
            entry = {"product": line["product"], "quantity": line["quantity"]}
            for optional in ("unit", "unit_price", "expected_date", "request_line", "note"):
                if line.get(optional) is not None:
                    entry[optional] = line[optional]
            order_lines.append(entry)
        try:
            order = save_purchase_order(
                organization=organization,
                user=user,
                data={
                    "supplier": first["supplier"],
                    "warehouse": first["warehouse"],
                    "business_date": today,
                    "note": note([line for _i, line in members]) if callable(note) else note,
                    "lines": order_lines,
                },
            )
        except ValidationFailed as error:  # name the input line, not the order's
            raise _renamed(error, members) from None
        created.append(order)
    return created


def _renamed(error: ValidationFailed, members) -> ValidationFailed:
    field = getattr(error, "field", None) or ""
    parts = field.split(".")
    if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
        position = int(parts[1])
        if position < len(members):
            field = f"lines.{members[position][0]}.{parts[2]}"
    elif field in ("supplier", "warehouse"):
        field = f"lines.{members[0][0]}.{field}"
    return ValidationFailed(error.message, field=field or "lines", code=error.code)
