"""Other receipts and issues, transfers and stock counts, end to end through the services."""

import datetime
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import Lot, StockDocument, StockMove
from jxc.inventory.selectors import availability, on_hand
from jxc.inventory.services import counts, documents
from jxc.inventory.services.lots import get_or_create_lot
from jxc.masterdata.models import Unit
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


def draft(stock, user, kind, lines, **header):
    return documents.save_stock_document(
        organization=stock.org,
        user=user,
        data={"kind": kind, "business_date": DAY, "warehouse": stock.wh1, "lines": lines, **header},
    )


def test_receipt_in_boxes_is_posted_in_base_units_with_a_number(stock, admin_user):
    product = stock.product()
    box = Unit.objects.get(organization=stock.org, code="BOX")
    product.units.create(unit=box, factor=Decimal(12))
    doc = draft(
        stock,
        admin_user,
        "receipt",
        [
            {
                "product": product,
                "unit": box,
                "quantity": Decimal(2),
                "location": stock.bin1,
                "unit_cost": Decimal("1.5"),
            }
        ],
        reason="opening",
    )
    assert doc.number == ""  # numbered when it becomes official
    doc = documents.post_stock_document(document=doc)
    assert doc.state == "done"
    assert doc.number.startswith("QR20261126-")
    move = StockMove.objects.get(reference=doc.number)
    assert (move.quantity, move.entered_quantity, move.value) == (24, 2, Decimal(36))
    with pytest.raises(ValidationFailed):
        documents.post_stock_document(document=doc)  # not twice


def test_issue_beyond_stock_is_refused_and_the_draft_stays_a_draft(stock, admin_user):
    product = stock.product()
    stock.receive(product, 5, "2")
    doc = draft(
        stock,
        admin_user,
        "issue",
        [{"product": product, "quantity": Decimal(6)}],
        reason="consumption",
    )
    with pytest.raises(InsufficientStock):
        documents.post_stock_document(document=doc)
    doc.refresh_from_db()
    assert (doc.state, doc.number) == ("draft", "")
    assert on_hand(product_id=product.pk) == 5


def test_reversal_undoes_a_posted_document(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, "2")
    doc = documents.post_stock_document(
        document=draft(
            stock,
            admin_user,
            "issue",
            [{"product": product, "quantity": Decimal(4), "location": stock.bin1}],
            reason="damage",
        )
    )
    assert on_hand(product_id=product.pk) == 6
    reversal = documents.reverse_stock_document(document=doc, user=admin_user)
    assert reversal.reversal_of == doc
    assert on_hand(product_id=product.pk) == 10
    doc.refresh_from_db()
    assert doc.state == "reversed"
    assert StockMove.objects.filter(reversal_of__isnull=False).count() == 1


def test_two_step_transfer_ships_then_receives(stock, admin_user):
    product = stock.product()
    stock.receive(product, 10, "3")
    doc = draft(
        stock,
        admin_user,
        "transfer",
        [
            {
                "product": product,
                "quantity": Decimal(4),
                "location": stock.bin1,
                "to_location": stock.bin2,
            }
        ],
        to_warehouse=stock.wh2,
        two_step=True,
    )
    doc = documents.post_stock_document(document=doc)
    assert doc.state == "in_transit"
    assert on_hand(product_id=product.pk, location_id=stock.transit.pk) == 4
    assert availability(product_id=product.pk, warehouse_id=stock.wh1.pk).on_hand == 6
    documents.receive_transfer(document=doc)
    assert on_hand(product_id=product.pk, warehouse_id=stock.wh2.pk) == 4
    assert on_hand(product_id=product.pk, location_id=stock.transit.pk) == 0


def test_transfer_lines_must_use_locations_of_their_warehouses(stock, admin_user):
    product = stock.product()
    with pytest.raises(ValidationFailed) as error:
        draft(
            stock,
            admin_user,
            "transfer",
            [{"product": product, "quantity": Decimal(1), "location": stock.bin2}],
            to_warehouse=stock.wh2,
        )
    assert error.value.field == "lines.0.location"


def test_issuing_a_lot_tracked_product_picks_the_first_expiring_lot(stock, admin_user):
    product = stock.product(tracking="lot")
    late = get_or_create_lot(product=product, code="L-LATE", expiry_date=DAY.replace(year=2028))
    early = get_or_create_lot(product=product, code="L-EARLY", expiry_date=DAY.replace(year=2027))
    stock.receive(product, 5, "1", lot=late)
    stock.receive(product, 3, "1", lot=early)
    doc = documents.post_stock_document(
        document=draft(
            stock,
            admin_user,
            "issue",
            [{"product": product, "quantity": Decimal(4), "location": stock.bin1}],
            reason="sample",
        )
    )
    taken = {m.lot.code: m.quantity for m in StockMove.objects.filter(reference=doc.number)}
    assert taken == {"L-EARLY": 3, "L-LATE": 1}


def test_count_with_freeze_posts_gains_and_losses(stock, admin_user):
    apples, pears = stock.product("A"), stock.product("B")
    stock.receive(apples, 10, "2")
    stock.receive(pears, 5, "4")
    count = counts.create_count(
        organization=stock.org, user=admin_user, warehouse=stock.wh1, business_date=DAY, freeze=True
    )
    count = counts.start_count(count=count)
    assert {line.book_quantity for line in count.lines.all()} == {10, 5}
    with pytest.raises(InsufficientStock):
        stock.issue(apples, 1)  # frozen while counting
    counts.record_counts(
        count=count,
        counts=[
            {"product": apples, "location": stock.bin1, "counted_quantity": Decimal(8)},
            {"product": pears, "location": stock.bin1, "counted_quantity": Decimal(6)},
        ],
    )
    count = counts.post_count(count=count)
    assert count.number.startswith("PD")
    assert on_hand(product_id=apples.pk) == 8
    assert on_hand(product_id=pears.pk) == 6
    assert availability(product_id=apples.pk, warehouse_id=stock.wh1.pk).frozen == 0
    moves = StockMove.objects.filter(reference=count.number)
    assert {(m.product_id, m.from_location.kind) for m in moves} == {
        (apples.pk, "bin"),
        (pears.pk, "inventory_loss"),
    }


