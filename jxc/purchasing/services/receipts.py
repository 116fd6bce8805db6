"""Goods receipts (采购入库单): goods of one supplier received against lines of its approved
orders (one or several), partially or in full, into a bin of the chosen warehouse, with lots,
expiry dates and serials.

Posting moves the goods supplier → bin through inventory's move service, at the order line's
tax-exclusive price converted to base currency; the moves book the 暂估 voucher (Dr 1405 /
Cr 220202) in the same transaction. The order lines are locked (in key order) before their
received quantities are read, so concurrent receipts against one line never take more than
ordered plus the over-receipt tolerance. Receiving without an order needs a permission the
caller checks (``allow_without_order``).

Beyond the tolerance a receipt is refused, unless the tolerance that applies says "needs
approval": then posting submits the receipt to workflow (document type ``goods_receipt``,
rules on amount, supplier, warehouse, category) instead, nothing moves, and the approval posts
it (within whatever the approver saw: the tolerance is not asked again). Without a rule for
goods receipts there is nobody to approve, so the receipt is refused with that reason.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import connections, router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.audit import update_statements
from jxc.core.batch import update_statement
from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import number_statement
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.services.lots import check_lot_dates, get_or_create_lot
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.masterdata.services.locations import warehouse_root
from jxc.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrderLine,
    ReceiptTolerance,
)
from jxc.purchasing.services.accounting import RECEIPT, RECEIPT_LINE
from jxc.purchasing.services.common import (
    ZERO,
    base_quantity,
    check_lines_count,
    check_quantity,
    check_supplier,
    currency_and_rate,
    plain,
)
from jxc.purchasing.services.loading import (
    ReceiptForPosting,
    insert_document,
    load_order_lines_to_receive,
    load_receipt_for_posting,
)
from jxc.purchasing.services.orders import open_quantity, received_state
from jxc.purchasing.states import RECEIPT_TRANSITIONS, RECEIVABLE_ORDER_STATES
from jxc.workflow.errors import AwaitingApproval
from jxc.workflow.registry import DocumentRef
from jxc.workflow.services.approvals import submit_for_approval

DOC_TYPE = "goods_receipt"
PRICE = Decimal("0.000001")
CENT = Decimal("0.01")


def tolerance_for(organization, product, supplier) -> ReceiptTolerance:
    """The over-receipt tolerance: the product's, else the supplier's, else the default, else
    0 % and refused beyond it (an unsaved record)."""
    return tolerances_for(organization, [product], supplier)[product.pk]


def tolerance_percent(organization, product, supplier) -> Decimal:
    return tolerance_for(organization, product, supplier).percent


def tolerances_for(organization, products, supplier) -> dict[int, ReceiptTolerance]:
    """``tolerance_for`` each of ``products`` (by id) from ``supplier``, in one read."""
    ids = {product.pk for product in products}
    found = ReceiptTolerance.objects.filter(organization=organization).filter(
        Q(product__in=ids) | Q(product__isnull=True),
        Q(supplier=supplier) | Q(supplier__isnull=True),
    )
    return choose_tolerances(found, ids, supplier.pk)


def choose_tolerances(found, product_ids, supplier_id: int) -> dict[int, ReceiptTolerance]:
    """Of the tolerances ``found``, the one that applies to each product from the supplier
    (see :func:`tolerance_for`)."""
    by_key = {(t.product_id, t.supplier_id): t for t in found}
    chosen = {}
    for pk in product_ids:
        keys = ((pk, None), (pk, supplier_id), (None, supplier_id), (None, None))
        chosen[pk] = next(
            (by_key[key] for key in keys if key in by_key),
            ReceiptTolerance(percent=ZERO, above=ReceiptTolerance.Above.BLOCK),
        )
    return chosen


def _location(receipt, index, location):
    if location is None:  # the warehouse's root, read once for all the lines
        root = getattr(receipt, "_root", None)
        if root is None or root.warehouse_id != receipt.warehouse_id:
            receipt._root = root = warehouse_root(receipt.warehouse)
        return root
    if location.warehouse_id != receipt.warehouse_id:
        raise ValidationFailed(
            _("This location is not in warehouse %(warehouse)s.")
            % {"warehouse": receipt.warehouse.name},
            field=f"lines.{index}.location",
        )
    return location


def _order_line(receipt, index, order_line) -> PurchaseOrderLine:
    field = f"lines.{index}.order_line"
    order = order_line.order
    if order.organization_id != receipt.organization_id:
        raise ValidationFailed(_("Unknown order line."), field=field)
    if order.supplier_id != receipt.supplier_id:
        raise ValidationFailed(
            _("Order %(number)s is from another supplier.") % {"number": order.number},
            field=field,
        )
    if order.state not in RECEIVABLE_ORDER_STATES:
        raise ValidationFailed(
            _("Order %(number)s is not open for receiving (%(state)s).")
            % {"number": order.number, "state": order.get_state_display()},
            field=field,
        )
    if order.currency_id != receipt.currency_id:
        raise ValidationFailed(
            _("Order %(number)s is in another currency than the receipt.")
            % {"number": order.number},
            field=field,
        )
    return order_line


def _set_lot(line, index, data) -> None:
    product = line.product
    lot, code = data.get("lot"), (data.get("lot_code") or "").strip()
    if lot is not None and lot.product_id != product.pk:
        raise ValidationFailed(
            _("This lot belongs to another product."), field=f"lines.{index}.lot"
        )
    if lot is None and code:
        production, expiry = data.get("production_date"), data.get("expiry_date")
        try:
            check_lot_dates(production, expiry)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.message, field=f"lines.{index}.{exc.field}") from None
        lot = product.lots.filter(code=code).first()
        if lot is None:  # a new lot, made when the receipt is posted
            line.lot_code, line.production_date, line.expiry_date = code, production, expiry
            return
    if lot is None and product.tracking == "lot":
        raise ValidationFailed(
            _("This product is tracked by lot: enter the lot."), field=f"lines.{index}.lot"
        )
    line.lot, line.lot_code = lot, lot.code if lot is not None else ""


def _build_line(receipt, index: int, data: dict, allow_without_order: bool) -> GoodsReceiptLine:
    prefix = f"lines.{index}"
    order_line = data.get("order_line")
    product = data.get("product")
    if order_line is not None:
        _order_line(receipt, index, order_line)
        if product is not None and product.pk != order_line.product_id:
            raise ValidationFailed(
                _("The product is not the order line's."), field=f"{prefix}.product"
            )
        product = order_line.product
    elif not allow_without_order:
        raise ValidationFailed(
            _("Choose the order line: receiving without an order needs a permission."),
            field=f"{prefix}.order_line",
            code="order_required",
        )
    if product is None or product.organization_id != receipt.organization_id:
        raise ValidationFailed(_("Unknown product."), field=f"{prefix}.product")
    unit = data.get("unit") or (order_line.unit if order_line else product.base_unit)
    quantity = data.get("quantity")
    check_quantity(quantity, f"{prefix}.quantity")
    base = base_quantity(product, unit, quantity, f"{prefix}.unit")
    serial = (data.get("serial") or "").strip()
    if product.tracking == "serial":
        if not serial:
            raise ValidationFailed(
                _("This product is tracked by serial number: enter the serial."),
                field=f"{prefix}.serial",
            )
        if base != 1:
            raise ValidationFailed(
                _("A serial number is one unit: receive serials one per line."),
                field=f"{prefix}.quantity",
            )
    if order_line is not None:
        price = order_line.net_unit_price
        percent = order_line.tax_percent
    else:
        price = data.get("unit_price")
        price = product.purchase_price if price is None else price
        if price < 0:
            raise ValidationFailed(
                _("The unit price cannot be negative."), field=f"{prefix}.unit_price"
            )
        percent = product.tax_rate.rate if product.tax_rate_id else ZERO
    line = GoodsReceiptLine(
        receipt=receipt,
        position=index,
        order_line=order_line,
        product=product,
        unit=unit,
        quantity=quantity,
        base_quantity=base,
        location=_location(receipt, index, data.get("location")),
        serial=serial,
        unit_price=price.quantize(PRICE, ROUND_HALF_UP),
        tax_percent=percent,
    )
    _set_lot(line, index, data)
    return line


def _check_serials_unique(lines) -> None:
    seen = set()
    for index, line in enumerate(lines):
        if not line.serial:
            continue
        if (line.product_id, line.serial) in seen:
            raise ValidationFailed(
                _("Serial %(serial)s is entered twice.") % {"serial": line.serial},
                field=f"lines.{index}.serial",
            )
        seen.add((line.product_id, line.serial))


HEADER_FIELDS = ("business_date", "supplier", "warehouse", "currency", "note")


@transaction.atomic
def save_goods_receipt(
    *, organization, user, data: dict, receipt=None, allow_without_order: bool = False
) -> GoodsReceipt:
    """Create or update a draft receipt; ``lines`` replace its lines."""
    if receipt is not None:
        receipt = GoodsReceipt.objects.select_for_update().get(pk=receipt.pk)
        if receipt.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    return _save_receipt(organization, user, data, receipt, allow_without_order)


def _save_receipt(organization, user, data, receipt, allow_without_order, root=None):
    """``root``: the warehouse's root location, when the caller has read it."""
    data = dict(data)
    lines = data.pop("lines", None)
    receipt = receipt or GoodsReceipt(organization=organization, created_by=user)
    for field in HEADER_FIELDS:
        if field in data:
            setattr(receipt, field, data[field])
    if receipt.business_date is None:
        receipt.business_date = timezone.localdate()
    check_supplier(organization, receipt.supplier if receipt.supplier_id else None)
    if not receipt.warehouse_id or receipt.warehouse.organization_id != organization.pk:
        raise ValidationFailed(_("Choose the warehouse."), field="warehouse")
    if not receipt.currency_id:
        receipt.currency = receipt.supplier.currency
    receipt.currency, receipt.rate = currency_and_rate(
        organization, receipt.currency if receipt.currency_id else None, receipt.business_date
    )
    check_lines_count(lines)
    built = None
    if root is not None:
        receipt._root = root
    if lines is not None:
        built = [_build_line(receipt, i, line, allow_without_order) for i, line in enumerate(lines)]
        _check_serials_unique(built)
    if receipt.pk is None:
        insert_document(receipt, built or [], line_model=GoodsReceiptLine, parent="receipt")
        return receipt
    receipt.save()
    if built is not None:
        receipt.lines.all().delete()
        for line in built:
            line.receipt = receipt
        GoodsReceiptLine.objects.bulk_create(built)
    return receipt


