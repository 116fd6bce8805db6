"""The inventory API: documents through their lifecycle, stock queries, costs hidden, isolation."""

from decimal import Decimal

import pytest

from jxc.inventory.models import Lot, StockCount, StockDocument, StockMove
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.inventory.conftest import Stock

pytestmark = pytest.mark.django_db


def test_receipt_issue_and_stock_queries_through_the_api(api, stock):
    product = stock.product()
    created = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "reason": "opening",
            "lines": [
                {
                    "product": product.pk,
                    "quantity": "10",
                    "location": stock.bin1.pk,
                    "unit_cost": "4.5",
                }
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    doc = created.json()
    assert (doc["state"], doc["number"]) == ("draft", "")
    posted = api.post(f"/api/v1/stock-documents/{doc['id']}/post/", {}, format="json").json()
    assert posted["state"] == "done"
    assert posted["number"].startswith("QR")
    availability = api.get("/api/v1/stock/availability/", {"product": product.pk}).json()
    assert availability["warehouses"][0]["available"] == "10.0000"
    balances = api.get("/api/v1/stock/", {"product": product.pk, "nonzero": "true"}).json()
    assert balances["results"][0]["on_hand"] == "10.0000"
    moves = api.get("/api/v1/stock-moves/", {"warehouse": stock.wh1.pk}).json()
    assert moves["results"][0]["value"] == "45.00"
    issue = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "issue",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "reason": "consumption",
            "lines": [{"product": product.pk, "quantity": "11"}],
        },
        format="json",
    ).json()
    refused = api.post(f"/api/v1/stock-documents/{issue['id']}/post/", {}, format="json")
    body = assert_error(refused, 400, "insufficient_stock", field="lines.0.quantity")
    assert "11" in body["message"]
    assert "10" in body["message"]
    assert StockMove.objects.count() == 1


def test_costs_are_hidden_from_roles_without_the_cost_flag(org, roles, stock):
    product = stock.product()
    stock.receive(product, 2, "3")
    keeper = client_for(make_member(org, "kim", "warehouse_keeper"), org)
    move = keeper.get("/api/v1/stock-moves/").json()["results"][0]
    assert "value" not in move
    assert "unit_cost" not in move
    assert keeper.get("/api/v1/stock/").status_code == 200


def test_posting_needs_the_post_permission(org, roles, stock):
    product = stock.product()
    sales = client_for(make_member(org, "sam", "salesperson"), org)
    assert_error(
        sales.post(
            "/api/v1/stock-documents/",
            {
                "kind": "receipt",
                "business_date": "2026-11-26",
                "warehouse": stock.wh1.pk,
                "lines": [{"product": product.pk, "quantity": "1"}],
            },
            format="json",
        ),
        403,
    )


def test_count_through_the_api(api, stock):
    product = stock.product()
    stock.receive(product, 5, "1")
    count = api.post(
        "/api/v1/stock-counts/",
        {"business_date": "2026-11-26", "warehouse": stock.wh1.pk, "freeze": True},
        format="json",
    ).json()
    started = api.post(f"/api/v1/stock-counts/{count['id']}/start/").json()
    assert started["lines"][0]["book_quantity"] == "5.0000"
    line = started["lines"][0]
    counted = api.post(
        f"/api/v1/stock-counts/{count['id']}/counts/",
        {
            "lines": [
                {"product": line["product"], "location": line["location"], "counted_quantity": "7"}
            ]
        },
        format="json",
    ).json()
    assert counted["lines"][0]["difference"] == "2.0000"
    posted = api.post(f"/api/v1/stock-counts/{count['id']}/post/").json()
    assert posted["state"] == "done"
    assert (
        api.get("/api/v1/stock/availability/", {"product": product.pk}).json()["warehouses"][0][
            "on_hand"
        ]
        == "7.0000"
    )


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({"quantity": "0"}, "lines.0.quantity"),
        ({"quantity": "-2"}, "lines.0.quantity"),
        ({"quantity": "abc"}, "lines.0.quantity"),
        ({"quantity": "1", "location": 999999}, "lines.0.location"),
    ],
)
def test_bad_lines_are_refused(api, stock, line, field):
    product = stock.product()
    response = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [{"product": product.pk, **line}],
        },
        format="json",
    )
    assert_error(response, 400, field=field)
    assert not StockDocument.objects.exists()


