"""Other receipts and issues, transfers and stock counts, end to end through the services."""

from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import StockMove
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
