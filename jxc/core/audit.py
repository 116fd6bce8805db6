"""The audit trail: who created, changed, deleted or moved the state of which record, and when.

Every business model inherits :class:`AuditedModel`. The row's field values are remembered when it
is loaded, so a save can record exactly the fields that changed, old and new. The entry is written
by ``post_save``/``post_delete`` in the same transaction as the change itself: a rolled-back change
leaves no audit row, and no code path can change a record without leaving one. The acting user
and organization come from :func:`acting_as`, which the API sets for each request.
"""

import contextlib
import datetime
import decimal
import uuid
from contextvars import ContextVar

from django.db import models
from django.db.models.signals import post_delete, post_save

_actor: ContextVar[tuple | None] = ContextVar("jxc_audit_actor", default=None)


@contextlib.contextmanager
def acting_as(user, organization):
    """Attribute the changes made inside the block to ``user`` in ``organization``."""
    token = _actor.set((user, organization))
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(user, organization) -> None:
    """Attribute changes for the rest of this request/context (the API calls this per request)."""
    _actor.set((user, organization))


class AuditContextMiddleware:
    """Start every request with no actor, so one request's user never leaks into the next."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(None)
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


def current_actor() -> tuple:
    return _actor.get() or (None, None)


def _plain(value):
    """A JSON-safe form of a field value."""
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "<binary>"
    return value


class AuditedModel(models.Model):
    """Mixin for models whose changes are written to the audit trail."""

    #: the permission module whose ``view`` right lets a member read this record's history
    audit_module = "settings"
    #: fields never written to the trail (secrets, noisy timestamps)
    audit_exclude: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # the values as loaded, made JSON-safe only if the instance is saved: most loaded rows
        # (a document's products and locations) are only read
        instance._audit_loaded = (field_names, values)
        return instance

    def _audit_values(self) -> dict:
        return self._audit_plain(self.__dict__)

    def _audit_plain(self, values_by_attname) -> dict:
        values = {}
        for field in self._meta.concrete_fields:
            if field.name in self.audit_exclude or field.attname not in values_by_attname:
                continue
            values[field.name] = _plain(values_by_attname[field.attname])
        return values

    def _audit_old(self) -> dict:
        snapshot = getattr(self, "_audit_snapshot", None)
        if snapshot is None and getattr(self, "_audit_loaded", None) is not None:
            snapshot = self._audit_plain(dict(zip(*self._audit_loaded, strict=True)))
        return snapshot or {}

    def _audit_changes(self) -> dict:
        old = self._audit_old()
        new = self._audit_values()
        return {
            name: [old.get(name), value]
            for name, value in new.items()
            if name in old and old[name] != value
        }


def record(*, action: str, instance, changes: dict | None = None) -> None:
    """Write one audit entry for ``instance`` (used by signals and by services for M2M changes)."""
    from jxc.core.models import AuditLog

    user, organization = current_actor()
    if organization is None:
        organization = _organization_of(instance)
    AuditLog.objects.create(
        organization=organization,
        user=user if getattr(user, "pk", None) else None,
        action=action,
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=changes or {},
    )


def update_statements(connection, instance, fields: list[str]) -> list[tuple]:
    """Saving ``fields`` of a loaded ``instance`` as statements to run with others (see
    :mod:`jxc.core.batch`): its UPDATE and, if anything changed, its audit entry, as
    ``post_save`` would have written it. For the hot paths only."""
    from jxc.core.batch import insert_statement, update_statement
    from jxc.core.models import AuditLog

    statements = [update_statement(connection, type(instance), [instance], fields)]
    changes = instance._audit_changes()
    if changes:
        user, organization = current_actor()
        entry = AuditLog(
            organization=organization or _organization_of(instance),
            user=user if getattr(user, "pk", None) else None,
            action="state" if "state" in changes else "update",
            model=instance._meta.label_lower,
            object_id=str(instance.pk),
            object_repr=str(instance)[:200],
            changes=changes,
        )
        statements.append(insert_statement(connection, AuditLog, [entry]))
    instance._audit_snapshot = instance._audit_values()
    return statements


def create_statements(connection, instance) -> list[tuple]:
    """The audit entry of a new ``instance`` that a raw insert saved (see
    :mod:`jxc.core.batch`), as ``post_save`` would have written it, as statements to run with
    others. For the hot paths only."""
    from jxc.core.batch import insert_statement
    from jxc.core.models import AuditLog

    user, organization = current_actor()
    entry = AuditLog(
        organization=organization or _organization_of(instance),
        user=user if getattr(user, "pk", None) else None,
        action="create",
        model=instance._meta.label_lower,
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        changes=_created_changes(instance),
    )
    instance._audit_snapshot = instance._audit_values()
    return [insert_statement(connection, AuditLog, [entry])]


def _created_changes(instance) -> dict:
    return {
        name: [None, value]
        for name, value in instance._audit_values().items()
        if value not in (None, "", [], {})
    }


def record_bulk(*, action: str, instances, note: dict | None = None) -> None:
    """Audit rows for a bulk write (imports), which bypasses ``post_save``.

    Updates record the fields that changed since the instances were loaded.
    """
    from jxc.core.models import AuditLog

    user, organization = current_actor()
    entries = []
    for instance in instances:
        if action == "update":
            changes = instance._audit_changes()
            if not changes:
                continue
        else:
            changes = {}
        entries.append(
            AuditLog(
                organization=organization or _organization_of(instance),
                user=user if getattr(user, "pk", None) else None,
                action=action,
                model=instance._meta.label_lower,
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                changes={**changes, **(note or {})},
            )
        )
    AuditLog.objects.bulk_create(entries, batch_size=2000)


def _organization_of(instance):
    from jxc.core.models import Organization

    if isinstance(instance, Organization):
        return instance
    return getattr(instance, "organization", None)


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        record(action="create", instance=instance, changes=_created_changes(instance))
    else:
        changes = instance._audit_changes()
        if changes:
            action = "state" if "state" in changes else "update"
            record(action=action, instance=instance, changes=changes)
    instance._audit_snapshot = instance._audit_values()


def _after_delete(sender, instance, **kwargs):
    record(action="delete", instance=instance)


def connect_signals() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, AuditedModel):
            post_save.connect(
                _after_save, sender=model, dispatch_uid=f"audit-save-{model._meta.label}"
            )
            post_delete.connect(
                _after_delete, sender=model, dispatch_uid=f"audit-delete-{model._meta.label}"
            )
