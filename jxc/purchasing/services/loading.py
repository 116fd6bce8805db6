"""What approving a purchase order and posting a goods receipt read first, each in one round
trip of prepared statements (:mod:`jxc.core.batch`; the stock posting reads the same way, see
``docs/posting-path.md``): through the ORM, building these queries cost more than running them.

The rows are locked in the documented order: the document, then (a receipt) its order lines
and their orders in key order; the number counter and the stock come after, in the caller.
"""

from dataclasses import dataclass

from django.db import connections, router

from jxc.core.audit import create_statements
from jxc.core.batch import Joined, fetch, insert_statement, instances, run_statements, set_keys
from jxc.core.models import Organization
from jxc.core.services.numbering import read_series, series_statement
from jxc.inventory.models import Lot
from jxc.masterdata.models import Currency, Location, Partner, Product, Unit, Warehouse
from jxc.purchasing.models import (
    GoodsReceipt,
    GoodsReceiptLine,
    PurchaseOrder,
    PurchaseOrderLine,
    ReceiptTolerance,
)
from jxc.workflow.registry import DocumentRef
from jxc.workflow.selectors import pending_statement, ruled_types_statement

_reads: dict = {}


def _tables(connection, *models) -> dict:
    return {model: connection.ops.quote_name(model._meta.db_table) for model in models}


def _lock(connection, of: str) -> str:
    return f" FOR UPDATE OF {of}" if connection.features.has_select_for_update else ""


# --- writing a new document ----------------------------------------------------------------


def insert_document(document, lines: list, *, line_model, parent: str) -> None:
    """A new document and its lines (each pointing to it by its ``parent`` field), written raw
    (the ORM's save cost more than the writes), with the audit entry its save would have
    written: the document's insert, then the audit entry and the lines in one round trip."""
    connection = connections[router.db_for_write(type(document))]
    inserted = fetch(connection, *insert_statement(connection, type(document), [document]))
    set_keys(connection, [document], inserted)
    for line in lines:
        setattr(line, parent, document)
    statements = create_statements(connection, document)
    if lines:
        statements.append(insert_statement(connection, line_model, lines))
    found = run_statements(connection, statements)
    if lines:
        set_keys(connection, lines, found[-1])


# --- approving an order ---------------------------------------------------------------------


@dataclass
class OrderForApproval:
    order: PurchaseOrder  # locked, with organization, supplier and currency
    lines: list[PurchaseOrderLine]  # with their products
    series: object  # the order number series; None if not made yet
    ruled: bool  # an active approval rule of the organization is for purchase orders
    awaiting: bool  # an approval request of the order is open


def load_order_for_approval(order, doc_type: str) -> OrderForApproval:
    """The order locked with what submitting it reads, in one round trip."""
    connection = connections[router.db_for_write(PurchaseOrder)]
    head, body = _order_reads(connection)
    organization_id = order.organization_id
    found = run_statements(
        connection,
        [
            (head.sql + _lock(connection, "d"), [order.pk]),
            (body.sql, [order.pk]),
            series_statement(connection, organization_id, [doc_type]),
            ruled_types_statement(connection, organization_id, [doc_type]),
            pending_statement(connection, organization_id, DocumentRef(doc_type, order.pk)),
        ],
    )
    if not found[0]:
        raise PurchaseOrder.DoesNotExist
    parts = head.read(found[0][0])
    order = parts["d"]
    order.organization, order.supplier, order.currency = parts["o"], parts["s"], parts["c"]
    lines = []
    for row in found[1]:
        line_parts = body.read(row)
        line = line_parts["l"]
        line.order, line.product = order, line_parts["p"]
        lines.append(line)
    return OrderForApproval(
        order=order,
        lines=lines,
        series=read_series(connection, found[2]).get(doc_type),
        ruled=bool(found[3]),
        awaiting=bool(found[4]),
    )


def _order_reads(connection) -> tuple[Joined, Joined]:
    key = ("order", connection.vendor)
    if key not in _reads:
        table = _tables(connection, PurchaseOrder, PurchaseOrderLine, Organization, Partner,
                        Currency, Product)  # fmt: skip
        head = Joined(
            connection,
            [("d", PurchaseOrder), ("o", Organization), ("s", Partner), ("c", Currency)],
            f"SELECT {{columns}} FROM {table[PurchaseOrder]} d "
            f"JOIN {table[Organization]} o ON o.id = d.organization_id "
            f"JOIN {table[Partner]} s ON s.id = d.supplier_id "
            f"JOIN {table[Currency]} c ON c.id = d.currency_id WHERE d.id = %s",
        )
        body = Joined(
            connection,
            [("l", PurchaseOrderLine), ("p", Product)],
            f"SELECT {{columns}} FROM {table[PurchaseOrderLine]} l "
            f"JOIN {table[Product]} p ON p.id = l.product_id "
            "WHERE l.order_id = %s ORDER BY l.position, l.id",
        )
        _reads[key] = head, body
    return _reads[key]


