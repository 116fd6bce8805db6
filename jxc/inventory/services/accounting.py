"""The vouchers of stock: every move that changes the value of stock is booked through
finance's posting rules in the posting's own transaction, so the inventory account always
equals the stock valuation. Transfers within the organization change no value and book
nothing.

A move is handed to finance as an event of its document (``in`` or ``out``) with the kinds of
its locations (``stock`` for any location that holds stock), the document's reason and the
product's category. A reversal books its original's event in red (红字). A re-valuation
books, per month, the change of each re-valued move through that move's own rule.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.finance.events import DefaultRule, register_default_rules, register_labels
from jxc.finance.models import AccountRole, PostingRule
from jxc.finance.services.posting import Entry, post_entries
from jxc.inventory.models import StockDocument

ZERO = Decimal(0)
STOCK_KINDS = {"warehouse", "zone", "bin", "transit"}
ANY_MOVE = "inventory.move"  # moves posted without a document line
STOCK_EVENTS = ("in", "out")  # every app's stock moves book these events
TRANSFER = "transfer"  # stock moving between warehouses kept in different accounts


def _kind(kind: str) -> str:
    return "stock" if kind in STOCK_KINDS else kind


def entry_for(
    *,
    flow: str,
    amount: Decimal,
    origin_type: str,
    reason: str,
    from_kind: str,
    to_kind: str,
    from_warehouse_id,
    to_warehouse_id,
    category_id,
    is_reversal: bool,
    summary: str = "",
) -> Entry | None:
    """The entry of one move's value (or change of value); None when it books nothing."""
    if not amount:
        return None
    if flow == "internal":
        return _transfer_entry(amount, origin_type, from_warehouse_id, to_warehouse_id,
                               category_id, is_reversal, summary)  # fmt: skip
    if flow not in ("in", "out"):
        return None
    event, source, target = flow, _kind(from_kind), _kind(to_kind)
    warehouse_id = to_warehouse_id if flow == "in" else from_warehouse_id
    if is_reversal:  # the original's event, in red
        event = "out" if flow == "in" else "in"
        source, target, amount = target, source, -amount
    # the stock side: the debit of an ``in``, the credit of an ``out``
    stock_side = "debit_warehouse_id" if event == "in" else "credit_warehouse_id"
    return Entry(
        document_type=origin_type or ANY_MOVE,
        event=event,
        amount=amount,
        from_kind=source,
        to_kind=target,
        reason=reason,
        category_id=category_id,
        warehouse_id=warehouse_id,
        red=is_reversal,
        summary=summary,
        **{stock_side: warehouse_id},
    )


def _transfer_entry(amount, origin_type, from_warehouse_id, to_warehouse_id, category_id,
                    is_reversal, summary) -> Entry | None:  # fmt: skip
    """Stock moving between warehouses (or into and out of transit, which is no warehouse's):
    both sides are stock, each booked to its warehouse's account; finance books nothing when
    they are the same account. A reversal books its original in red."""
    if from_warehouse_id == to_warehouse_id:
        return None
    if is_reversal:
        from_warehouse_id, to_warehouse_id, amount = to_warehouse_id, from_warehouse_id, -amount
    return Entry(
        document_type=origin_type or ANY_MOVE,
        event=TRANSFER,
        amount=amount,
        from_kind="stock",
        to_kind="stock",
        category_id=category_id,
        red=is_reversal,
        summary=summary,
        debit_warehouse_id=to_warehouse_id,
        credit_warehouse_id=from_warehouse_id,
    )


def book_moves(
    organization, records, products, business_date, reference, source, also=(), *, entries=None,
    read=None,
):  # fmt: skip
    """Book the moves just posted (with the values they were posted at); ``also``: the
    caller's statements, run with the voucher's writes. ``entries``: :func:`stock_entries` of
    ``records`` and ``read``: the results of their :func:`entry_reads`, when the caller ran
    them with its own statements."""
    origin_type, origin_id = source or ("", None)
    post_entries(
        organization=organization,
        date=business_date,
        entries=stock_entries(records, products) if entries is None else entries,
        reference=reference,
        origin_type=origin_type,
        origin_id=origin_id,
        also=also,
        read=read,
    )


def stock_entries(records, products) -> list[Entry]:
    """The entries of the values of the moves ``records`` (saved or not)."""
    entries = []
    for move in records:
        entry = entry_for(
            flow=move.flow,
            amount=move.value,
            origin_type=move.origin_type,
            reason=move.reason,
            from_kind=move.from_location.kind if move.from_location_id else "",
            to_kind=move.to_location.kind if move.to_location_id else "",
            from_warehouse_id=move.from_warehouse_id,
            to_warehouse_id=move.to_warehouse_id,
            category_id=products[move.product_id].category_id,
            is_reversal=move.reversal_of_id is not None and move.quantity > 0,
        )
        if entry is not None:
            entries.append(entry)
    return entries


