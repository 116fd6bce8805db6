"""Alerts: raised once per occurrence and announced once, cleared when the condition ends,
raised again when it comes back; per-organization settings (thresholds); the kinds inventory,
finance and workflow register; the API (filters, acknowledge, kinds), permissions, bad input
and organization isolation."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from jxc.finance.services import receivables as ar
from jxc.inventory.services.lots import get_or_create_lot
from jxc.workflow.alert_kinds import (
    AlertKind,
    Occurrence,
    register_alert_kind,
    unregister_alert_kind,
)
from jxc.workflow.models import Alert, ApprovalRequest, Notification
from jxc.workflow.services.alerts import raise_alert, scan_all_organizations, scan_kind
from tests.conftest import client_for
from tests.finance.conftest import account
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.inventory.conftest import Stock
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db

ALERTS = "/api/v1/alerts/"
KINDS = "/api/v1/alert-kinds/"


@pytest.fixture
def run_jobs(settings, django_capture_on_commit_callbacks):
    settings.JXC_JOBS_BACKEND = "inline"

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


class Sensor:
    """A test alert kind whose occurrences the test sets."""

    def __init__(self):
        self.now: list[Occurrence] = []
        self.kind = AlertKind("test.sensor", "Sensor", scan=self.scan,
                              view_permission="inventory.view")  # fmt: skip

    def scan(self, organization, *, threshold=None):
        return list(self.now)


@pytest.fixture
def sensor():
    found = Sensor()
    register_alert_kind(found.kind)
    yield found
    unregister_alert_kind(found.kind.code)


def open_keys(org, kind):
    return sorted(
        Alert.objects.filter(organization=org, kind=kind, cleared_at__isnull=True).values_list(
            "key", flat=True
        )
    )


def test_an_alert_is_raised_once_per_occurrence_and_clears_itself(org, people, sensor, run_jobs):
    sensor.now = [Occurrence("a", "A is low"), Occurrence("b", "B is low")]
    assert run_jobs(scan_kind, organization=org, kind=sensor.kind) == (2, 0)
    assert run_jobs(scan_kind, organization=org, kind=sensor.kind) == (0, 0)  # not again
    assert open_keys(org, "test.sensor") == ["a", "b"]
    told = Notification.objects.filter(event_type="alert.test.sensor")
    assert told.filter(recipient=people.peter).count() == 2  # once per alert
    sensor.now = [Occurrence("b", "B is still low, worse")]
    assert run_jobs(scan_kind, organization=org, kind=sensor.kind) == (0, 1)
    assert open_keys(org, "test.sensor") == ["b"]
    assert Alert.objects.get(key="b", cleared_at__isnull=True).title == "B is still low, worse"
    sensor.now = [Occurrence("a", "A is low again"), Occurrence("b", "B")]
    assert run_jobs(scan_kind, organization=org, kind=sensor.kind) == (1, 0)
    assert Alert.objects.filter(key="a").count() == 2  # a new occurrence, a new alert
    assert told.filter(recipient=people.peter).count() == 3


def test_only_members_allowed_to_see_the_kind_are_told(org, people, sensor, run_jobs):
    sensor.now = [Occurrence("a", "A")]
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert {"alice", "peter", "mary", "sam"} <= told  # inventory.view
    assert "sally" not in told  # the custom sales manager role views sales only


def test_an_event_driven_alert_is_raised_once(org, people, run_jobs):
    kind = register_alert_kind(AlertKind("test.unreserved", "Could not reserve"))
    try:
        occurrence = Occurrence("order:7", "Order 7 could not reserve")
        assert run_jobs(raise_alert, organization=org, kind=kind, occurrence=occurrence)
        assert run_jobs(raise_alert, organization=org, kind=kind, occurrence=occurrence) is None
        run_jobs(scan_all_organizations)  # not scanned: stays open
        assert open_keys(org, "test.unreserved") == ["order:7"]
    finally:
        unregister_alert_kind("test.unreserved")


def test_approvals_waiting_longer_than_the_threshold(
    org, people, tray, purchase_rules, run_jobs, api
):
    request = tray.submit(org, tray.new(amount="100", number="CG-7"), people.peter).request
    run_jobs(scan_all_organizations)
    assert open_keys(org, "workflow.approval_waiting") == []
    ApprovalRequest.objects.filter(pk=request.pk).update(
        waiting_since=timezone.now() - datetime.timedelta(hours=30)
    )
    run_jobs(scan_all_organizations)
    assert open_keys(org, "workflow.approval_waiting") == [f"{request.pk}:0"]
    alert = Alert.objects.get(kind="workflow.approval_waiting")
    assert "CG-7" in alert.title
    assert alert.link == f"/workflow/approvals/{request.pk}"
    changed = api.patch(f"{KINDS}workflow.approval_waiting/", {"threshold": 48}, format="json")
    assert changed.json()["threshold"] == 48, changed.content
    run_jobs(scan_all_organizations)
    assert open_keys(org, "workflow.approval_waiting") == []  # 30 hours is within 48 now


def test_inventory_registers_low_stock_excess_and_expiring_lots(org, people, run_jobs, api):
    stock = Stock(org)
    low = stock.product("LOW", safety_stock=Decimal(5), reorder_point=Decimal(10))
    full = stock.product("MAX", max_stock=Decimal(20))
    lotted = stock.product("LOT", tracking="lot")
    soon = get_or_create_lot(product=lotted, code="L-SOON",
                             expiry_date=timezone.localdate() + datetime.timedelta(days=10))  # fmt: skip
    stock.receive(low, 8, 1)
    stock.receive(full, 25, 1)
    stock.receive(lotted, 3, 1, lot=soon)
    run_jobs(scan_all_organizations)
    assert open_keys(org, "inventory.low_stock") == [f"{low.pk}:{stock.wh1.pk}"]
    assert open_keys(org, "inventory.above_maximum") == [f"{full.pk}:{stock.wh1.pk}"]
    assert open_keys(org, "inventory.expiring_lots") == [f"{soon.pk}:{stock.wh1.pk}"]
    stock.receive(low, 10, 1)  # back above the reorder point
    api.patch(f"{KINDS}inventory.expiring_lots/", {"threshold": 5}, format="json")
    run_jobs(scan_all_organizations)
    assert open_keys(org, "inventory.low_stock") == []
    assert open_keys(org, "inventory.expiring_lots") == []  # 10 days left, alert within 5


def test_finance_registers_overdue_receivables(org, people, run_jobs):
    customer = make_partner(org, "C1", "客户甲", is_customer=True)
    today = timezone.localdate()
    ar.book_other_item(
        organization=org, kind="receivable", partner=customer, amount=Decimal("1200.00"),
        counter_account=account(org, "5001"), date=today - datetime.timedelta(days=40),
        due_date=today - datetime.timedelta(days=10),
    )  # fmt: skip
    run_jobs(scan_all_organizations)
    alert = Alert.objects.get(kind="finance.overdue_receivables", cleared_at__isnull=True)
    assert alert.key == f"partner:{customer.pk}"
    assert "客户甲" in alert.title
    assert "1200" in alert.detail
    told = set(Notification.objects.filter(event_type="alert.finance.overdue_receivables")
               .values_list("recipient__username", flat=True))  # fmt: skip
    assert "fiona" in told
    assert "peter" not in told


# --- the API ---------------------------------------------------------------------------------


def test_alerts_list_filters_and_acknowledge(org, people, sensor, run_jobs):
    sensor.now = [Occurrence("a", "A"), Occurrence("b", "B")]
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    sensor.now = [Occurrence("b", "B")]
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    peter = client_for(people.peter, org)
    assert [r["key"] for r in peter.get(ALERTS, {"state": "open"}).json()["results"]] == ["b"]
    assert [r["key"] for r in peter.get(ALERTS, {"state": "cleared"}).json()["results"]] == ["a"]
    assert peter.get(ALERTS, {"kind": "test.sensor"}).json()["count"] == 2
    assert peter.get(ALERTS, {"kind": "inventory.low_stock"}).json()["count"] == 0
    assert_error(peter.get(ALERTS, {"state": "sideways"}), 400, field="state")
    b = Alert.objects.get(key="b")
    acked = peter.post(f"{ALERTS}{b.pk}/acknowledge/").json()
    assert (acked["acknowledged_by_name"], acked["is_open"], acked["kind_label"]) == (
        "Peter",
        True,
        "Sensor",
    )
    assert peter.get(ALERTS, {"acknowledged": False}).json()["count"] == 1


def test_a_member_sees_only_the_alert_kinds_their_roles_allow(org, people, sensor, run_jobs):
    sensor.now = [Occurrence("a", "A")]
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    sally = client_for(people.sally, org)  # views sales only
    assert sally.get(ALERTS).json()["count"] == 0
    assert_error(sally.post(f"{ALERTS}{Alert.objects.get().pk}/acknowledge/"), 404)
    kinds = {k["code"] for k in client_for(people.peter, org).get(KINDS).json()}
    assert {"test.sensor", "inventory.low_stock"} <= kinds
    assert "finance.overdue_receivables" not in kinds


def test_alert_kinds_list_their_settings_and_bad_changes_are_refused(api, org, people):
    kinds = {k["code"]: k for k in api.get(KINDS).json()}
    waiting = kinds["workflow.approval_waiting"]
    assert (waiting["threshold"], waiting["default_threshold"], waiting["is_enabled"]) == (
        24,
        24,
        True,
    )
    assert waiting["threshold_label"] == "hours waiting"
    assert_error(
        api.patch(f"{KINDS}no.such.kind/", {"threshold": 1}, format="json"), 400, field="code"
    )
    assert_error(api.patch(f"{KINDS}workflow.approval_waiting/", {"threshold": -1}, format="json"),
                 400, field="threshold")  # fmt: skip
    assert_error(api.patch(f"{KINDS}inventory.low_stock/", {"threshold": 3}, format="json"),
                 400, field="threshold")  # fmt: skip
    mary = client_for(people.mary, org)  # views workflow, does not configure it
    assert_error(
        mary.patch(f"{KINDS}workflow.approval_waiting/", {"threshold": 1}, format="json"), 403
    )
    assert api.get(KINDS).json() == list(kinds.values())  # nothing changed


def test_a_kind_turned_off_raises_nothing_and_clears_what_was_open(
    api, org, people, sensor, run_jobs
):
    sensor.now = [Occurrence("a", "A")]
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    api.patch(f"{KINDS}test.sensor/", {"is_enabled": False}, format="json")
    run_jobs(scan_kind, organization=org, kind=sensor.kind)
    assert open_keys(org, "test.sensor") == []


def test_alerts_and_settings_of_another_organization_are_hidden(
    api, other_api, org, other_org, sensor, run_jobs
):
    sensor.now = [Occurrence("a", "A")]
    run_jobs(scan_kind, organization=other_org, kind=sensor.kind)
    assert_other_organization_hidden(api, ALERTS, Alert.objects.get(organization=other_org))
    assert_error(api.post(f"{ALERTS}{Alert.objects.get().pk}/acknowledge/"), 404)
    other_api.patch(f"{KINDS}workflow.approval_waiting/", {"threshold": 2}, format="json")
    mine = {k["code"]: k for k in api.get(KINDS).json()}
    assert mine["workflow.approval_waiting"]["threshold"] == 24
    assert mine["test.sensor"]["open_alerts"] == 0
