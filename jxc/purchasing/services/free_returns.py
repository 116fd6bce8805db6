"""Free-standing purchase returns (无来源退货): goods sent back to a supplier without the
receipt they came in on (received before the system, or the receipt is not known).

The return names the supplier and the warehouse; each line the product, the bin, the lot or
serial (which must be in stock there), the quantity, and the price the supplier credits (per
base unit, with its VAT rate and whether it includes VAT, as on an invoice line). Posting
issues the goods to the supplier at the current cost through inventory's move service
(Dr 220202 / Cr 1405, the ``out`` of the return line), then books the supplier's credit like
the invoiced part of a receipt's return: ``returned`` (Dr 1123 / Cr 220202: the stock's value),
``input_vat_returned`` (Dr 1123 / Cr 22210101: the input VAT in red) and ``price_difference``
(Dr 1123 / Cr 5401: the credited net less the stock's value, the purchase price variance).
The supplier owes the gross: an AP credit (a negative payable item) to refund or offset.
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.domain.tax import line_tax, money
from jxc.finance.services.posting import Entry, post_entries
from jxc.inventory.models import Lot, SerialNumber
from jxc.inventory.selectors import on_hand
from jxc.inventory.services.moves import HOLDS_STOCK, MoveRequest, post_moves
from jxc.masterdata.models import Location, Product
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.purchasing.models import PurchaseReturnLine
from jxc.purchasing.services.accounting import RETURN, RETURN_LINE
from jxc.purchasing.services.common import ZERO, check_quantity, plain

PRICE = Decimal("0.000001")
MAX_TAX = Decimal(100)


def _location(purchase_return, product, data, field):
    location = data.get("location")
    if (
        not isinstance(location, Location)
        or location.organization_id != purchase_return.organization_id
        or location.kind not in HOLDS_STOCK
    ):
        raise ValidationFailed(_("Choose a location that holds stock."), field=f"{field}.location")
    if location.warehouse_id != purchase_return.warehouse_id:
        raise ValidationFailed(
            _("Choose a location of the return's warehouse."), field=f"{field}.location"
        )
    return location


def _lot_and_serial(product, data, quantity, field):
    lot = data.get("lot")
    if lot is not None and (not isinstance(lot, Lot) or lot.product_id != product.pk):
        raise ValidationFailed(_("This lot belongs to another product."), field=f"{field}.lot")
    if product.tracking == "lot" and lot is None:
        raise ValidationFailed(
            _("This product is tracked by lot: enter the lot."), field=f"{field}.lot"
        )
    serial = (data.get("serial") or "").strip()
    if product.tracking == "serial":
        if not serial:
            raise ValidationFailed(
                _("This product is tracked by serial number: enter the serial."),
                field=f"{field}.serial",
            )
        if quantity != 1:
            raise ValidationFailed(
                _("A serial number is one unit: move serials one per line."),
                field=f"{field}.quantity",
            )
    elif serial:
        raise ValidationFailed(
            _("This product is not tracked by serial number."), field=f"{field}.serial"
        )
    return lot, serial


def _price(product, data, quantity, field):
    price = data.get("unit_price")
    if not isinstance(price, Decimal) or not price.is_finite():
        raise ValidationFailed(
            _("Enter the price the supplier credits."), field=f"{field}.unit_price"
        )
    if price < 0:
        raise ValidationFailed(_("The unit price cannot be negative."), field=f"{field}.unit_price")
    percent = data.get("tax_percent")
    if percent is None:
        percent = product.tax_rate.rate if product.tax_rate_id else ZERO
    if not isinstance(percent, Decimal) or not percent.is_finite() or not 0 <= percent <= MAX_TAX:
        raise ValidationFailed(
            _("A VAT rate is between 0 and 100 %."), field=f"{field}.tax_percent"
        )
    inclusive = bool(data.get("tax_inclusive", False))
    return price.quantize(PRICE, ROUND_HALF_UP), percent, inclusive


def free_line(purchase_return, index: int, data: dict) -> PurchaseReturnLine:
    """A line of a free-standing return: product, bin, lot or serial, quantity and price."""
    field = f"lines.{index}"
    if data.get("receipt_line") is not None:
        raise ValidationFailed(
            _("A free-standing return has no receipt lines."), field=f"{field}.receipt_line"
        )
    product = data.get("product")
    if (
        not isinstance(product, Product)
        or product.organization_id != purchase_return.organization_id
    ):
        raise ValidationFailed(_("Choose a product."), field=f"{field}.product")
    quantity = data.get("quantity")
    check_quantity(quantity, f"{field}.quantity")
    location = _location(purchase_return, product, data, field)
    lot, serial = _lot_and_serial(product, data, quantity, field)
    price, percent, inclusive = _price(product, data, quantity, field)
    taxed = line_tax(price * quantity, percent, inclusive=inclusive)
    return PurchaseReturnLine(
        purchase_return=purchase_return, position=index, product=product, quantity=quantity,
        location=location, lot=lot, serial=serial, unit_price=price, tax_percent=percent,
        tax_inclusive=inclusive, net_amount=taxed.net, tax_amount=taxed.tax,
        gross_amount=taxed.gross,
    )  # fmt: skip


def check_in_stock(lines) -> None:
    """Each line's goods are at its bin (and lot, serial) now: more than on hand is refused,
    naming the line (posting checks again, under the balance locks)."""
    taken: dict[tuple, Decimal] = defaultdict(Decimal)
    for index, line in enumerate(lines):
        if line.serial:
            found = SerialNumber.objects.filter(
                organization_id=line.product.organization_id,
                product_id=line.product_id,
                serial=line.serial,
                location_id=line.location_id,
            ).exists()
            if not found:
                raise ValidationFailed(
                    _("Serial %(serial)s is not in stock here.") % {"serial": line.serial},
                    field=f"lines.{index}.serial",
                    code="insufficient_stock",
                )
        key = (line.product_id, line.location_id, line.lot_id)
        taken[key] += line.quantity
        there = on_hand(
            product_id=line.product_id, location_id=line.location_id, lot_id=line.lot_id
        )
        if taken[key] > there:
            raise ValidationFailed(
                _("Line %(line)d: more than is in stock here: %(there)s on hand.")
                % {
                    "line": index + 1,
                    "there": plain(max(there - taken[key] + line.quantity, ZERO)),
                },
                field=f"lines.{index}.quantity",
                code="insufficient_stock",
            )


def post_free_return(purchase_return, lines, user):
    """Issue the goods at the current cost and book the supplier's credit; returns the voucher
    and the credit (base currency) the AP credit item is booked at."""
    supplier = ensure_virtual_locations(purchase_return.organization)["supplier"]
    moves = post_moves(
        organization=purchase_return.organization,
        business_date=purchase_return.business_date,
        reference=purchase_return.number,
        moves=[
            MoveRequest(
                product=line.product, quantity=line.quantity, from_location=line.location,
                to_location=supplier, lot=line.lot, serial=line.serial,
                origin_type=RETURN_LINE, origin_id=line.pk,
            )
            for line in lines
        ],
        savepoint=False,
        source=(RETURN, purchase_return.pk),
    )  # fmt: skip
    rate = purchase_return.rate
    returned = vat = price = credit = ZERO
    for line, move in zip(lines, moves, strict=True):
        line.value = money(move.value)
        gross, net = money(line.gross_amount * rate), money(line.net_amount * rate)
        returned += line.value
        vat += gross - net
        price += net - line.value
        credit += gross
    PurchaseReturnLine.objects.bulk_update(lines, ["value"])
    partner = purchase_return.supplier_id
    voucher = post_entries(
        organization=purchase_return.organization,
        date=purchase_return.business_date,
        entries=[
            Entry(RETURN, "returned", returned, partner_id=partner),
            Entry(RETURN, "input_vat_returned", vat, partner_id=partner),
            Entry(RETURN, "price_difference", price, partner_id=partner),
        ],
        reference=purchase_return.number,
        origin_type=RETURN,
        origin_id=purchase_return.pk,
        user=user,
    )
    return voucher, credit
