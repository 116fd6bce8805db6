"""The chart of accounts, account roles and posting rules."""

from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.fields import OrganizationScopedPKField
from jxc.core.api.views import OrganizationScopedViewSet
from jxc.core.errors import ValidationFailed
from jxc.finance.charts import TEMPLATES
from jxc.finance.events import labels
from jxc.finance.models import Account, AccountRole, PostingRule
from jxc.finance.services import chart
from jxc.finance.services.vouchers import control_accounts
from jxc.masterdata.api.common import category_field, currency_field, scoped, tax_rate_field


def account_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Account), **kwargs)


class AccountSerializer(serializers.ModelSerializer):
    parent = account_field(required=False, allow_null=True, label=gettext_lazy("parent account"))
    currency = currency_field(required=False, allow_null=True, label=gettext_lazy("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True, default=None)
    dimensions = serializers.DictField(
        child=serializers.ChoiceField(choices=chart.DIMENSION_MODES),
        required=False,
        label=gettext_lazy("auxiliary dimensions"),
        help_text=gettext_lazy(
            "Dimension (partner, warehouse, department, project) → required or optional."
        ),
    )
    type = serializers.ChoiceField(choices=Account.Type.choices, required=False)
    is_control = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "A partner ledger account (应收, 预收, 应付, 预付): manual vouchers do not book it."
        )
    )
    direction = serializers.ChoiceField(choices=Account.Direction.choices, required=False)

    class Meta:
        model = Account
        fields = [
            "id",
            "code",
            "name",
            "parent",
            "type",
            "direction",
            "currency",
            "currency_code",
            "dimensions",
            "is_leaf",
            "is_active",
            "is_control",
        ]
        read_only_fields = ["is_leaf"]

    def get_is_control(self, account) -> bool:
        controls = self.context.get("_controls")
        if controls is None:
            controls = self.context["_controls"] = set(control_accounts(account.organization_id))
        return account.pk in controls


class TemplateSerializer(serializers.Serializer):
    template = serializers.ChoiceField(choices=list(TEMPLATES.items()))


class AccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """会计科目: the organization's chart of accounts, a tree by code."""

    module = "finance"
    serializer_class = AccountSerializer
    queryset = Account.objects.select_related("currency")
    filterset_fields = {
        "type": ["exact"],
        "is_leaf": ["exact"],
        "is_active": ["exact"],
        "parent": ["exact", "isnull"],
    }
    search_fields = ["code", "name"]
    ordering_fields = ["code"]
    ordering = ["code"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "destroy": "configure",
        "apply_template": "configure",
        "templates": "view",
    }

    def perform_create(self, serializer):
        serializer.instance = chart.save_account(
            organization=self.request.organization, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = chart.save_account(
            organization=self.request.organization,
            data=serializer.validated_data,
            account=serializer.instance,
        )

    def perform_destroy(self, instance):
        if instance.children.exists():
            raise ValidationFailed(_("Delete its sub-accounts first."), field="id")
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationFailed(
                _("This account is used by vouchers, roles or posting rules: deactivate it."),
                field="id",
            ) from None
        if instance.parent_id and not Account.objects.filter(parent_id=instance.parent_id).exists():
            Account.objects.filter(pk=instance.parent_id).update(is_leaf=True)

    @extend_schema(responses={200: {"type": "object", "additionalProperties": {"type": "string"}}})
    @action(detail=False, methods=["get"])
    def templates(self, request):
        """The chart templates (小企业会计准则, 企业会计准则)."""
        return Response(TEMPLATES)

    @extend_schema(request=TemplateSerializer, responses=None)
    @action(detail=False, methods=["post"], url_path="apply-template")
    def apply_template(self, request):
        """Replace the chart by a template's, while nothing has been booked."""
        body = TemplateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        chart.apply_template(
            organization=request.organization, template=body.validated_data["template"]
        )
        return Response(status=204)


class AccountRoleSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    account = account_field(label=gettext_lazy("account"))
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = AccountRole
        fields = ["id", "role", "role_label", "account", "account_code", "account_name"]
        read_only_fields = ["role"]


class AccountRoleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    """The accounts the automatic postings book to by role (inventory, input VAT …)."""

    module = "finance"
    serializer_class = AccountRoleSerializer
    queryset = AccountRole.objects.select_related("account")
    ordering = ["role"]
    action_permissions = {"update": "configure", "partial_update": "configure"}

    def perform_update(self, serializer):
        serializer.instance = chart.set_account_role(
            organization=self.request.organization,
            role=serializer.instance.role,
            account=serializer.validated_data.get("account", serializer.instance.account),
        )


class PostingRuleSerializer(serializers.ModelSerializer):
    debit_account = account_field(label=gettext_lazy("debit account"))
    credit_account = account_field(label=gettext_lazy("credit account"))
    debit_account_label = serializers.CharField(source="debit_account", read_only=True)
    credit_account_label = serializers.CharField(source="credit_account", read_only=True)
    category = category_field(required=False, allow_null=True, label=gettext_lazy("category"))
    category_name = serializers.CharField(source="category.name", read_only=True, default=None)
    tax_rate = tax_rate_field(required=False, allow_null=True, label=gettext_lazy("tax code"))

    class Meta:
        model = PostingRule
        fields = [
            "id",
            "document_type",
            "event",
            "from_kind",
            "to_kind",
            "reason",
            "category",
            "category_name",
            "tax_rate",
            "debit_account",
            "debit_account_label",
            "credit_account",
            "credit_account_label",
            "summary",
            "is_active",
        ]


class RuleLabelsSerializer(serializers.Serializer):
    document_type = serializers.DictField(child=serializers.CharField())
    event = serializers.DictField(child=serializers.CharField())
    reason = serializers.DictField(child=serializers.CharField())
    kind = serializers.DictField(child=serializers.CharField())


class PostingRuleViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """凭证模板: which accounts each event of each document books to."""

    module = "finance"
    serializer_class = PostingRuleSerializer
    queryset = PostingRule.objects.select_related("debit_account", "credit_account", "category")
    filterset_fields = {"document_type": ["exact"], "event": ["exact"], "is_active": ["exact"]}
    search_fields = ["document_type", "event", "reason", "summary", "debit_account__code",
                     "credit_account__code"]  # fmt: skip
    ordering_fields = ["document_type", "event", "id"]
    ordering = ["document_type", "event", "id"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "destroy": "configure",
        "labels": "view",
    }

    def perform_create(self, serializer):
        serializer.instance = chart.save_rule(
            organization=self.request.organization, data=serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = chart.save_rule(
            organization=self.request.organization,
            data=serializer.validated_data,
            rule=serializer.instance,
        )

    @extend_schema(responses=RuleLabelsSerializer)
    @action(detail=False, methods=["get"])
    def labels(self, request):
        """The names of the document types, events, reasons and location kinds rules use."""
        return Response(labels())
