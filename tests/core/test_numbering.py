"""Number series: patterns, reset periods, uniqueness and no gaps."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from jxc.core.errors import ValidationFailed
from jxc.core.models import NumberSeries
from jxc.core.services import numbering
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 26)


def take(org, doc_type="purchase_order", on_date=DAY):
    with transaction.atomic():
        return numbering.next_number(organization=org, doc_type=doc_type, on_date=on_date)


def test_default_pattern_gives_dated_sequential_numbers(org):
    assert [take(org) for _ in range(3)] == [
        "CG20261126-0001",
        "CG20261126-0002",
        "CG20261126-0003",
    ]


def test_daily_series_restart_each_day_and_never_reuse_a_number(org):
    assert take(org) == "CG20261126-0001"
    assert take(org, on_date=DAY + datetime.timedelta(days=1)) == "CG20261127-0001"
    assert take(org) == "CG20261126-0002"


@pytest.mark.parametrize(
    ("pattern", "reset", "expected"),
    [
        ("XS{yyyy}{MM}-{seq:5}", "monthly", "XS202611-00001"),
        ("XS-{yy}-{seq}", "yearly", "XS-26-1"),
        ("NO.{seq:6}", "never", "NO.000001"),
        ("{yyyyMM}{dd}/{seq:3}", "daily", "20261126/001"),
    ],
)
def test_patterns_and_their_reset_periods(org, pattern, reset, expected):
    NumberSeries.objects.create(organization=org, doc_type="sales_order", pattern=pattern)
    assert numbering.reset_period(pattern) == reset
    assert take(org, "sales_order") == expected


def test_a_rolled_back_document_leaves_no_gap(org):
    assert take(org) == "CG20261126-0001"

    def failing_document():
        with transaction.atomic():
            numbering.next_number(organization=org, doc_type="purchase_order", on_date=DAY)
            raise RuntimeError("the document failed to post")

    with pytest.raises(RuntimeError):
        failing_document()
    assert take(org) == "CG20261126-0002"


def test_series_are_separate_per_organization(org, other_org):
    assert take(org) == take(other_org) == "CG20261126-0001"


@pytest.mark.django_db(transaction=True)
def test_numbers_must_be_taken_inside_the_documents_transaction(org):
    with pytest.raises(RuntimeError):
        numbering.next_number(organization=org, doc_type="purchase_order")


def test_inactive_series_refuses_to_number(org):
    NumberSeries.objects.create(
        organization=org, doc_type="delivery", pattern="CK{seq}", is_active=False
    )
    with pytest.raises(ValidationFailed):
        take(org, "delivery")


@pytest.mark.parametrize(
    "pattern", ["", "CG", "CG{seq}{seq}", "CG{hh}{seq}", "CG{seq:40}", "CG{seq}}", "x" * 80]
)
def test_bad_patterns_are_refused_by_the_api(api, pattern):
    response = api.post(
        "/api/v1/number-series/", {"doc_type": "delivery", "pattern": pattern}, format="json"
    )
    assert_error(response, 400, field="pattern")
    assert not NumberSeries.objects.filter(doc_type="delivery").exists()


def test_api_creates_and_previews_a_series(api, org):
    response = api.post(
        "/api/v1/number-series/",
        {"doc_type": "delivery", "pattern": "CK{yyyy}-{seq:3}"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reset"] == "yearly"
    year = timezone.localdate().year
    assert response.json()["next_preview"] in (f"CK{year}-001", f"CK{year + 1}-001")
    duplicate = api.post(
        "/api/v1/number-series/", {"doc_type": "delivery", "pattern": "X{seq}"}, format="json"
    )
    assert_error(duplicate, 400, field="doc_type")


def test_unknown_document_type_is_refused(api):
    response = api.post(
        "/api/v1/number-series/", {"doc_type": "spaceship", "pattern": "S{seq}"}, format="json"
    )
    assert_error(response, 400, field="doc_type")
