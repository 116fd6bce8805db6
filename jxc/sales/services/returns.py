"""Sales returns (销售退货单) against a delivery: goods come back from the customer into a
chosen location (saleable or quarantine) at the unit cost they left with, reversing the cost of
goods sold (Dr 1405 / Cr 5401 by default); what of them was invoiced is credited in red (revenue,
output VAT and the receivable), in the same transaction.

A free-standing return (no delivery: goods sold before the system, or whose delivery is not
known) names the customer and, per line, the product and quantity; the goods come back at the
cost the line gives, else at the product's current cost (what inventory values stock coming in
without a cost at: the average of the stock on hand, else the last cost, else the purchase
price). Lines with a price (tax included, per base unit) are credited in red like invoiced
goods; lines without one are not credited (the customer was not charged through the system)."""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.models import StockMove
from jxc.inventory.services.moves import HOLDS_STOCK, MoveRequest, post_moves
from jxc.masterdata.models import Product
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.sales.models import DeliveryLine, SalesReturn, SalesReturnLine
from jxc.sales.services.common import DELIVERY_LINE, MAX_LINES, RETURN_LINE, ZERO, positive
from jxc.sales.services.invoices import credit_free_return, credit_returned

TRANSITIONS = {S.DRAFT: {S.DONE, S.CANCELLED}}
DOC_TYPE = "sales_return"
SOURCE = "sales.salesreturn"
HEADER = ("business_date", "delivery", "customer", "location", "reason", "note")
MAX_TAX = Decimal(100)


def returnable(line: DeliveryLine) -> Decimal:
    return line.quantity - line.returned_quantity


def _over(index, line, quantity):
    return ValidationFailed(
        _("Line %(n)d: %(asked)s is more than the %(open)s delivered and not returned.")
        % {"n": index + 1, "asked": quantity.normalize(), "open": returnable(line).normalize()},
        field=f"lines.{index}.quantity",
        code="over_returned",
    )


def _not_negative(value, field: str):
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationFailed(_("Enter an amount of zero or more."), field=field)
    return value


def _free_line(sales_return, index: int, data: dict) -> SalesReturnLine:
    """A line of a free-standing return: product, quantity, and optionally cost and price."""
    field = f"lines.{index}"
    product = data.get("product")
    if not isinstance(product, Product) or product.organization_id != sales_return.organization_id:
        raise ValidationFailed(_("Choose a product."), field=f"{field}.product")
    if data.get("delivery_line") is not None:
        raise ValidationFailed(
            _("A free-standing return has no delivery lines."), field=f"{field}.delivery_line"
        )
    quantity = positive(data.get("quantity"), f"{field}.quantity")
    price = _not_negative(data.get("unit_price"), f"{field}.unit_price")
    tax = _not_negative(data.get("tax_percent"), f"{field}.tax_percent")
    if tax is not None and tax > MAX_TAX:
        raise ValidationFailed(
            _("Enter a tax rate of at most 100 %."), field=f"{field}.tax_percent"
        )
    if price is not None and tax is None:
        tax = product.tax_rate.rate if product.tax_rate_id else Decimal(0)
    return SalesReturnLine(
        sales_return=sales_return, position=index, product=product, quantity=quantity,
        unit_cost=_not_negative(data.get("unit_cost"), f"{field}.unit_cost"),
        unit_price=price, tax_percent=tax if price is not None else None,
    )  # fmt: skip


def _build_line(sales_return, index: int, data: dict) -> SalesReturnLine:
    if sales_return.delivery_id is None:
        return _free_line(sales_return, index, data)
    line = data.get("delivery_line")
    if line is None:
        raise ValidationFailed(_("Choose the delivery line."), field=f"lines.{index}.delivery_line")
    if line.delivery_id != sales_return.delivery_id:
        raise ValidationFailed(
            _("This line is not of the returned delivery."), field=f"lines.{index}.delivery_line"
        )
    quantity = positive(data.get("quantity"), f"lines.{index}.quantity")
    if quantity > returnable(line):
        raise _over(index, line, quantity)
    return SalesReturnLine(
        sales_return=sales_return,
        position=index,
        delivery_line=line,
        product_id=line.product_id,
        quantity=quantity,
    )


@transaction.atomic
def save_sales_return(*, organization, user, data: dict, sales_return=None) -> SalesReturn:
    """Create or update a draft; ``lines`` (delivery line, base quantity) replace its lines;
    without lines, everything of the delivery not returned yet."""
    data = dict(data)
    lines = data.pop("lines", None)
    if sales_return is not None:
        sales_return = SalesReturn.objects.select_for_update().get(pk=sales_return.pk)
        if sales_return.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    sales_return = sales_return or SalesReturn(organization=organization, created_by=user)
    for name in HEADER:
        if name in data:
            setattr(sales_return, name, data[name])
    delivery = sales_return.delivery
    if delivery is not None:
        if delivery.organization_id != organization.pk or delivery.state != S.DONE:
            raise ValidationFailed(_("Choose a posted delivery."), field="delivery")
        sales_return.customer_id = delivery.customer_id
    elif sales_return.customer_id is None:
        raise ValidationFailed(
            _("Choose the delivery, or the customer of a free-standing return."), field="customer"
        )
    elif sales_return.customer.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown customer."), field="customer")
    location = getattr(sales_return, "location", None) if sales_return.location_id else None
    if location is None:
        raise ValidationFailed(_("Choose a location that holds stock."), field="location")
    if location.organization_id != organization.pk or location.kind not in HOLDS_STOCK:
        raise ValidationFailed(_("Choose a location that holds stock."), field="location")
    if lines is None and sales_return.pk is None and delivery is not None:
        lines = [
            {"delivery_line": line, "quantity": returnable(line)}
            for line in delivery.lines.order_by("position", "pk")
            if returnable(line) > 0
        ]
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    built = [_build_line(sales_return, i, line) for i, line in enumerate(lines or [])]
    sales_return.save()
    if lines is not None:
        sales_return.lines.all().delete()
        for line in built:
            line.sales_return = sales_return
        SalesReturnLine.objects.bulk_create(built)
    return sales_return