def test_another_organizations_inventory_is_hidden(api, other_org, admin_user):
    other = Stock(other_org)
    product = other.product()
    other.receive(product, 3, "1")
    from jxc.inventory.services.documents import save_stock_document

    doc = save_stock_document(
        organization=other_org,
        user=admin_user,
        data={"kind": "issue", "business_date": "2026-11-26", "warehouse": other.wh1, "lines": []},
    )
    count = StockCount.objects.create(
        organization=other_org, warehouse=other.wh1, business_date="2026-11-26"
    )
    lot = Lot.objects.create(organization=other_org, product=product, code="X")
    from jxc.inventory.services.reservations import reserve_stock

    reservation = reserve_stock(
        organization=other_org,
        product=product,
        warehouse=other.wh1,
        quantity=Decimal(1),
        origin_type="test",
        origin_id=1,
    )
    from jxc.inventory.models import StockBalance

    for url, obj in [
        ("/api/v1/stock-documents/", doc),
        ("/api/v1/stock-counts/", count),
        ("/api/v1/stock/", StockBalance.objects.filter(organization=other_org).first()),
        ("/api/v1/stock-moves/", StockMove.objects.get(organization=other_org)),
        ("/api/v1/lots/", lot),
        ("/api/v1/reservations/", reservation),
    ]:
        assert_other_organization_hidden(api, url, obj)
    assert_error(api.post(f"/api/v1/stock-documents/{doc.pk}/post/"), 404)
    assert_error(api.post(f"/api/v1/reservations/{reservation.pk}/release/"), 404)
    from jxc.inventory.services.freezes import freeze_stock

    freeze = freeze_stock(
        organization=other_org,
        user=admin_user,
        product=product,
        location=other.bin1,
        quantity=Decimal(1),
        reason="x",
    )
    assert_other_organization_hidden(api, "/api/v1/stock-freezes/", freeze)
    assert_error(api.post(f"/api/v1/stock-freezes/{freeze.pk}/release/"), 404)
    assert_error(
        api.get("/api/v1/stock/availability/", {"product": product.pk}), 400, field="product"
    )


def test_verify_endpoint_reports_consistency_and_violations(api, stock):
    from jxc.inventory.models import StockBalance

    product = stock.product()
    stock.receive(product, 4, "1")
    assert api.get("/api/v1/stock/verify/").json() == {"consistent": True, "problems": []}
    StockBalance.objects.filter(product=product).update(on_hand=5)  # corrupt on purpose
    body = api.get("/api/v1/stock/verify/").json()
    assert body["consistent"] is False
    assert {p["check"] for p in body["problems"]} >= {"balance_equals_ledger"}
    StockBalance.objects.filter(product=product).update(on_hand=4)


def test_lot_errors_name_the_line_and_reversals_are_linked(api, stock):
    product = stock.product(tracking="lot")
    bad = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [
                {
                    "product": product.pk,
                    "quantity": "1",
                    "unit": None,
                    "location": None,
                    "lot_code": "L1",
                    "production_date": "2026-11-20",
                    "expiry_date": "2026-11-01",
                }
            ],
        },
        format="json",
    )
    assert_error(bad, 400, field="lines.0.expiry_date")
    doc = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [
                {
                    "product": product.pk,
                    "quantity": "2",
                    "unit": None,
                    "location": None,
                    "lot_code": "L1",
                }
            ],
        },
        format="json",
    ).json()
    api.post(f"/api/v1/stock-documents/{doc['id']}/post/")
    reversal = api.post(f"/api/v1/stock-documents/{doc['id']}/reverse/").json()
    assert api.get(f"/api/v1/stock-documents/{doc['id']}/").json()["reversed_by"] == reversal["id"]


