"""Members of the active organization, and roles."""

import django_filters
from django.core.validators import RegexValidator
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.export import ExportMixin
from jxc.core.api.fields import OrganizationScopedPKField
from jxc.core.api.views import JxcViewSet
from jxc.core.models import Membership, Role, User
from jxc.core.permissions import ALL_PERMISSIONS
from jxc.core.selectors import members_of, roles_visible_to
from jxc.core.services import users as services


def _roles_in(organization):
    return roles_visible_to(organization)


class UserSerializer(serializers.ModelSerializer):
    roles = OrganizationScopedPKField(
        scope=_roles_in, many=True, label=_("roles"), source="member_roles"
    )
    role_names = serializers.SerializerMethodField(label=_("role names"))
    manager = OrganizationScopedPKField(
        scope=members_of,
        source="member_manager",
        required=False,
        allow_null=True,
        label=_("manager"),
        help_text=_("The member's manager (直属上级), to whom approvals can be addressed."),
    )
    manager_name = serializers.SerializerMethodField(label=_("manager name"))
    password = serializers.CharField(
        write_only=True, max_length=128, trim_whitespace=False, label=_("password")
    )

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "display_name",
            "email",
            "phone",
            "is_active",
            "language",
            "roles",
            "role_names",
            "manager",
            "manager_name",
            "password",
            "last_login",
            "date_joined",
        ]
        read_only_fields = ["last_login", "date_joined"]

    def get_role_names(self, user) -> list[str]:
        return [str(role) for role in user.member_roles]

    def get_manager_name(self, user) -> str | None:
        return str(user.member_manager) if user.member_manager else None

    def _memberships(self, user):
        memberships = getattr(user, "active_memberships", None)
        if memberships is None:
            memberships = list(
                user.memberships.filter(organization=self.context["organization"]).select_related(
                    "manager"
                )
            )
        return memberships

    def to_representation(self, user):
        memberships = self._memberships(user)
        user.member_roles = [role for m in memberships for role in m.roles.all()]
        user.member_manager = next((m.manager for m in memberships), None)
        return super().to_representation(user)

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and "password" in fields:
            fields["password"].required = False
        return fields


class UserUpdateSerializer(UserSerializer):
    class Meta(UserSerializer.Meta):
        fields = [f for f in UserSerializer.Meta.fields if f != "password"]
        read_only_fields = ["username", "last_login", "date_joined"]
        extra_kwargs = {"roles": {"required": False}}


class SetPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False, label=_("password"))


class UserFilter(django_filters.FilterSet):
    role = django_filters.NumberFilter(field_name="memberships__roles", label=_("role"))

    class Meta:
        model = User
        fields = ["is_active"]


class UserViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    JxcViewSet,
):
    """Users who are members of the active organization."""

    module = "settings"
    serializer_class = UserSerializer
    queryset = User.objects.all()
    filterset_class = UserFilter
    search_fields = ["username", "display_name", "email"]
    ordering_fields = ["username", "display_name", "date_joined", "last_login"]
    ordering = ["username"]
    action_permissions = {"set_password": "edit"}

    def get_queryset(self):
        organization = self.request.organization
        memberships = (
            Membership.objects.filter(organization=organization)
            .select_related("manager")
            .prefetch_related("roles")
        )
        return (
            members_of(organization)
            .prefetch_related(
                Prefetch("memberships", queryset=memberships, to_attr="active_memberships")
            )
            .distinct()
        )

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return UserUpdateSerializer
        return UserSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.create_member(
            organization=self.request.organization,
            username=data.pop("username"),
            password=data.pop("password"),
            roles=data.pop("member_roles"),
            manager=data.pop("member_manager", None),
            **data,
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        roles = data.pop("member_roles", None)
        if "member_manager" in data:
            data["manager"] = data.pop("member_manager")
        serializer.instance = services.update_member(
            organization=self.request.organization, user=serializer.instance, roles=roles, **data
        )
        serializer.instance.active_memberships = None

    def perform_destroy(self, instance):
        services.remove_member(
            organization=self.request.organization, user=instance, acting_user=self.request.user
        )

    @extend_schema(request=SetPasswordSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        user = self.get_object()
        serializer = SetPasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_password(user=user, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PermissionListField(serializers.ListField):
    child = serializers.ChoiceField(choices=sorted(ALL_PERMISSIONS))


class RoleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=64, label=_("name"))
    permissions = PermissionListField(label=_("permissions"), max_length=len(ALL_PERMISSIONS))
    member_count = serializers.IntegerField(read_only=True, label=_("members"))

    class Meta:
        model = Role
        fields = [
            "id",
            "code",
            "name",
            "description",
            "is_builtin",
            "permissions",
            "can_see_costs",
            "member_count",
        ]
        read_only_fields = ["is_builtin"]
        extra_kwargs = {
            "code": {
                "validators": [
                    RegexValidator(
                        r"^[A-Za-z0-9_-]+$", _("Role codes use letters, digits, '-' and '_'.")
                    )
                ]
            }
        }

    def to_representation(self, role):
        data = super().to_representation(role)
        data["name"] = str(role.display_name)
        return data


class RoleViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    JxcViewSet,
):
    """Built-in roles (read only) and the organization's custom roles."""

    module = "settings"
    serializer_class = RoleSerializer
    queryset = Role.objects.all()
    filterset_fields = ["is_builtin", "can_see_costs"]
    search_fields = ["code", "name", "description"]
    ordering_fields = ["code", "name", "id"]
    ordering = ["-is_builtin", "id"]

    def get_queryset(self):
        organization = self.request.organization
        return roles_visible_to(organization).annotate(
            member_count=Count("memberships", filter=Q(memberships__organization=organization))
        )

    def perform_create(self, serializer):
        serializer.instance = services.create_role(
            organization=self.request.organization, **serializer.validated_data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("code", None)  # the code identifies the role; it does not change
        serializer.instance = services.update_role(role=serializer.instance, **data)

    def perform_destroy(self, instance):
        services.delete_role(role=instance)


class MemberSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True, label=_("name"))
    manager = serializers.SerializerMethodField(label=_("manager"))

    class Meta:
        model = User
        fields = ["id", "username", "name", "manager"]

    def get_manager(self, user) -> int | None:
        """The id of the member's manager in this organization, if one is set."""
        return next((m.manager_id for m in user.active_memberships), None)


class MemberViewSet(mixins.ListModelMixin, JxcViewSet):
    """Active members of the organization, for choosing a salesperson, purchaser or keeper.

    Any member may list them (names only); managing users stays in ``users/``.
    """

    module = "settings"
    serializer_class = MemberSerializer
    queryset = User.objects.all()
    action_permissions = {"list": None}
    search_fields = ["username", "display_name"]
    ordering = ["username"]

    def get_queryset(self):
        organization = self.request.organization
        return (
            members_of(organization)
            .filter(is_active=True)
            .prefetch_related(
                Prefetch(
                    "memberships",
                    queryset=Membership.objects.filter(organization=organization),
                    to_attr="active_memberships",
                )
            )
            .distinct()
        )
