"""The organizations (companies and branches) the user is a member of."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers

from jxc.core.api.export import ExportMixin
from jxc.core.api.fields import OrganizationScopedPKField
from jxc.core.api.views import JxcViewSet
from jxc.core.errors import PermissionDenied
from jxc.core.models import Organization
from jxc.core.selectors import access_for, user_organizations
from jxc.core.services import organizations as services


class OrganizationSerializer(serializers.ModelSerializer):
    parent = OrganizationScopedPKField(
        scope=lambda organization: Organization.objects.none(),
        allow_null=True,
        required=False,
        label=gettext_lazy("parent organization"),
    )
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)

    class Meta:
        model = Organization
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "parent_name",
            "tax_id",
            "address",
            "phone",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["kind", "created_at"]
        extra_kwargs = {"code": {"validators": []}}

    def get_fields(self):
        fields = super().get_fields()
        user = self.context["request"].user
        # a new branch may hang under any organization the user belongs to
        fields["parent"].scope = lambda _organization: user_organizations(user)
        if self.instance is not None:
            fields["code"].read_only = True
            fields["parent"].read_only = True
        return fields


class OrganizationViewSet(
    ExportMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    JxcViewSet,
):
    module = "settings"
    serializer_class = OrganizationSerializer
    queryset = Organization.objects.all()
    filterset_fields = ["kind", "is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "created_at"]
    ordering = ["code"]

    def get_queryset(self):
        return (
            Organization.objects.filter(memberships__user=self.request.user)
            .select_related("parent")
            .distinct()
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = data.pop("parent", None) or self.request.organization
        if not access_for(self.request.user, parent).allows("settings.configure"):
            raise PermissionDenied(_("You may not add branches to this organization."))
        serializer.instance = services.create_organization(
            parent=parent, creator=self.request.user, **data
        )

    def perform_update(self, serializer):
        organization = serializer.instance
        if not access_for(self.request.user, organization).allows("settings.edit"):
            raise PermissionDenied(_("You may not change this organization."))
        serializer.instance = services.update_organization(
            organization=organization, **serializer.validated_data
        )