def test_a_draft_receipt_shows_its_new_lot_and_makes_it_when_posted(api, stock):
    product = stock.product(tracking="lot", shelf_life_days=15)
    created = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [
                {
                    "product": product.pk,
                    "quantity": "2",
                    "lot_code": "L-NEW",
                    "production_date": "2026-11-01",
                }
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    line = created.json()["lines"][0]
    assert (line["lot"], line["lot_code"], line["production_date"], line["expiry_date"]) == (
        None,
        "L-NEW",
        "2026-11-01",
        None,  # as entered: the shelf life decides when the lot is made
    )
    assert not Lot.objects.exists()
    doc_id = created.json()["id"]
    assert api.get(f"/api/v1/stock-documents/{doc_id}/").json()["lines"][0]["lot_code"] == "L-NEW"
    posted = api.post(f"/api/v1/stock-documents/{doc_id}/post/", {}, format="json").json()
    lot = Lot.objects.get()
    line = posted["lines"][0]
    assert (line["lot"], line["lot_code"], line["production_date"], line["expiry_date"]) == (
        lot.pk,
        "L-NEW",
        "2026-11-01",
        "2026-11-16",  # production date + 15 days of shelf life
    )


def test_a_cancelled_draft_receipt_leaves_no_lot(api, stock):
    product = stock.product(tracking="lot")
    doc = api.post(
        "/api/v1/stock-documents/",
        {
            "kind": "receipt",
            "business_date": "2026-11-26",
            "warehouse": stock.wh1.pk,
            "lines": [{"product": product.pk, "quantity": "1", "lot_code": "L-X"}],
        },
        format="json",
    ).json()
    cancelled = api.post(f"/api/v1/stock-documents/{doc['id']}/cancel/")
    assert cancelled.json()["state"] == "cancelled"
    assert not Lot.objects.exists()


def test_count_lines_show_the_lot_and_the_value_of_the_difference(api, org, roles, stock):
    product = stock.product(tracking="lot", purchase_price="9")
    lot = Lot.objects.create(organization=org, product=product, code="L-CNT")
    stock.receive(product, 4, "2.5", lot=lot)
    other = stock.product("P2", purchase_price="7")  # nothing valued: the purchase price
    count = api.post(
        "/api/v1/stock-counts/",
        {"business_date": "2026-11-26", "warehouse": stock.wh1.pk},
        format="json",
    ).json()
    api.post(f"/api/v1/stock-counts/{count['id']}/start/")
    counted = api.post(
        f"/api/v1/stock-counts/{count['id']}/counts/",
        {
            "lines": [
                {
                    "product": product.pk,
                    "location": stock.bin1.pk,
                    "lot": lot.pk,
                    "counted_quantity": "3",
                },
                {"product": other.pk, "location": stock.bin1.pk, "counted_quantity": "2"},
            ]
        },
        format="json",
    ).json()
    lines = {line["product"]: line for line in counted["lines"]}
    assert lines[product.pk]["lot_code"] == "L-CNT"
    assert (lines[product.pk]["unit_cost"], lines[product.pk]["variance_value"]) == (
        "2.500000",
        "-2.50",
    )
    assert lines[other.pk]["lot_code"] is None
    assert (lines[other.pk]["unit_cost"], lines[other.pk]["variance_value"]) == (
        "7.000000",
        "14.00",
    )
    keeper = client_for(make_member(org, "kim", "warehouse_keeper"), org)
    for line in keeper.get(f"/api/v1/stock-counts/{count['id']}/").json()["lines"]:
        assert "unit_cost" not in line
        assert "variance_value" not in line
        assert "lot_code" in line
    assert (
        "variance_value" not in keeper.get("/api/v1/stock-counts/").json()["results"][0]["lines"][0]
    )
    # once posted: what the moves booked, also after the product's cost has changed since
    api.post(f"/api/v1/stock-counts/{count['id']}/post/")
    stock.receive(product, 3, "10", lot=lot)
    for body in (
        api.get(f"/api/v1/stock-counts/{count['id']}/").json(),
        api.get("/api/v1/stock-counts/").json()["results"][0],
    ):
        lines = {line["product"]: line for line in body["lines"]}
        assert (lines[product.pk]["unit_cost"], lines[product.pk]["variance_value"]) == (
            "2.500000",
            "-2.50",
        )
        assert lines[other.pk]["variance_value"] == "14.00"


def test_reservations_are_searched_by_product_and_origin(api, stock):
    from jxc.inventory.services.reservations import reserve_stock
    from tests.masterdata.conftest import make_product

    cola = make_product(stock.org, "COLA", "可口可乐")
    tea = make_product(stock.org, "TEA", "绿茶", tracking="lot")
    lot = Lot.objects.create(organization=stock.org, product=tea, code="L-TEA")
    for product, origin_id, reserved_lot in ((cola, 11, None), (tea, 22, lot)):
        stock.receive(product, 5, "1", lot=reserved_lot)
        reserve_stock(
            organization=stock.org,
            product=product,
            warehouse=stock.wh1,
            quantity=Decimal(2),
            origin_type="sales.salesorderline",
            origin_id=origin_id,
            lot=reserved_lot,
        )

    def found(search):
        response = api.get("/api/v1/reservations/", {"search": search})
        assert response.status_code == 200, response.content
        return [row["product_code"] for row in response.json()["results"]]

    assert found("cola") == ["COLA"]
    assert found("绿茶") == ["TEA"]
    assert found("22") == ["TEA"]
    assert sorted(found("salesorder")) == ["COLA", "TEA"]
    assert found("nothing-like-it") == []
    row = api.get("/api/v1/reservations/", {"search": "TEA"}).json()["results"][0]
    assert (row["product_name"], row["warehouse_name"], row["lot_code"]) == (
        "绿茶",
        "一号仓",
        "L-TEA",
    )


def test_a_freeze_of_a_lot_names_the_lot(api, stock):
    product = stock.product("LF", tracking="lot")
    from jxc.inventory.services.lots import get_or_create_lot

    lot = get_or_create_lot(product=product, code="B-7")
    stock.receive(product, 5, 1, lot=lot)
    created = api.post(
        "/api/v1/stock-freezes/",
        {
            "product": product.pk,
            "location": stock.bin1.pk,
            "lot": lot.pk,
            "quantity": "2",
            "reason": "质检",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["lot_code"] == "B-7"
    listed = api.get("/api/v1/stock-freezes/", {"product": product.pk}).json()["results"]
    assert [row["lot_code"] for row in listed] == ["B-7"]
