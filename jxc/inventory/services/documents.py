"""Other receipts, other issues and transfers: drafted, then posted as moves in one go.

A receipt line may bring in a new lot: its number and dates are kept on the line and checked
when the draft is saved, and the lot is made when the receipt is posted.

Lifecycle (``TRANSITIONS``): a draft is submitted for approval, and approved at once when no
approval rule applies (``jxc.inventory.approvals`` tells workflow of the three kinds); a
submitted document is approved, or returned to draft when its request is rejected or withdrawn.
An approved document is posted (done) or cancelled. A draft no rule applies to may be posted
directly, as before approvals existed. A two-step transfer is shipped (in transit) and then
received (done); a done document is corrected by a reversal, a new document with the opposite
moves, which marks the original reversed.
"""

import datetime
from dataclasses import dataclass

from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.audit import update_statements
from jxc.core.batch import Joined, fetch, run_statements
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.core.services.numbering import next_number, read_series, series_statement
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.inventory.models import (
    Lot,
    StockBalance,
    StockDocument,
    StockDocumentLine,
    StockMove,
)
from jxc.inventory.selectors import stock_document_facts
from jxc.inventory.services.lots import check_lot_dates, get_or_create_lot
from jxc.inventory.services.moves import MoveRequest, post_moves
from jxc.masterdata.models import Location, Product, Unit, Warehouse
from jxc.masterdata.selectors import to_base_quantity
from jxc.masterdata.services.defaults import ensure_virtual_locations
from jxc.masterdata.services.locations import warehouse_root
from jxc.workflow.registry import DocumentRef
from jxc.workflow.selectors import ruled_types_statement
from jxc.workflow.services.approvals import (
    ensure_not_awaiting_approval,
    rule_applies,
    submit_for_approval,
)

TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.DONE, S.IN_TRANSIT, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.DRAFT},
    S.APPROVED: {S.DONE, S.IN_TRANSIT, S.CANCELLED},
    S.IN_TRANSIT: {S.DONE},
    S.DONE: {S.REVERSED},
}
DOC_TYPES = {"receipt": "other_receipt", "issue": "other_issue", "transfer": "transfer"}
ORIGIN = "inventory.stockdocumentline"
SOURCE = "inventory.stockdocument"  # what the vouchers link to
MAX_LINES = 1000


def _check_header(document: StockDocument) -> None:
    if document.kind == "transfer":
        if document.to_warehouse is None:
            raise ValidationFailed(_("Choose the destination warehouse."), field="to_warehouse")
    else:
        document.to_warehouse, document.two_step = None, False


def _line_location(document, index, location, warehouse, field) -> Location | None:
    """The line's location, checked; receipts without one go to the warehouse's root."""
    if location is None:
        return (
            warehouse_root(warehouse)
            if document.kind == "receipt" or field == "to_location"
            else None
        )
    if location.warehouse_id != warehouse.pk:
        raise ValidationFailed(
            _("This location is not in warehouse %(warehouse)s.") % {"warehouse": warehouse.name},
            field=f"lines.{index}.{field}",
        )
    return location


def _build_line(document, index: int, data: dict) -> StockDocumentLine:
    product = data["product"]
    unit = data.get("unit") or product.base_unit
    quantity = data["quantity"]
    if quantity <= 0:
        raise ValidationFailed(
            _("The quantity must be greater than zero."), field=f"lines.{index}.quantity"
        )
    try:
        base = to_base_quantity(
            product, None if unit.pk == product.base_unit_id else unit.pk, quantity
        )
    except ValidationFailed:
        raise ValidationFailed(
            _("This unit is not defined for the product."), field=f"lines.{index}.unit"
        ) from None
    line = StockDocumentLine(
        document=document,
        position=index,
        product=product,
        unit=unit,
        quantity=quantity,
        base_quantity=base,
        serial=(data.get("serial") or "").strip(),
        location=_line_location(
            document, index, data.get("location"), document.warehouse, "location"
        ),
        unit_cost=data.get("unit_cost") if document.kind == "receipt" else None,
    )
    if document.kind == "transfer":
        line.to_location = _line_location(
            document, index, data.get("to_location"), document.to_warehouse, "to_location"
        )
    _set_lot(line, document, index, data)
    return line