@transaction.atomic
def receipt_from_orders(*, organization, user, orders: list, data: dict | None = None):
    """一键入库: a draft receipt of everything still open on the orders (of one supplier),
    into their warehouse's root (the clerk then picks bins, lots and serials, or scans)."""
    if not orders:
        raise ValidationFailed(_("Choose at least one order."), field="orders")
    first = orders[0]
    for order in orders:
        if order.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown order."), field="orders")
        if order.supplier_id != first.supplier_id:
            raise ValidationFailed(
                _("The orders must be from one supplier."), field="orders", code="one_supplier"
            )
    order_lines, warehouse, root = load_order_lines_to_receive(orders, first.warehouse_id)
    lines = [
        {"order_line": line, "unit": line.product.base_unit, "quantity": open_quantity(line)}
        for line in order_lines
        if open_quantity(line) > 0
    ]
    if not lines:
        raise ValidationFailed(_("Nothing is left to receive on these orders."), field="orders")
    header = {
        "supplier": first.supplier,
        "warehouse": warehouse,
        "currency": first.currency,
        **(data or {}),
        "lines": lines,
    }
    # the warehouse's root is where the goods go unless ``data`` names another warehouse
    return _save_receipt(organization, user, header, None, False, root=root)


def _take_from_orders(loaded: ReceiptForPosting, *, approved: bool = False) -> tuple:
    """Add each line to its order line's received quantity, refusing the first line that
    takes it beyond the ordered quantity plus a tolerance that refuses. Returns the lines
    beyond a tolerance that asks for approval instead — then nothing is taken — unless the
    receipt is ``approved``, and the statements that write what was taken: the order lines'
    received quantities and the orders' new states (with their audit entries)."""
    lines, order_lines, orders = loaded.lines, loaded.order_lines, loaded.orders
    product_ids = {line.product_id for line in lines}
    tolerances = {
        supplier_id: choose_tolerances(loaded.tolerances, product_ids, supplier_id)
        for supplier_id in {order.supplier_id for order in orders.values()}
    }
    beyond: list[int] = []
    for index, line in enumerate(lines):
        if not line.order_line_id:
            continue
        order_line = order_lines[line.order_line_id]
        order = orders[order_line.order_id]
        if order.state not in RECEIVABLE_ORDER_STATES:
            raise ValidationFailed(
                _("Order %(number)s is not open for receiving (%(state)s).")
                % {"number": order.number, "state": order.get_state_display()},
                field=f"lines.{index}.order_line",
            )
        rule = tolerances[order.supplier_id][line.product_id]
        tolerance = rule.percent
        limit = order_line.base_quantity * (100 + tolerance) / 100
        total = order_line.received_quantity + line.base_quantity
        if total > limit and not approved and rule.above == ReceiptTolerance.Above.APPROVAL:
            beyond.append(index)
        elif total > limit and not approved:
            raise ValidationFailed(
                _(
                    "Line %(line)d: receiving %(total)s in all would exceed the %(ordered)s "
                    "ordered plus the %(tolerance)s %% tolerance (%(left)s left to receive)."
                )
                % {
                    "line": index + 1,
                    "total": plain(total),
                    "ordered": plain(order_line.base_quantity),
                    "tolerance": plain(tolerance),
                    "left": plain(max(limit - order_line.received_quantity, ZERO)),
                },
                field=f"lines.{index}.quantity",
                code="over_receipt",
            )
        order_line.received_quantity = total
    if beyond:
        return beyond, []
    return [], _taken_statements(loaded)


