"""预警: the organization's alerts (open or cleared, by kind) and the registered alert kinds
with each one's setting here. A member sees the alerts of the kinds their roles may view."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import JxcViewSet, ReadOnlyScopedViewSet
from jxc.workflow.alert_kinds import alert_kind, alert_kinds
from jxc.workflow.models import Alert
from jxc.workflow.services import alerts as services


def visible_kinds(request) -> list:
    access = request.access
    return [k for k in alert_kinds() if not k.view_permission or access.allows(k.view_permission)]


class AlertSerializer(serializers.ModelSerializer):
    kind_label = serializers.SerializerMethodField(label=_("kind"))
    acknowledged_by_name = DisplayNameField(source="acknowledged_by", label=_("acknowledged by"))
    is_open = serializers.SerializerMethodField(label=_("open"))

    class Meta:
        model = Alert
        fields = [
            "id",
            "kind",
            "kind_label",
            "key",
            "title",
            "detail",
            "document_type",
            "document_id",
            "link",
            "raised_at",
            "cleared_at",
            "is_open",
            "acknowledged_by",
            "acknowledged_by_name",
            "acknowledged_at",
        ]

    def get_kind_label(self, alert) -> str:
        labels = self.context.setdefault(
            "kind_labels", {k.code: str(k.label) for k in alert_kinds()}
        )
        return labels.get(alert.kind, alert.kind)

    def get_is_open(self, alert) -> bool:
        return alert.cleared_at is None


class AlertFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("open", _("Open")), ("cleared", _("Cleared"))], method="by_state",
        label=_("state"),
    )  # fmt: skip
    kind = django_filters.CharFilter(label=_("kind"))
    acknowledged = django_filters.BooleanFilter(
        field_name="acknowledged_at", lookup_expr="isnull", exclude=True, label=_("acknowledged")
    )

    class Meta:
        model = Alert
        fields = ["state", "kind", "acknowledged"]

    def by_state(self, queryset, name, value):
        return queryset.filter(cleared_at__isnull=value == "open")


class AlertViewSet(ReadOnlyScopedViewSet):
    """Alerts, newest first; ``state=open`` for the current ones."""

    module = "workflow"
    serializer_class = AlertSerializer
    queryset = Alert.objects.select_related("acknowledged_by")
    filterset_class = AlertFilter
    search_fields = ["title", "detail"]
    ordering_fields = ["raised_at", "cleared_at", "id"]
    ordering = ["-raised_at", "-id"]
    action_permissions = dict.fromkeys(("list", "retrieve", "export", "acknowledge"), None)

    def get_queryset(self):
        kinds = [k.code for k in visible_kinds(self.request)]
        return super().get_queryset().filter(kind__in=kinds)

    @extend_schema(request=None, responses=AlertSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        """The user has seen it; it stays open until its condition ends."""
        alert = services.acknowledge(alert=self.get_object(), user=request.user)
        return Response(self.get_serializer(alert).data)


class AlertKindSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)
    view_permission = serializers.CharField(read_only=True)
    threshold_label = serializers.CharField(
        read_only=True, help_text=_("What the threshold counts; empty when the kind has none.")
    )
    default_threshold = serializers.IntegerField(read_only=True, allow_null=True)
    link = serializers.CharField(read_only=True)
    is_enabled = serializers.BooleanField(required=False, label=_("enabled"))
    threshold = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100_000, label=_("threshold")
    )
    open_alerts = serializers.IntegerField(read_only=True, label=_("open alerts"))


CODE = OpenApiParameter("code", OpenApiTypes.STR, OpenApiParameter.PATH)


class AlertKindViewSet(JxcViewSet):
    """The registered alert kinds (those the user may see) with this organization's setting of
    each: on or off, and the threshold (``workflow.configure`` to change)."""

    module = "workflow"
    serializer_class = AlertKindSerializer
    lookup_field = "code"
    lookup_value_regex = r"[\w.\-]+"
    pagination_class = None
    filter_backends = []
    action_permissions = {"list": None, "partial_update": "configure"}

    def list(self, request):
        return Response([self._row(kind) for kind in visible_kinds(request)])

    @extend_schema(parameters=[CODE])
    def partial_update(self, request, code=None):
        kind = alert_kind(code, field="code")
        body = AlertKindSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.configure_alert_kind(
            organization=request.organization, code=kind.code, data=body.validated_data
        )
        return Response(self._row(kind))

    def _row(self, kind) -> dict:
        setting = services.setting_of(self.request.organization, kind)
        return AlertKindSerializer(
            {
                "code": kind.code,
                "label": str(kind.label),
                "view_permission": kind.view_permission,
                "threshold_label": str(kind.threshold_label),
                "default_threshold": kind.default_threshold,
                "link": kind.link,
                "is_enabled": setting.is_enabled,
                "threshold": setting.threshold,
                "open_alerts": Alert.objects.filter(
                    organization=self.request.organization, kind=kind.code,
                    cleared_at__isnull=True,
                ).count(),
            }
        ).data  # fmt: skip