def _set_lot(line, document, index, data) -> None:
    """The line's lot: an existing one (chosen, or named by its number), or on a receipt the
    number and dates of a new lot, checked now and made when the receipt is posted."""
    product = line.product
    lot, code = data.get("lot"), (data.get("lot_code") or "").strip()
    if lot is not None and lot.product_id != product.pk:
        raise ValidationFailed(
            _("This lot belongs to another product."), field=f"lines.{index}.lot"
        )
    production, expiry = data.get("production_date"), data.get("expiry_date")
    if lot is None and code and document.kind == "receipt":
        try:
            check_lot_dates(production, expiry)
        except ValidationFailed as exc:  # name the line the lot belongs to
            raise ValidationFailed(exc.message, field=f"lines.{index}.{exc.field}") from None
    if lot is None and code:
        lot = product.lots.filter(code=code).first()
        if lot is None and document.kind != "receipt":
            raise ValidationFailed(
                _("Unknown lot “%(code)s”.") % {"code": code}, field=f"lines.{index}.lot"
            )
    if lot is None and code:  # a new lot of this receipt
        line.lot_code, line.production_date, line.expiry_date = code, production, expiry
        return
    if lot is None and product.tracking == "lot" and document.kind == "receipt":
        raise ValidationFailed(
            _("This product is tracked by lot: enter the lot."), field=f"lines.{index}.lot"
        )
    line.lot, line.lot_code = lot, lot.code if lot is not None else ""


@transaction.atomic
def save_stock_document(*, organization, user, data: dict, document=None) -> StockDocument:
    """Create or update a draft; ``lines`` replace the document's lines."""
    data = dict(data)
    lines = data.pop("lines", None)
    if document is not None and document.state != S.DRAFT:
        raise ValidationFailed(_("Only drafts can be changed."), field="state")
    document = document or StockDocument(organization=organization, created_by=user)
    for field in (
        "kind",
        "business_date",
        "warehouse",
        "to_warehouse",
        "two_step",
        "reason",
        "note",
    ):
        if field in data:
            setattr(document, field, data[field])
    _check_header(document)
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    built = [_build_line(document, i, line) for i, line in enumerate(lines or [])]
    document.save()
    if lines is not None:
        document.lines.all().delete()
        for line in built:
            line.document = document
        StockDocumentLine.objects.bulk_create(built)
    return document


def approval_ref(document: StockDocument) -> DocumentRef:
    """The document as workflow knows it: its number-series type and its id."""
    return DocumentRef(DOC_TYPES[document.kind], document.pk)


@transaction.atomic
def submit_stock_document(*, document: StockDocument, user) -> StockDocument:
    """Submit a draft for approval: it waits as submitted while its request is open, or is
    approved at once when no approval rule applies to it."""
    document = StockDocument.objects.select_for_update().get(pk=document.pk)
    transition(document, S.SUBMITTED, TRANSITIONS)
    if not document.lines.exists():
        raise ValidationFailed(_("Add at least one line."), field="lines")
    document.save(update_fields=["state"])
    submission = submit_for_approval(
        organization=document.organization,
        document=approval_ref(document),
        submitter=user,
        facts=stock_document_facts(document),
    )
    if submission.approved:
        transition(document, S.APPROVED, TRANSITIONS)
        document.save(update_fields=["state"])
    return document


def _check_approval(document: StockDocument, ruled: bool) -> None:
    """Posting waits for approval: a submitted document until its request is approved, a
    draft when an approval rule applies to it. ``ruled``: the organization has active rules
    for the document's type; without them (the usual case) nothing more is read."""
    if document.state == S.SUBMITTED:
        ensure_not_awaiting_approval(
            organization=document.organization, document=approval_ref(document)
        )
    if document.state != S.DRAFT or not ruled:
        return
    doc_type = DOC_TYPES[document.kind]
    if rule_applies(document.organization, doc_type, stock_document_facts(document)):
        raise ValidationFailed(
            _("This document needs approval: submit it first."),
            field="state",
            code="approval_required",
        )


