"""审批: approval requests — the approver's inbox, approve, reject, withdraw, and the approval
history of a document.

Who may decide is settled by the request's levels (not by a module permission), so the
decision endpoints are open to every member and the service names the reason when the user
is not entitled. Retries are safe: the decision locks the request, a second decision gets
"already decided", and every POST honours ``Idempotency-Key``.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import ReadOnlyScopedViewSet
from jxc.core.errors import PermissionDenied, ValidationFailed
from jxc.workflow.api.rules import ApproverNamesMixin, LevelsField
from jxc.workflow.models import ApprovalRequest, ApprovalStep
from jxc.workflow.registry import approvable, approvable_types
from jxc.workflow.selectors import document_history, inbox, may_act, visible_requests, with_steps
from jxc.workflow.services import approvals


class ApprovalStepSerializer(serializers.ModelSerializer):
    approver_name = DisplayNameField(source="approver", label=gettext_lazy("approver"))

    class Meta:
        model = ApprovalStep
        fields = ["id", "level", "approver", "approver_name", "decision", "comment", "decided_at"]


class ApprovalRequestSerializer(serializers.ModelSerializer):
    document_type_label = serializers.SerializerMethodField(label=gettext_lazy("document type"))
    level_name = serializers.CharField(read_only=True, label=gettext_lazy("current level"))
    levels = LevelsField(read_only=True, label=gettext_lazy("levels"))
    submitted_by_name = DisplayNameField(source="submitted_by", label=gettext_lazy("submitter"))
    steps = ApprovalStepSerializer(many=True, read_only=True)
    can_decide = serializers.SerializerMethodField(
        help_text=gettext_lazy("The current user may approve or reject it now.")
    )
    can_withdraw = serializers.SerializerMethodField(
        help_text=gettext_lazy("The current user submitted it and it is still pending.")
    )

    class Meta:
        model = ApprovalRequest
        fields = [
            "id",
            "document_type",
            "document_type_label",
            "document_id",
            "document_number",
            "summary",
            "base_amount",
            "currency",
            "rule",
            "rule_name",
            "state",
            "levels",
            "current_level",
            "level_name",
            "allow_self_approval",
            "submitted_by",
            "submitted_by_name",
            "submitted_at",
            "waiting_since",
            "decided_at",
            "reason",
            "steps",
            "can_decide",
            "can_withdraw",
        ]

    def get_document_type_label(self, request) -> str:
        labels = self.context.setdefault(
            "document_type_labels", {t.code: str(t.label) for t in approvable_types()}
        )
        return labels.get(request.document_type, request.document_type)

    def _user(self):
        return self.context["request"].user

    def get_can_decide(self, request) -> bool:
        return may_act(request, self._user())

    def get_can_withdraw(self, request) -> bool:
        return (
            request.state == ApprovalRequest.State.PENDING
            and request.submitted_by_id == self._user().pk
        )


class DecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        label=gettext_lazy("comment"),
        help_text=gettext_lazy("Required to reject: the reason the submitter will see."),
    )  # fmt: skip
    level = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None,
        label=gettext_lazy("level"),
        help_text=gettext_lazy("The level (from 0) the approver is deciding, as they saw it; "
                               "refused as already decided if the request has moved on."),
    )  # fmt: skip


class WithdrawSerializer(serializers.Serializer):
    comment = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="",
        label=gettext_lazy("comment"),
    )  # fmt: skip


HISTORY_PARAMETERS = [
    OpenApiParameter("document_type", OpenApiTypes.STR, required=True),
    OpenApiParameter("document_id", OpenApiTypes.INT, required=True),
]


class ApprovalRequestViewSet(ApproverNamesMixin, ReadOnlyScopedViewSet):
    """审批单. The list shows what the user submitted or is an approver of (everything, for
    those who may view workflow); ``inbox/`` what they may decide now."""

    module = "workflow"
    serializer_class = ApprovalRequestSerializer
    queryset = ApprovalRequest.objects.all()
    filterset_fields = {
        "state": ["exact"],
        "document_type": ["exact"],
        "document_id": ["exact"],
        "submitted_by": ["exact"],
        "submitted_at": ["date__gte", "date__lte"],
    }
    search_fields = ["document_number", "summary", "rule_name"]
    ordering_fields = ["submitted_at", "waiting_since", "base_amount", "id"]
    ordering = ["-submitted_at", "-id"]
    # entitlement comes from the request's levels, checked by the service
    action_permissions = {
        "list": None,
        "retrieve": None,
        "inbox": None,
        "history": None,
        "approve": None,
        "reject": None,
        "withdraw": None,
    }

    def get_queryset(self):
        organization, user = self.request.organization, self.request.user
        if self.action in ("approve", "reject", "withdraw"):
            # any request of the organization: someone not entitled is told why, not "not found"
            return with_steps(super().get_queryset())
        see_all = self.request.access.allows("workflow.view")
        return with_steps(visible_requests(organization, user, see_all=see_all))

    @extend_schema(responses=ApprovalRequestSerializer(many=True))
    @action(detail=False, methods=["get"])
    def inbox(self, request):
        """待我审批: pending requests the user may approve or reject now, oldest waiting first."""
        queryset = self.filter_queryset(with_steps(inbox(request.organization, request.user)))
        if "ordering" not in request.query_params:
            queryset = queryset.order_by("waiting_since", "id")
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=HISTORY_PARAMETERS, responses=ApprovalRequestSerializer(many=True))
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request):
        """A document's approval history: each submission with every approver's decision."""
        document_type, document_id = self._document_params(request)
        requests = document_history(request.organization, document_type, document_id)
        return Response(self.get_serializer(requests, many=True).data)

    @extend_schema(request=DecisionSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self._body(DecisionSerializer)
        decided = approvals.approve(
            request=self.get_object(), user=request.user, comment=data["comment"],
            level=data["level"],
        )  # fmt: skip
        return self._render(decided)

    @extend_schema(request=DecisionSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self._body(DecisionSerializer)
        decided = approvals.reject(
            request=self.get_object(), user=request.user, comment=data["comment"],
            level=data["level"],
        )  # fmt: skip
        return self._render(decided)

    @extend_schema(request=WithdrawSerializer, responses=ApprovalRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """撤回: the submitter takes back a pending request; the document returns to draft."""
        data = self._body(WithdrawSerializer)
        withdrawn = approvals.withdraw(
            request=self.get_object(), user=request.user, comment=data["comment"]
        )
        return self._render(withdrawn)

    def _body(self, serializer_class) -> dict:
        body = serializer_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return body.validated_data

    def _render(self, approval_request):
        fresh = with_steps(ApprovalRequest.objects.filter(pk=approval_request.pk)).get()
        return Response(self.get_serializer(fresh).data)

    def _document_params(self, request) -> tuple[str, int]:
        document_type = request.query_params.get("document_type", "")
        raw_id = request.query_params.get("document_id", "")
        doc_type = approvable(document_type)
        if not raw_id.isdigit() or int(raw_id) >= 2**62:
            raise ValidationFailed(_("Expected an id."), field="document_id")
        access = request.access
        needed = doc_type.view_permission
        if needed and not (access.allows(needed) or access.allows("workflow.view")):
            raise PermissionDenied(_("Your role does not allow you to view these documents."))
        return doc_type.code, int(raw_id)
