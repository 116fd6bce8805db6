"""Notifications: approval events reach the approvers and the submitter in their inbox, in
their language; preferences per event type and channel; e-mail through SMTP when configured,
sent once; the inbox API (unread count, mark read) and its bad input and isolation."""

import pytest
from django.core import mail

from jxc.core.models import User
from jxc.workflow.models import Notification, NotificationPreference
from jxc.workflow.services.approvals import approve, reject, withdraw
from jxc.workflow.services.notifications import email_notification
from tests.conftest import client_for
from tests.helpers import assert_error, assert_other_organization_hidden

pytestmark = pytest.mark.django_db

INBOX = "/api/v1/notifications/"
PREFERENCES = "/api/v1/notification-preferences/"


@pytest.fixture
def run_jobs(settings, django_capture_on_commit_callbacks):
    """Jobs and event handlers run in this thread when the (captured) transaction commits."""
    settings.JXC_JOBS_BACKEND = "inline"

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def english(people):
    User.objects.update(language="en")
    for name in ("peter", "mary", "fiona", "frank"):
        getattr(people, name).refresh_from_db()


def titles(user):
    return list(
        Notification.objects.filter(recipient=user, in_app=True)
        .order_by("id")
        .values_list("event_type", "title")
    )


def test_submitting_tells_the_awaiting_approvers_and_deciding_tells_the_submitter(
    org, people, tray, purchase_rules, run_jobs, english
):
    ref = tray.new(amount="90000", number="CG-0001")
    request = run_jobs(tray.submit, org, ref, people.peter).request
    assert titles(people.mary) == [
        ("approval.requested", "Approval requested: Test purchase order CG-0001")
    ]
    assert titles(people.fiona) == []  # finance is the second level: not yet
    run_jobs(approve, request=request, user=people.mary)
    assert (
        titles(people.fiona)
        == titles(people.frank)
        == [("approval.requested", "Approval requested: Test purchase order CG-0001")]
    )
    run_jobs(reject, request=request, user=people.frank, comment="价格太高")
    ((event_type, title),) = titles(people.peter)
    assert (event_type, title) == ("approval.rejected", "Rejected: Test purchase order CG-0001")
    body = Notification.objects.get(recipient=people.peter).body
    assert "价格太高" in body
    assert "Frank" in body
    notification = Notification.objects.get(recipient=people.peter)
    assert (notification.document_type, notification.document_id) == (ref.type, ref.id)
    assert notification.link == f"/workflow/approvals/{request.pk}"


def test_approval_and_withdrawal_are_told(org, people, tray, purchase_rules, run_jobs, english):
    small = tray.new(amount="100", number="CG-0002")
    request = run_jobs(tray.submit, org, small, people.peter).request
    run_jobs(approve, request=request, user=people.mary)
    assert titles(people.peter) == [("approval.approved", "Approved: Test purchase order CG-0002")]
    other = tray.new(amount="200", number="CG-0003")
    request = run_jobs(tray.submit, org, other, people.peter).request
    run_jobs(withdraw, request=request, user=people.peter)
    assert titles(people.mary)[-1] == (
        "approval.withdrawn",
        "Withdrawn: Test purchase order CG-0003",
    )


def test_notifications_are_written_in_the_recipients_language(
    org, people, tray, purchase_rules, run_jobs
):
    User.objects.filter(pk=people.mary.pk).update(language="zh-hans")
    run_jobs(tray.submit, org, tray.new(amount="100", number="CG-0004"), people.peter)
    ((_type, title),) = titles(people.mary)
    assert title.startswith("待审批")


def test_a_user_who_turned_an_event_off_is_not_told(org, people, tray, purchase_rules, run_jobs):
    NotificationPreference.objects.create(
        organization=org, user=people.mary, event_type="approval.requested",
        channel="in_app", enabled=False,
    )  # fmt: skip
    run_jobs(tray.submit, org, tray.new(amount="100"), people.peter)
    assert not Notification.objects.filter(recipient=people.mary).exists()


def test_email_goes_out_only_when_smtp_is_configured_and_the_user_wants_it(
    org, people, tray, purchase_rules, run_jobs, settings, english
):
    User.objects.filter(pk=people.mary.pk).update(email="mary@example.com")
    NotificationPreference.objects.create(
        organization=org, user=people.mary, event_type="approval.requested",
        channel="email", enabled=True,
    )  # fmt: skip
    settings.EMAIL_HOST = ""
    run_jobs(tray.submit, org, tray.new(amount="100", number="CG-0005"), people.peter)
    assert mail.outbox == []  # not configured: no e-mail, no error
    assert Notification.objects.get(recipient=people.mary).email_state == ""

    settings.EMAIL_HOST, settings.JXC_PUBLIC_URL = "smtp.example.com", "https://jxc.example.com"
    run_jobs(tray.submit, org, tray.new(amount="100", number="CG-0006"), people.peter)
    (message,) = mail.outbox
    assert message.to == ["mary@example.com"]
    assert message.subject == "[甲公司] Approval requested: Test purchase order CG-0006"
    assert "https://jxc.example.com/workflow/approvals/" in message.body
    emailed = Notification.objects.get(recipient=people.mary, title__endswith="CG-0006")
    assert emailed.email_state == "sent"
    email_notification(notification_id=emailed.pk)  # the job run again sends nothing more
    assert len(mail.outbox) == 1


