"""Log in and out, and the current user's profile, organization and permissions (``me``)."""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from jxc.core.api.context import remember_organization, resolve_access
from jxc.core.api.views import JxcAPIView
from jxc.core.errors import ValidationFailed
from jxc.core.models import User
from jxc.core.modules import registered_modules
from jxc.core.permissions import ACTIONS, MEMBER_MODULES, MODULES
from jxc.core.selectors import user_organizations
from jxc.core.services import users as user_services


class OrganizationBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)


class RoleBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField(source="display_name")


class ModuleBriefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.CharField()
    language = serializers.CharField()
    is_superuser = serializers.BooleanField()
    organization = OrganizationBriefSerializer(allow_null=True)
    organizations = OrganizationBriefSerializer(many=True)
    roles = RoleBriefSerializer(many=True)
    permissions = serializers.ListField(child=serializers.CharField())
    can_see_costs = serializers.BooleanField()
    modules = ModuleBriefSerializer(many=True)


def me_body(request) -> dict:
    user, access = request.user, request.access
    modules = [
        {"code": code, "name": str(MODULES[code])}
        for code in registered_modules()
        if access.allows(f"{code}.view") or code in MEMBER_MODULES
    ]
    data = {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name or user.username,
        "email": user.email,
        "language": user.language,
        "is_superuser": user.is_superuser,
        "organization": request.organization,
        "organizations": list(user_organizations(user)),
        "roles": list(access.roles),
        "permissions": sorted(access.permissions),
        "can_see_costs": access.can_see_costs,
        "modules": modules,
    }
    return MeSerializer(data).data


class CsrfView(JxcAPIView):
    """Set the CSRF cookie the UI sends back as ``X-CSRFToken``."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    @extend_schema(responses=inline_serializer("Csrf", {"csrf_token": serializers.CharField()}))
    def get(self, request):
        return Response({"csrf_token": get_token(request)})

    @classmethod
    def as_view(cls, **initkwargs):
        return ensure_csrf_cookie(super().as_view(**initkwargs))


class LoginThrottle(AnonRateThrottle):
    scope = "login"


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("username"), max_length=150)
    password = serializers.CharField(
        label=gettext_lazy("password"),
        max_length=128,
        style={"input_type": "password"},
        trim_whitespace=False,
    )


class LoginView(JxcAPIView):
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=LoginSerializer, responses=MeSerializer)
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            raise ValidationFailed(_("Wrong username or password."), field="password")
        login(request, user)
        resolve_access(request)
        return Response(me_body(request))


class LogoutView(JxcAPIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeUpdateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(choices=User.Language.choices, required=False)
    display_name = serializers.CharField(max_length=64, required=False, allow_blank=True)


class SwitchOrganizationSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        label=gettext_lazy("organization"), min_value=1, max_value=2**62
    )


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class MeView(JxcAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(me_body(request))

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_services.update_profile(user=request.user, **serializer.validated_data)
        return Response(me_body(request))


class SwitchOrganizationView(JxcAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=SwitchOrganizationSerializer, responses=MeSerializer)
    def post(self, request):
        serializer = SwitchOrganizationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = (
            user_organizations(request.user)
            .filter(pk=serializer.validated_data["organization"])
            .first()
        )
        if organization is None:
            raise ValidationFailed(
                _("You are not a member of this organization."), field="organization"
            )
        remember_organization(request, organization)
        resolve_access(request)
        return Response(me_body(request))


class ChangePasswordView(JxcAPIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=ChangePasswordSerializer, responses={204: None})
    def post(self, request):
        serializer = ChangePasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_services.change_own_password(user=request.user, **serializer.validated_data)
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CatalogEntrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    exists = serializers.BooleanField(required=False)


class PermissionCatalogSerializer(serializers.Serializer):
    modules = CatalogEntrySerializer(many=True)
    actions = CatalogEntrySerializer(many=True)


class PermissionCatalogView(JxcAPIView):
    """Modules × actions, for drawing the role editor."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=PermissionCatalogSerializer)
    def get(self, request):
        existing = set(registered_modules())
        return Response(
            {
                "modules": [
                    {"code": c, "name": str(n), "exists": c in existing} for c, n in MODULES.items()
                ],
                "actions": [{"code": c, "name": str(n)} for c, n in ACTIONS.items()],
            }
        )
