"""Reads of purchasing: what approval rules see of an order, what is expected in from open
orders (registered with inventory as an incoming source), and the stock figures the document
pages show next to each line."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import F, Sum
from django.utils.translation import gettext as _

from jxc.inventory.models import WarehouseStock
from jxc.purchasing.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, PurchaseRequest
from jxc.purchasing.states import OPEN_ORDER_STATES
from jxc.workflow.domain.rules import DocumentFacts

ZERO = Decimal(0)


def purchase_order_facts(order: PurchaseOrder) -> DocumentFacts:
    """The order's value in base currency, its currency, supplier, warehouse and categories."""
    lines = list(order.lines.select_related("product").order_by("position", "pk"))
    products = list(dict.fromkeys(line.product.name for line in lines))
    summary = order.supplier.name
    if products:
        summary += " · " + (
            products[0]
            if len(products) == 1
            else _("%(product)s etc. (%(n)d products)")
            % {"product": products[0], "n": len(products)}
        )
    return DocumentFacts(
        number=order.number,
        summary=summary,
        amount=(order.gross_amount * order.rate).quantize(Decimal("0.01")),
        currency=order.currency.code,
        partner=order.supplier_id,
        warehouse=order.warehouse_id,
        categories=frozenset(line.product.category_id for line in lines) - {None},
    )


def read_purchase_order_facts(organization, document_id: int) -> DocumentFacts:
    order = PurchaseOrder.objects.select_related("supplier", "currency").get(
        organization=organization, pk=document_id
    )
    return purchase_order_facts(order)


def goods_receipt_facts(receipt: GoodsReceipt) -> DocumentFacts:
    """What approval rules see of a receipt beyond its over-receipt tolerance: its value at
    the order prices in base currency, currency, supplier, warehouse and categories."""
    lines = list(receipt.lines.select_related("product").order_by("position", "pk"))
    products = list(dict.fromkeys(line.product.name for line in lines))
    summary = receipt.supplier.name
    if products:
        summary += " · " + (
            products[0]
            if len(products) == 1
            else _("%(product)s etc. (%(n)d products)")
            % {"product": products[0], "n": len(products)}
        )
    value = sum((line.unit_price * line.base_quantity for line in lines), ZERO)
    return DocumentFacts(
        number=str(receipt),
        summary=_("Beyond the over-receipt tolerance: %(summary)s") % {"summary": summary},
        amount=(value * receipt.rate).quantize(Decimal("0.01")),
        currency=receipt.currency.code,
        partner=receipt.supplier_id,
        warehouse=receipt.warehouse_id,
        categories=frozenset(line.product.category_id for line in lines) - {None},
    )


def read_goods_receipt_facts(organization, document_id: int) -> DocumentFacts:
    receipt = GoodsReceipt.objects.select_related("supplier", "currency").get(
        organization=organization, pk=document_id
    )
    return goods_receipt_facts(receipt)


def purchase_request_facts(request: PurchaseRequest) -> DocumentFacts:
    """What approval rules see of a request: its warehouse and its products' categories (a
    request has no prices; the orders made from it are approved by their own rules)."""
    lines = list(request.lines.select_related("product").order_by("position", "pk"))
    products = list(dict.fromkeys(line.product.name for line in lines))
    summary = request.department or ""
    if products:
        first = (
            products[0]
            if len(products) == 1
            else _("%(product)s etc. (%(n)d products)")
            % {"product": products[0], "n": len(products)}
        )
        summary = f"{summary} · {first}" if summary else first
    return DocumentFacts(
        number=request.number,
        summary=summary,
        warehouse=request.warehouse_id,
        categories=frozenset(line.product.category_id for line in lines) - {None},
    )


def read_purchase_request_facts(organization, document_id: int) -> DocumentFacts:
    request = PurchaseRequest.objects.get(organization=organization, pk=document_id)
    return purchase_request_facts(request)


def _open_lines():
    return PurchaseOrderLine.objects.filter(
        order__state__in=OPEN_ORDER_STATES, received_quantity__lt=F("base_quantity")
    )


def incoming_from_orders(product_id: int, warehouse_ids: list[int] | None) -> dict:
    """Ordered and not yet received, per warehouse, of approved orders still open (a closed
    order expects nothing more)."""
    lines = _open_lines().filter(product_id=product_id)
    if warehouse_ids is not None:
        lines = lines.filter(order__warehouse_id__in=warehouse_ids)
    rows = lines.values("order__warehouse_id").annotate(
        q=Sum(F("base_quantity") - F("received_quantity"))
    )
    return {row["order__warehouse_id"]: row["q"] for row in rows}


def line_stock(organization, warehouse_id: int, product_ids) -> dict[int, dict]:
    """On hand, available and incoming (open purchase orders) of each product at the
    warehouse, in base units: what a document page shows next to each line."""
    product_ids = set(product_ids)
    found = {pid: {"on_hand": ZERO, "available": ZERO, "incoming": ZERO} for pid in product_ids}
    for row in WarehouseStock.objects.filter(
        warehouse_id=warehouse_id, product_id__in=product_ids
    ).values("product_id", "on_hand", "reserved", "frozen"):
        found[row["product_id"]]["on_hand"] = row["on_hand"]
        found[row["product_id"]]["available"] = row["on_hand"] - row["reserved"] - row["frozen"]
    incoming = defaultdict(lambda: ZERO)
    for row in (
        _open_lines()
        .filter(
            order__organization=organization,
            order__warehouse_id=warehouse_id,
            product_id__in=product_ids,
        )
        .values("product_id")
        .annotate(q=Sum(F("base_quantity") - F("received_quantity")))
    ):
        incoming[row["product_id"]] = row["q"]
    for pid in product_ids:
        found[pid]["incoming"] = incoming[pid]
    return found
