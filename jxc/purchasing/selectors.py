"""Reads of purchasing: what approval rules see of an order, what is expected in from open
orders (registered with inventory as an incoming source), and the stock figures the document
pages show next to each line."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.states import DocumentState
from jxc.finance.models import Account
from jxc.inventory.models import WarehouseStock
from jxc.masterdata.selectors import rate_on
from jxc.purchasing.models import (
    GoodsReceipt,
    PaymentRequest,
    PaymentRequestLine,
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    SupplierInvoice,
    SupplierQuote,
)
from jxc.purchasing.states import OPEN_ORDER_STATES, OPEN_PAYMENT_REQUEST_STATES
from jxc.workflow.domain.rules import DocumentFacts

ZERO = Decimal(0)
PRICE_PLACES = Decimal("0.000001")


def purchase_order_facts(order: PurchaseOrder, lines=None) -> DocumentFacts:
    """The order's value in base currency, its currency, supplier, warehouse and categories
    (``lines``: the order's, with their products, when the caller has them)."""
    if lines is None:
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
        categories=frozenset(line.product.category_id for line in lines if line.product) - {None},
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
        categories=frozenset(line.product.category_id for line in lines if line.product) - {None},
    )


def read_goods_receipt_facts(organization, document_id: int) -> DocumentFacts:
    receipt = GoodsReceipt.objects.select_related("supplier", "currency").get(
        organization=organization, pk=document_id
    )
    return goods_receipt_facts(receipt)


def supplier_invoice_facts(invoice: SupplierInvoice) -> DocumentFacts:
    """What approval rules see of an invoice beyond its price or quantity tolerance: its
    gross amount in base currency, currency, supplier and categories."""
    lines = list(invoice.lines.select_related("product").order_by("position", "pk"))
    products = list(
        dict.fromkeys(line.product.name if line.product else line.description for line in lines)
    )
    summary = f"{invoice.supplier.name} {invoice.invoice_number}"
    if products:
        summary += " · " + (
            products[0]
            if len(products) == 1
            else _("%(product)s etc. (%(n)d products)")
            % {"product": products[0], "n": len(products)}
        )
    return DocumentFacts(
        number=invoice.invoice_number,
        summary=_("Beyond the invoice tolerance: %(summary)s") % {"summary": summary},
        amount=(invoice.gross_amount * invoice.rate).quantize(Decimal("0.01")),
        currency=invoice.currency.code,
        partner=invoice.supplier_id,
        categories=frozenset(line.product.category_id for line in lines if line.product) - {None},
    )


def read_supplier_invoice_facts(organization, document_id: int) -> DocumentFacts:
    invoice = SupplierInvoice.objects.select_related("supplier", "currency").get(
        organization=organization, pk=document_id
    )
    return supplier_invoice_facts(invoice)


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
        categories=frozenset(line.product.category_id for line in lines if line.product) - {None},
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


def accepted_quote_price(*, order: PurchaseOrder, product, base: Decimal):
    """The price per base unit and its tax treatment from the newest accepted quote of the
    order's supplier for ``product`` in the order's currency, valid on the order's date; None
    when there is none."""
    quote = (
        SupplierQuote.objects.filter(
            organization_id=order.organization_id,
            supplier_id=order.supplier_id,
            currency_id=order.currency_id,
            rfq_line__product=product,
            is_accepted=True,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=order.business_date))
        .select_related("rfq_line")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if quote is None:
        return None
    per_unit = quote.rfq_line.base_quantity / quote.rfq_line.quantity
    return quote.price_at(base / per_unit) / per_unit, quote.tax_inclusive


def quote_comparison(rfq, on_date: datetime.date) -> dict:
    """比价: every line of the request with each supplier's quote side by side — the price
    for the line's quantity (quantity breaks applied), the amount, lead time and validity —
    the expired ones marked, and the cheapest valid quote of each line flagged. Prices are
    compared in base currency and with tax (a tax-exclusive quote gets the product's rate)."""
    suppliers = list(rfq.suppliers.order_by("code").values("id", "code", "name"))
    quotes = defaultdict(list)
    for quote in SupplierQuote.objects.filter(rfq_line__rfq=rfq).select_related(
        "currency", "supplier"
    ):
        quotes[quote.rfq_line_id].append(quote)
    rates: dict[int, Decimal | None] = {}
    rows = []
    for line in rfq.lines.select_related("product__tax_rate", "unit"):
        cells, best = [], None
        for quote in quotes[line.pk]:
            price = quote.price_at(line.quantity)
            expired = quote.valid_until is not None and quote.valid_until < on_date
            rate = _rate(rates, quote.currency, on_date)
            cell = {
                "id": quote.pk,
                "supplier": quote.supplier_id,
                "supplier_name": quote.supplier.name,
                "unit_price": price.quantize(PRICE_PLACES),
                "quoted_price": quote.unit_price,
                "amount": (price * line.quantity).quantize(Decimal("0.01")),
                "currency_code": quote.currency.code,
                "tax_inclusive": quote.tax_inclusive,
                "price_breaks": quote.price_breaks,
                "lead_time_days": quote.lead_time_days,
                "valid_until": quote.valid_until,
                "note": quote.note,
                "expired": expired,
                "is_accepted": quote.is_accepted,
                "cheapest": False,
            }
            cells.append(cell)
            if expired or rate is None:
                continue
            tax = line.product.tax_rate.rate if line.product.tax_rate else ZERO
            compared = price * rate * (1 if quote.tax_inclusive else 1 + tax / 100)
            if best is None or compared < best[0]:
                best = (compared, cell)
        if best is not None:
            best[1]["cheapest"] = True
        rows.append(
            {
                "id": line.pk,
                "product": line.product_id,
                "product_code": line.product.code,
                "product_name": line.product.name,
                "unit_name": line.unit.name,
                "quantity": line.quantity,
                "quotes": cells,
            }
        )
    return {"suppliers": suppliers, "lines": rows}


