"""Sales orders (销售订单): drafted with prices from the price lists, submitted (numbered, checked
against the price floor and the customer's credit limit, sent for approval), confirmed (stock
reserved through inventory by the availability policy), delivered, closed or cancelled.

Lifecycle (``TRANSITIONS``): draft → submitted → approved (= confirmed, stock reserved) →
partially_done → done, or closed (what was not delivered is released), or cancelled (from
draft, or confirmed with nothing delivered). A submitted order returns to draft when its
approval request is rejected or withdrawn.

The no-oversell guarantee comes from inventory: every confirmation locks the warehouse rows of
its products (in key order) before it reads what is available, and reserves under that lock.
"""

import datetime
from decimal import Decimal

from django.db import connections, router, transaction
from django.db.models import Sum, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.audit import create_statements, update_statements
from jxc.core.batch import Joined, fetch, insert_statement, run_statements, set_keys
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.core.services.numbering import (
    next_number,
    number_statement,
    read_series,
    series_statement,
)
from jxc.core.states import DocumentState as S
from jxc.core.states import transition
from jxc.finance.domain.tax import TaxedAmount, document_tax, line_tax, within_rounding
from jxc.finance.models import OpenItem
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.locks import lock_stock
from jxc.inventory.models import Reservation
from jxc.inventory.services.reservations import (
    allows_negative,
    release_reservations,
    reserve_locked,
)
from jxc.masterdata.models import Currency, Partner, Product, Warehouse
from jxc.masterdata.selectors import base_currency, prices_for, rate_on, to_base_quantity
from jxc.sales.models import (
    AvailabilityPolicy,
    CreditPolicy,
    SalesOrder,
    SalesOrderLine,
)
from jxc.sales.services.common import (
    MAX_LINES,
    ORDER_LINE,
    ZERO,
    chosen_policies,
    line_updates,
    policies_statement,
    positive,
    read_settings,
    sales_settings,
    settings_statement,
    unit_price,
)
from jxc.sales.services.quotas import check_channel_quota
from jxc.workflow.domain.rules import DocumentFacts
from jxc.workflow.registry import DocumentRef
from jxc.workflow.selectors import pending_statement, ruled_types_statement
from jxc.workflow.services.approvals import submit_for_approval

TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.DRAFT},
    S.APPROVED: {S.PARTIALLY_DONE, S.DONE, S.CLOSED, S.CANCELLED},
    S.PARTIALLY_DONE: {S.PARTIALLY_DONE, S.DONE, S.CLOSED},
}
DOC_TYPE = "sales_order"
OPEN_STATES = (S.APPROVED, S.PARTIALLY_DONE)
HEADER = ("business_date", "customer", "currency", "warehouse", "delivery_date",
          "payment_terms", "deposit_requested", "shipping_address", "note")  # fmt: skip
# set once, when a channel order is received (services/channels.py)
CHANNEL = ("channel", "channel_order_id", "channel_body_hash", "split_from")


def check_header(organization, order) -> None:
    """The customer, warehouse, currency and rate of an order or a quotation."""
    customer = order.customer
    if customer is None or customer.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown customer."), field="customer")
    if not customer.is_customer or not customer.is_active:
        raise ValidationFailed(_("Choose an active customer."), field="customer")
    if order.warehouse.organization_id != organization.pk or not order.warehouse.is_active:
        raise ValidationFailed(_("Choose an active warehouse."), field="warehouse")
    if order.currency_id is None:
        order.currency = customer.currency or base_currency(organization)
    if order.currency.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown currency."), field="currency")
    order.rate = rate_on(currency=order.currency, on_date=order.business_date)


def _check_header(organization, order: SalesOrder) -> None:
    check_header(organization, order)
    if order.deposit_requested is None or order.deposit_requested < 0:
        raise ValidationFailed(_("The deposit cannot be negative."), field="deposit_requested")


