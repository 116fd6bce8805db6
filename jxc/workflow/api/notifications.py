"""通知: the user's in-app inbox (unread count, mark read) and their notification preferences
per event type and channel. Every member has their own; no module permission is needed."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.views import JxcViewSet, ReadOnlyScopedViewSet
from jxc.workflow.models import Notification
from jxc.workflow.services import notifications as services

MEMBERS = None  # action_permissions value: any member of the organization


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = [
            "id",
            "event_type",
            "title",
            "body",
            "document_type",
            "document_id",
            "link",
            "created_at",
            "read_at",
        ]


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(label=_("unread"))


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        allow_empty=False,
        max_length=500,
        label=_("notifications"),
    )


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("How many notifications were marked read."))
    unread = serializers.IntegerField(label=_("unread"))


class NotificationViewSet(ReadOnlyScopedViewSet):
    """The current user's notifications in the active organization, newest first."""

    module = "workflow"
    serializer_class = NotificationSerializer
    queryset = Notification.objects.all()
    filterset_fields = {"event_type": ["exact"], "read_at": ["isnull"]}
    search_fields = ["title", "body"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    action_permissions = dict.fromkeys(
        ("list", "retrieve", "export", "unread_count", "mark_read", "mark_all_read"), MEMBERS
    )

    def get_queryset(self):
        return super().get_queryset().filter(recipient=self.request.user, in_app=True)

    @extend_schema(responses=UnreadCountSerializer, filters=False)
    @action(detail=False, methods=["get"], url_path="unread-count", filter_backends=[])
    def unread_count(self, request):
        """For the header's badge."""
        return Response({"unread": self._unread()})

    @extend_schema(request=MarkReadSerializer, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read", filter_backends=[])
    def mark_read(self, request):
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.mark_read(
            organization=request.organization, user=request.user,
            notification_ids=body.validated_data["ids"],
        )  # fmt: skip
        return Response({"marked": marked, "unread": self._unread()})

    @extend_schema(request=None, responses=MarkedSerializer)
    @action(detail=False, methods=["post"], url_path="mark-all-read", filter_backends=[])
    def mark_all_read(self, request):
        marked = services.mark_all_read(organization=request.organization, user=request.user)
        return Response({"marked": marked, "unread": self._unread()})

    def _unread(self) -> int:
        return (
            Notification.objects.filter(
                organization=self.request.organization, recipient=self.request.user,
                in_app=True, read_at__isnull=True,
            ).count()
        )  # fmt: skip


class PreferenceSerializer(serializers.Serializer):
    event_type = serializers.CharField(read_only=True, label=_("event type"))
    label = serializers.CharField(read_only=True, label=_("name"))
    in_app = serializers.BooleanField(required=False, label=_("in the app"))
    email = serializers.BooleanField(required=False, label=_("by e-mail"))


EVENT_TYPE = OpenApiParameter(
    "event_type", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("event type code")
)


class NotificationPreferenceViewSet(JxcViewSet):
    """Which events the user is told of, per channel (in-app on and e-mail off unless changed),
    for every event type their roles let them receive."""

    module = "workflow"
    serializer_class = PreferenceSerializer
    lookup_field = "event_type"
    lookup_value_regex = r"[\w.\-]+"
    pagination_class = None
    filter_backends = []
    action_permissions = {"list": MEMBERS, "partial_update": MEMBERS}

    def list(self, request):
        rows = services.preferences(request.organization, request.user)
        return Response(PreferenceSerializer(rows, many=True).data)

    @extend_schema(parameters=[EVENT_TYPE])
    def partial_update(self, request, event_type=None):
        body = PreferenceSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        row = services.set_preference(
            organization=request.organization, user=request.user, code=event_type,
            channels=body.validated_data,
        )  # fmt: skip
        return Response(PreferenceSerializer(row).data)