def _rate(cache: dict, currency, on_date) -> Decimal | None:
    """The currency's rate, None without one (its quotes are shown, not compared)."""
    if currency.pk not in cache:
        try:
            cache[currency.pk] = rate_on(currency=currency, on_date=on_date)
        except ValidationFailed:
            cache[currency.pk] = None
    return cache[currency.pk]


def revision_facts(order: PurchaseOrder, revision, lines) -> DocumentFacts:
    """What approval rules see of a revision: the order as revised (its value with the
    proposed lines, their categories); the summary says which revision it is."""
    facts = purchase_order_facts(order)
    return DocumentFacts(
        number=order.number,
        summary=(_("Revision %(n)d") % {"n": revision.revision}) + " · " + facts.summary,
        amount=(revision.gross_after * order.rate).quantize(Decimal("0.01")),
        currency=facts.currency,
        partner=facts.partner,
        warehouse=facts.warehouse,
        categories=frozenset(line.product.category_id for line in lines if line.product) - {None},
    )


# --- payment requests (付款申请单) ----------------------------------------------------------


def requested_of_invoices(invoice_ids, exclude_request_id: int | None = None) -> dict:
    """What open payment requests (not paid, not cancelled) ask of each invoice, by invoice id
    (``exclude_request_id``: leave that request out, e.g. the one being changed)."""
    lines = PaymentRequestLine.objects.filter(
        invoice_id__in=list(invoice_ids), request__state__in=OPEN_PAYMENT_REQUEST_STATES
    )
    if exclude_request_id is not None:
        lines = lines.exclude(request_id=exclude_request_id)
    return {
        row["invoice_id"]: row["total"]
        for row in lines.values("invoice_id").annotate(total=Sum("amount"))
    }


def due_invoices(
    organization, supplier, until: datetime.date | None = None, exclude_request_id=None
):
    """Posted invoices of ``supplier`` due by ``until`` (their AP item's due date; all open ones
    when None) with something open that open payment requests do not already ask for; each
    annotated with ``open_amount``, ``requested`` and ``to_request`` (open − requested)."""
    requested = (
        PaymentRequestLine.objects.filter(
            invoice=OuterRef("pk"), request__state__in=OPEN_PAYMENT_REQUEST_STATES
        )
        .exclude(request_id=exclude_request_id)
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=20, decimal_places=2)
    invoices = (
        SupplierInvoice.objects.filter(
            organization=organization,
            supplier=supplier,
            state=DocumentState.DONE,
            open_item__open_amount__gt=0,
        )
        .select_related("currency", "open_item")
        .annotate(
            open_amount=F("open_item__open_amount"),
            item_due_date=F("open_item__due_date"),
            requested=Coalesce(
                Subquery(requested, output_field=money), Value(ZERO), output_field=money
            ),
        )
        .annotate(to_request=F("open_amount") - F("requested"))
        .filter(to_request__gt=0)
        .order_by("open_item__due_date", "business_date", "pk")
    )
    if until is not None:
        invoices = invoices.filter(open_item__due_date__lte=until)
    return invoices


CASH_AND_BANK = ("1001", "1002", "1012")  # 库存现金, 银行存款, 其他货币资金


def cash_and_bank_accounts(organization) -> list:
    """The active leaf accounts money is paid from, by code."""
    query = Q()
    for code in CASH_AND_BANK:
        query |= Q(code__startswith=code)
    return list(
        Account.objects.filter(query, organization=organization, is_active=True, is_leaf=True)
        .order_by("code")
        .only("id", "code", "name")
    )


def payment_request_facts(request: PaymentRequest) -> DocumentFacts:
    """What approval rules see of a payment request: the amount in base currency, the currency
    and the supplier."""
    rate = (
        Decimal(1)
        if request.currency.is_base
        else rate_on(currency=request.currency, on_date=request.business_date)
    )
    numbers = list(
        request.lines.order_by("position", "pk").values_list("invoice__invoice_number", flat=True)
    )
    summary = request.supplier.name
    if numbers:
        summary += " · " + ", ".join(numbers[:3]) + (" …" if len(numbers) > 3 else "")
    return DocumentFacts(
        number=request.number,
        summary=summary,
        amount=(request.amount * rate).quantize(Decimal("0.01")),
        currency=request.currency.code,
        partner=request.supplier_id,
    )


def read_payment_request_facts(organization, document_id: int) -> DocumentFacts:
    request = PaymentRequest.objects.select_related("supplier", "currency").get(
        organization=organization, pk=document_id
    )
    return payment_request_facts(request)


def expense_accounts(organization, search: str = "", limit: int = 50) -> list:
    """The accounts an expense line of a supplier invoice may book: active leaves of the
    chart that are costs (生产成本, 制造费用 …) or expenses (debit profit and loss), by code;
    ``search`` matches the code's start or the name."""
    found = Account.objects.filter(organization=organization, is_active=True, is_leaf=True).filter(
        Q(type=Account.Type.COST)
        | Q(type=Account.Type.PROFIT_LOSS, direction=Account.Direction.DEBIT)
    )
    search = search.strip()
    if search:
        found = found.filter(Q(code__startswith=search) | Q(name__icontains=search))
    return list(found.order_by("code")[:limit])
