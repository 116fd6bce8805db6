"""API tokens for integrations."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import OrganizationScopedViewSet
from jxc.core.models import ApiToken
from jxc.core.services import tokens as services


class ApiTokenSerializer(serializers.ModelSerializer):
    user_name = DisplayNameField(source="user", label=_("user"))
    is_active = serializers.SerializerMethodField(label=_("active"))

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "prefix",
            "user",
            "user_name",
            "organization",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        ]
        read_only_fields = [
            "prefix",
            "user",
            "organization",
            "created_at",
            "last_used_at",
            "revoked_at",
        ]

    def get_is_active(self, token) -> bool:
        from django.utils import timezone

        return token.revoked_at is None and (
            token.expires_at is None or token.expires_at > timezone.now()
        )


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The key; shown only once.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]


class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    OrganizationScopedViewSet,
):
    """Everyone manages their own tokens; ``settings.configure`` sees the organization's."""

    module = "settings"
    serializer_class = ApiTokenSerializer
    queryset = ApiToken.objects.select_related("user")
    filterset_fields = ["user"]
    search_fields = ["name", "prefix", "user__username"]
    ordering_fields = ["created_at", "name", "last_used_at"]
    ordering = ["-created_at"]
    action_permissions = {
        "list": None,
        "retrieve": None,
        "create": None,
        "revoke": None,
        "export": None,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if not self.request.access.allows("settings.configure"):
            queryset = queryset.filter(user=self.request.user)
        return queryset

    @extend_schema(responses={201: NewApiTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = services.create_api_token(
            organization=request.organization, user=request.user, **serializer.validated_data
        )
        token.token = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=ApiTokenSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = services.revoke_api_token(token=self.get_object())
        return Response(self.get_serializer(token).data)
