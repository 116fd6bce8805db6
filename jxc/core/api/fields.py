from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.INT)
class OrganizationScopedPKField(serializers.PrimaryKeyRelatedField):
    """A primary key that must belong to the request's organization.

    Another organization's id is reported exactly like an unknown id, so ids leak nothing.
    ``scope`` builds the allowed queryset from the active organization.
    """

    default_error_messages = {
        "does_not_exist": _('Unknown id "{pk_value}".'),
        "incorrect_type": _("Expected an id, got {data_type}."),
    }

    def __init__(self, *, scope, **kwargs):
        self.scope = scope
        kwargs.setdefault("queryset", None)
        super().__init__(**kwargs)

    # ids already read (by ``read_ahead``) for the lines of a list being validated
    known: dict | None = None

    def get_queryset(self):
        return self.scope(self.context["organization"])

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not data.isdigit():
            self.fail("incorrect_type", data_type="string")
        if int(data) > 2**62 or self.context.get("organization") is None:
            self.fail("does_not_exist", pk_value=data)
        if self.known is not None and int(data) in self.known:
            return self.known[int(data)]
        return super().to_internal_value(data)

    def read_ahead(self, values, *related: str) -> None:
        """Read the objects of all the ids among ``values`` (the raw input of the many lines
        this field validates, one at a time) in one query, with ``related`` joined; ids not
        found are still refused one by one, with the usual error."""
        if self.context.get("organization") is None:
            return
        ids = {
            int(value)
            for value in values
            if not isinstance(value, bool)
            and (isinstance(value, int) or (isinstance(value, str) and value.isdigit()))
            and 0 < int(value) <= 2**62
        }
        self.known = self.get_queryset().select_related(*related).in_bulk(ids) if ids else {}


class ReadAheadListSerializer(serializers.ListSerializer):
    """The lines of a document, with the objects their ``Meta.read_ahead`` fields name (field
    → related objects to join) read in one query per field, not one per line."""

    def to_internal_value(self, data):
        fields = self.child.fields
        ahead = [
            (fields[name], related)
            for name, related in getattr(self.child.Meta, "read_ahead", {}).items()
        ]
        if isinstance(data, list):
            for field, related in ahead:
                field.read_ahead(
                    [item.get(field.field_name) for item in data if isinstance(item, dict)],
                    *related,
                )
        try:
            return super().to_internal_value(data)
        finally:
            for field, _related in ahead:
                field.known = None


class CostFieldsMixin:
    """Drops ``Meta.cost_fields`` from the output unless the user's roles may see costs."""

    def get_fields(self):
        fields = super().get_fields()
        view = self.context.get("view")
        if getattr(view, "swagger_fake_view", False):
            return fields  # the OpenAPI schema documents the cost fields (for those who see them)
        access = self.context.get("access")
        if access is None or not access.can_see_costs:
            for name in getattr(self.Meta, "cost_fields", ()):
                fields.pop(name, None)
        return fields


@extend_schema_field({"type": "string", "nullable": True})
class DisplayNameField(serializers.Field):
    """Read-only: the ``str()`` of a related object (e.g. a user's display name), or null."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs.setdefault("default", None)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return None if value is None else str(value)
