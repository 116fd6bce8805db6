"""Outbound webhooks against a local HTTP receiver: signed JSON bodies, retries with backoff
after a 5xx or a network error, the delivery log, re-send, the test event; bad input,
permissions, Idempotency-Key and organization isolation of the API."""

import datetime
import hashlib
import hmac
import socket
import threading

import pytest
from django.utils import timezone

from jxc.workflow.domain.signing import is_valid_signature
from jxc.workflow.models import WebhookDelivery, WebhookEndpoint
from jxc.workflow.services.approvals import approve
from jxc.workflow.services.notifications import Announcement, announce
from jxc.workflow.services.webhooks import deliver_webhook, retry_lost_deliveries
from tests.conftest import client_for
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.workflow.receiver import Receiver

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"
DELIVERIES = "/api/v1/webhook-deliveries/"
SECRET = "s3cret-for-the-receiver-0123456789"


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.close()


@pytest.fixture
def run_jobs(settings, django_capture_on_commit_callbacks):
    settings.JXC_JOBS_BACKEND = "inline"
    settings.JXC_WEBHOOK_RETRY_DELAYS = [0, 0, 0, 0]  # five attempts, no waiting

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def endpoint(org, url, event_types=("approval.approved",), **extra):
    return WebhookEndpoint.objects.create(
        organization=org, name="ERP", url=url, event_types=list(event_types), secret=SECRET,
        **extra,
    )  # fmt: skip


def announce_approved(org, people, data=None):
    return announce(
        Announcement(
            event_type="approval.approved", organization_id=org.pk,
            recipients=(people.peter.pk,), title="Approved", data=data or {"n": 1},
        )
    )  # fmt: skip


def test_an_approval_is_posted_signed_to_the_subscribed_endpoint(
    org, people, tray, purchase_rules, receiver, run_jobs
):
    hook = endpoint(org, receiver.url)
    endpoint(org, receiver.url, event_types=("approval.rejected",))  # not subscribed
    request = run_jobs(
        tray.submit, org, tray.new(amount="100", number="CG-9"), people.peter
    ).request
    run_jobs(approve, request=request, user=people.mary)
    (got,) = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), got.body, hashlib.sha256).hexdigest()
    assert got.headers["X-JXC-Signature"] == expected
    assert is_valid_signature(SECRET, got.body, got.headers["X-JXC-Signature"])
    assert not is_valid_signature("another secret", got.body, got.headers["X-JXC-Signature"])
    body = got.json
    assert got.headers["X-JXC-Event-Id"] == body["id"]
    assert got.headers["X-JXC-Event"] == body["type"] == "approval.approved"
    assert abs(int(got.headers["X-JXC-Timestamp"]) - timezone.now().timestamp()) < 60
    assert body["organization"] == {"id": org.pk, "code": "ACME", "name": "甲公司"}
    assert body["data"]["document_number"] == "CG-9"
    assert body["data"]["state"] == "approved"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.endpoint, delivery.status, delivery.attempts, delivery.response_code) == (
        hook, "succeeded", 1, 200,
    )  # fmt: skip
    assert delivery.response_body.startswith("answer 200 ")
    assert len(delivery.response_body) == 2048  # the first 2 KB


def test_a_500_is_retried_and_the_log_follows(org, people, receiver, run_jobs):
    endpoint(org, receiver.url)
    receiver.script = [500, 503]
    run_jobs(announce_approved, org, people)
    assert len(receiver.received) == 3
    assert len({r.headers["X-JXC-Event-Id"] for r in receiver.received}) == 1
    assert len({r.body for r in receiver.received}) == 1  # the same signed body each time
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 3, 200)
    assert delivery.next_retry_at is None
    assert delivery.delivered_at is not None


def test_delivery_gives_up_after_five_attempts(org, people, receiver, run_jobs):
    endpoint(org, receiver.url)
    receiver.script = [500] * 10
    run_jobs(announce_approved, org, people)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 5, 500)
    assert len(receiver.received) == 5


def test_a_client_error_is_not_retried(org, people, receiver, run_jobs):
    endpoint(org, receiver.url)
    receiver.script = [410]
    run_jobs(announce_approved, org, people)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, 410)


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/"


def test_a_network_error_waits_for_the_next_attempt_with_backoff(org, people, run_jobs, settings):
    endpoint(org, closed_port_url())
    settings.JXC_WEBHOOK_RETRY_DELAYS = [3600, 7200]
    run_jobs(announce_approved, org, people)
    for timer in threading.enumerate():  # the retry waits in a timer: not for this test
        if timer.name == "job-workflow.deliver_webhook" and hasattr(timer, "cancel"):
            timer.cancel()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("retrying", 1, None)
    assert delivery.error
    wait = (delivery.next_retry_at - delivery.last_attempt_at).total_seconds()
    assert 3590 < wait < 3610


def test_a_job_run_twice_sends_once(org, people, receiver, run_jobs):
    endpoint(org, receiver.url)
    run_jobs(announce_approved, org, people)
    deliver_webhook(delivery_id=WebhookDelivery.objects.get().pk, attempt=1)
    assert len(receiver.received) == 1


def test_lost_retries_are_picked_up(org, people, receiver, run_jobs):
    hook = endpoint(org, receiver.url)
    past = timezone.now() - datetime.timedelta(minutes=30)
    delivery = WebhookDelivery.objects.create(
        organization=org, endpoint=hook, event_id="6f1e3b8e-1f6a-4c55-9d4e-0c1c5b7a8e21",
        event_type="approval.approved", body='{"id":"x"}', status="retrying", attempts=1,
        next_retry_at=past,
    )  # fmt: skip
    run_jobs(retry_lost_deliveries)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)


# --- the API ---------------------------------------------------------------------------------


