"""What the apps that post vouchers tell finance when Django starts: the default posting rules
of their events and the names of their document types, events and reasons (for the rule
editor). Finance stores and compares these codes; it knows nothing of what they mean.

A rule's accounts are named by role (see :class:`AccountRole`), so the defaults fit either
chart template and follow an account that is renumbered."""

from dataclasses import dataclass


@dataclass(frozen=True)
class DefaultRule:
    document_type: str
    event: str
    debit_role: str
    credit_role: str
    from_kind: str = ""
    to_kind: str = ""
    reason: str = ""
    summary: str = ""


_rules: list[DefaultRule] = []
_labels: dict[str, dict[str, str]] = {"document_type": {}, "event": {}, "reason": {}, "kind": {}}


def register_default_rules(rules: list[DefaultRule]) -> None:
    for rule in rules:
        if rule not in _rules:
            _rules.append(rule)


def default_rules() -> list[DefaultRule]:
    return list(_rules)


def register_labels(kind: str, labels: dict[str, str]) -> None:
    """``kind``: document_type, event, reason or kind (of location)."""
    _labels[kind].update(labels)


def labels() -> dict[str, dict[str, str]]:
    return {
        kind: {code: str(label) for code, label in found.items()} for kind, found in _labels.items()
    }
