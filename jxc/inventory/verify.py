"""The inventory invariants, checked against the database (``jxc verify`` and the tests).

Each check returns violations as plain dicts naming the rows involved; an empty list means the
books are consistent.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from jxc.finance.verify import account_balance, verify_ledger
from jxc.inventory.domain.costing import money, quantity4
from jxc.inventory.models import (
    CostLayer,
    ProductValuation,
    Reservation,
    SerialNumber,
    StockBalance,
    StockMove,
    WarehouseStock,
)
from jxc.inventory.services.warehouse_accounts import group_values, stock_account_groups
from jxc.masterdata.models import Location

HOLDS_STOCK = ["warehouse", "zone", "bin", "transit"]
ZERO = Decimal(0)


def _ledger_by_location(organization):
    totals = defaultdict(lambda: ZERO)
    moves = StockMove.objects.filter(organization=organization)
    for row in moves.values("product_id", "to_location_id", "lot_id").annotate(q=Sum("quantity")):
        totals[(row["product_id"], row["to_location_id"], row["lot_id"] or 0)] += row["q"]
    for row in moves.values("product_id", "from_location_id", "lot_id").annotate(q=Sum("quantity")):
        totals[(row["product_id"], row["from_location_id"], row["lot_id"] or 0)] -= row["q"]
    return totals


def check_balances_equal_ledger(organization) -> list[dict]:
    ledger = _ledger_by_location(organization)
    problems = []
    balances = StockBalance.objects.filter(organization=organization)
    seen = set()
    for balance in balances:
        key = (balance.product_id, balance.location_id, balance.lot_key)
        seen.add(key)
        if balance.on_hand != ledger.get(key, ZERO):
            problems.append(
                {
                    "check": "balance_equals_ledger",
                    "balance": balance.pk,
                    "on_hand": str(balance.on_hand),
                    "ledger": str(ledger.get(key, ZERO)),
                }
            )
    stock_locations = set(
        Location.objects.filter(organization=organization, kind__in=HOLDS_STOCK).values_list(
            "pk", flat=True
        )
    )
    for key, quantity in ledger.items():
        if key[1] in stock_locations and key not in seen and quantity != 0:
            problems.append(
                {
                    "check": "balance_equals_ledger",
                    "missing_balance": list(key),
                    "ledger": str(quantity),
                }
            )
    return problems


def check_products_net_to_zero(organization) -> list[dict]:
    """Double entry: over all locations, real and virtual, every product nets to zero."""
    per_product = defaultdict(lambda: ZERO)
    for (product_id, _location, _lot), quantity in _ledger_by_location(organization).items():
        per_product[product_id] += quantity
    return [
        {"check": "product_nets_to_zero", "product": p, "net": str(q)}
        for p, q in per_product.items()
        if q != 0
    ]


def check_warehouse_rows(organization) -> list[dict]:
    sums = {
        (r["product_id"], r["warehouse_id"]): (r["on_hand"], r["frozen"])
        for r in StockBalance.objects.filter(organization=organization, warehouse__isnull=False)
        .values("product_id", "warehouse_id")
        .annotate(on_hand=Sum("on_hand"), frozen=Sum("frozen"))
    }
    reserved = {
        (r["product_id"], r["warehouse_id"]): r["q"]
        for r in Reservation.objects.filter(organization=organization, state=Reservation.State.OPEN)
        .values("product_id", "warehouse_id")
        .annotate(q=Sum("quantity"))
    }
    problems = []
    for stock in WarehouseStock.objects.filter(organization=organization):
        key = (stock.product_id, stock.warehouse_id)
        on_hand, frozen = sums.get(key, (ZERO, ZERO))
        if stock.on_hand != on_hand:
            problems.append(
                {
                    "check": "warehouse_on_hand",
                    "row": stock.pk,
                    "on_hand": str(stock.on_hand),
                    "balances": str(on_hand),
                }
            )
        if stock.frozen != frozen:
            problems.append(
                {
                    "check": "warehouse_frozen",
                    "row": stock.pk,
                    "frozen": str(stock.frozen),
                    "balances": str(frozen),
                }
            )
        if stock.reserved != reserved.get(key, ZERO):
            problems.append(
                {
                    "check": "reserved_equals_reservations",
                    "row": stock.pk,
                    "reserved": str(stock.reserved),
                    "reservations": str(reserved.get(key, ZERO)),
                }
            )
        if not stock.allow_negative and stock.on_hand < 0:
            problems.append(
                {"check": "negative_stock", "row": stock.pk, "on_hand": str(stock.on_hand)}
            )
    return problems


def check_serials(organization) -> list[dict]:
    """Each serial is where its last move took it, and in-stock serials total the balances."""
    problems = []
    for serial in SerialNumber.objects.filter(organization=organization):
        last = serial.moves.order_by("-id").values_list("to_location_id", flat=True).first()
        if last is not None and last != serial.location_id:
            problems.append(
                {
                    "check": "serial_location",
                    "serial": serial.serial,
                    "location": serial.location_id,
                    "last_move_to": last,
                }
            )
    return problems


def check_valuation_quantity(organization) -> list[dict]:
    held = {
        r["product_id"]: r["q"]
        for r in StockBalance.objects.filter(organization=organization)
        .values("product_id")
        .annotate(q=Sum("on_hand"))
    }
    return [
        {
            "check": "valuation_quantity",
            "product": v.product_id,
            "valuation": str(v.quantity),
            "balances": str(held.get(v.product_id, ZERO)),
        }
        for v in ProductValuation.objects.filter(organization=organization)
        if v.quantity != held.get(v.product_id, ZERO)
    ]


def check_valuation_value(organization) -> list[dict]:
    """The value of stock is derivable from the ledger: value in − value out, per product; and
    a FIFO product's layers hold exactly its value."""
    ledger = defaultdict(lambda: [ZERO, ZERO])
    for row in (
        StockMove.objects.filter(organization=organization)
        .exclude(flow=StockMove.Flow.INTERNAL)
        .values("product_id", "flow")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    ):
        sign = 1 if row["flow"] == StockMove.Flow.IN else -1
        ledger[row["product_id"]][0] += sign * quantity4(row["q"])
        ledger[row["product_id"]][1] += sign * money(Decimal(row["v"]))
    layers = {
        r["product_id"]: (quantity4(r["q"]), money(Decimal(r["v"])))
        for r in CostLayer.objects.filter(organization=organization)
        .values("product_id")
        .annotate(q=Sum("quantity"), v=Sum("value"))
    }
    problems = []
    for v in ProductValuation.objects.filter(organization=organization).select_related("product"):
        quantity, value = ledger.get(v.product_id, (ZERO, ZERO))
        if (v.quantity, v.value) != (quantity, value):
            problems.append(
                {
                    "check": "valuation_equals_ledger",
                    "product": v.product_id,
                    "valuation": [str(v.quantity), str(v.value)],
                    "ledger": [str(quantity), str(value)],
                }
            )
        if v.product.costing_method == "fifo":
            q, val = layers.get(v.product_id, (ZERO, ZERO))
            if (q - v.short_quantity, val - v.short_value) != (v.quantity, v.value):
                problems.append(
                    {
                        "check": "fifo_layers",
                        "product": v.product_id,
                        "layers": [str(q), str(val)],
                        "valuation": [str(v.quantity), str(v.value)],
                    }
                )
    return problems