def _moves(line: SalesReturnLine, delivered: list[StockMove], source, target) -> list:
    """The return of ``line``: from the delivery's own moves (their lots and serials) in the
    order they left, at the unit cost each left with."""
    remaining, moves = line.quantity, []
    for move in delivered:
        take = min(remaining, move._left)
        if take <= 0:
            continue
        move._left -= take
        moves.append(
            MoveRequest(
                product=line.product, quantity=take, from_location=source, to_location=target,
                lot=move.lot, serial=move.serial.serial if move.serial_id else "",
                unit_cost=move.unit_cost, origin_type=RETURN_LINE, origin_id=line.pk,
            )
        )  # fmt: skip
        remaining -= take
        if remaining <= 0:
            break
    return moves


@transaction.atomic
def post_sales_return(*, sales_return: SalesReturn, user=None) -> SalesReturn:
    sales_return = (
        SalesReturn.objects.select_for_update(of=("self",))
        .select_related("delivery", "location", "customer", "organization")
        .get(pk=sales_return.pk)
    )
    organization = sales_return.organization
    transition(sales_return, S.DONE, TRANSITIONS)
    lines = list(sales_return.lines.select_related("product__base_unit").order_by("position"))
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    sales_return.number = next_number(
        organization=organization, doc_type=DOC_TYPE, on_date=sales_return.business_date
    )
    source = ensure_virtual_locations(organization)["customer"]
    if sales_return.delivery_id is None:
        _post_free(sales_return, lines, source, user)
    else:
        _post_delivered(sales_return, lines, source, user)
    sales_return.posted_at = timezone.now()
    sales_return.save()
    return sales_return


def _post_moves(sales_return, moves):
    return post_moves(
        organization=sales_return.organization, moves=moves,
        business_date=sales_return.business_date, reference=sales_return.number,
        savepoint=False, source=(SOURCE, sales_return.pk),
    )  # fmt: skip


def _post_free(sales_return, lines, source, user) -> None:
    """Goods come back at the line's cost, else at what inventory values them at now."""
    moves = [
        MoveRequest(
            product=line.product, quantity=line.quantity, from_location=source,
            to_location=sales_return.location, unit_cost=line.unit_cost,
            origin_type=RETURN_LINE, origin_id=line.pk,
        )
        for line in lines
    ]  # fmt: skip
    records = _post_moves(sales_return, moves)
    cost = {record.origin_id: record.unit_cost for record in records}
    for line in lines:
        line.unit_cost = cost.get(line.pk, line.unit_cost)
    SalesReturnLine.objects.bulk_update(lines, ["unit_cost"])
    priced = [line for line in lines if line.unit_price is not None and line.unit_price > 0]
    if priced:
        sales_return.credit_note = credit_free_return(
            sales_return=sales_return, lines=priced, user=user
        )


def _post_delivered(sales_return, lines, source, user) -> None:
    locked = {
        row.pk: row
        for row in DeliveryLine.objects.select_for_update(of=("self",))
        .filter(pk__in=sorted({x.delivery_line_id for x in lines}))
        .order_by("pk")
        .select_related("order_line__order__currency")
    }
    delivered = defaultdict(list)
    for move in (
        StockMove.objects.filter(origin_type=DELIVERY_LINE, origin_id__in=list(locked))
        .select_related("lot", "serial")
        .order_by("pk")
    ):
        delivered[move.origin_id].append(move)
    # what earlier returns took back of each move, in the same order
    for pk, row in locked.items():
        already = row.returned_quantity
        for move in delivered[pk]:
            move._left = move.quantity - min(already, move.quantity)
            already -= min(already, move.quantity)
    moves, credits = [], []
    for index, line in enumerate(lines):
        row = locked[line.delivery_line_id]
        if line.quantity > returnable(row):
            raise _over(index, row, line.quantity)
        found = _moves(line, delivered[row.pk], source, sales_return.location)
        if found:
            line.unit_cost = found[0].unit_cost
        moves += found
        invoiced_left = row.quantity - row.returned_quantity - line.quantity
        row.returned_quantity += line.quantity
        credited = max(row.invoiced_quantity - max(invoiced_left, ZERO), ZERO)
        if credited:
            row.invoiced_quantity -= credited
            credits.append((row, credited))
    _post_moves(sales_return, moves)
    DeliveryLine.objects.bulk_update(locked.values(), ["returned_quantity", "invoiced_quantity"])
    SalesReturnLine.objects.bulk_update(lines, ["unit_cost"])
    if credits:
        sales_return.credit_note = credit_returned(
            sales_return=sales_return, credits=credits, user=user
        )


@transaction.atomic
def cancel_sales_return(*, sales_return: SalesReturn) -> SalesReturn:
    sales_return = SalesReturn.objects.select_for_update().get(pk=sales_return.pk)
    transition(sales_return, S.CANCELLED, TRANSITIONS)
    sales_return.save(update_fields=["state"])
    return sales_return