def _requests(document, lines, source_of, target_of, stock=None) -> list[MoveRequest]:
    requests = []
    stock = _stock_to_pick(document, lines, source_of, stock)
    for line in lines:
        source = source_of(line)
        requests += _picked(document, line, source, target_of(line), stock) or [
            MoveRequest(
                product=line.product,
                quantity=line.base_quantity,
                from_location=source,
                to_location=target_of(line),
                lot=line.lot,
                serial=line.serial,
                unit_cost=line.unit_cost,
                entered_unit=line.unit,
                entered_quantity=line.quantity,
                origin_type=ORIGIN,
                origin_id=line.pk,
                reason=document.reason,
            )
        ]
    return requests


def _needs_picking(document, line, source) -> bool:
    """Issue or transfer lines without a location, or lot-tracked lines without a lot, take
    stock where it is."""
    needs_lot = line.product.tracking == "lot" and line.lot is None
    return document.kind != "receipt" and (source is None or needs_lot)


def _stock_to_pick(document, lines, source_of, stock) -> list[StockBalance]:
    """The balances the lines to pick can take from: ``stock`` when the document's load read
    them, else read now, in one query for the document."""
    if not any(_needs_picking(document, line, source_of(line)) for line in lines):
        return []
    if stock is None:
        connection = connections[router.db_for_write(StockBalance)]
        read = _stock_read(connection)
        stock = _read_stock(read, fetch(connection, read.sql, [document.pk, document.pk]))
    return stock


def _read_stock(read: Joined, rows) -> list[StockBalance]:
    found = []
    for row in rows:
        parts = read.read(row)
        balance, location = parts["b"], parts["l"]
        location.warehouse = parts["w"]
        balance.lot, balance.location = parts["t"], location
        found.append(balance)
    return found


def _stock_read(connection) -> Joined:
    """What the products of a document's lines have on hand in its warehouse."""
    if ("stock", connection.vendor) not in _reads:
        table = {m: connection.ops.quote_name(m._meta.db_table) for m in
                 (StockBalance, Lot, Location, Warehouse, StockDocument, StockDocumentLine)}  # fmt: skip
        _reads[("stock", connection.vendor)] = Joined(
            connection,
            [("b", StockBalance), ("t", Lot), ("l", Location), ("w", Warehouse)],
            f"SELECT {{columns}} FROM {table[StockBalance]} b "
            f"LEFT JOIN {table[Lot]} t ON t.id = b.lot_id "
            f"JOIN {table[Location]} l ON l.id = b.location_id "
            f"LEFT JOIN {table[Warehouse]} w ON w.id = l.warehouse_id "
            f"WHERE b.product_id IN (SELECT product_id FROM {table[StockDocumentLine]} "
            "WHERE document_id = %s) "
            f"AND b.warehouse_id = (SELECT warehouse_id FROM {table[StockDocument]} "
            "WHERE id = %s) AND b.on_hand > 0",
        )
    return _reads[("stock", connection.vendor)]


