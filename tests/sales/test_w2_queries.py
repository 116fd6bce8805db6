"""The order-to-ship path (W2 of the workload) keeps its query budget: each step reads its
document, lines and settings in one batch and writes raw, so a change that brings back a
per-line or repeated read fails here. The history is still written: one audit entry per
document change, as the ORM's save would have written it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jxc.core.models import AuditLog
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.sales.services import deliveries, orders
from tests.conftest import client_for
from tests.helpers import RoundTrips, assert_error
from tests.sales.conftest import DAY, D

# statements per step of a three-line order, transaction control excluded; as counted on
# SQLite (on PostgreSQL the batched statements bypass Django's cursor and count less)
# (the create: the organization's base currency is read once per organization instance)
BUDGET = {"create": 4, "confirm": 16, "deliver": 4, "post": 35}


def _statements(context) -> int:
    control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")
    return len([q for q in context.captured_queries if not q["sql"].startswith(control)])


def test_create_confirm_deliver_and_post_within_budget_with_history(sales):
    products = [sales.product(f"P{i}") for i in range(3)]
    for product in products:
        sales.receive(product, 10, "3")
    lines = [(p, 2) for p in products]
    # the first order and delivery of the organization make their number series: not counted
    first = sales.confirmed(lines)
    deliveries.post_delivery(
        delivery=deliveries.save_delivery(
            organization=sales.org, user=sales.user, data={"business_date": DAY, "orders": [first]}
        )
    )
    with CaptureQueriesContext(connection) as create:
        order = sales.order(lines)
    with CaptureQueriesContext(connection) as confirm:
        order = orders.submit_sales_order(order=order, user=sales.user)
    with CaptureQueriesContext(connection) as deliver:
        delivery = deliveries.save_delivery(
            organization=sales.org, user=sales.user, data={"business_date": DAY, "orders": [order]}
        )
    with CaptureQueriesContext(connection) as post:
        delivery = deliveries.post_delivery(delivery=delivery)
    counted = {"create": create, "confirm": confirm, "deliver": deliver, "post": post}
    spent = {name: _statements(c) for name, c in counted.items()}
    assert all(spent[name] <= BUDGET[name] for name in BUDGET), spent
    order.refresh_from_db()
    assert (order.state, delivery.state, order.lines.count(), delivery.lines.count()) == (
        "done",
        "done",
        3,
        3,
    )
    trail = {
        # the rate, stored with six places, reads as a change where the backend keeps them
        (entry.model, entry.action, tuple(sorted(set(entry.changes) - {"rate"})))
        for entry in AuditLog.objects.filter(object_id__in=[str(order.pk), str(delivery.pk)])
        if entry.model in ("sales.salesorder", "sales.delivery")
    }
    assert ("sales.salesorder", "state", ("number", "state")) in trail
    assert ("sales.salesorder", "state", ("confirmed_at", "state")) in trail
    assert ("sales.salesorder", "state", ("state",)) in trail  # approved → done
    assert ("sales.delivery", "state", ("number", "posted_at", "state")) in trail
    created = {(model, changes) for model, action, changes in trail if action == "create"}
    assert {model for model, _changes in created} == {"sales.salesorder", "sales.delivery"}
    for model, changes in created:  # the new document as its save would have recorded it
        assert {"customer", "state", "business_date", "warehouse"} <= set(changes), model


# through the whole stack, as counted on SQLite: authentication (session, user, and the
# organization with the membership and its roles) 3; create: customer, warehouse, the lines'
# products (one query), the order's reads and writes, the answer read back (order, lines,
# deposits); confirm: the order checked, the confirmation, the answer read back (order, lines
# with what their open reservations hold, deposits)
API_BUDGET = {"create": 14, "confirm": 23}


def test_create_and_confirm_through_the_api_within_budget(api, sales):
    """One query for all the lines' products, not one per line; the answer read back once."""
    products = [sales.product(f"P{i}") for i in range(3)]
    for product in products:
        sales.receive(product, 10, "3")
    body = {
        "business_date": DAY.isoformat(),
        "customer": sales.customer.pk,
        "warehouse": sales.wh1.pk,
        "lines": [{"product": p.pk, "quantity": "2"} for p in products],
    }
    first = api.post("/api/v1/sales-orders/", body, format="json").json()
    assert api.post(f"/api/v1/sales-orders/{first['id']}/submit/").status_code == 200
    with CaptureQueriesContext(connection) as create:
        created = api.post("/api/v1/sales-orders/", body, format="json")
    assert created.status_code == 201, created.content
    with CaptureQueriesContext(connection) as confirm:
        confirmed = api.post(f"/api/v1/sales-orders/{created.json()['id']}/submit/")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["state"] == "approved"
    assert [line["reserved_open"] for line in confirmed.json()["lines"]] == ["2.0000"] * 3
    spent = {"create": _statements(create), "confirm": _statements(confirm)}
    assert all(spent[name] <= API_BUDGET[name] for name in API_BUDGET), spent


