"""The purchase-to-receive path (W1 of the workload) keeps its query budget: each step reads
its document, lines and settings in one batch and writes raw, so a change that brings back a
per-line or repeated read fails here. The history is still written: one audit entry per
document change, as the ORM's save would have written it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from jxc.core.models import AuditLog
from jxc.purchasing.services import orders, receipts
from tests.purchasing.conftest import DAY, qty

# statements per step of a three-line order, transaction control excluded; as counted on
# SQLite (on PostgreSQL the batched statements bypass Django's cursor and count less)
BUDGET = {"create": 4, "approve": 8, "receive": 5}


def _statements(context) -> int:
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")
    return len([q for q in context.captured_queries if not q["sql"].startswith(control)])


def test_create_approve_receive_and_post_within_budget_with_history(world):
    products = [world.product(f"P{i}") for i in range(3)]
    lines = [{"product": p, "quantity": qty(5), "unit_price": qty(10)} for p in products]
    data = {"business_date": DAY, "supplier": world.vendor, "warehouse": world.wh1,
            "lines": [{"tax_rate": world.vat13, **line} for line in lines]}  # fmt: skip
    # the first order of the organization makes its number series: not counted
    first = orders.save_purchase_order(organization=world.org, user=world.user, data=data)
    orders.submit_purchase_order(order=first, user=world.user)
    with CaptureQueriesContext(connection) as create:
        order = orders.save_purchase_order(organization=world.org, user=world.user, data=data)
    with CaptureQueriesContext(connection) as approve:
        order = orders.submit_purchase_order(order=order, user=world.user)
    with CaptureQueriesContext(connection) as receive:
        receipt = receipts.receipt_from_orders(
            organization=world.org, user=world.user, orders=[order]
        )
    receipt = receipts.post_goods_receipt(receipt=receipt)
    counted = {"create": create, "approve": approve, "receive": receive}
    spent = {name: _statements(c) for name, c in counted.items()}
    assert all(spent[name] <= BUDGET[name] for name in BUDGET), spent
    order.refresh_from_db()
    assert (order.state, receipt.state, order.lines.count()) == ("done", "done", 3)
    assert order.number.startswith("CG")
    assert receipt.number.startswith("RK")
    trail = {
        # the rate, stored with six places, reads as a change where the backend keeps them
        (entry.model, entry.action, tuple(sorted(set(entry.changes) - {"rate"})))
        for entry in AuditLog.objects.filter(object_id__in=[str(order.pk), str(receipt.pk)])
        if entry.model in ("purchasing.purchaseorder", "purchasing.goodsreceipt")
    }
    assert ("purchasing.purchaseorder", "state", ("approved_at", "number", "state")) in trail
    assert ("purchasing.purchaseorder", "state", ("state",)) in trail  # approved → done
    assert ("purchasing.goodsreceipt", "state", ("number", "posted_at", "state")) in trail
    assert {(model, action) for model, action, _ in trail} >= {
        ("purchasing.purchaseorder", "create"),
        ("purchasing.goodsreceipt", "create"),
    }
