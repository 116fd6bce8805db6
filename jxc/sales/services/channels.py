"""Channel orders (多渠道订单): orders of online shops, marketplaces or a POS, received through
the API or an upload mapped per channel.

Each carries its channel and the channel's own order id; the pair is unique per organization
(``sales_order_channel_order_unique``), and the order keeps a hash of the normalized body it
came with. Receiving the same channel order again returns the order made the first time when
the body is the same, and is refused (409, naming ``channel_order_id``) when it is not. Two
receipts of one channel order at once: the second insert waits on the unique index until the
first commits, fails inside its savepoint, and then reads the order the first one made (READ
COMMITTED sees it), so exactly one order exists.
"""

import datetime
import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import DomainError, ValidationFailed
from jxc.masterdata.imports.reader import read_table
from jxc.masterdata.models import Partner, Product, ProductBarcode, Warehouse
from jxc.sales.models import SalesChannel, SalesOrder
from jxc.sales.services.common import MAX_LINES
from jxc.sales.services.orders import save_sales_order, submit_sales_order

MAX_ID_LENGTH = 64
HEADER_FIELDS = ("customer_code", "warehouse_code", "shipping_address", "business_date", "note")
LINE_FIELDS = ("product_code", "barcode", "quantity", "unit_price")
# what an upload's columns may hold; a channel's ``column_mapping`` names the header of each
UPLOAD_FIELDS = ("channel_order_id", *HEADER_FIELDS, *LINE_FIELDS)


class ChannelOrderConflict(ValidationFailed):
    code = "channel_order_conflict"
    status_code = 409


