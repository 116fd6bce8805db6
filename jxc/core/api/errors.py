"""One error body everywhere: ``{"code", "message", "fields"}``, with translated messages."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from jxc.core.errors import DomainError

logger = logging.getLogger(__name__)

_CODES = {
    exceptions.ParseError: "parse_error",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "authentication_failed",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "throttled",
    exceptions.ValidationError: "validation_error",
}


def error_body(code: str, message, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


# The errors a list of nested rows (``many=True``) has as a whole: DRF files them under the
# list's own ``non_field_errors``; they belong to the list's field.
_LIST_CODES = {"not_a_list", "empty", "min_length", "max_length"}


def _message(item) -> str:
    if getattr(item, "code", None) == "not_a_list":
        return _("Expected a list.")
    return str(item)


def _list_errors(detail: dict) -> list[str] | None:
    """The messages of a nested list's own errors, or None when ``detail`` is something else."""
    items = detail.get("non_field_errors")
    if set(detail) != {"non_field_errors"} or not isinstance(items, list):
        return None
    if not all(getattr(item, "code", None) in _LIST_CODES for item in items):
        return None
    return [_message(item) for item in items]


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail → ``{"lines.0.quantity": ["…"]}``; a nested list that is not
    a list (or is empty) → ``{"lines": ["…"]}``."""
    if isinstance(detail, dict):
        if prefix and (whole := _list_errors(detail)) is not None:
            return {prefix: whole}
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [_message(item) for item in detail]}
        out = {}
        for index, item in enumerate(detail):
            if item:
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    return {prefix or "non_field_errors": [str(detail)]}


def _validation_response(detail) -> Response:
    fields = _flatten(detail)
    first = next(iter(fields.items()), None)
    message = _("Invalid input.")
    if first and first[0] == "non_field_errors":
        message = first[1][0]
    elif first:
        message = f"{first[0]}: {first[1][0]}"
    return Response(error_body("validation_error", message, fields), status=400)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        set_rollback()
        return Response(error_body(exc.code, exc.message, exc.fields), status=exc.status_code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, ProtectedError):
        set_rollback()
        return Response(
            error_body(
                "validation_error",
                _("This record is in use and cannot be deleted; deactivate it instead."),
            ),
            status=400,
        )
    elif isinstance(exc, DataError | IntegrityError):
        # A value the database refuses (out of range, too long, duplicate) is the caller's
        # input problem, never a server error.
        logger.info("database refused input: %s", exc)
        set_rollback()
        message = (
            _("A value is out of range or too long.")
            if isinstance(exc, DataError)
            else _("This record conflicts with an existing one.")
        )
        return Response(error_body("validation_error", message), status=400)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real bug: let Django log it and answer 500 (see server_error)
    set_rollback()
    if isinstance(exc, exceptions.ValidationError):
        response = _validation_response(exc.detail)
    else:
        code = next((c for cls, c in _CODES.items() if isinstance(exc, cls)), "error")
        response = Response(error_body(code, exc.detail), status=exc.status_code)
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait))
    return response


def api_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def api_server_error(request):
    return JsonResponse(
        error_body("server_error", _("Internal server error. The error has been logged.")),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