def lines_fields(document, lines: list[dict]) -> list[dict]:
    """The priced and taxed fields of each line of a sales document (an order or a quotation:
    anything with ``organization_id``, ``customer``, ``business_date``, ``rate``): prices,
    discounts and tax-inclusion left out come from the price lists, read for all lines at once
    (``prices_for``); the products' tax rates are read together too, where not read yet."""
    measured = [_measured(document, index, data) for index, data in enumerate(lines)]
    prefetch_related_objects([data["product"] for data in lines], "tax_rate")
    quotes = prices_for(
        partner=document.customer,
        items=[
            (data["product"], measure[2]) for data, measure in zip(lines, measured, strict=True)
        ],
        on_date=document.business_date,
    )
    return [
        _priced(document, index, data, *measure, quote)
        for index, (data, measure, quote) in enumerate(zip(lines, measured, quotes, strict=True))
    ]


def _measured(document, index: int, data: dict):
    """A line's product checked, and its unit, quantity and quantity in the base unit."""
    field = f"lines.{index}"
    product = data["product"]
    if product.organization_id != document.organization_id or not product.is_active:
        raise ValidationFailed(_("Choose an active product."), field=f"{field}.product")
    quantity = positive(data.get("quantity"), f"{field}.quantity")
    unit = data.get("unit")
    unit_id = unit.pk if unit is not None else product.base_unit_id  # no read of the unit
    try:
        base = to_base_quantity(
            product, None if unit_id == product.base_unit_id else unit_id, quantity
        )
    except ValidationFailed:
        raise ValidationFailed(
            _("This unit is not defined for the product."), field=f"{field}.unit"
        ) from None
    return unit_id, quantity, base


def _priced(document, index, data, unit_id, quantity, base, quote) -> dict:
    field = f"lines.{index}"
    product = data["product"]
    list_price = unit_price(quote.price * base / quantity)  # the quote is per base unit
    price = data.get("unit_price")
    price = list_price if price is None else price
    if price < 0:
        raise ValidationFailed(_("The price cannot be negative."), field=f"{field}.unit_price")
    discount = data.get("discount_percent")
    discount = quote.discount_percent if discount is None else discount
    if discount < 0 or discount > 100:
        raise ValidationFailed(
            _("The discount is between 0 and 100 %."), field=f"{field}.discount_percent"
        )
    tax_rate = data.get("tax_rate", product.tax_rate)
    if tax_rate is not None and tax_rate.organization_id != document.organization_id:
        raise ValidationFailed(_("Unknown tax rate."), field=f"{field}.tax_rate")
    included = data.get("tax_included")
    included = quote.tax_included if included is None else included
    percent = tax_rate.rate if tax_rate is not None else ZERO
    amounts = line_tax(quantity * price * (100 - discount) / 100, percent, inclusive=included)
    # the floor is per base unit in the base currency, compared with what the line charges
    effective = quantity * price * (100 - discount) / 100 / base * document.rate
    return {
        "position": index,
        "product": product,
        "unit_id": unit_id,
        "quantity": quantity,
        "base_quantity": base,
        "list_price": list_price,
        "unit_price": price,
        "discount_percent": discount,
        "tax_rate": tax_rate,
        "tax_percent": percent,
        "tax_included": included,
        "net_amount": amounts.net,
        "tax_amount": amounts.tax,
        "gross_amount": amounts.gross,
        "below_floor": product.price_floor > 0 and effective < product.price_floor,
    }


def _build_lines(order: SalesOrder, lines: list[dict]) -> list[SalesOrderLine]:
    return [
        SalesOrderLine(
            order=order, delivery_date=data.get("delivery_date") or order.delivery_date, **fields
        )
        for data, fields in zip(lines, lines_fields(order, lines), strict=True)
    ]


def document_totals(built) -> TaxedAmount:
    """The totals of a document's lines, checked against the per-line rounding."""
    totals = document_tax([(line_amounts(line), line.tax_percent) for line in built])
    if not within_rounding(totals, len(built)):  # cannot happen with per-line rounding
        raise ValidationFailed(_("The tax of the lines does not add up."), field="lines")
    return totals


