"""Approval rule conditions in pure code: the fields a rule may test, the operators each kind
of field takes, the parsing of a rule's stored conditions (with an error naming the field path
of the first thing wrong) and the choice of the rule that applies to a document.

A rule's conditions are a list of ``{"field", "operator", "value"}``; all must hold. A rule
without conditions matches every document of its type (a catch-all, usually the last by
priority). Rules are tried by priority (lowest first), then by id; the first that matches wins.
A document that lacks a fact a condition tests (a type that knows no warehouse, an amount not
given) does not satisfy that condition.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.errors import ValidationFailed

MAX_CONDITIONS = 20
MAX_CHOICES = 500
MAX_NUMBER = Decimal(10) ** 15


@dataclass(frozen=True)
class DocumentFacts:
    """What a rule can know of a document. ``amount`` is the total in the organization's base
    currency; ``currency`` the code of the document's own currency; ``discount_rate`` the lowest
    rate of its lines in percent of the list price (100: no discount; 85: 八五折).
    ``number`` and ``summary`` are shown to approvers and never tested."""

    number: str = ""
    summary: str = ""
    amount: Decimal | None = None
    currency: str = ""
    partner: int | None = None
    warehouse: int | None = None
    categories: frozenset[int] = frozenset()
    discount_rate: Decimal | None = None
    below_price_floor: bool = False
    credit_limit_exceeded: bool = False


class Kind(StrEnum):
    NUMBER = "number"  # compared: gte, gt, lte, lt, between
    CODE = "code"  # one of a list of codes: in, not_in
    RECORD = "record"  # one of a list of ids: in, not_in
    RECORDS = "records"  # any of the document's ids in a list: in, not_in (none of them)
    FLAG = "flag"  # is true / false


OPERATORS: dict[Kind, tuple[str, ...]] = {
    Kind.NUMBER: ("gte", "gt", "lte", "lt", "between"),
    Kind.CODE: ("in", "not_in"),
    Kind.RECORD: ("in", "not_in"),
    Kind.RECORDS: ("in", "not_in"),
    Kind.FLAG: ("is",),
}


@dataclass(frozen=True)
class ConditionField:
    code: str
    kind: Kind
    label: str | Promise
    #: the master-data record a RECORD(S) field names: partner, warehouse or category
    record: str = ""


CONDITION_FIELDS: dict[str, ConditionField] = {
    f.code: f
    for f in (
        ConditionField("amount", Kind.NUMBER, gettext_lazy("Total amount (base currency)")),
        ConditionField("currency", Kind.CODE, gettext_lazy("Currency")),
        ConditionField("partner", Kind.RECORD, gettext_lazy("Partner"), "partner"),
        ConditionField("warehouse", Kind.RECORD, gettext_lazy("Warehouse"), "warehouse"),
        ConditionField("category", Kind.RECORDS, gettext_lazy("Product category"), "category"),
        ConditionField(
            "discount_rate", Kind.NUMBER, gettext_lazy("Lowest discount rate of a line (%)")
        ),
        ConditionField("below_price_floor", Kind.FLAG, gettext_lazy("A price is below the floor")),
        ConditionField(
            "credit_limit_exceeded",
            Kind.FLAG,
            gettext_lazy("The customer's credit limit is exceeded"),
        ),
    )
}

# where each condition field's value lies in the facts
_FACT = {"category": "categories"}


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: object  # Decimal, (Decimal, Decimal), frozenset of codes or ids, or bool

    def holds(self, facts: DocumentFacts) -> bool:
        actual = getattr(facts, _FACT.get(self.field, self.field))
        kind = CONDITION_FIELDS[self.field].kind
        if kind is Kind.NUMBER:
            return actual is not None and _compare(self.operator, Decimal(actual), self.value)
        if kind is Kind.FLAG:
            return bool(actual) is self.value
        if kind is Kind.RECORDS:
            found = bool(frozenset(actual) & self.value)
        elif actual in (None, ""):
            return False
        else:
            found = actual in self.value
        return found if self.operator == "in" else not found

    def as_data(self) -> dict:
        """The stored form: plain JSON, numbers as strings so no precision is lost."""
        value = self.value
        if isinstance(value, Decimal):
            value = str(value)
        elif isinstance(value, tuple):
            value = [str(v) for v in value]
        elif isinstance(value, frozenset):
            value = sorted(value)
        return {"field": self.field, "operator": self.operator, "value": value}


def _compare(operator: str, actual: Decimal, value) -> bool:
    if operator == "between":
        low, high = value
        return low <= actual <= high
    return {
        "gte": actual >= value,
        "gt": actual > value,
        "lte": actual <= value,
        "lt": actual < value,
    }[operator]


@dataclass(frozen=True)
class RuleSpec:
    """A rule as matching sees it: ``key`` identifies it to the caller."""

    key: object
    priority: int
    order: int
    conditions: tuple[Condition, ...] = field(default_factory=tuple)

    def matches(self, facts: DocumentFacts) -> bool:
        return all(condition.holds(facts) for condition in self.conditions)


def matching_rule(rules: Iterable[RuleSpec], facts: DocumentFacts) -> RuleSpec | None:
    """The first rule, by priority then order, whose conditions all hold; None if none does."""
    for rule in sorted(rules, key=lambda r: (r.priority, r.order)):
        if rule.matches(facts):
            return rule
    return None


# --- parsing ---------------------------------------------------------------------------------


def _fail(path: str, message) -> None:
    raise ValidationFailed(message, field=path, code="invalid_condition")


def parse_conditions(
    raw, offered: Sequence[str], path: str = "conditions"
) -> tuple[Condition, ...]:
    """Check stored or submitted conditions against the fields a document type ``offered``.

    Raises ValidationFailed naming the path of the first fault (``conditions.1.value``)."""
    if not isinstance(raw, list):
        _fail(path, _("Expected a list of conditions."))
    if len(raw) > MAX_CONDITIONS:
        _fail(path, _("At most %(n)d conditions.") % {"n": MAX_CONDITIONS})
    return tuple(_parse_condition(item, offered, f"{path}.{i}") for i, item in enumerate(raw))


def _parse_condition(item, offered: Sequence[str], path: str) -> Condition:
    if not isinstance(item, dict):
        _fail(path, _("Expected a condition with a field, an operator and a value."))
    extra = sorted(set(item) - {"field", "operator", "value"})
    if extra:
        _fail(f"{path}.{extra[0]}", _("Unknown key."))
    name = item.get("field")
    if not isinstance(name, str) or name not in CONDITION_FIELDS or name not in offered:
        _fail(
            f"{path}.field",
            _("Unknown field “%(field)s”; this document type offers: %(offered)s.")
            % {"field": name, "offered": ", ".join(offered) or "—"},
        )
    kind = CONDITION_FIELDS[name].kind
    operator = item.get("operator")
    if operator not in OPERATORS[kind]:
        _fail(
            f"{path}.operator",
            _("Operator “%(operator)s” does not apply to %(field)s; use one of: %(allowed)s.")
            % {"operator": operator, "field": name, "allowed": ", ".join(OPERATORS[kind])},
        )
    if "value" not in item:
        _fail(f"{path}.value", _("This field is required."))
    value = _parse_value(kind, operator, item["value"], f"{path}.value")
    return Condition(name, operator, value)


def _parse_value(kind: Kind, operator: str, value, path: str):
    if kind is Kind.NUMBER:
        if operator == "between":
            return _parse_range(value, path)
        return _number(value, path)
    if kind is Kind.FLAG:
        if not isinstance(value, bool):
            _fail(path, _("Expected true or false."))
        return value
    return _choices(kind, value, path)


def _number(value, path: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        _fail(path, _("Expected a number."))
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        _fail(path, _("Expected a number."))
    if not number.is_finite() or abs(number) >= MAX_NUMBER:
        _fail(path, _("Expected a number."))
    return number


def _parse_range(value, path: str) -> tuple[Decimal, Decimal]:
    if not isinstance(value, list) or len(value) != 2:
        _fail(path, _("Expected two numbers: the lowest and the highest."))
    low, high = _number(value[0], f"{path}.0"), _number(value[1], f"{path}.1")
    if low > high:
        _fail(path, _("The lowest is above the highest."))
    return low, high


def _choices(kind: Kind, value, path: str) -> frozenset:
    if not isinstance(value, list) or not value:
        _fail(path, _("Expected a non-empty list."))
    if len(value) > MAX_CHOICES:
        _fail(path, _("At most %(n)d values.") % {"n": MAX_CHOICES})
    for index, item in enumerate(value):
        if kind is Kind.CODE:
            if not isinstance(item, str) or not item.strip() or len(item) > 32:
                _fail(f"{path}.{index}", _("Expected a code."))
        elif isinstance(item, bool) or not isinstance(item, int) or not 0 < item < 2**62:
            _fail(f"{path}.{index}", _("Expected an id."))
    if kind is Kind.CODE:
        return frozenset(item.strip() for item in value)
    return frozenset(value)
