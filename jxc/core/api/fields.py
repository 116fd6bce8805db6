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

    def get_queryset(self):
        return self.scope(self.context["organization"])

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not data.isdigit():
            self.fail("incorrect_type", data_type="string")
        if int(data) > 2**62 or self.context.get("organization") is None:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(data)


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
