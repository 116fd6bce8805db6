"""Outbound webhooks: endpoints, the deliveries of each event, sending with retries.

Each delivery is a job. Attempt n claims the delivery (``attempts`` n − 1 → n, status
``sending``) with one conditional update, so a job run twice sends once; a network error, a
timeout or a 5xx schedules attempt n + 1 after ``settings.JXC_WEBHOOK_RETRY_DELAYS[n − 1]``
seconds (10, 20, 40, 80 by default: five attempts in all); a 2xx ends it delivered, any other
answer failed. A periodic job picks up retries whose job was lost (a restarted process).
"""

import datetime
import json
import secrets
import urllib.parse
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.workflow import webhook_transport
from jxc.workflow.domain.signing import signature
from jxc.workflow.event_types import WEBHOOK_TEST, event_type
from jxc.workflow.models import WebhookDelivery, WebhookEndpoint

Status = WebhookDelivery.Status
LOST_AFTER = datetime.timedelta(minutes=2)  # a due retry no job has picked up by then
STUCK_AFTER = datetime.timedelta(minutes=10)  # an attempt that never recorded its outcome
USER_AGENT = "JXC-Webhooks/1"


# --- endpoints -------------------------------------------------------------------------------


@transaction.atomic
def save_endpoint(*, organization, data: dict, endpoint: WebhookEndpoint | None = None):
    """Create or change an endpoint; ``url`` must be http(s), ``event_types`` registered."""
    endpoint = endpoint or WebhookEndpoint(organization=organization)
    if "url" in data:
        endpoint.url = checked_url(data["url"])
    if "event_types" in data:
        endpoint.event_types = checked_event_types(data["event_types"])
    for name in ("name", "is_active"):
        if name in data:
            setattr(endpoint, name, data[name])
    if data.get("secret"):
        endpoint.secret = data["secret"]
    if not endpoint.secret:
        endpoint.secret = secrets.token_hex(32)
    if not endpoint.url:
        raise ValidationFailed(_("This field is required."), field="url")
    endpoint.save()
    return endpoint


def checked_url(url) -> str:
    parts = urllib.parse.urlsplit(url if isinstance(url, str) else "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(
            _("Enter an http:// or https:// address."), field="url", code="invalid_url"
        )
    return url.strip()


def checked_event_types(codes) -> list[str]:
    if not isinstance(codes, list) or not codes:
        raise ValidationFailed(_("Choose at least one event type."), field="event_types")
    for code in codes:
        event_type(code, field="event_types")
    return sorted(set(codes))


# --- deliveries ------------------------------------------------------------------------------


def queue_deliveries(*, organization_id: int, event_type: str, data: dict) -> list:
    """A delivery of the event to every active endpoint of the organization that subscribes
    to it; each is sent by a job once the transaction commits."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(organization_id=organization_id, is_active=True)
        if event_type in e.event_types
    ]
    if not endpoints:
        return []
    body = event_body(organization_id, event_type, data)
    event_id = uuid.UUID(json.loads(body)["id"])
    return [_queue(endpoint, event_id, event_type, body) for endpoint in endpoints]


def event_body(organization_id: int, event_type: str, data: dict) -> str:
    organization = Organization.objects.get(pk=organization_id)
    return json.dumps(
        {
            "id": str(uuid.uuid4()),
            "type": event_type,
            "created_at": timezone.now().isoformat(),
            "organization": {
                "id": organization.pk,
                "code": organization.code,
                "name": organization.name,
            },
            "data": data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def _queue(endpoint, event_id, event_type: str, body: str, resent_from=None) -> WebhookDelivery:
    delivery = WebhookDelivery.objects.create(
        organization_id=endpoint.organization_id,
        endpoint=endpoint,
        event_id=event_id,
        event_type=event_type,
        body=body,
        resent_from=resent_from,
    )
    jobs.enqueue("workflow.deliver_webhook", delivery_id=delivery.pk, attempt=1)
    return delivery


@transaction.atomic
def resend(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a logged delivery again, as a new delivery of the same event (same id and body,
    so a receiver that already has it can tell)."""
    return _queue(delivery.endpoint, delivery.event_id, delivery.event_type, delivery.body,
                  resent_from=delivery)  # fmt: skip