@transaction.atomic
def save_sales_order(*, organization, user, data: dict, order=None) -> SalesOrder:
    """Create or update a draft; ``lines`` replace the order's lines. Prices, discounts and
    tax-inclusion left out come from the price lists (``price_for``)."""
    data = dict(data)
    lines = data.pop("lines", None)
    if order is not None:
        order = SalesOrder.objects.select_for_update().get(pk=order.pk)
        if order.state != S.DRAFT:
            raise ValidationFailed(_("Only drafts can be changed."), field="state")
    if order is None:
        order = SalesOrder(organization=organization, created_by=user)
        for name in CHANNEL:
            if name in data:
                setattr(order, name, data[name])
    for name in HEADER:
        if name in data:
            setattr(order, name, data[name])
    _check_header(organization, order)
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")
    if lines is None:
        lines = [_as_data(line) for line in order.lines.all()]
    built = _build_lines(order, lines)
    totals = document_totals(built)
    order.net_amount, order.tax_amount, order.gross_amount = totals.net, totals.tax, totals.gross
    order.below_floor = any(line.below_floor for line in built)
    if order.pk is None:  # a new order has no lines to replace
        _insert_order(order, built)
        return order
    order.save()
    order.lines.all().delete()
    SalesOrderLine.objects.bulk_create(built)
    return order


def _insert_order(order: SalesOrder, lines: list[SalesOrderLine]) -> None:
    """A new order and its lines, written raw (the ORM's save cost more than the writes),
    with the audit entry its save would have written: the order, then the entry and the lines
    in one round trip."""
    connection = connections[router.db_for_write(SalesOrder)]
    set_keys(connection, [order], fetch(connection, *insert_statement(connection, SalesOrder,
                                                                      [order])))  # fmt: skip
    for line in lines:
        line.order = order
    statements = create_statements(connection, order)
    if lines:
        statements.append(insert_statement(connection, SalesOrderLine, lines))
    found = run_statements(connection, statements)
    if lines:
        set_keys(connection, lines, found[-1])


def line_amounts(line) -> TaxedAmount:
    return TaxedAmount(net=line.net_amount, tax=line.tax_amount, gross=line.gross_amount)


def _as_data(line: SalesOrderLine) -> dict:
    return {
        name: getattr(line, name)
        for name in (
            "product",
            "unit",
            "quantity",
            "unit_price",
            "discount_percent",
            "tax_rate",
            "tax_included",
            "delivery_date",
        )  # fmt: skip
    }


def approval_ref(order: SalesOrder) -> DocumentRef:
    return DocumentRef(DOC_TYPE, order.pk)


def order_facts(order: SalesOrder, lines=None) -> DocumentFacts:
    if lines is None:
        lines = list(order.lines.select_related("product"))
    rates = [100 - line.discount_percent for line in lines]
    if any(line.list_price for line in lines):
        rates = [
            (line.unit_price * (100 - line.discount_percent) / line.list_price).quantize(
                Decimal("0.01")
            )
            for line in lines
            if line.list_price
        ]
    currency = order.currency
    return DocumentFacts(
        number=order.number,
        summary=f"{order.customer.name} · {order.gross_amount} {currency.code}",
        amount=(order.gross_amount * order.rate).quantize(Decimal("0.01")),
        currency=currency.code,
        partner=order.customer_id,
        warehouse=order.warehouse_id,
        categories=frozenset(line.product.category_id for line in lines) - {None},
        discount_rate=min(rates) if rates else None,
        below_price_floor=order.below_floor,
        credit_limit_exceeded=order.credit_exceeded,
    )


def credit_exposure(organization, customer, *, excluding=None) -> Decimal:
    """What the customer owes (open receivables, in base currency) plus the undelivered value
    of their confirmed orders."""
    owed, pending = credit_exposures(organization, [customer.pk], excluding=excluding).get(
        customer.pk, (ZERO, ZERO)
    )
    return owed + pending