def test_lines_read_ahead_still_refuse_each_bad_product_by_its_line(api, sales, other_org):
    """The lines' products are read in one query, yet an unknown id, another organization's
    product or a wrong type is refused on its own line, in the language asked, nothing
    written; the same product on several lines is fine."""
    from jxc.sales.models import SalesOrder
    from tests.masterdata.conftest import make_product

    product = sales.product()
    stranger = make_product(other_org, "X1", "别家商品")

    def body(*products):
        return {
            "business_date": DAY.isoformat(),
            "customer": sales.customer.pk,
            "warehouse": sales.wh1.pk,
            "lines": [{"product": p, "quantity": "1"} for p in products],
        }

    for bad, index in ((stranger.pk, 1), (2**40, 2), ("abc", 1), (True, 2), (None, 1)):
        lines = [product.pk] * 3
        lines[index] = bad
        answer = api.post("/api/v1/sales-orders/", body(*lines), format="json")
        assert_error(answer, 400, field=f"lines.{index}.product")
    zh = client_for(sales.user, sales.org, language="zh-hans")
    answer = zh.post("/api/v1/sales-orders/", body(product.pk, stranger.pk), format="json")
    refused = assert_error(answer, 400, field="lines.1.product")
    assert f"未知的 ID“{stranger.pk}”" in str(refused["fields"]["lines.1.product"]), refused
    assert SalesOrder.objects.count() == 0
    created = api.post("/api/v1/sales-orders/", body(product.pk, product.pk), format="json")
    assert created.status_code == 201, created.content
    assert [line["product"] for line in created.json()["lines"]] == [product.pk] * 2


def test_a_draft_moved_to_another_warehouse_after_it_was_read_posts_from_there(sales):
    """Picking is read with the posting's first round trip, for the warehouse of the delivery
    the caller holds; a draft changed since (another warehouse) is picked from its new one."""
    product = sales.product()
    sales.receive(product, 5, "3")
    sales.receive(product, 5, "4", location=sales.bin2)
    first = sales.confirmed([(product, 2)])
    second = sales.confirmed([(product, 2)], warehouse=sales.wh2)
    held = deliveries.save_delivery(
        organization=sales.org, user=sales.user, data={"business_date": DAY, "orders": [first]}
    )
    deliveries.save_delivery(
        organization=sales.org,
        user=sales.user,
        delivery=held,
        data={"warehouse": sales.wh2, "lines": [{"order_line": second.lines.get(),
                                                  "quantity": D(2)}]},
    )  # fmt: skip
    assert held.warehouse_id == sales.wh1.pk  # what the caller still holds
    posted = deliveries.post_delivery(delivery=held)
    assert (posted.state, posted.warehouse_id) == ("done", sales.wh2.pk)
    on_hand = dict(WarehouseStock.objects.filter(product=product).values_list("warehouse_id",
                                                                             "on_hand"))  # fmt: skip
    assert on_hand == {sales.wh1.pk: 5, sales.wh2.pk: 3}  # taken from the second warehouse
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.state, second.state) == ("approved", "done")


# round trips to PostgreSQL per step of a three-line order (transaction control excluded):
# create: the price lists, the order, its audit entry with the lines (the base currency was
# read with the first order); confirm: the order with everything it reads, the number with the
# stock's locks and the policy overrides, the writes; deliver: the orders' lines, the
# delivery, its lines; post: the delivery's reads, then inventory's (the reservations it
# consumes read with the stock's locks and written with the moves) and the voucher's
ROUND_TRIPS = {"create": 3, "confirm": 3, "deliver": 3, "post": 7}


@pytest.mark.postgres
def test_the_order_to_ship_path_within_its_round_trips(sales, monkeypatch):
    count = RoundTrips(monkeypatch)
    products = [sales.product(f"P{i}") for i in range(3)]
    for product in products:
        sales.receive(product, 10, "3")
    lines = [(p, 2) for p in products]
    first = sales.confirmed(lines)  # makes the number series; not counted
    deliveries.post_delivery(
        delivery=deliveries.save_delivery(
            organization=sales.org, user=sales.user, data={"business_date": DAY, "orders": [first]}
        )
    )
    steps = {name: count() for name in ROUND_TRIPS}
    with steps["create"]:
        order = sales.order(lines)
    with steps["confirm"]:
        order = orders.submit_sales_order(order=order, user=sales.user)
    with steps["deliver"]:
        delivery = deliveries.save_delivery(
            organization=sales.org, user=sales.user, data={"business_date": DAY, "orders": [order]}
        )
    with steps["post"]:
        delivery = deliveries.post_delivery(delivery=delivery)
    spent = {name: step.trips for name, step in steps.items()}
    assert all(spent[name] <= ROUND_TRIPS[name] for name in ROUND_TRIPS), spent
    order.refresh_from_db()
    assert (order.state, delivery.state) == ("done", "done")
    reserved = Reservation.objects.filter(
        origin_type="sales.salesorderline", origin_id__in=order.lines.values("pk")
    )
    assert {(r.state, r.quantity) for r in reserved} == {("consumed", 0)}
    assert sorted(WarehouseStock.objects.filter(product__in=products).values_list(
        "on_hand", "reserved")) == [(6, 0)] * 3  # fmt: skip
