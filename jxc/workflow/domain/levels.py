"""The levels of an approval rule in pure code: their parsing and when a level is decided.

A level names its approvers: a role (every member holding it), a named user, or the
submitter's manager. In mode ``any`` (或签) the first approval decides the level; in mode
``all`` (会签) every approver must approve. At any level, one rejection rejects the request.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed

MAX_LEVELS = 10
MAX_APPROVERS = 50
MAX_NAME = 64

ANY, ALL = "any", "all"
MODES = (ANY, ALL)
ROLE, USER, MANAGER = "role", "user", "manager"
APPROVER_TYPES = (ROLE, USER, MANAGER)

PENDING, APPROVED, REJECTED, SKIPPED = "pending", "approved", "rejected", "skipped"


@dataclass(frozen=True)
class Approver:
    type: str
    id: int | None = None  # the role's or user's id; None for the manager

    def as_data(self) -> dict:
        return {"type": self.type} if self.id is None else {"type": self.type, "id": self.id}


@dataclass(frozen=True)
class Level:
    name: str
    mode: str
    approvers: tuple[Approver, ...]

    def as_data(self) -> dict:
        return {
            "name": self.name,
            "mode": self.mode,
            "approvers": [approver.as_data() for approver in self.approvers],
        }


def level_outcome(mode: str, decisions: Iterable[str]) -> str:
    """Whether a level is approved, rejected or still pending, given its approvers' decisions."""
    decisions = list(decisions)
    if REJECTED in decisions:
        return REJECTED
    if mode == ANY:
        return APPROVED if APPROVED in decisions else PENDING
    return APPROVED if decisions and all(d == APPROVED for d in decisions) else PENDING


# --- parsing ---------------------------------------------------------------------------------


def _fail(path: str, message) -> None:
    raise ValidationFailed(message, field=path, code="invalid_level")


def parse_levels(raw, path: str = "levels") -> tuple[Level, ...]:
    """Check a rule's levels; raise ValidationFailed naming the path of the first fault
    (``levels.1.approvers``)."""
    if not isinstance(raw, list) or not raw:
        _fail(path, _("A rule needs at least one level of approvers."))
    if len(raw) > MAX_LEVELS:
        _fail(path, _("At most %(n)d levels.") % {"n": MAX_LEVELS})
    return tuple(_parse_level(item, f"{path}.{index}") for index, item in enumerate(raw))


def _parse_level(item, path: str) -> Level:
    if not isinstance(item, dict):
        _fail(path, _("Expected a level with a mode and approvers."))
    extra = sorted(set(item) - {"name", "mode", "approvers"})
    if extra:
        _fail(f"{path}.{extra[0]}", _("Unknown key."))
    name = item.get("name", "")
    if not isinstance(name, str) or len(name) > MAX_NAME:
        _fail(f"{path}.name", _("Expected a name of at most %(n)d characters.") % {"n": MAX_NAME})
    mode = item.get("mode", ANY)
    if mode not in MODES:
        _fail(f"{path}.mode", _("Expected “any” (one approver suffices) or “all”."))
    approvers = item.get("approvers")
    if not isinstance(approvers, list) or not approvers:
        _fail(f"{path}.approvers", _("A level needs at least one approver."))
    if len(approvers) > MAX_APPROVERS:
        _fail(f"{path}.approvers", _("At most %(n)d approvers.") % {"n": MAX_APPROVERS})
    parsed = [_parse_approver(a, f"{path}.approvers.{i}") for i, a in enumerate(approvers)]
    return Level(name.strip(), mode, tuple(dict.fromkeys(parsed)))


def _parse_approver(item, path: str) -> Approver:
    if not isinstance(item, dict):
        _fail(path, _("Expected an approver: a role, a user or the manager."))
    extra = sorted(set(item) - {"type", "id"})
    if extra:
        _fail(f"{path}.{extra[0]}", _("Unknown key."))
    kind = item.get("type")
    if kind not in APPROVER_TYPES:
        _fail(f"{path}.type", _("Expected “role”, “user” or “manager”."))
    if kind == MANAGER:
        if item.get("id") is not None:
            _fail(f"{path}.id", _("The manager is the submitter's; give no id."))
        return Approver(MANAGER)
    identifier = item.get("id")
    if (
        isinstance(identifier, bool)
        or not isinstance(identifier, int)
        or not 0 < identifier < 2**62
    ):
        _fail(f"{path}.id", _("Expected an id."))
    return Approver(kind, identifier)