def body_hash(data: dict) -> str:
    """The sha256 of the channel order as received, normalized: stripped text, numbers without
    trailing zeros, dates in ISO form, keys sorted, the lines in their order."""

    def norm(value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f") if value else "0"
        if isinstance(value, datetime.date):
            return value.isoformat()
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items() if v not in (None, "")}
        if isinstance(value, list | tuple):
            return [norm(v) for v in value]
        return value

    text = json.dumps(norm(dict(data)), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _find_product(organization, index: int, line: dict) -> tuple[Product, object]:
    """The product (and the unit of a barcode that names one) by code, else by barcode."""
    code, barcode = (line.get("product_code") or "").strip(), (line.get("barcode") or "").strip()
    field = f"lines.{index}"
    if code:
        found = Product.objects.filter(organization=organization, code=code).first()
        if found is None:
            raise ValidationFailed(
                _("Line %(n)d: no product has the code %(code)s.") % {"n": index + 1, "code": code},
                field=f"{field}.product_code",
                code="unknown_product",
            )
        return found, None
    if barcode:
        found = (
            ProductBarcode.objects.filter(organization=organization, barcode=barcode)
            .select_related("product", "unit")
            .first()
        )
        if found is None:
            raise ValidationFailed(
                _("Line %(n)d: no product has the barcode %(code)s.")
                % {"n": index + 1, "code": barcode},
                field=f"{field}.barcode",
                code="unknown_product",
            )
        return found.product, found.unit
    raise ValidationFailed(
        _("Line %(n)d: give a product code or a barcode.") % {"n": index + 1},
        field=f"{field}.product_code",
    )


def _customer(organization, channel, code: str):
    if code:
        found = Partner.objects.filter(
            organization=organization, code=code, is_customer=True
        ).first()
        if found is None:
            raise ValidationFailed(
                _("No customer has the code %(code)s.") % {"code": code}, field="customer_code"
            )
        return found
    if channel.default_customer_id is None:
        raise ValidationFailed(
            _("Channel %(channel)s has no default customer: give customer_code.")
            % {"channel": channel.name},
            field="customer_code",
        )
    return channel.default_customer


def _warehouse(organization, channel, code: str):
    if not code:
        return channel.default_warehouse
    found = Warehouse.objects.filter(organization=organization, code=code).first()
    if found is None:
        raise ValidationFailed(
            _("No warehouse has the code %(code)s.") % {"code": code}, field="warehouse_code"
        )
    return found


def check_channel(organization, channel: SalesChannel) -> None:
    if channel is None or channel.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown channel."), field="channel")
    if not channel.is_active:
        raise ValidationFailed(_("This channel is inactive."), field="channel")


def _order_data(organization, channel, data: dict) -> dict:
    """The sales order a channel order makes, every code resolved (or refused, named)."""
    lines = data.get("lines") or []
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    built = []
    for index, line in enumerate(lines):
        product, unit = _find_product(organization, index, line)
        built.append(
            {
                "product": product,
                "unit": unit,
                "quantity": line.get("quantity"),
                "unit_price": line.get("unit_price"),
            }
        )
    return {
        "business_date": data.get("business_date") or timezone.localdate(),
        "customer": _customer(organization, channel, (data.get("customer_code") or "").strip()),
        "warehouse": _warehouse(organization, channel, (data.get("warehouse_code") or "").strip()),
        "shipping_address": (data.get("shipping_address") or "").strip(),
        "note": (data.get("note") or "").strip(),
        "lines": built,
    }


def _channel_order_id(data: dict) -> str:
    value = (data.get("channel_order_id") or "").strip()
    if not value:
        raise ValidationFailed(_("Give the channel's order id."), field="channel_order_id")
    if len(value) > MAX_ID_LENGTH:
        raise ValidationFailed(
            _("At most %(n)d characters.") % {"n": MAX_ID_LENGTH}, field="channel_order_id"
        )
    return value


def _received(organization, channel, channel_order_id: str):
    return SalesOrder.objects.filter(
        organization=organization, channel=channel, channel_order_id=channel_order_id
    ).first()


def _same_or_refused(order: SalesOrder, digest: str) -> tuple[SalesOrder, bool]:
    if order.channel_body_hash != digest:
        raise ChannelOrderConflict(
            _(
                "Channel order %(id)s was already received with different contents "
                "(order %(order)s); send it under a new channel order id."
            )
            % {"id": order.channel_order_id, "order": order.number or f"#{order.pk}"},
            field="channel_order_id",
        )
    return order, False


@transaction.atomic
def receive_channel_order(
    *, organization, user, channel: SalesChannel, data: dict
) -> tuple[SalesOrder, bool]:
    """Make the sales order of a channel order (``created`` True), or return the one made when
    it was first received (``created`` False). With ``confirm`` (default: the channel's
    ``auto_confirm``) it is submitted and confirmed at once, reserving its stock by the
    availability policy and the channel's quota; a refusal writes nothing."""
    check_channel(organization, channel)
    channel_order_id = _channel_order_id(data)
    digest = body_hash({k: v for k, v in data.items() if k != "channel"})
    existing = _received(organization, channel, channel_order_id)
    if existing is not None:
        return _same_or_refused(existing, digest)
    order_data = _order_data(organization, channel, data)
    order_data.update(channel=channel, channel_order_id=channel_order_id, channel_body_hash=digest)
    confirm = data.get("confirm")
    confirm = channel.auto_confirm if confirm is None else confirm
    try:
        with transaction.atomic():
            order = save_sales_order(organization=organization, user=user, data=order_data)
    except IntegrityError:
        existing = _received(organization, channel, channel_order_id)
        if existing is None:
            raise
        return _same_or_refused(existing, digest)
    if confirm:
        order = submit_sales_order(order=order, user=user)
    return order, True


# --- uploads ---------------------------------------------------------------------------------


class UploadRejected(ValidationFailed):
    """An upload with bad rows: nothing was written; ``errors`` lists row, column and message."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        first = errors[0]
        super().__init__(
            _(
                "%(n)d problem(s) in the file, nothing was imported. Row %(row)s, %(column)s: "
                "%(message)s"
            )  # fmt: skip
            % {"n": len(errors), **first},
            field="file",
        )


def column_headers(channel: SalesChannel) -> dict[str, str]:
    """Per upload field, the header of its column in the channel's files (the field's own name
    unless the channel maps it)."""
    mapping = channel.column_mapping or {}
    return {field: str(mapping.get(field) or field).strip() for field in UPLOAD_FIELDS}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an id typed into Excel comes back as 1001.0
    return str(value).strip()


def _number(value):
    if value is None or value == "":
        return None
    try:
        number = Decimal(_text(value))
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None
    if not number.is_finite() or abs(number) >= 10**12:
        raise ValueError(_("Not a number."))
    return number


def _date(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(_("Not a date (YYYY-MM-DD).")) from None


PARSERS = {"quantity": _number, "unit_price": _number, "business_date": _date}


def _parse_rows(headers, rows, columns) -> tuple[dict[str, list], list[dict]]:
    """Rows grouped by channel order id (first appearance first), each a (row number, values)
    pair; and the errors of values that are not what their column holds."""
    position = {h.strip().lower(): i for i, h in enumerate(headers) if h}
    missing = [
        columns[f] for f in ("channel_order_id", "quantity") if columns[f].lower() not in position
    ]
    if "product_code" not in columns or (
        columns["product_code"].lower() not in position
        and columns["barcode"].lower() not in position
    ):
        missing.append(columns["product_code"])
    if missing:
        raise UploadRejected(
            [
                {"row": 1, "column": name, "message": _("This column is missing.")}
                for name in missing
            ]
        )
    groups: dict[str, list] = {}
    errors = []
    for offset, row in enumerate(rows):
        number = offset + 2  # the header is row 1
        values = {}
        for field, header in columns.items():
            index = position.get(header.lower())
            raw = row[index] if index is not None and index < len(row) else None
            try:
                values[field] = PARSERS.get(field, _text)(raw)
            except ValueError as exc:
                errors.append({"row": number, "column": header, "message": str(exc)})
        if not values.get("channel_order_id") and not any(e["row"] == number for e in errors):
            errors.append(
                {
                    "row": number,
                    "column": columns["channel_order_id"],
                    "message": _("Give the channel's order id."),
                }
            )
            continue
        groups.setdefault(values.get("channel_order_id") or "", []).append((number, values))
    return groups, errors


def _order_of_rows(group: list) -> dict:
    first = group[0][1]
    data = {name: first.get(name) for name in ("channel_order_id", *HEADER_FIELDS)}
    data["lines"] = [{name: values.get(name) for name in LINE_FIELDS} for _n, values in group]
    return {k: v for k, v in data.items() if v not in (None, "")}


def _error_of(exc: DomainError, group: list, columns: dict) -> dict:
    """Where in the file a refusal of one channel order points: a line's field is its row and
    column, a header field the order's first row."""
    field = exc.field or "channel_order_id"
    parts = field.split(".")
    row, name = group[0][0], field
    if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
        index = int(parts[1])
        row = group[index][0] if index < len(group) else row
        name = parts[2] if len(parts) > 2 else "quantity"
    name = {"customer": "customer_code", "warehouse": "warehouse_code"}.get(name, name)
    column = columns.get(name, columns["channel_order_id"])
    return {"row": row, "column": column, "message": str(exc.message)}


@transaction.atomic
def upload_channel_orders(
    *, organization, user, channel: SalesChannel, filename: str, content: bytes
) -> list[tuple[SalesOrder, bool]]:
    """Receive every channel order of a CSV or Excel file (one row a line; rows of one channel
    order id make one order), the columns found by the channel's mapping. Every row is checked
    first and all orders are tried; any problem refuses the whole file (``UploadRejected``
    listing each row and column), nothing written."""
    check_channel(organization, channel)
    headers, rows = read_table(filename, content)
    columns = column_headers(channel)
    groups, errors = _parse_rows(headers, rows, columns)
    done = []
    for group in groups.values():
        if any(e["row"] in {n for n, _v in group} for e in errors):
            continue
        try:
            with transaction.atomic():
                done.append(
                    receive_channel_order(
                        organization=organization,
                        user=user,
                        channel=channel,
                        data=_order_of_rows(group),
                    )
                )
        except DomainError as exc:
            errors.append(_error_of(exc, group, columns))
    if errors:
        errors.sort(key=lambda e: e["row"])
        raise UploadRejected(errors)
    return done