def _taken_statements(loaded: ReceiptForPosting) -> list[tuple]:
    connection = connections[router.db_for_write(PurchaseOrderLine)]
    taken = list(loaded.order_lines.values())
    statements = []
    if taken:
        statements.append(
            update_statement(connection, PurchaseOrderLine, taken, ["received_quantity"])
        )
    for order in loaded.orders.values():
        # the order's other lines as read after it was locked, these as just taken
        lines = [loaded.order_lines.get(line.pk, line) for line in loaded.progress[order.pk]]
        state = received_state(lines)
        if state != order.state:
            order.state = state
            statements += update_statements(connection, order, ["state"])
    return statements


def _make_new_lots(lines) -> None:
    pending = [(i, line) for i, line in enumerate(lines) if line.lot is None and line.lot_code]
    for index, line in pending:
        try:
            line.lot = get_or_create_lot(
                product=line.product,
                code=line.lot_code,
                production_date=line.production_date,
                expiry_date=line.expiry_date,
            )
        except ValidationFailed as exc:
            raise ValidationFailed(
                exc.message, field=f"lines.{index}.{exc.field or 'lot'}"
            ) from None


@transaction.atomic
def post_goods_receipt(*, receipt: GoodsReceipt, user=None, approved: bool = False) -> GoodsReceipt:
    """Post a draft: the order lines are taken (within tolerance), the stock comes in and the
    暂估 voucher is booked, all or nothing. Beyond a tolerance that asks for approval the
    receipt is submitted instead (state ``submitted``); ``approved``: workflow approved it."""
    loaded = load_receipt_for_posting(receipt, DOC_TYPE)
    receipt, lines = loaded.receipt, loaded.lines
    if receipt.state == S.SUBMITTED and not approved:
        raise AwaitingApproval(field="state")
    transition(receipt, S.DONE, RECEIPT_TRANSITIONS)
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    check_supplier(receipt.organization, receipt.supplier)
    organization = receipt.organization
    # the rate of the receipt's date values the stock
    receipt.rate = currency_and_rate(organization, receipt.currency, receipt.business_date)[1]
    beyond, taken = _take_from_orders(loaded, approved=approved)
    if beyond:
        return _submit_beyond_tolerance(receipt, lines, beyond, user)
    _make_new_lots(lines)
    for line in lines:
        line.unit_cost = (line.unit_price * receipt.rate).quantize(PRICE, ROUND_HALF_UP)
    # the number is taken with the stock's locks
    number = number_statement(
        organization=organization,
        doc_type=DOC_TYPE,
        on_date=receipt.business_date,
        series=loaded.series,
    )
    receipt.posted_at = timezone.now()
    supplier = loaded.supplier_location or ensure_virtual_locations(organization)["supplier"]
    connection = connections[router.db_for_write(GoodsReceipt)]

    def then(moves) -> list:
        """The order lines and orders taken, the lines' values and the receipt's new state,
        written with the voucher (after a back-dated receipt's re-valuation, at the values it
        gave)."""
        receipt.number = moves[0].reference
        for line, move in zip(lines, moves, strict=True):
            line.value = move.value.quantize(CENT, ROUND_HALF_UP)
        return [
            *taken,
            update_statement(connection, GoodsReceiptLine, lines, ["unit_cost", "value", "lot"]),
            *update_statements(connection, receipt, ["state", "number", "posted_at", "rate"]),
        ]

    post_moves(
        organization=organization,
        business_date=receipt.business_date,
        number=number,
        moves=[
            MoveRequest(
                product=line.product,
                quantity=line.base_quantity,
                from_location=supplier,
                to_location=line.location,
                lot=line.lot,
                serial=line.serial,
                unit_cost=line.unit_cost,
                entered_unit=line.unit,
                entered_quantity=line.quantity,
                origin_type=RECEIPT_LINE,
                origin_id=line.pk,
            )
            for line in lines
        ],
        savepoint=False,
        source=(RECEIPT, receipt.pk),
        then=then,
    )
    return receipt


