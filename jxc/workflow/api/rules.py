"""审批规则: approval rules per document type, and the document types (with the condition
fields each offers) that apps registered for approval."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.views import OrganizationScopedViewSet
from jxc.core.selectors import members_of, roles_visible_to
from jxc.workflow.domain.levels import ALL, ANY, MANAGER, ROLE, USER
from jxc.workflow.domain.rules import CONDITION_FIELDS, OPERATORS
from jxc.workflow.models import ApprovalRule
from jxc.workflow.registry import approvable_types
from jxc.workflow.services import rules as services

MODES = [(ANY, _("Any one of them (或签)")), (ALL, _("All of them (会签)"))]
APPROVER_TYPES = [(ROLE, _("Role")), (USER, _("User")), (MANAGER, _("The submitter's manager"))]


class ConditionSerializer(serializers.Serializer):
    """``value``: a number (as a string) for gte/gt/lte/lt; [low, high] for between; a list of
    codes (currency) or ids (partner, warehouse, category) for in/not_in; true/false for is."""

    field = serializers.CharField()
    operator = serializers.CharField()
    value = serializers.JSONField()


class ApproverSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=APPROVER_TYPES)
    id = serializers.IntegerField(required=False, allow_null=True, help_text=_("role or user id"))
    name = serializers.CharField(read_only=True, help_text=_("the role's or user's name"))


class LevelSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)
    mode = serializers.ChoiceField(choices=MODES, default=ANY)
    approvers = ApproverSerializer(many=True)


# Shapes are documented here and checked in one place, the domain parser (with field paths
# such as ``levels.1.approvers``), so API and service callers get the same errors.
@extend_schema_field(ConditionSerializer(many=True))
class ConditionsField(serializers.JSONField):
    pass


@extend_schema_field(LevelSerializer(many=True))
class LevelsField(serializers.JSONField):
    def to_representation(self, value):
        names = self.context.get("approver_names")
        if names is None:
            return value
        return [
            {**level, "approvers": [{**a, "name": names.get(a)} for a in level["approvers"]]}
            for level in value
        ]


class ApproverNames:
    """Names of the roles and members the rules name, loaded once per response."""

    def __init__(self, organization):
        self.organization = organization
        self._names = None

    def get(self, approver: dict) -> str | None:
        if self._names is None:
            roles = roles_visible_to(self.organization)
            users = members_of(self.organization).distinct()
            self._names = {
                **{(ROLE, role.pk): str(role) for role in roles},
                **{(USER, user.pk): str(user) for user in users},
            }
        if approver.get("type") == MANAGER:
            return str(_("The submitter's manager"))
        return self._names.get((approver.get("type"), approver.get("id")))


class ApproverNamesMixin:
    """Gives the serializers the names of the roles and users that levels name."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        organization = getattr(self.request, "organization", None)
        if organization is not None:
            context["approver_names"] = ApproverNames(organization)
        return context


class ApprovalRuleSerializer(serializers.ModelSerializer):
    name = serializers.CharField(max_length=64, label=_("name"))
    document_type = serializers.CharField(max_length=64, label=_("document type"))
    document_type_label = serializers.SerializerMethodField(label=_("document type name"))
    priority = serializers.IntegerField(
        min_value=0, max_value=1_000_000, default=100, label=_("priority"),
        help_text=_("Rules are tried from the lowest priority number up; the first that matches "
                    "applies."),
    )  # fmt: skip
    conditions = ConditionsField(required=False, label=_("conditions"))
    levels = LevelsField(label=_("levels"))

    class Meta:
        model = ApprovalRule
        fields = [
            "id",
            "name",
            "document_type",
            "document_type_label",
            "priority",
            "conditions",
            "levels",
            "allow_self_approval",
            "is_active",
            "description",
        ]

    def get_document_type_label(self, rule) -> str:
        types = {t.code: t for t in approvable_types()}
        found = types.get(rule.document_type)
        return str(found.label) if found else rule.document_type


class ConditionFieldSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    operators = serializers.ListField(child=serializers.CharField())


class ApprovableTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    fields = ConditionFieldSerializer(many=True)


def _document_type_data(doc_type) -> dict:
    return {
        "code": doc_type.code,
        "label": str(doc_type.label),
        "fields": [
            {
                "code": name,
                "label": str(CONDITION_FIELDS[name].label),
                "kind": CONDITION_FIELDS[name].kind.value,
                "operators": list(OPERATORS[CONDITION_FIELDS[name].kind]),
            }
            for name in doc_type.fields
        ],
    }


class ApprovalRuleViewSet(
    ApproverNamesMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """审批规则: per document type, the conditions and the ordered levels of approvers."""

    module = "workflow"
    serializer_class = ApprovalRuleSerializer
    queryset = ApprovalRule.objects.all()
    filterset_fields = {"document_type": ["exact"], "is_active": ["exact"]}
    search_fields = ["name", "description", "document_type"]
    ordering_fields = ["document_type", "priority", "name", "id"]
    ordering = ["document_type", "priority", "id"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "destroy": "configure",
        "document_types": "view",
    }

    def perform_create(self, serializer):
        serializer.instance = services.save_rule(
            organization=self.request.organization, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.save_rule(
            organization=self.request.organization,
            data=serializer.validated_data,
            rule=serializer.instance,
        )

    def perform_destroy(self, instance):
        services.delete_rule(rule=instance)

    @extend_schema(responses=ApprovableTypeSerializer(many=True))
    @action(
        detail=False,
        methods=["get"],
        url_path="document-types",
        pagination_class=None,
        filter_backends=[],
    )
    def document_types(self, request):
        """The document types apps registered for approval, and the condition fields each
        offers with the operators each field takes."""
        return Response([_document_type_data(doc_type) for doc_type in approvable_types()])
