"""Domain errors: a stable code, a translated message and, when a field is at fault, its name.

Services raise these; the API turns them into the one error body (HTTP 400 unless stated).
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    status_code = 400
    default_message = _("The request cannot be carried out.")

    def __init__(self, message=None, *, field: str | None = None, code: str | None = None):
        self.message = message if message is not None else self.default_message
        self.field = field
        if code:
            self.code = code
        super().__init__(str(self.message))

    @property
    def fields(self) -> dict:
        return {self.field: [self.message]} if self.field else {}


class ValidationFailed(DomainError):
    code = "validation_error"
    default_message = _("Invalid input.")


class NotFound(DomainError):
    code = "not_found"
    status_code = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status_code = 403
    default_message = _("You do not have permission to perform this action.")