def test_a_count_needs_every_line_counted(stock, admin_user):
    stock.receive(stock.product(), 3, "1")
    count = counts.start_count(
        count=counts.create_count(
            organization=stock.org, user=admin_user, warehouse=stock.wh1, business_date=DAY
        )
    )
    with pytest.raises(ValidationFailed):
        counts.post_count(count=count)
    counts.cancel_count(count=count)


def test_a_draft_receipt_keeps_its_new_lot_on_the_line_until_posted(stock, admin_user):
    product = stock.product(tracking="lot")
    line = {
        "product": product,
        "quantity": Decimal(3),
        "lot_code": " L-NEW ",
        "production_date": DAY,
        "expiry_date": DAY.replace(year=2027),
    }
    doc = draft(stock, admin_user, "receipt", [line], reason="other")
    saved = doc.lines.get()
    assert (saved.lot, saved.lot_code, saved.production_date, saved.expiry_date) == (
        None,
        "L-NEW",
        DAY,
        DAY.replace(year=2027),
    )
    assert not Lot.objects.exists()  # nothing made while it is a draft
    documents.post_stock_document(document=doc)
    lot = Lot.objects.get()
    assert (lot.code, lot.production_date, lot.expiry_date) == (
        "L-NEW",
        DAY,
        DAY.replace(year=2027),
    )
    assert doc.lines.get().lot == lot
    assert on_hand(product_id=product.pk) == 3
    assert StockMove.objects.get(lot=lot).quantity == 3


def test_a_cancelled_draft_leaves_no_lot_behind(stock, admin_user):
    product = stock.product(tracking="lot")
    doc = draft(
        stock,
        admin_user,
        "receipt",
        [{"product": product, "quantity": Decimal(1), "lot_code": "L-GONE"}],
        reason="other",
    )
    documents.cancel_stock_document(document=doc)
    assert not Lot.objects.exists()


def test_an_existing_lot_number_on_a_receipt_uses_the_lot(stock, admin_user):
    product = stock.product(tracking="lot")
    lot = get_or_create_lot(product=product, code="L-OLD", expiry_date=DAY)
    doc = draft(
        stock,
        admin_user,
        "receipt",
        [{"product": product, "quantity": Decimal(1), "lot_code": "L-OLD"}],
        reason="other",
    )
    assert doc.lines.get().lot == lot
    documents.post_stock_document(document=doc)
    assert Lot.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (
            {"lot_code": "L1", "production_date": DAY, "expiry_date": DAY.replace(day=1)},
            "lines.0.expiry_date",
        ),
        ({}, "lines.0.lot"),  # tracked by lot: a lot is needed
        ({"lot": "other"}, "lines.0.lot"),  # a lot of another product
    ],
)
def test_bad_lots_of_a_draft_receipt_are_refused_at_saving(stock, admin_user, line, field):
    product = stock.product(tracking="lot")
    if line.get("lot") == "other":
        line = {"lot": get_or_create_lot(product=stock.product("P2"), code="X")}
    with pytest.raises(ValidationFailed) as error:
        draft(
            stock,
            admin_user,
            "receipt",
            [{"product": product, "quantity": Decimal(1), **line}],
            reason="other",
        )
    assert error.value.field == field
    assert not StockDocument.objects.exists()


def test_an_unknown_lot_number_is_refused_on_an_issue(stock, admin_user):
    product = stock.product(tracking="lot")
    with pytest.raises(ValidationFailed) as error:
        draft(
            stock,
            admin_user,
            "issue",
            [{"product": product, "quantity": Decimal(1), "lot_code": "NOPE"}],
            reason="other",
        )
    assert error.value.field == "lines.0.lot"
    assert not Lot.objects.exists()


def test_the_expiry_follows_from_the_shelf_life(stock, admin_user):
    product = stock.product(tracking="lot", shelf_life_days=30)
    doc = draft(
        stock,
        admin_user,
        "receipt",
        [
            {"product": product, "quantity": Decimal(1), "lot_code": "L-A", "production_date": DAY},
            {
                "product": product,
                "quantity": Decimal(1),
                "lot_code": "L-B",
                "production_date": DAY,
                "expiry_date": DAY.replace(year=2030),  # given: kept
            },
        ],
        reason="other",
    )
    assert doc.lines.all()[0].expiry_date is None  # the draft keeps what was entered
    documents.post_stock_document(document=doc)
    expiry = dict(Lot.objects.values_list("code", "expiry_date"))
    assert expiry == {"L-A": datetime.date(2026, 12, 26), "L-B": DAY.replace(year=2030)}


def test_get_or_create_lot_derives_the_expiry_only_for_new_lots_with_a_production_date(stock):
    product = stock.product(tracking="lot", shelf_life_days=10)
    assert get_or_create_lot(product=product, code="A", production_date=DAY).expiry_date == (
        datetime.date(2026, 12, 6)
    )
    assert get_or_create_lot(product=product, code="B").expiry_date is None
    no_shelf_life = stock.product("P2", tracking="lot")
    assert (
        get_or_create_lot(product=no_shelf_life, code="A", production_date=DAY).expiry_date is None
    )
    # an existing lot keeps its dates
    assert get_or_create_lot(product=product, code="B", production_date=DAY).expiry_date is None
