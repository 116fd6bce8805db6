"""存货科目 by warehouse: which account holds each warehouse's stock (a finance setting; written
here because changing it moves the warehouse's stock value, which only inventory knows)."""

from django.db import transaction
from django.utils.translation import gettext_lazy
from rest_framework import mixins, serializers

from jxc.core.api.views import OrganizationScopedViewSet
from jxc.finance.api.accounts import account_field
from jxc.finance.models import WarehouseAccount
from jxc.inventory.services.warehouse_accounts import set_warehouse_account
from jxc.masterdata.api.common import warehouse_field


class WarehouseAccountSerializer(serializers.ModelSerializer):
    warehouse = warehouse_field(label=gettext_lazy("warehouse"))
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    account = account_field(label=gettext_lazy("inventory account"))
    account_code = serializers.CharField(source="account.code", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True)

    class Meta:
        model = WarehouseAccount
        fields = ["id", "warehouse", "warehouse_code", "warehouse_name", "account",
                  "account_code", "account_name"]  # fmt: skip


class WarehouseAccountViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """The warehouses whose stock is kept in an account of their own (存货科目). Setting,
    changing or removing one books the move of what the warehouse holds to the new account;
    the others' stock stays in the posting rules' accounts."""

    module = "finance"
    serializer_class = WarehouseAccountSerializer
    queryset = WarehouseAccount.objects.select_related("warehouse", "account")
    ordering = ["warehouse__code"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "destroy": "configure",
    }

    def _set(self, warehouse, account):
        return set_warehouse_account(
            organization=self.request.organization,
            warehouse=warehouse,
            account=account,
            user=self.request.user,
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = self._set(data["warehouse"], data["account"])

    @transaction.atomic
    def perform_update(self, serializer):
        data, kept = serializer.validated_data, serializer.instance
        if data.get("warehouse", kept.warehouse) != kept.warehouse:
            self._set(kept.warehouse, None)  # the old warehouse goes back to the rules' accounts
        serializer.instance = self._set(
            data.get("warehouse", kept.warehouse), data.get("account", kept.account)
        )

    def perform_destroy(self, instance):
        self._set(instance.warehouse, None)
