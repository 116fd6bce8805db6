"""Sales quotations through the services: priced like orders, soft reservation on sending,
released on cancel, conversion and expiry (the periodic job too), conversion to a linked draft
order."""

import datetime
from decimal import Decimal

import pytest

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Reservation, WarehouseStock
from jxc.sales.models import SalesOrder, SalesQuotation
from jxc.sales.services import quotations
from jxc.sales.services.common import QUOTATION_LINE
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The service's today: DAY unless a test moves it."""
    now = {"day": DAY}
    monkeypatch.setattr(quotations, "today", lambda: now["day"])
    return now


def quote(sales, lines, valid_until=DAY + datetime.timedelta(days=7), **header):
    return quotations.save_quotation(
        organization=sales.org,
        user=sales.user,
        data={"business_date": DAY, "customer": sales.customer, "warehouse": sales.wh1,
              "valid_until": valid_until, "reserve_stock": True,
              "lines": [{"product": p, "quantity": D(str(q)), **extra}
                        for p, q, *rest in lines for extra in [rest[0] if rest else {}]],
              **header},
    )  # fmt: skip


def reserved(sales, product):
    row = WarehouseStock.objects.filter(product=product, warehouse=sales.wh1).first()
    return row.reserved if row else D(0)


def open_quoted(quotation):
    return list(
        Reservation.objects.filter(
            origin_type=QUOTATION_LINE, state=Reservation.State.OPEN,
            origin_id__in=quotation.lines.values_list("pk", flat=True),
        ).values_list("quantity", flat=True)
    )  # fmt: skip


def test_lines_are_priced_and_taxed_as_order_lines(sales):
    product = sales.product()
    quotation = quote(sales, [(product, 3), (product, 2, {"unit_price": D("100"),
                                                          "discount_percent": D("10")})])  # fmt: skip
    first, second = quotation.lines.all()
    assert (first.unit_price, first.gross_amount, first.tax_amount) == (D("113"), D("339.00"),
                                                                        D("39.00"))  # fmt: skip
    assert second.gross_amount == D("180.00")
    assert quotation.gross_amount == D("519.00")
    assert (quotation.state, quotation.number) == ("draft", "")


def test_send_reserves_softly_and_cancel_releases(sales):
    product = sales.product()
    sales.receive(product, 4, "50")
    quotation = quotations.send_quotation(quotation=quote(sales, [(product, 6)]), user=sales.user)
    assert quotation.state == "submitted"
    assert quotation.number.startswith("BJ20261126-")
    # beyond what is available: the shortage is allowed, the availability goes below zero
    assert open_quoted(quotation) == [D(6)]
    assert reserved(sales, product) == 6
    quotations.cancel_quotation(quotation=quotation)
    assert open_quoted(quotation) == []
    assert reserved(sales, product) == 0
    assert SalesQuotation.objects.get(pk=quotation.pk).state == "cancelled"


def test_without_the_flag_nothing_is_reserved(sales):
    product = sales.product()
    quotation = quote(sales, [(product, 2)], reserve_stock=False)
    quotations.send_quotation(quotation=quotation, user=sales.user)
    assert open_quoted(quotation) == []
    assert reserved(sales, product) == 0


def test_convert_makes_a_linked_draft_order_and_releases(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    quotation = quote(sales, [(product, 5, {"unit_price": D("120")})], note="报价")
    quotations.send_quotation(quotation=quotation, user=sales.user)
    order = quotations.convert_quotation(quotation=quotation, user=sales.user)
    assert order.state == "draft"
    assert order.quotation_id == quotation.pk
    line = order.lines.get()
    assert (line.product_id, line.quantity, line.unit_price) == (product.pk, 5, D("120"))
    assert order.gross_amount == quotation.gross_amount == D("600.00")
    assert reserved(sales, product) == 0
    quotation.refresh_from_db()
    assert quotation.state == "converted"
    assert quotation.order == order
    with pytest.raises(ValidationFailed) as error:
        quotations.convert_quotation(quotation=quotation, user=sales.user)
    assert error.value.field == "state"
    assert SalesOrder.objects.count() == 1


def test_a_draft_cannot_be_converted(sales):
    quotation = quote(sales, [(sales.product(), 1)])
    with pytest.raises(ValidationFailed) as error:
        quotations.convert_quotation(quotation=quotation, user=sales.user)
    assert error.value.field == "state"


def test_conversion_after_the_validity_expires_and_is_refused(sales, today):
    product = sales.product()
    quotation = quote(sales, [(product, 2)], valid_until=DAY)
    quotations.send_quotation(quotation=quotation, user=sales.user)
    today["day"] = DAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as error:
        quotations.convert_quotation(quotation=quotation, user=sales.user)
    assert error.value.field == "valid_until"
    quotation.refresh_from_db()
    assert quotation.state == "expired"
    assert reserved(sales, product) == 0
    assert not SalesOrder.objects.exists()


def test_the_periodic_job_expires_what_is_past_its_validity(sales, today):
    product = sales.product()
    short = quotations.send_quotation(
        quotation=quote(sales, [(product, 2)], valid_until=DAY), user=sales.user
    )
    long = quotations.send_quotation(
        quotation=quote(sales, [(product, 3)], valid_until=DAY + datetime.timedelta(days=5)),
        user=sales.user,
    )
    assert reserved(sales, product) == 5
    jobs.registered_job("sales.expire_quotations").function()  # still DAY: valid the whole day
    assert reserved(sales, product) == 5
    today["day"] = DAY + datetime.timedelta(days=1)
    job = jobs.registered_job("sales.expire_quotations")
    assert job.every
    job.function()
    short.refresh_from_db()
    long.refresh_from_db()
    assert (short.state, long.state) == ("expired", "submitted")
    assert (open_quoted(short), open_quoted(long)) == ([], [D(3)])
    assert reserved(sales, product) == 3
    job.function()  # idempotent
    assert reserved(sales, product) == 3


def test_bad_input_names_the_field_and_writes_nothing(sales, other_org):
    product = sales.product()
    for lines, header, field in [
        ([(product, 0)], {}, "lines.0.quantity"),
        ([(product, 1), (product, -2)], {}, "lines.1.quantity"),
        ([(product, 1)], {"valid_until": DAY - datetime.timedelta(days=1)}, "valid_until"),
    ]:
        with pytest.raises(ValidationFailed) as error:
            quote(sales, lines, **header)
        assert error.value.field == field
    assert not SalesQuotation.objects.exists()


def test_only_drafts_change_and_sending_twice_is_refused(sales):
    quotation = quotations.send_quotation(
        quotation=quote(sales, [(sales.product(), 1)]), user=sales.user
    )
    with pytest.raises(ValidationFailed):
        quotations.save_quotation(
            organization=sales.org, user=sales.user, data={"note": "x"}, quotation=quotation
        )
    with pytest.raises(ValidationFailed) as error:
        quotations.send_quotation(quotation=quotation, user=sales.user)
    assert error.value.field == "state"