def test_an_administrator_manages_webhooks_and_sends_a_test_event(api, org, receiver, run_jobs):
    created = api.post(
        HOOKS, {"name": "ERP", "url": receiver.url, "event_types": ["approval.approved"]},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    hook = created.json()
    assert len(hook["secret"]) == 64  # generated
    sent = run_jobs(api.post, f"{HOOKS}{hook['id']}/send-test/")
    assert sent.status_code == 202, sent.content
    (got,) = receiver.received
    assert got.json["type"] == "webhook.test"
    assert is_valid_signature(hook["secret"], got.body, got.headers["X-JXC-Signature"])
    log = api.get(DELIVERIES, {"endpoint": hook["id"]}).json()["results"]
    assert [(row["event_type"], row["status"], row["response_code"]) for row in log] == [
        ("webhook.test", "succeeded", 200)
    ]
    changed = api.patch(f"{HOOKS}{hook['id']}/", {"is_active": False}, format="json")
    assert changed.json()["is_active"] is False
    assert api.delete(f"{HOOKS}{hook['id']}/").status_code == 204


def test_the_secret_is_shown_only_in_the_answer_to_the_write_that_set_it(api, org):
    created = api.post(
        HOOKS, {"name": "ERP", "url": "https://erp.example.com/in",
                "event_types": ["approval.approved"]},
        format="json",
    ).json()  # fmt: skip
    assert len(created["secret"]) == 64
    path = f"{HOOKS}{created['id']}/"
    assert "secret" not in api.get(path).json()
    assert all("secret" not in row for row in api.get(HOOKS).json()["results"])
    assert "secret" not in api.patch(path, {"name": "ERP 2"}, format="json").json()
    replaced = api.patch(path, {"secret": "n" * 40}, format="json").json()
    assert replaced["secret"] == "n" * 40
    assert WebhookEndpoint.objects.get(pk=created["id"]).secret == "n" * 40


def test_a_delivery_can_be_sent_again(api, org, people, receiver, run_jobs):
    endpoint(org, receiver.url)
    receiver.script = [400]
    run_jobs(announce_approved, org, people)
    failed = WebhookDelivery.objects.get()
    assert failed.status == "failed"
    resent = run_jobs(api.post, f"{DELIVERIES}{failed.pk}/resend/")
    assert resent.status_code == 202, resent.content
    again = WebhookDelivery.objects.get(pk=resent.json()["id"])
    assert (again.status, again.resent_from, again.event_id) == (
        "succeeded",
        failed,
        failed.event_id,
    )
    assert receiver.received[0].body == receiver.received[1].body


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"url": "ftp://example.com/hook"}, "url"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "example.com/hook"}, "url"),
        ({"url": "http://"}, "url"),
        ({"event_types": ["no.such.event"]}, "event_types"),
        ({"event_types": []}, "event_types"),
        ({"event_types": "approval.approved"}, "event_types"),
        ({"secret": "short"}, "secret"),
    ],
)
def test_bad_webhooks_are_refused_naming_the_field(api, change, field):
    body = {
        "name": "ERP",
        "url": "https://erp.example.com/hook",
        "event_types": ["approval.approved"],
    }
    assert_error(api.post(HOOKS, {**body, **change}, format="json"), 400, field=field)
    assert not WebhookEndpoint.objects.exists()


def test_a_bad_change_leaves_the_webhook_unchanged(api, org):
    hook = endpoint(org, "https://erp.example.com/hook")
    assert_error(
        api.patch(f"{HOOKS}{hook.pk}/", {"url": "ftp://x"}, format="json"), 400, field="url"
    )
    hook.refresh_from_db()
    assert hook.url == "https://erp.example.com/hook"


def test_only_those_who_configure_workflow_manage_webhooks(org, people):
    hook = endpoint(org, "https://erp.example.com/hook")
    mary = client_for(people.mary, org)  # a manager views workflow but does not configure it
    assert_error(mary.get(HOOKS), 403)
    assert_error(mary.post(f"{HOOKS}{hook.pk}/send-test/"), 403)
    assert_error(mary.get(DELIVERIES), 403)


def test_webhooks_and_deliveries_of_another_organization_are_hidden(api, other_org, run_jobs):
    hook = endpoint(other_org, "https://erp.example.com/hook", is_active=False)
    assert_other_organization_hidden(api, HOOKS, hook, update={"url": "https://evil.example/"})
    delivery = WebhookDelivery.objects.create(
        organization=other_org, endpoint=hook, event_id="6f1e3b8e-1f6a-4c55-9d4e-0c1c5b7a8e21",
        event_type="approval.approved", body="{}",
    )  # fmt: skip
    assert_other_organization_hidden(api, DELIVERIES, delivery)
    assert_error(run_jobs(api.post, f"{DELIVERIES}{delivery.pk}/resend/"), 404)
    assert_error(api.post(f"{HOOKS}{hook.pk}/send-test/"), 404)
    assert WebhookDelivery.objects.count() == 1


def test_creating_a_webhook_twice_with_one_idempotency_key_stores_one(api):
    body = {
        "name": "ERP",
        "url": "https://erp.example.com/hook",
        "event_types": ["approval.approved"],
    }
    first = api.post(HOOKS, body, format="json", HTTP_IDEMPOTENCY_KEY="hook-1")
    second = api.post(HOOKS, body, format="json", HTTP_IDEMPOTENCY_KEY="hook-1")
    assert first.status_code == second.status_code == 201
    assert WebhookEndpoint.objects.count() == 1


def test_the_event_types_an_endpoint_may_subscribe_to_are_listed(api):
    codes = {row["code"] for row in api.get(f"{HOOKS}event-types/").json()}
    assert {"approval.requested", "approval.approved", "alert.inventory.low_stock"} <= codes
