"""The audit trail: searchable by admins, and per record for anyone who may view the record."""

import django_filters
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from jxc.core.api.views import ReadOnlyScopedViewSet
from jxc.core.audit import AuditedModel
from jxc.core.errors import PermissionDenied
from jxc.core.models import AuditLog


class AuditLogSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField(label=gettext_lazy("user"))
    action_name = serializers.CharField(
        source="get_action_display", read_only=True, label=gettext_lazy("action")
    )
    model_name = serializers.SerializerMethodField(label=gettext_lazy("record type"))
    field_labels = serializers.SerializerMethodField(label=gettext_lazy("field names"))

    class Meta:
        model = AuditLog
        fields = [
            "id",
            "at",
            "user",
            "user_name",
            "action",
            "action_name",
            "model",
            "model_name",
            "object_id",
            "object_repr",
            "changes",
            "field_labels",
        ]

    def get_user_name(self, entry) -> str | None:
        return str(entry.user) if entry.user else None

    def get_field_labels(self, entry) -> dict[str, str]:
        """The translated name of each changed field, for showing ``changes`` to people."""
        model = audited_model(entry.model)
        labels = {}
        for name in entry.changes:
            try:
                labels[name] = str(model._meta.get_field(name).verbose_name)
            except (AttributeError, FieldDoesNotExist):  # not a model field, e.g. "roles"
                labels[name] = str(getattr(model, "audit_labels", {}).get(name, name))
        return labels

    def get_model_name(self, entry) -> str:
        model = audited_model(entry.model)
        return str(model._meta.verbose_name) if model else entry.model


def audited_model(label: str):
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    return model if issubclass(model, AuditedModel) else None


class AuditLogFilter(django_filters.FilterSet):
    at_after = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=gettext_lazy("from date")
    )
    at_before = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=gettext_lazy("to date")
    )

    class Meta:
        model = AuditLog
        fields = ["model", "object_id", "user", "action"]


class AuditLogViewSet(ReadOnlyScopedViewSet):
    module = "settings"
    serializer_class = AuditLogSerializer
    queryset = AuditLog.objects.select_related("user")
    filterset_class = AuditLogFilter
    search_fields = ["object_repr", "user__username", "user__display_name", "model"]
    ordering_fields = ["at", "model", "action"]
    ordering = ["-at", "-id"]
    # checked in get_queryset: admins see all, members the history of records they may view
    action_permissions = {"list": None, "retrieve": None}

    def get_queryset(self):
        queryset = super().get_queryset()
        access = self.request.access
        if self.action == "export" or access.allows("settings.view"):
            return queryset
        label = self.request.query_params.get("model", "")
        object_id = self.request.query_params.get("object_id", "")
        model = audited_model(label)
        if not (model and object_id and access.allows(f"{model.audit_module}.view")):
            raise PermissionDenied(
                _(
                    "Only administrators may search the audit trail; others may see the history "
                    "of a record they can view."
                )
            )
        return queryset.filter(Q(model=label) & Q(object_id=object_id))
