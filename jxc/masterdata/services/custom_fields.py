"""Custom field definitions, and checking the values records carry for them."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.masterdata.models import CustomFieldDefinition

MAX_TEXT = 500


def active_definitions(organization, target: str) -> list[CustomFieldDefinition]:
    return list(
        CustomFieldDefinition.objects.filter(
            organization=organization, target=target, is_active=True
        )
    )


def clean_value(definition: CustomFieldDefinition, value):
    """The stored form of ``value`` (JSON-friendly), or raise ValueError with a message."""
    if value in (None, ""):
        if definition.required:
            raise ValueError(_("This field is required."))
        return None
    kind = definition.field_type
    if kind == "text":
        text = str(value)
        if len(text) > MAX_TEXT:
            raise ValueError(_("At most %(n)d characters.") % {"n": MAX_TEXT})
        return text
    if kind == "number":
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite() or abs(number) >= Decimal("1e15"):
            raise ValueError(_("Enter a number.")) from None
        return str(number)
    if kind == "date":
        if isinstance(value, datetime.datetime | datetime.date):
            return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
        try:
            return datetime.date.fromisoformat(str(value)[:10]).isoformat()
        except ValueError:
            raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "y", "是", "对", "√"):
            return True
        if text in ("0", "false", "no", "n", "否", "×"):
            return False
        raise ValueError(_("Enter yes or no."))
    if kind == "choice":
        if str(value) not in [str(c) for c in definition.choices]:
            raise ValueError(
                _("Choose one of: %(choices)s.")
                % {"choices": ", ".join(map(str, definition.choices))}
            )
        return str(value)
    raise ValueError(_("Unknown field type."))


def clean_custom_values(definitions, values, *, partial_base: dict | None = None) -> dict:
    """Check ``values`` against the definitions; unknown keys are refused.

    Raises :class:`ValidationFailed` on ``custom.<key>``.
    """
    if not isinstance(values, dict):
        raise ValidationFailed(_("Must be an object of custom field values."), field="custom")
    by_key = {d.key: d for d in definitions}
    unknown = [key for key in values if key not in by_key]
    if unknown:
        raise ValidationFailed(_("Unknown custom field."), field=f"custom.{unknown[0]}")
    cleaned = dict(partial_base or {})
    for key, definition in by_key.items():
        if key not in values and key in cleaned:
            continue
        try:
            value = clean_value(definition, values.get(key))
        except ValueError as exc:
            raise ValidationFailed(str(exc), field=f"custom.{key}") from None
        if value is None:
            cleaned.pop(key, None)
        else:
            cleaned[key] = value
    return cleaned


def check_definition(definition: CustomFieldDefinition) -> None:
    if definition.field_type == "choice":
        choices = definition.choices
        if (
            not isinstance(choices, list)
            or not choices
            or not all(isinstance(c, str) and c.strip() for c in choices)
        ):
            raise ValidationFailed(_("A choice field needs a list of choices."), field="choices")
        if len(choices) > 100:
            raise ValidationFailed(_("At most 100 choices."), field="choices")
    elif definition.choices:
        definition.choices = []
    if not definition.key.isidentifier() or not definition.key.isascii():
        raise ValidationFailed(
            _("Use letters, digits and underscores, starting with a letter."), field="key"
        )
