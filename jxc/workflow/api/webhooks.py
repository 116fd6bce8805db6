"""Webhooks: endpoints (CRUD, send a test event) and the delivery log (re-send). Settings of
the organization: ``workflow.configure`` for everything."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.views import OrganizationScopedViewSet
from jxc.workflow.event_types import event_types
from jxc.workflow.models import WebhookDelivery, WebhookEndpoint
from jxc.workflow.services import webhooks as services

CONFIGURE = "configure"


class WebhookSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=64, label=_("name"))
    url = serializers.CharField(
        max_length=500, label=_("URL"), help_text=_("http:// or https:// only.")
    )
    event_types = serializers.ListField(
        child=serializers.CharField(max_length=64), label=_("event types"),
        help_text=_("Codes from event-types; the endpoint receives only these."),
    )  # fmt: skip
    secret = serializers.CharField(
        max_length=128, min_length=16, required=False, label=_("secret"),
        help_text=_("Signs each body (X-JXC-Signature: sha256=HMAC-SHA256 hex); generated when "
                    "not given."),
    )  # fmt: skip

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "name", "url", "event_types", "secret", "is_active", "created_at"]
        read_only_fields = ["created_at"]

    def to_representation(self, instance):
        """The secret is shown once, in the answer to the write that set it (create, or an
        update that changes it): lists and reads never carry it."""
        data = super().to_representation(instance)
        if not self.context.get("show_secret"):
            data.pop("secret", None)
        return data


class DeliverySerializer(serializers.ModelSerializer):
    endpoint_name = serializers.CharField(source="endpoint.name", read_only=True,
                                          label=_("webhook"))  # fmt: skip

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "endpoint",
            "endpoint_name",
            "event_id",
            "event_type",
            "body",
            "status",
            "attempts",
            "response_code",
            "response_body",
            "error",
            "created_at",
            "last_attempt_at",
            "next_retry_at",
            "delivered_at",
            "resent_from",
        ]


class EventTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class WebhookViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """Webhook endpoints: a URL, the event types it receives and the secret that signs them."""

    module = "workflow"
    serializer_class = WebhookSerializer
    queryset = WebhookEndpoint.objects.all()
    filterset_fields = ["is_active"]
    search_fields = ["name", "url"]
    ordering_fields = ["name", "created_at", "id"]
    ordering = ["name", "id"]
    export_exclude = ("secret",)
    action_permissions = dict.fromkeys(
        ("list", "retrieve", "export", "create", "update", "partial_update", "destroy",
         "send_test", "event_types"), CONFIGURE,
    )  # fmt: skip

    def perform_create(self, serializer):
        serializer.instance = services.save_endpoint(
            organization=self.request.organization, data=serializer.validated_data
        )
        serializer.context["show_secret"] = True

    def perform_update(self, serializer):
        serializer.instance = services.save_endpoint(
            organization=self.request.organization,
            data=serializer.validated_data,
            endpoint=serializer.instance,
        )
        serializer.context["show_secret"] = "secret" in serializer.validated_data

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"], url_path="send-test")
    def send_test(self, request, pk=None):
        """Send a ``webhook.test`` event to this endpoint now (see the delivery log)."""
        delivery = services.send_test_event(endpoint=self.get_object(), user=request.user)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=EventTypeSerializer(many=True))
    @action(detail=False, methods=["get"], url_path="event-types", pagination_class=None,
            filter_backends=[])  # fmt: skip
    def event_types(self, request):
        """The event types an endpoint may subscribe to."""
        return Response([{"code": t.code, "label": str(t.label)} for t in event_types()])


class WebhookDeliveryViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    """The delivery log: every event sent to every endpoint, with its attempts and response."""

    module = "workflow"
    serializer_class = DeliverySerializer
    queryset = WebhookDelivery.objects.select_related("endpoint")
    filterset_fields = {"endpoint": ["exact"], "status": ["exact"], "event_type": ["exact"]}
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]
    action_permissions = dict.fromkeys(("list", "retrieve", "export", "resend"), CONFIGURE)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send the same event again, as a new delivery."""
        delivery = services.resend(delivery=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