def _picked(document, line, source, target, stock) -> list[MoveRequest]:
    """Lots that expire first (FEFO), then locations in code order."""
    if not _needs_picking(document, line, source):
        return []
    balances = [
        balance
        for balance in stock
        if balance.product_id == line.product_id
        and (source is None or balance.location_id == source.pk)
        and (line.lot is None or balance.lot_id == line.lot.pk)
    ]
    balances.sort(
        key=lambda b: (
            b.lot is None or b.lot.expiry_date is None,  # NULLs last, as the database sorts
            b.lot.expiry_date if b.lot and b.lot.expiry_date else datetime.date.min,
            b.lot.code if b.lot else "",
            b.location.code,
        )
    )
    remaining, requests = line.base_quantity, []
    for balance in balances:
        take = min(remaining, balance.on_hand - balance.frozen)
        if take <= 0:
            continue
        requests.append(
            MoveRequest(
                product=line.product,
                quantity=take,
                from_location=balance.location,
                to_location=target,
                lot=balance.lot,
                serial=line.serial,
                entered_unit=line.unit,
                origin_type=ORIGIN,
                origin_id=line.pk,
                reason=document.reason,
            )
        )
        remaining -= take
        if remaining <= 0:
            break
    if remaining > 0:  # not enough anywhere: let the posting report the shortage
        fallback = balances[0] if balances else None
        requests.append(
            MoveRequest(
                product=line.product,
                quantity=remaining,
                from_location=fallback.location
                if fallback
                else (source or warehouse_root(document.warehouse)),
                to_location=target,
                lot=fallback.lot if fallback else line.lot,
                origin_type=ORIGIN,
                origin_id=line.pk,
                reason=document.reason,
            )
        )
    return requests


def _make_new_lots(lines) -> None:
    """The lots a receipt brings in, made (or found, when another receipt made them since)
    as it is posted."""
    pending = [(i, line) for i, line in enumerate(lines) if line.lot is None and line.lot_code]
    for index, line in pending:
        try:
            line.lot = get_or_create_lot(
                product=line.product,
                code=line.lot_code,
                production_date=line.production_date,
                expiry_date=line.expiry_date,
            )
        except ValidationFailed as exc:  # name the line the lot belongs to
            raise ValidationFailed(
                exc.message, field=f"lines.{index}.{exc.field or 'lot'}"
            ) from None
    if pending:
        StockDocumentLine.objects.bulk_update([line for _i, line in pending], ["lot"])


@dataclass
class _Loaded:
    """What posting a document reads first, in one round trip (see :func:`_load_for_posting`)."""

    document: StockDocument
    lines: list[StockDocumentLine]
    virtual: dict[str, Location]
    series: object  # the document type's number series; None if not made yet
    ruled: bool  # an active approval rule of the organization is for the document's type
    stock: list[StockBalance] | None  # what issues and transfers pick from; None: not read


def _load_for_posting(document) -> _Loaded:
    """The document locked, its lines with what posting reads of them, the organization's
    virtual locations, its number series, whether approval rules exist for its type and, for
    issues and transfers, the stock to pick from, in one round trip: every posting runs this,
    and through the ORM building these queries cost more than running them."""
    connection = connections[router.db_for_write(StockDocument)]
    head, body, virtual = _posting_reads(connection)
    lock = " FOR UPDATE OF d" if connection.features.has_select_for_update else ""
    statements = [
        (head.sql + lock, [document.pk]),
        (body.sql, [document.pk]),
        (virtual.sql, [document.organization_id]),
        series_statement(connection, document.organization_id, list(DOC_TYPES.values())),
        ruled_types_statement(connection, document.organization_id, list(DOC_TYPES.values())),
    ]
    picking = document.kind != "receipt"  # as the caller knows it; checked against the row below
    if picking:
        statements.append((_stock_read(connection).sql, [document.pk, document.pk]))
    found = run_statements(connection, statements)
    if not found[0]:
        raise StockDocument.DoesNotExist
    parts = head.read(found[0][0])
    document = parts["d"]
    document.organization, document.warehouse = parts["o"], parts["w"]
    locations = {row["v"].kind: row["v"] for row in map(virtual.read, found[2])}
    if len(locations) < len(VIRTUAL_KINDS):
        locations = ensure_virtual_locations(document.organization)
    return _Loaded(
        document=document,
        lines=[_wire_line(body.read(row)) for row in found[1]],
        virtual=locations,
        series=read_series(connection, found[3]).get(DOC_TYPES[document.kind]),
        ruled=any(row[0] == DOC_TYPES[document.kind] for row in found[4]),
        stock=_read_stock(_stock_read(connection), found[5]) if picking else None,
    )