def _submit_beyond_tolerance(receipt, lines, beyond: list[int], user) -> GoodsReceipt:
    """The receipt goes to workflow instead of posting; without a rule nobody could approve
    it, so it is refused, naming the first line beyond the tolerance."""
    from jxc.purchasing.selectors import goods_receipt_facts

    receipt.state = S.SUBMITTED
    receipt.save(update_fields=["state", "rate"])
    submission = submit_for_approval(
        organization=receipt.organization,
        document=DocumentRef(DOC_TYPE, receipt.pk),
        submitter=user,
        facts=goods_receipt_facts(receipt),
    )
    if submission.approved:
        raise ValidationFailed(
            _(
                "Line %(line)d is beyond the over-receipt tolerance, which needs approval, but "
                "no approval rule for goods receipts applies: an administrator must add one."
            )
            % {"line": beyond[0] + 1},
            field=f"lines.{beyond[0]}.quantity",
            code="over_receipt",
        )
    return receipt


def mark_receipt_approved(receipt: GoodsReceipt) -> GoodsReceipt:
    """Workflow approved the receipt beyond its tolerance: it posts now."""
    return post_goods_receipt(receipt=receipt, approved=True)


def return_receipt_to_draft(receipt: GoodsReceipt) -> None:
    """Rejected or withdrawn: the receipt can be changed (fewer goods) and posted again."""
    receipt = GoodsReceipt.objects.select_for_update().get(pk=receipt.pk)
    transition(receipt, S.DRAFT, RECEIPT_TRANSITIONS)
    receipt.save(update_fields=["state"])


@transaction.atomic
def cancel_goods_receipt(*, receipt: GoodsReceipt) -> GoodsReceipt:
    receipt = GoodsReceipt.objects.select_for_update().get(pk=receipt.pk)
    transition(receipt, S.CANCELLED, RECEIPT_TRANSITIONS)
    receipt.save(update_fields=["state"])
    return receipt