# what a re-valuation reads of each move to book its change (after the replay columns)
BOOKING_COLUMNS = (
    "business_date",
    "reason",
    "from_location__kind",
    "to_location__kind",
    "from_warehouse_id",
    "to_warehouse_id",
)


def book_revaluation(organization, product, changes, reference: str) -> None:
    """``changes``: (flow, change of value, origin_type, reversal_of_id, quantity, booking
    columns) of each re-valued move; booked as one voucher per month, dated on the month's
    last changed move, so every month-end's balance matches the valuation."""
    by_month: dict[tuple, list] = defaultdict(list)
    last_day: dict[tuple, datetime.date] = {}
    for flow, change, origin_type, reversal_of, quantity, detail in changes:
        day, reason, from_kind, to_kind, from_warehouse, to_warehouse = detail
        entry = entry_for(
            flow=flow,
            amount=change,
            origin_type=origin_type,
            reason=reason,
            from_kind=from_kind,
            to_kind=to_kind,
            from_warehouse_id=from_warehouse,
            to_warehouse_id=to_warehouse,
            category_id=product.category_id,
            is_reversal=reversal_of is not None and quantity > 0,
            summary=_("Stock revalued"),
        )
        if entry is None:
            continue
        month = (day.year, day.month)
        by_month[month].append(entry)
        last_day[month] = max(last_day.get(month, day), day)
    for month in sorted(by_month):
        post_entries(
            organization=organization,
            date=last_day[month],
            entries=by_month[month],
            reference=reference,
            origin_type="inventory.revaluation",
        )


def stock_accounts(organization) -> list:
    """The accounts the rules book stock to: the stock side of the rules of stock's events
    (the debit of ``in``, the credit of ``out``, both of a transfer) and the account of the
    inventory role. Warehouses kept in accounts of their own add theirs (see
    :mod:`jxc.inventory.services.warehouse_accounts`)."""
    found = {
        role.account
        for role in AccountRole.objects.filter(
            organization=organization, role=AccountRole.Role.INVENTORY
        ).select_related("account")
    }
    for rule in PostingRule.objects.filter(
        organization=organization, event__in=(*STOCK_EVENTS, TRANSFER)
    ).select_related("debit_account", "credit_account"):
        if rule.event in ("in", TRANSFER):
            found.add(rule.debit_account)
        if rule.event in ("out", TRANSFER):
            found.add(rule.credit_account)
    return sorted(found, key=lambda account: account.code)


def register_stock_postings() -> None:
    """The default rules of stock's events (小企业会计准则 practice) and their names."""
    line = "inventory.stockdocumentline"
    rules = [
        (line, "in", "", "inventory", "estimated_payable", "其他入库"),
        (line, "in", "surplus", "inventory", "pending_loss", "报溢入库"),
        (line, "in", "opening", "inventory", "retained_earnings", "期初库存"),
        (line, "out", "", "admin_expense", "inventory", "其他出库"),
        (line, "out", "consumption", "admin_expense", "inventory", "领用出库"),
        (line, "out", "gift", "selling_expense", "inventory", "赠品出库"),
        (line, "out", "sample", "selling_expense", "inventory", "样品出库"),
        (line, "out", "damage", "pending_loss", "inventory", "报损出库"),
        ("inventory.stockcountline", "in", "", "inventory", "pending_loss", "盘盈"),
        ("inventory.stockcountline", "out", "", "pending_loss", "inventory", "盘亏"),
        ("inventory.costadjustmentline", "in", "", "inventory", "cost_of_sales", "出入库成本调整"),
        ("inventory.settlement", "in", "", "inventory", "cost_of_sales", "负库存出库成本结算"),
        (ANY_MOVE, "in", "", "inventory", "estimated_payable", "入库"),
        (ANY_MOVE, "out", "", "cost_of_sales", "inventory", "出库"),
        ("", TRANSFER, "", "inventory", "inventory", "库存调拨"),
    ]
    register_default_rules(
        [
            DefaultRule(
                document_type=document_type,
                event=event,
                reason=reason,
                debit_role=debit,
                credit_role=credit,
                summary=summary,
            )
            for document_type, event, reason, debit, credit, summary in rules
        ]
    )
    register_labels(
        "document_type",
        {
            line: _("Other receipt / issue"),
            "inventory.stockcountline": _("Stock count"),
            "inventory.costadjustmentline": _("Cost adjustment"),
            "inventory.settlement": _("Negative stock settled"),
            ANY_MOVE: _("Stock move"),
        },
    )
    register_labels(
        "event",
        {"in": _("Stock in"), "out": _("Stock out"), TRANSFER: _("Transfer between warehouses")},
    )
    register_labels("reason", dict(StockDocument.Reason.choices))
    register_labels(
        "kind",
        {
            "stock": _("Stock"),
            "supplier": _("Supplier"),
            "customer": _("Customer"),
            "inventory_loss": _("Inventory gain/loss"),
            "scrap": _("Scrap"),
        },
    )
