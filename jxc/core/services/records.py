"""Saving simple organization-scoped records (reference data) with friendly uniqueness errors.

Documents and records with rules of their own have their own services; plain reference rows
(units, categories, warehouses, …) share this one, so every such save runs in one transaction,
is audited, and reports a duplicate code as a translated error on the field.
"""

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization


def check_unique(instance: models.Model) -> None:
    """Raise on the first per-organization unique constraint the instance would break."""
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
            continue
        fields = list(constraint.fields)
        if "organization" not in fields:
            continue
        lookup = {f: getattr(instance, model._meta.get_field(f).attname) for f in fields}
        lookup = {
            (f"{k}_id" if isinstance(model._meta.get_field(k), models.ForeignKey) else k): v
            for k, v in lookup.items()
        }
        clash = model._base_manager.filter(**lookup).exclude(pk=instance.pk)
        if clash.exists():
            field = [f for f in fields if f != "organization"][-1]
            raise ValidationFailed(
                _("%(field)s “%(value)s” is already used.")
                % {
                    "field": model._meta.get_field(field).verbose_name,
                    "value": getattr(instance, field),
                },
                field=field,
            )


def assign(instance: models.Model, data: dict, fields) -> None:
    """Set the given ``fields`` from ``data``, converting plain values to the field's type.

    A value the field cannot hold becomes a :class:`ValidationFailed` on that field.
    """
    from django.core.exceptions import ValidationError

    for name in fields:
        if name not in data:
            continue
        field, value = instance._meta.get_field(name), data[name]
        if not field.is_relation:
            try:
                value = field.to_python(value)
            except ValidationError as exc:
                raise ValidationFailed(" ".join(exc.messages), field=name) from None
        setattr(instance, name, value)


@transaction.atomic
def save_record(*, model, organization: Organization, data: dict, instance=None, check=None):
    """Create (``instance`` None) or update a record of ``model`` from validated ``data``.

    ``check(instance)`` may raise :class:`ValidationFailed` for rules beyond uniqueness.
    """
    if instance is None:
        instance = model(organization=organization)
    for field, value in data.items():
        setattr(instance, field, value)
    if check:
        check(instance)
    check_unique(instance)
    instance.save()
    return instance


@transaction.atomic
def delete_record(*, instance) -> None:
    try:
        instance.delete()
    except ProtectedError as exc:
        raise ValidationFailed(
            _("This record is in use and cannot be deleted; deactivate it instead.")
        ) from exc
