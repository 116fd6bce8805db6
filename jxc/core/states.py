"""Document lifecycles as data: each document declares its allowed transitions, and one guard
refuses anything else (``draft → submitted → approved → done → closed``, or ``cancelled``)."""

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.errors import ValidationFailed


class DocumentState(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft")
    SUBMITTED = "submitted", gettext_lazy("Submitted")
    APPROVED = "approved", gettext_lazy("Approved")
    IN_TRANSIT = "in_transit", gettext_lazy("In transit")
    COUNTING = "counting", gettext_lazy("Counting")
    PARTIALLY_DONE = "partially_done", gettext_lazy("Partially done")
    DONE = "done", gettext_lazy("Done")
    CLOSED = "closed", gettext_lazy("Closed")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")
    REVERSED = "reversed", gettext_lazy("Reversed")


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