VIRTUAL_KINDS = ("supplier", "customer", "inventory_loss", "scrap", "transit")


def _wire_line(parts: dict) -> StockDocumentLine:
    line, product, source, target = parts["l"], parts["p"], parts["f"], parts["g"]
    product.base_unit = parts["b"]
    line.product, line.unit, line.lot = product, parts["u"], parts["t"]
    if source is not None:
        source.warehouse = parts["fw"]
    if target is not None:
        target.warehouse = parts["gw"]
    line.location, line.to_location = source, target
    return line


_reads: dict = {}


def _posting_reads(connection) -> tuple[Joined, Joined, Joined]:
    """The three reads of :func:`_load_for_posting`, built once per database vendor."""
    if connection.vendor in _reads:
        return _reads[connection.vendor]
    models = (StockDocument, StockDocumentLine, Organization, Warehouse, Product, Unit, Lot,
              Location)  # fmt: skip
    table = {model: connection.ops.quote_name(model._meta.db_table) for model in models}
    head = Joined(
        connection,
        [("d", StockDocument), ("o", Organization), ("w", Warehouse)],
        f"SELECT {{columns}} FROM {table[StockDocument]} d "
        f"JOIN {table[Organization]} o ON o.id = d.organization_id "
        f"JOIN {table[Warehouse]} w ON w.id = d.warehouse_id WHERE d.id = %s",
    )
    body = Joined(
        connection,
        [("l", StockDocumentLine), ("p", Product), ("b", Unit), ("u", Unit), ("t", Lot),
         ("f", Location), ("fw", Warehouse), ("g", Location), ("gw", Warehouse)],
        f"SELECT {{columns}} FROM {table[StockDocumentLine]} l "
        f"JOIN {table[Product]} p ON p.id = l.product_id "
        f"JOIN {table[Unit]} b ON b.id = p.base_unit_id "
        f"JOIN {table[Unit]} u ON u.id = l.unit_id "
        f"LEFT JOIN {table[Lot]} t ON t.id = l.lot_id "
        f"LEFT JOIN {table[Location]} f ON f.id = l.location_id "
        f"LEFT JOIN {table[Warehouse]} fw ON fw.id = f.warehouse_id "
        f"LEFT JOIN {table[Location]} g ON g.id = l.to_location_id "
        f"LEFT JOIN {table[Warehouse]} gw ON gw.id = g.warehouse_id "
        "WHERE l.document_id = %s ORDER BY l.position, l.id",
    )  # fmt: skip
    kinds = ", ".join(f"'{kind}'" for kind in VIRTUAL_KINDS)
    virtual = Joined(
        connection,
        [("v", Location)],
        f"SELECT {{columns}} FROM {table[Location]} v "
        f"WHERE v.organization_id = %s AND v.kind IN ({kinds})",
    )
    _reads[connection.vendor] = head, body, virtual
    return _reads[connection.vendor]


@transaction.atomic
def post_stock_document(*, document: StockDocument, on_date: datetime.date | None = None):
    """Post an approved document, or a draft no approval rule applies to: receipt and issue
    are done at once; a two-step transfer is shipped."""
    loaded = _load_for_posting(document)
    document, lines, virtual = loaded.document, loaded.lines, loaded.virtual
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    _check_approval(document, loaded.ruled)
    if document.kind == "receipt":
        _make_new_lots(lines)
    if document.kind == "receipt":
        gain = virtual["inventory_loss"] if document.reason == "surplus" else virtual["supplier"]
        requests = _requests(document, lines, lambda line: gain, lambda line: line.location)
    elif document.kind == "issue":
        loss = virtual["inventory_loss"] if document.reason == "damage" else virtual["customer"]
        requests = _requests(
            document, lines, lambda line: line.location, lambda line: loss, loaded.stock
        )
    else:
        middle = virtual["transit"]
        requests = _requests(
            document,
            lines,
            lambda line: line.location,
            lambda line: middle if document.two_step else line.to_location,
            loaded.stock,
        )
    to = S.IN_TRANSIT if document.kind == "transfer" and document.two_step else S.DONE
    transition(document, to, TRANSITIONS)
    document.number = next_number(
        organization=document.organization,
        doc_type=DOC_TYPES[document.kind],
        on_date=document.business_date,
        series=loaded.series,
    )
    document.posted_at = timezone.now()
    if to == S.IN_TRANSIT:
        document.shipped_on = on_date or document.business_date
    connection = connections[router.db_for_write(StockDocument)]
    post_moves(
        organization=document.organization,
        moves=requests,
        business_date=on_date or document.business_date,
        reference=document.number,
        savepoint=False,
        source=(SOURCE, document.pk),
        # the document's own update rides with the voucher's writes
        then=update_statements(
            connection, document, ["state", "number", "posted_at", "shipped_on"]
        ),
    )
    return document