def test_email_only_is_not_shown_in_the_inbox(
    org, people, tray, purchase_rules, run_jobs, settings
):
    settings.EMAIL_HOST = "smtp.example.com"
    User.objects.filter(pk=people.mary.pk).update(email="mary@example.com")
    for channel, enabled in (("in_app", False), ("email", True)):
        NotificationPreference.objects.create(
            organization=org, user=people.mary, event_type="approval.requested",
            channel=channel, enabled=enabled,
        )  # fmt: skip
    run_jobs(tray.submit, org, tray.new(amount="100"), people.peter)
    assert len(mail.outbox) == 1
    assert client_for(people.mary, org).get(INBOX).json()["count"] == 0


# --- the inbox API ---------------------------------------------------------------------------


def notify(org, user, title="T", **extra):
    return Notification.objects.create(
        organization=org, recipient=user, event_type="approval.approved", title=title, **extra
    )


def test_the_inbox_lists_the_users_own_notifications_with_the_unread_count(org, people):
    mine = [notify(org, people.mary, f"n{i}") for i in range(3)]
    notify(org, people.peter, "not mine")
    mary = client_for(people.mary, org)
    listed = mary.get(INBOX).json()
    assert [row["title"] for row in listed["results"]] == ["n2", "n1", "n0"]
    assert mary.get(f"{INBOX}unread-count/").json() == {"unread": 3}
    marked = mary.post(f"{INBOX}mark-read/", {"ids": [mine[0].pk, mine[1].pk]}, format="json")
    assert marked.json() == {"marked": 2, "unread": 1}
    assert mary.get(INBOX, {"read_at__isnull": True}).json()["count"] == 1
    assert mary.post(f"{INBOX}mark-all-read/").json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(recipient=people.peter).read_at is None


def test_marking_someone_elses_notification_is_refused_and_nothing_is_marked(
    org, other_org, people, other_admin
):
    mine = notify(org, people.mary)
    peters = notify(org, people.peter)
    foreign = notify(other_org, other_admin)
    mary = client_for(people.mary, org)
    for ids in ([mine.pk, peters.pk], [mine.pk, foreign.pk], [mine.pk, 999999], []):
        response = mary.post(f"{INBOX}mark-read/", {"ids": ids}, format="json")
        assert_error(response, 400, field="ids")
    assert_error(mary.post(f"{INBOX}mark-read/", {"ids": "x"}, format="json"), 400, field="ids")
    assert not Notification.objects.filter(read_at__isnull=False).exists()


def test_notifications_of_another_organization_or_user_are_hidden(
    api, org, other_org, other_admin, people
):
    assert_other_organization_hidden(api, INBOX, notify(other_org, other_admin))
    assert_error(api.get(f"{INBOX}{notify(org, people.peter).pk}/"), 404)


def test_marking_read_honours_the_idempotency_key(org, people):
    notify(org, people.mary)
    mary = client_for(people.mary, org)
    first = mary.post(f"{INBOX}mark-all-read/", HTTP_IDEMPOTENCY_KEY="k1")
    notify(org, people.mary)
    again = mary.post(f"{INBOX}mark-all-read/", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.json() == first.json() == {"marked": 1, "unread": 0}
    assert again["Idempotent-Replayed"] == "true"


# --- preferences -----------------------------------------------------------------------------


def test_preferences_default_to_in_app_only_and_can_be_changed(org, people):
    peter = client_for(people.peter, org)
    rows = {row["event_type"]: row for row in peter.get(PREFERENCES).json()}
    assert rows["approval.rejected"] == {
        "event_type": "approval.rejected", "label": "Your document was rejected",
        "in_app": True, "email": False,
    }  # fmt: skip
    assert "alert.inventory.low_stock" in rows  # a purchaser may view inventory
    assert "alert.finance.overdue_receivables" not in rows  # … not finance
    changed = peter.patch(f"{PREFERENCES}approval.rejected/", {"email": True}, format="json")
    assert changed.json()["email"] is True
    assert changed.json()["in_app"] is True
    rows = {row["event_type"]: row for row in peter.get(PREFERENCES).json()}
    assert rows["approval.rejected"]["email"] is True
    mary_rows = {r["event_type"]: r for r in client_for(people.mary, org).get(PREFERENCES).json()}
    assert mary_rows["approval.rejected"]["email"] is False  # per user


@pytest.mark.parametrize(
    ("event_type", "body", "field"),
    [
        ("no.such.event", {"email": True}, "event_type"),
        ("alert.finance.overdue_receivables", {"email": True}, "event_type"),  # not allowed
        ("approval.rejected", {"email": "sometimes"}, "email"),
    ],
)
def test_bad_preference_changes_are_refused(org, people, event_type, body, field):
    peter = client_for(people.peter, org)
    response = peter.patch(f"{PREFERENCES}{event_type}/", body, format="json")
    assert_error(response, 400, field=field)
    assert not NotificationPreference.objects.exists()


def test_preferences_are_per_organization(org, other_org, people, roles):
    from tests.conftest import make_member

    make_member(other_org, "peter", "purchaser", roles_by_code=roles)
    client_for(people.peter, org).patch(f"{PREFERENCES}approval.rejected/", {"in_app": False},
                                        format="json")  # fmt: skip
    elsewhere = client_for(people.peter, other_org).get(PREFERENCES).json()
    assert {r["event_type"]: r for r in elsewhere}["approval.rejected"]["in_app"] is True
    assert NotificationPreference.objects.get().organization == org
