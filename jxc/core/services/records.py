"""Saving simple organization-scoped records (reference data) with friendly uniqueness errors.

Documents and records with rules of their own have their own services; plain reference rows
(units, categories, warehouses, …) share this one, so every such save runs in one transaction,
is audited, and reports a duplicate code as a translated error on the field.
"""

from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization


def check_unique(instance: models.Model) -> None:
    """Raise on the first per-organization unique constraint the instance would break.

    Empty (NULL) values clash only where the constraint says so (``nulls_distinct=False``), as in
    the database.
    """
    model = type(instance)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or constraint.condition:
            continue
        fields = list(constraint.fields)
        if "organization" not in fields:
            continue
        lookup = {
            model._meta.get_field(f).attname: getattr(instance, model._meta.get_field(f).attname)
            for f in fields
        }
        if constraint.nulls_distinct is not False and None in lookup.values():
            continue
        if model._base_manager.filter(**lookup).exclude(pk=instance.pk).exists():
            raise clash_error(instance, [f for f in fields if f != "organization"])


def clash_error(instance: models.Model, keys: list[str]) -> ValidationFailed:
    """The error of a record whose ``keys`` another record of the organization has already.

    A code or name: "code “X” is already used." A record keyed by other records (a product, a
    supplier) or by nothing at all (the organization's default) names the record and what it is
    for, leaving out the keys that are empty.
    """
    meta = type(instance)._meta
    named = [key for key in keys if getattr(instance, meta.get_field(key).attname) is not None]
    if not named:
        return ValidationFailed(
            _("The default %(record)s exists already.") % {"record": meta.verbose_name},
            field=keys[-1],
        )
    described = [
        {"field": meta.get_field(key).verbose_name, "value": getattr(instance, key)}
        for key in named
    ]
    if named == keys and not any(meta.get_field(key).is_relation for key in keys):
        return ValidationFailed(
            _("%(field)s “%(value)s” is already used.") % described[-1], field=keys[-1]
        )
    values = get_text_list([_("%(field)s “%(value)s”") % d for d in described], _("and"))
    return ValidationFailed(
        _("The %(record)s for %(values)s exists already.")
        % {"record": meta.verbose_name, "values": values},
        field=named[-1],
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