def credit_exposures(organization, customer_ids, *, excluding=None) -> dict:
    """Per customer: (open receivables in base currency, undelivered value of confirmed orders
    in base currency) — the credit check's figures, for one customer or a report of many."""
    owed = dict(
        OpenItem.objects.filter(
            organization=organization, partner_id__in=customer_ids, kind=OpenItem.Kind.RECEIVABLE
        )
        .values("partner_id")
        .annotate(total=Sum("open_base_amount"))
        .values_list("partner_id", "total")
    )
    pending = dict.fromkeys(customer_ids, ZERO)
    orders = SalesOrder.objects.filter(
        organization=organization, customer_id__in=customer_ids, state__in=OPEN_STATES
    ).exclude(pk=excluding)
    lines = SalesOrderLine.objects.filter(order__in=orders).values_list(
        "order__customer_id", "gross_amount", "base_quantity", "delivered_quantity", "order__rate"
    )
    for customer_id, gross, base_quantity, delivered, rate in lines:
        pending[customer_id] += gross * (base_quantity - delivered) / base_quantity * rate
    return {
        pk: (owed.get(pk) or ZERO, pending[pk].quantize(Decimal("0.01"))) for pk in customer_ids
    }


def _check_credit(order: SalesOrder, settings) -> None:
    limit = order.customer.credit_limit
    policy = settings.credit_policy
    order.credit_exceeded = False
    if limit is None or policy == CreditPolicy.OFF:
        return
    exposure = credit_exposure(order.organization, order.customer, excluding=order.pk)
    total = exposure + (order.gross_amount * order.rate).quantize(Decimal("0.01"))
    if total <= limit:
        return
    if policy == CreditPolicy.BLOCK:
        raise ValidationFailed(
            _(
                "%(customer)s would owe %(total)s, over the credit limit of %(limit)s "
                "(open receivables and orders: %(exposure)s)."
            )
            % {
                "customer": order.customer.name,
                "total": total,
                "limit": limit,
                "exposure": exposure,
            },  # fmt: skip
            field="customer",
            code="credit_limit_exceeded",
        )
    order.credit_exceeded = True


@transaction.atomic
def submit_sales_order(*, order: SalesOrder, user) -> SalesOrder:
    """Submit a draft: numbered, checked against the credit limit and the price floor, and
    sent for approval; confirmed at once (stock reserved) when no approval rule applies."""
    connection = connections[router.db_for_write(SalesOrder)]
    order, lines, settings, series, at_once = _submission_reads(connection, order)
    transition(order, S.SUBMITTED, TRANSITIONS)
    if not lines:
        raise ValidationFailed(_("Add at least one line."), field="lines")
    _check_credit(order, settings)
    fields = ["state", "number", "credit_exceeded"]
    if not at_once:
        if not order.number:
            order.number = next_number(
                organization=order.organization,
                doc_type=DOC_TYPE,
                on_date=order.business_date,
                series=series,
            )
        run_statements(connection, update_statements(connection, order, fields))
        submission = submit_for_approval(
            organization=order.organization,
            document=approval_ref(order),
            submitter=user,
            facts=order_facts(order, lines),
        )
        if not submission.approved:
            return order
        _refuse_unapproved(order, lines)
        confirm(order, lines, settings)
        return order
    _refuse_unapproved(order, lines)
    # no approval asked for: the number is taken in the round trip that locks the stock (first,
    # as when taken alone), and the submission written with the confirmation
    numbering = None
    if not order.number:
        numbering = number_statement(organization=order.organization, doc_type=DOC_TYPE,
                                     on_date=order.business_date, series=series)  # fmt: skip

    def submitted():
        # the submission's own audit entry (number, state: submitted), before the confirmation's
        order.state, confirmed = S.SUBMITTED, order.state
        try:
            return update_statements(connection, order, fields)
        finally:
            order.state = confirmed

    confirm(order, lines, settings, then=submitted, number=numbering)
    return order