# --- posting a receipt ----------------------------------------------------------------------


@dataclass
class ReceiptForPosting:
    receipt: GoodsReceipt  # locked, with organization, warehouse, supplier and currency
    lines: list[GoodsReceiptLine]  # with products (and base units), units, locations, lots
    order_lines: dict[int, PurchaseOrderLine]  # the receipt's, locked, read fresh
    orders: dict[int, PurchaseOrder]  # theirs, locked after them, with suppliers
    progress: dict[int, list[PurchaseOrderLine]]  # every line of those orders (received so far)
    tolerances: list[ReceiptTolerance]  # those that may apply to the receipt's products
    series: object  # the receipt number series; None if not made yet
    supplier_location: Location | None  # the organization's virtual supplier location


def load_receipt_for_posting(receipt, doc_type: str) -> ReceiptForPosting:
    """The receipt locked and read with its lines, its order lines and orders locked (in key
    order, after the receipt: concurrent receipts on one line queue there), the lines of those
    orders, the tolerances, the number series and the supplier location, in one round trip."""
    connection = connections[router.db_for_write(GoodsReceipt)]
    reads = _receipt_reads(connection)
    organization_id = receipt.organization_id
    found = run_statements(
        connection,
        [
            (reads["head"].sql + _lock(connection, "r"), [receipt.pk]),
            (reads["body"].sql, [receipt.pk]),
            (reads["order_lines"].sql + _lock(connection, "ol"), [receipt.pk]),
            (reads["orders"].sql + _lock(connection, "d"), [receipt.pk]),
            (reads["progress"], [receipt.pk]),
            (reads["tolerances"].sql, [organization_id, receipt.pk, receipt.pk]),
            series_statement(connection, organization_id, [doc_type]),
            (reads["supplier"].sql, [organization_id, Location.Kind.SUPPLIER.value]),
        ],
    )
    if not found[0]:
        raise GoodsReceipt.DoesNotExist
    parts = reads["head"].read(found[0][0])
    receipt = parts["r"]
    receipt.organization, receipt.warehouse = parts["o"], parts["w"]
    receipt.supplier, receipt.currency = parts["s"], parts["c"]
    orders = {}
    for row in found[3]:
        order_parts = reads["orders"].read(row)
        order = order_parts["d"]
        order.organization, order.supplier = receipt.organization, order_parts["s"]
        orders[order.pk] = order
    progress: dict[int, list[PurchaseOrderLine]] = {pk: [] for pk in orders}
    for line in instances(connection, PurchaseOrderLine, PROGRESS_FIELDS, found[4]):
        progress[line.order_id].append(line)
    return ReceiptForPosting(
        receipt=receipt,
        lines=[_receipt_line(receipt, reads["body"].read(row)) for row in found[1]],
        order_lines={
            line.pk: line for line in (reads["order_lines"].part(row, "ol") for row in found[2])
        },
        orders=orders,
        progress=progress,
        tolerances=[reads["tolerances"].part(row, "t") for row in found[5]],
        series=read_series(connection, found[6]).get(doc_type),
        supplier_location=next((reads["supplier"].part(row, "v") for row in found[7]), None),
    )


PROGRESS_FIELDS = ("id", "order_id", "base_quantity", "received_quantity")


def _receipt_line(receipt, parts: dict) -> GoodsReceiptLine:
    line, product, location = parts["l"], parts["p"], parts["f"]
    product.base_unit = parts["b"]
    location.warehouse = parts["fw"]
    line.receipt, line.product, line.unit = receipt, product, parts["u"]
    line.location, line.lot = location, parts["t"]
    return line


