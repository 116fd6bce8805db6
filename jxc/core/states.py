"""Document lifecycles as data: each document declares its allowed transitions, and one guard
refuses anything else (``draft → submitted → approved → done → closed``, or ``cancelled``)."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jxc.core.errors import ValidationFailed


class DocumentState(models.TextChoices):
    DRAFT = "draft", _lazy("Draft")
    SUBMITTED = "submitted", _lazy("Submitted")
    APPROVED = "approved", _lazy("Approved")
    IN_TRANSIT = "in_transit", _lazy("In transit")
    COUNTING = "counting", _lazy("Counting")
    PARTIALLY_DONE = "partially_done", _lazy("Partially done")
    DONE = "done", _lazy("Done")
    CLOSED = "closed", _lazy("Closed")
    CANCELLED = "cancelled", _lazy("Cancelled")
    REVERSED = "reversed", _lazy("Reversed")


def transition(document, to: str, transitions: dict[str, set[str]]) -> None:
    """Move ``document.state`` to ``to`` if the table allows it; the caller saves."""
    if to not in transitions.get(document.state, set()):
        raise ValidationFailed(
            _("A %(kind)s in state “%(state)s” cannot become “%(to)s”.")
            % {
                "kind": document._meta.verbose_name,
                "state": document.get_state_display(),
                "to": DocumentState(to).label,
            },
            field="state",
            code="invalid_state",
        )
    document.state = to