def _submission_reads(connection, order: SalesOrder) -> tuple:
    """In one round trip: the order locked with its customer, organization, warehouse and
    currency; its lines with their products; the sales settings; the order's number series;
    and whether it is approved at once (no active approval rule for sales orders, no request
    pending). Through the ORM, building these queries cost more than running them."""
    head, body = _submission_joins(connection)
    lock = " FOR UPDATE OF o" if connection.features.has_select_for_update else ""
    organization_id = order.organization_id
    found, rows, settings, series, ruled, pending = run_statements(
        connection,
        [
            (head.sql + lock, [order.pk]),
            (body.sql, [order.pk]),
            settings_statement(connection, organization_id),
            series_statement(connection, organization_id, [DOC_TYPE]),
            ruled_types_statement(connection, organization_id, [DOC_TYPE]),
            pending_statement(connection, organization_id, approval_ref(order)),
        ],
    )
    if not found:
        raise SalesOrder.DoesNotExist
    parts = head.read(found[0])
    order = parts["o"]
    order.customer, order.organization = parts["c"], parts["g"]
    order.warehouse, order.currency = parts["w"], parts["m"]
    lines = []
    for row in rows:
        parts = body.read(row)
        line = parts["l"]
        line.product, line.order = parts["p"], order
        lines.append(line)
    return (
        order,
        lines,
        read_settings(connection, order.organization, settings),
        read_series(connection, series).get(DOC_TYPE),
        not ruled and not pending,
    )


_reads: dict = {}


def _submission_joins(connection) -> tuple[Joined, Joined]:
    if connection.vendor not in _reads:
        table = {model: connection.ops.quote_name(model._meta.db_table)
                 for model in (SalesOrder, SalesOrderLine, Partner, Organization, Warehouse,
                               Currency, Product)}  # fmt: skip
        head = Joined(
            connection,
            [("o", SalesOrder), ("c", Partner), ("g", Organization), ("w", Warehouse),
             ("m", Currency)],
            f"SELECT {{columns}} FROM {table[SalesOrder]} o "
            f"JOIN {table[Partner]} c ON c.id = o.customer_id "
            f"JOIN {table[Organization]} g ON g.id = o.organization_id "
            f"JOIN {table[Warehouse]} w ON w.id = o.warehouse_id "
            f"JOIN {table[Currency]} m ON m.id = o.currency_id WHERE o.id = %s",
        )  # fmt: skip
        body = Joined(
            connection,
            [("l", SalesOrderLine), ("p", Product)],
            f"SELECT {{columns}} FROM {table[SalesOrderLine]} l "
            f"JOIN {table[Product]} p ON p.id = l.product_id "
            "WHERE l.order_id = %s ORDER BY l.position, l.id",
        )
        _reads[connection.vendor] = head, body
    return _reads[connection.vendor]


def _refuse_unapproved(order: SalesOrder, lines) -> None:
    """A price below the floor or a customer over the limit needs an approval: without a rule
    that asks for one, the order is refused."""
    for index, line in enumerate(lines):
        if line.below_floor:
            raise ValidationFailed(
                _(
                    "Line %(n)d: the price is below the floor price %(floor)s of %(product)s and "
                    "no approval rule covers it."
                )
                % {"n": index + 1, "floor": line.product.price_floor, "product": line.product.name},
                field=f"lines.{index}.unit_price",
                code="below_price_floor",
            )
    if order.credit_exceeded:
        raise ValidationFailed(
            _("%(customer)s is over the credit limit and no approval rule covers it.")
            % {"customer": order.customer.name},
            field="customer",
            code="credit_limit_exceeded",
        )


