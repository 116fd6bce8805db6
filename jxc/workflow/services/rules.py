"""Writes on approval rules: every rule is checked whole before it is stored, so a stored rule
can always be evaluated, and it names only records of its own organization."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.selectors import members_of, roles_visible_to
from jxc.core.services.records import check_unique
from jxc.masterdata.models import Category, Currency, Partner, Warehouse
from jxc.workflow.domain.levels import ROLE, USER, Level, parse_levels
from jxc.workflow.domain.rules import CONDITION_FIELDS, Condition, Kind, parse_conditions
from jxc.workflow.models import ApprovalRule
from jxc.workflow.registry import approvable

RULE_FIELDS = (
    "name",
    "document_type",
    "priority",
    "conditions",
    "levels",
    "allow_self_approval",
    "is_active",
    "description",
)
MAX_PRIORITY = 1_000_000
RECORD_MODELS = {"partner": Partner, "warehouse": Warehouse, "category": Category}


@transaction.atomic
def save_rule(*, organization, data: dict, rule: ApprovalRule | None = None) -> ApprovalRule:
    """Create ``rule`` (None) or change it with the fields ``data`` gives.

    Raises ValidationFailed naming the first field at fault (``levels.1.approvers``); then
    nothing is stored."""
    rule = rule or ApprovalRule(organization=organization)
    values = {name: data.get(name, getattr(rule, name)) for name in RULE_FIELDS}
    name = _checked_texts(values)
    _check_priority(values["priority"])
    doc_type = approvable(values["document_type"])
    conditions = parse_conditions(values["conditions"], doc_type.fields)
    _check_condition_values(organization, conditions)
    levels = parse_levels(values["levels"])
    _check_approvers(organization, levels)
    rule.name = name
    rule.description = values["description"] or ""
    rule.document_type = doc_type.code
    rule.priority = values["priority"]
    rule.conditions = [condition.as_data() for condition in conditions]
    rule.levels = [level.as_data() for level in levels]
    rule.allow_self_approval = bool(values["allow_self_approval"])
    rule.is_active = bool(values["is_active"])
    check_unique(rule)
    rule.save()
    return rule


@transaction.atomic
def delete_rule(*, rule: ApprovalRule) -> None:
    """Open requests keep the levels they copied at submit; only new submissions change."""
    rule.delete()


def _checked_texts(values: dict) -> str:
    """The rule's name, stripped; raises when it or the description is blank or too long."""
    name = (values["name"] or "").strip()
    if not name:
        raise ValidationFailed(_("Enter the rule's name."), field="name")
    for field, text, limit in (("name", name, 64), ("description", values["description"], 255)):
        if len(text or "") > limit:
            raise ValidationFailed(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return name


def _check_priority(priority) -> None:
    if (
        isinstance(priority, bool)
        or not isinstance(priority, int)
        or not 0 <= priority <= MAX_PRIORITY
    ):
        raise ValidationFailed(
            _("Expected a whole number from 0 to %(max)d.") % {"max": MAX_PRIORITY},
            field="priority",
        )


def _check_condition_values(organization, conditions: tuple[Condition, ...]) -> None:
    for index, condition in enumerate(conditions):
        spec = CONDITION_FIELDS[condition.field]
        if spec.kind in (Kind.RECORD, Kind.RECORDS):
            model = RECORD_MODELS[spec.record]
            known = set(
                model.objects.filter(organization=organization, pk__in=condition.value)
                .values_list("pk", flat=True)
            )  # fmt: skip
        elif spec.code == "currency":
            known = set(
                Currency.objects.filter(organization=organization, code__in=condition.value)
                .values_list("code", flat=True)
            )  # fmt: skip
        else:
            continue
        missing = sorted(set(condition.value) - known, key=str)
        if missing:
            raise ValidationFailed(
                _("Unknown %(field)s: %(values)s.")
                % {"field": spec.label, "values": ", ".join(str(v) for v in missing)},
                field=f"conditions.{index}.value",
                code="invalid_condition",
            )


def _check_approvers(organization, levels: tuple[Level, ...]) -> None:
    role_ids = set(roles_visible_to(organization).values_list("pk", flat=True))
    user_ids = set(members_of(organization).values_list("pk", flat=True))
    for level_index, level in enumerate(levels):
        for index, approver in enumerate(level.approvers):
            path = f"levels.{level_index}.approvers.{index}.id"
            if approver.type == ROLE and approver.id not in role_ids:
                raise ValidationFailed(_("Unknown role."), field=path, code="invalid_level")
            if approver.type == USER and approver.id not in user_ids:
                raise ValidationFailed(
                    _("Unknown user: approvers must be members of the organization."),
                    field=path,
                    code="invalid_level",
                )