@transaction.atomic
def send_test_event(*, endpoint: WebhookEndpoint, user) -> WebhookDelivery:
    """A ``webhook.test`` event to this endpoint only, whatever it subscribes to."""
    data = {"message": "JXC test event", "requested_by": getattr(user, "username", "")}
    body = event_body(endpoint.organization_id, WEBHOOK_TEST, data)
    return _queue(endpoint, uuid.UUID(json.loads(body)["id"]), WEBHOOK_TEST, body)


# --- sending ---------------------------------------------------------------------------------


@jobs.job("workflow.deliver_webhook")
def deliver_webhook(*, delivery_id: int, attempt: int) -> None:
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, attempts=attempt - 1, status__in=(Status.PENDING, Status.RETRYING)
    ).update(status=Status.SENDING, attempts=attempt, last_attempt_at=now, next_retry_at=None)
    if not claimed:
        return  # already sent, or another run of this job has it
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    outcome = webhook_transport.post(
        delivery.endpoint.url,
        delivery.body.encode(),
        signed_headers(delivery, now),
        timeout=settings.JXC_WEBHOOK_TIMEOUT,
    )
    record_outcome(delivery, outcome)


def signed_headers(delivery: WebhookDelivery, now: datetime.datetime) -> dict:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-JXC-Event": delivery.event_type,
        "X-JXC-Event-Id": str(delivery.event_id),
        "X-JXC-Delivery": str(delivery.pk),
        "X-JXC-Timestamp": str(int(now.timestamp())),
        "X-JXC-Signature": signature(delivery.endpoint.secret, delivery.body.encode()),
    }


def record_outcome(delivery: WebhookDelivery, outcome) -> None:
    delays = settings.JXC_WEBHOOK_RETRY_DELAYS
    retry = not outcome.delivered and outcome.worth_retrying and delivery.attempts <= len(delays)
    delay = delays[delivery.attempts - 1] if retry else 0
    status = Status.RETRYING if retry else Status.FAILED
    if outcome.delivered:
        status = Status.SUCCEEDED
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk, status=Status.SENDING).update(
        status=status,
        response_code=outcome.status,
        response_body=outcome.body,
        error=outcome.error,
        next_retry_at=now + datetime.timedelta(seconds=delay) if retry else None,
        delivered_at=now if outcome.delivered else None,
    )
    if retry:
        jobs.enqueue(
            "workflow.deliver_webhook", delay=delay, delivery_id=delivery.pk,
            attempt=delivery.attempts + 1,
        )  # fmt: skip


@jobs.periodic("workflow.retry_webhooks", every=datetime.timedelta(minutes=1))
def retry_lost_deliveries() -> None:
    """Hand over again the deliveries whose job was lost: pending or due for a retry well past
    their time, or stuck in ``sending`` (the process died mid-attempt)."""
    now = timezone.now()
    WebhookDelivery.objects.filter(status=Status.SENDING, last_attempt_at__lt=now - STUCK_AFTER
                                   ).update(status=Status.RETRYING, next_retry_at=now,
                                            error=_("The attempt was interrupted."))  # fmt: skip
    due = (
        WebhookDelivery.objects.filter(status__in=(Status.PENDING, Status.RETRYING))
        .annotate(due_at=Coalesce("next_retry_at", "created_at"))
        .filter(Q(due_at__lt=now - LOST_AFTER))
        .values_list("pk", "attempts")[:500]
    )
    for delivery_id, attempts in due:
        jobs.enqueue("workflow.deliver_webhook", delivery_id=delivery_id, attempt=attempts + 1)
