"""``Idempotency-Key`` on POST: a retried request never writes twice.

The first request with a key stores its response; the same key with the same body gets that
response again (header ``Idempotent-Replayed: true``) without running the view; the same key with
another body answers 409. Keys are scoped to the caller (the API token, or the session's user), so
two callers cannot see each other's responses. A key whose first request is still running answers
409 as well; one that crashed (5xx) is forgotten so the client may retry.
"""

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 128
STALE_AFTER = timedelta(minutes=5)
KEEP_FOR = timedelta(days=1)
REPLAYABLE = {200, 201, 202, 204, 400, 404, 409, 422}


def _error(message, status):
    return JsonResponse(
        {"code": "idempotency_conflict", "message": message, "fields": {}}, status=status
    )


def _principal(request) -> str | None:
    authorization = request.headers.get("Authorization", "")
    if authorization:
        return "a:" + hashlib.sha256(authorization.encode()).hexdigest()[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return None


def _request_hash(request) -> str:
    digest = hashlib.sha256()
    digest.update(request.path.encode())
    digest.update(b"\0")
    digest.update(request.headers.get("X-Organization", "").encode())
    digest.update(b"\0")
    digest.update(_comparable_body(request))
    return digest.hexdigest()


def _comparable_body(request) -> bytes:
    """The body, with a multipart body's boundary (a client picks a new one for each send of
    the same form) left out, so that a retried upload is the same request."""
    body = request.body
    content_type = request.headers.get("Content-Type", "")
    if content_type.lower().startswith("multipart/"):
        boundary = _multipart_boundary(content_type)
        if boundary:
            body = body.replace(boundary, b"")
    return body


def _multipart_boundary(content_type: str) -> bytes | None:
    for part in content_type.split(";")[1:]:
        name, _sep, value = part.strip().partition("=")
        if name.lower() == "boundary" and value.strip('"'):
            return value.strip('"').encode("latin-1", "ignore")
    return None


class IdempotencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = request.headers.get(HEADER)
        if request.method != "POST" or not key or not request.path.startswith("/api/"):
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return JsonResponse(
                {
                    "code": "validation_error",
                    "message": _("The Idempotency-Key header is too long."),
                    "fields": {HEADER: [_("At most 128 characters.")]},
                },
                status=400,
            )
        principal = _principal(request)
        if principal is None:
            return self.get_response(request)
        return self._once(request, principal, key)

    def _once(self, request, principal, key):
        from jxc.core.models import IdempotencyRecord

        request_hash = _request_hash(request)
        record, early = self._claim(IdempotencyRecord, principal, key, request_hash)
        if early is not None:
            return early
        response = self.get_response(request)
        if response.status_code in REPLAYABLE and not response.streaming:
            record.completed = True
            record.status_code = response.status_code
            record.content_type = response.get("Content-Type", "")
            record.body = bytes(response.content)
            record.save(update_fields=["completed", "status_code", "content_type", "body"])
        else:
            record.delete()
        return response

    def _claim(self, model, principal, key, request_hash):
        """Insert the pending record, or return the response an earlier request decides."""
        for _attempt in range(2):
            try:
                with transaction.atomic():
                    record = model.objects.create(
                        principal=principal, key=key, request_hash=request_hash
                    )
                return record, None
            except IntegrityError:
                existing = model.objects.filter(principal=principal, key=key).first()
                if existing is None:
                    continue  # deleted meanwhile (the first request failed): try again
                if existing.request_hash != request_hash:
                    return None, _error(
                        _("This Idempotency-Key was already used with a different request."), 409
                    )
                if existing.completed:
                    return None, self._replay(existing)
                if timezone.now() - existing.created_at > STALE_AFTER:
                    existing.delete()
                    continue
                return None, _error(_("A request with this Idempotency-Key is in progress."), 409)
        return None, _error(_("A request with this Idempotency-Key is in progress."), 409)

    @staticmethod
    def _replay(record):
        response = HttpResponse(
            bytes(record.body or b""), status=record.status_code, content_type=record.content_type
        )
        response["Idempotent-Replayed"] = "true"
        return response


def purge_expired_records() -> int:
    from jxc.core.models import IdempotencyRecord

    deleted, _details = IdempotencyRecord.objects.filter(
        created_at__lt=timezone.now() - KEEP_FOR
    ).delete()
    return deleted