@transaction.atomic
def receive_transfer(*, document: StockDocument, on_date: datetime.date | None = None):
    """The second step of a two-step transfer: goods arrive from transit."""
    document = StockDocument.objects.select_for_update().get(pk=document.pk)
    transition(document, S.DONE, TRANSITIONS)
    shipped = StockMove.objects.filter(
        origin_type=ORIGIN,
        reference=document.number,
        origin_id__in=document.lines.values("pk"),
        reversal_of__isnull=True,
    )
    destination = {
        line.pk: line.to_location for line in document.lines.select_related("to_location")
    }
    post_moves(
        organization=document.organization,
        business_date=on_date or timezone.localdate(),
        reference=document.number,
        moves=[
            MoveRequest(
                product=m.product,
                quantity=m.quantity,
                from_location=m.to_location,
                to_location=destination[m.origin_id],
                lot=m.lot,
                serial=m.serial.serial if m.serial else "",
                origin_type=ORIGIN,
                origin_id=m.origin_id,
            )
            for m in shipped.select_related("product__base_unit", "to_location", "lot", "serial")
        ],
        savepoint=False,
        source=(SOURCE, document.pk),
    )
    document.received_on = on_date or timezone.localdate()
    document.save()
    return document


@transaction.atomic
def reverse_stock_document(*, document: StockDocument, user, on_date=None) -> StockDocument:
    """红字冲销: a new document whose moves undo the original's, dated in an open period."""
    document = StockDocument.objects.select_for_update().get(pk=document.pk)
    transition(document, S.REVERSED, TRANSITIONS)
    on_date = on_date or timezone.localdate()
    reversal = StockDocument.objects.create(
        organization=document.organization,
        kind=document.kind,
        business_date=on_date,
        warehouse=document.warehouse,
        to_warehouse=document.to_warehouse,
        reason=document.reason,
        note=_("Reversal of %(number)s") % {"number": document.number},
        created_by=user,
        state=S.DONE,
        reversal_of=document,
        posted_at=timezone.now(),
        number=next_number(
            organization=document.organization, doc_type=DOC_TYPES[document.kind], on_date=on_date
        ),
    )
    originals = StockMove.objects.filter(
        reference=document.number, origin_type=ORIGIN
    ).select_related("product__base_unit", "from_location", "to_location", "lot", "serial")
    post_moves(
        organization=document.organization,
        business_date=on_date,
        reference=reversal.number,
        moves=[
            MoveRequest(
                product=m.product,
                quantity=m.quantity,
                from_location=m.to_location,
                to_location=m.from_location,
                lot=m.lot,
                serial=m.serial.serial if m.serial else "",
                unit_cost=m.unit_cost,
                origin_type=m.origin_type,
                origin_id=m.origin_id,
                reason=m.reason,
                reversal_of=m,
            )
            for m in originals.order_by("-id")
        ],
        savepoint=False,
        source=(SOURCE, reversal.pk),
    )
    document.save()
    return reversal


@transaction.atomic
def cancel_stock_document(*, document: StockDocument) -> StockDocument:
    transition(document, S.CANCELLED, TRANSITIONS)
    document.save()
    return document