def check_books_equal_valuation(organization) -> list[dict]:
    """Each inventory account's balance equals the value of the stock it holds: every move
    that changed the value has been booked, to the account of its warehouse. The rules'
    accounts (those they book stock coming in to and going out from, and the account of the
    inventory role) are checked together, against the valuation less what warehouses kept in
    accounts of their own hold."""
    groups = stock_account_groups(organization)
    valued = ProductValuation.objects.filter(organization=organization).aggregate(v=Sum("value"))
    values = group_values(organization, groups, money(Decimal(valued["v"] or 0)))
    problems = []
    for group, value in zip(groups, values, strict=True):
        booked = account_balance(organization, group.accounts)
        if booked != value:
            problems.append(
                {
                    "check": "books_equal_valuation",
                    "accounts": sorted(a.code for a in group.accounts),
                    "books": str(booked),
                    "valuation": str(value),
                }
            )
    return problems


CHECKS = [
    check_balances_equal_ledger,
    check_products_net_to_zero,
    check_warehouse_rows,
    check_serials,
    check_valuation_quantity,
    check_valuation_value,
    check_books_equal_valuation,
]


def verify(organization) -> list[dict]:
    """The inventory invariants and the ledger's."""
    found = [problem for check in CHECKS for problem in check(organization)]
    return found + verify_ledger(organization)