def confirm(order: SalesOrder, lines=None, settings=None, *, then=(), number=None) -> SalesOrder:
    """Reserve each line's stock by its availability policy; runs in the caller's transaction
    with the order locked. ``block`` refuses a line beyond what is available (naming it),
    ``warn`` reserves what is available and records the rest as a backorder, ``presale``
    reserves it all (ahead of stock coming in) and records the shortfall as a backorder.
    ``then``: the caller's writes of the order (statements, or a function giving them once the
    number is taken) that go before the confirmation's. ``number``: the order's number yet to
    take (what :func:`jxc.core.services.numbering.number_statement` returns), taken in the
    round trip that locks the stock, before the locks."""
    transition(order, S.APPROVED, TRANSITIONS)
    organization, warehouse = order.organization, order.warehouse
    if lines is None:
        lines = list(order.lines.select_related("product").order_by("position", "pk"))
    products = {line.product_id: line.product for line in lines}
    keys = {
        (product.pk, warehouse.pk): {"allow_negative": allows_negative(product, warehouse)}
        for product in products.values()
    }
    connection = connections[router.db_for_write(SalesOrder)]
    # in key order, held to the commit; the policies read in the same round trip
    policies_read = (
        [policies_statement(connection, organization.pk, products.values(), warehouse.pk)]
        if products
        else []
    )
    first = [number[0]] if number else []
    _balances, stocks, _valuations, before = lock_stock(
        organization, stock_keys=keys, first=first, after=policies_read
    )
    if number:
        order.number = number[1](before[0])
    overrides = before[len(first) :]
    if callable(then):
        then = then()
    default = (settings or sales_settings(organization)).availability_policy
    policies = chosen_policies(overrides[0] if overrides else [], products.values(), default)
    if order.channel_id is not None:
        check_channel_quota(order, lines, stocks)
    taken: dict[int, Decimal] = {}
    wanted = []
    for index, line in enumerate(lines):
        product = line.product
        stock = stocks[(product.pk, warehouse.pk)]
        available = stock.on_hand - stock.reserved - stock.frozen - taken.get(product.pk, ZERO)
        shortfall = max(line.base_quantity - max(available, ZERO), ZERO)
        if allows_negative(product, warehouse):
            shortfall = ZERO
        policy = policies[product.pk]
        if shortfall and policy == AvailabilityPolicy.BLOCK:
            raise InsufficientStock(
                product=product,
                requested=line.base_quantity,
                available=max(available, ZERO),
                field=f"lines.{index}.quantity",
            )
        reserve = line.base_quantity - (shortfall if policy == AvailabilityPolicy.WARN else ZERO)
        if reserve > 0:
            wanted.append((product, reserve, ORDER_LINE, line.pk))
        taken[product.pk] = taken.get(product.pk, ZERO) + reserve
        line.reserved_quantity, line.backorder_quantity = reserve, shortfall
    order.confirmed_at = timezone.now()
    # decided above under the same locks: backorders and presales reserve beyond availability;
    # the lines and the order are written in the same round trip, the order with its audit entry
    reserve_locked(
        organization=organization,
        warehouse=warehouse,
        stocks=stocks,
        wanted=wanted,
        then=[
            *then,
            *line_updates(
                connection, SalesOrderLine, lines, ["reserved_quantity", "backorder_quantity"]
            ),
            *update_statements(connection, order, ["state", "confirmed_at"]),
        ],
    )
    return order


def release_open_reservations(order: SalesOrder) -> None:
    """The order ends: what its lines still hold is released (the stock freed goes to the
    backorders waiting for it once this commits, see :mod:`jxc.sales.services.backorders`),
    and nothing is backordered any more."""
    line_ids = list(order.lines.values_list("pk", flat=True))
    held = Reservation.objects.filter(
        origin_type=ORDER_LINE, origin_id__in=line_ids, state=Reservation.State.OPEN
    )
    release_reservations(organization=order.organization, reservations=list(held))
    SalesOrderLine.objects.filter(pk__in=line_ids, backorder_quantity__gt=0).update(
        backorder_quantity=ZERO
    )


@transaction.atomic
def cancel_sales_order(*, order: SalesOrder) -> SalesOrder:
    """A draft, or a confirmed order with nothing delivered: its reservations are released."""
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    transition(order, S.CANCELLED, TRANSITIONS)
    if order.lines.filter(prepaid_quantity__gt=0).exists():
        raise ValidationFailed(
            _("This order is invoiced ahead of delivery: it cannot be cancelled."), field="state"
        )
    release_open_reservations(order)
    order.save(update_fields=["state"])
    return order


@transaction.atomic
def close_sales_order(*, order: SalesOrder) -> SalesOrder:
    """Nothing more will be delivered: what is still reserved is released."""
    order = SalesOrder.objects.select_for_update().get(pk=order.pk)
    transition(order, S.CLOSED, TRANSITIONS)
    release_open_reservations(order)
    order.save(update_fields=["state"])
    return order


def due_date(customer, on_date: datetime.date) -> datetime.date:
    """When an invoice of ``on_date`` falls due by the customer's payment terms."""
    days = datetime.timedelta(days=customer.payment_days)
    if customer.payment_terms == "net":
        return on_date + days
    if customer.payment_terms == "month_end":
        first_next = (on_date.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return first_next - datetime.timedelta(days=1) + days
    return on_date
