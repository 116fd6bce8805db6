"""What happens to approval requests, for whoever wants to know (notifications, webhooks,
alerts): subscribers register a handler when Django starts; the approval services publish.

Handlers run after the transaction commits, so a rolled-back decision tells no one, and a
failing handler is logged without undoing or blocking the decision.
"""

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

logger = logging.getLogger(__name__)

SUBMITTED = "approval.submitted"  # a request was created; ``awaiting`` holds level 1's approvers
ADVANCED = "approval.advanced"  # a level was approved; ``awaiting`` holds the next level's
APPROVED = "approval.approved"  # the last level was approved
REJECTED = "approval.rejected"
WITHDRAWN = "approval.withdrawn"
EVENTS = (SUBMITTED, ADVANCED, APPROVED, REJECTED, WITHDRAWN)


@dataclass(frozen=True)
class ApprovalEvent:
    name: str
    organization_id: int
    request_id: int
    document_type: str
    document_id: int
    actor_id: int | None
    #: users who may act on the request now (empty once it is decided)
    awaiting: tuple[int, ...] = ()


Handler = Callable[[ApprovalEvent], None]
_handlers: list[Handler] = []


def subscribe(handler: Handler) -> None:
    if handler not in _handlers:
        _handlers.append(handler)


def unsubscribe(handler: Handler) -> None:
    if handler in _handlers:
        _handlers.remove(handler)


def publish(event: ApprovalEvent) -> None:
    """Deliver ``event`` to every subscriber once the current transaction commits."""
    transaction.on_commit(functools.partial(_deliver, event))


def _deliver(event: ApprovalEvent) -> None:
    for handler in list(_handlers):
        try:
            handler(event)
        except Exception:  # one broken subscriber must not stop the others
            logger.exception("approval event handler %r failed on %s", handler, event.name)