def _receipt_reads(connection) -> dict:
    key = ("receipt", connection.vendor)
    if key in _reads:
        return _reads[key]
    models = (GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine,
              ReceiptTolerance, Organization, Warehouse, Partner, Currency, Product, Unit, Lot,
              Location)  # fmt: skip
    table = _tables(connection, *models)
    # the receipt's order lines, and their orders
    order_line_ids = f"SELECT order_line_id FROM {table[GoodsReceiptLine]} WHERE receipt_id = %s"
    order_ids = f"SELECT order_id FROM {table[PurchaseOrderLine]} WHERE id IN ({order_line_ids})"
    _reads[key] = {
        "head": Joined(
            connection,
            [("r", GoodsReceipt), ("o", Organization), ("w", Warehouse), ("s", Partner),
             ("c", Currency)],
            f"SELECT {{columns}} FROM {table[GoodsReceipt]} r "
            f"JOIN {table[Organization]} o ON o.id = r.organization_id "
            f"JOIN {table[Warehouse]} w ON w.id = r.warehouse_id "
            f"JOIN {table[Partner]} s ON s.id = r.supplier_id "
            f"JOIN {table[Currency]} c ON c.id = r.currency_id WHERE r.id = %s",
        ),
        "body": Joined(
            connection,
            [("l", GoodsReceiptLine), ("p", Product), ("b", Unit), ("u", Unit), ("t", Lot),
             ("f", Location), ("fw", Warehouse)],
            f"SELECT {{columns}} FROM {table[GoodsReceiptLine]} l "
            f"JOIN {table[Product]} p ON p.id = l.product_id "
            f"JOIN {table[Unit]} b ON b.id = p.base_unit_id "
            f"JOIN {table[Unit]} u ON u.id = l.unit_id "
            f"LEFT JOIN {table[Lot]} t ON t.id = l.lot_id "
            f"JOIN {table[Location]} f ON f.id = l.location_id "
            f"LEFT JOIN {table[Warehouse]} fw ON fw.id = f.warehouse_id "
            "WHERE l.receipt_id = %s ORDER BY l.position, l.id",
        ),
        "order_lines": Joined(
            connection,
            [("ol", PurchaseOrderLine)],
            f"SELECT {{columns}} FROM {table[PurchaseOrderLine]} ol "
            f"WHERE ol.id IN ({order_line_ids}) ORDER BY ol.id",
        ),
        "orders": Joined(
            connection,
            [("d", PurchaseOrder), ("s", Partner)],
            f"SELECT {{columns}} FROM {table[PurchaseOrder]} d "
            f"JOIN {table[Partner]} s ON s.id = d.supplier_id "
            f"WHERE d.id IN ({order_ids}) ORDER BY d.id",
        ),
        "progress": (
            f"SELECT {', '.join(PROGRESS_FIELDS)} FROM {table[PurchaseOrderLine]} "
            f"WHERE order_id IN ({order_ids}) ORDER BY id"
        ),
        "tolerances": Joined(
            connection,
            [("t", ReceiptTolerance)],
            f"SELECT {{columns}} FROM {table[ReceiptTolerance]} t WHERE t.organization_id = %s "
            "AND (t.product_id IS NULL OR t.product_id IN "
            f"(SELECT product_id FROM {table[GoodsReceiptLine]} WHERE receipt_id = %s)) "
            "AND (t.supplier_id IS NULL OR t.supplier_id IN "
            f"(SELECT supplier_id FROM {table[PurchaseOrder]} WHERE id IN ({order_ids})))",
        ),
        "supplier": Joined(
            connection,
            [("v", Location)],
            f"SELECT {{columns}} FROM {table[Location]} v "
            "WHERE v.organization_id = %s AND v.kind = %s",
        ),
    }  # fmt: skip
    return _reads[key]


# --- receiving orders in one click ------------------------------------------------------------


def load_order_lines_to_receive(orders, warehouse_id: int) -> tuple[list, Warehouse, object]:
    """The lines of ``orders`` (in the orders' order, then by position), each with its order
    read fresh and its product with the base unit; the warehouse and its root location (None
    if it has none), in one round trip."""
    connection = connections[router.db_for_write(PurchaseOrderLine)]
    lines_read, warehouse_read = _receive_reads(connection)
    marks = ", ".join(["%s"] * len(orders))
    found = run_statements(
        connection,
        [
            (lines_read.sql.replace("{orders}", marks), [order.pk for order in orders]),
            (warehouse_read.sql, [Location.Kind.WAREHOUSE.value, warehouse_id]),
        ],
    )
    rank = {order.pk: index for index, order in enumerate(orders)}
    lines = []
    for row in found[0]:
        parts = lines_read.read(row)
        line, product = parts["l"], parts["p"]
        product.base_unit = parts["b"]
        line.order, line.product = parts["d"], product
        lines.append(line)
    lines.sort(key=lambda line: rank[line.order_id])  # stable: by position within an order
    if not found[1]:
        raise Warehouse.DoesNotExist
    parts = warehouse_read.read(found[1][0])
    return lines, parts["w"], parts["v"]


def _receive_reads(connection) -> tuple[Joined, Joined]:
    key = ("receive", connection.vendor)
    if key not in _reads:
        table = _tables(connection, PurchaseOrder, PurchaseOrderLine, Product, Unit, Warehouse,
                        Location)  # fmt: skip
        lines = Joined(
            connection,
            [("l", PurchaseOrderLine), ("d", PurchaseOrder), ("p", Product), ("b", Unit)],
            f"SELECT {{columns}} FROM {table[PurchaseOrderLine]} l "
            f"JOIN {table[PurchaseOrder]} d ON d.id = l.order_id "
            f"JOIN {table[Product]} p ON p.id = l.product_id "
            f"JOIN {table[Unit]} b ON b.id = p.base_unit_id "
            "WHERE l.order_id IN ({orders}) ORDER BY l.position, l.id",
        )
        warehouse = Joined(
            connection,
            [("w", Warehouse), ("v", Location)],
            f"SELECT {{columns}} FROM {table[Warehouse]} w "
            f"LEFT JOIN {table[Location]} v ON v.warehouse_id = w.id AND v.kind = %s "
            "AND v.parent_id IS NULL WHERE w.id = %s",
        )
        _reads[key] = lines, warehouse
    return _reads[key]
