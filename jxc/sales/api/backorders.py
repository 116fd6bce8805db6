"""``POST sales/backorders/allocate/`` (分配库存): give stock that has arrived to open backorders."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.views import JxcAPIView
from jxc.masterdata.api.common import product_field, warehouse_field
from jxc.sales.api.common import QUANTITY
from jxc.sales.services.backorders import allocate_backorders


class AllocateBackordersInput(serializers.Serializer):
    warehouse = warehouse_field(required=False, allow_null=True, label=_("warehouse"))
    products = serializers.ListField(
        child=product_field(label=_("product")),
        required=False,
        allow_null=True,
        max_length=1000,
        label=_("products"),
    )


class BackorderAllocationSerializer(serializers.Serializer):
    order_id = serializers.IntegerField(label=_("sales order"))
    order_number = serializers.CharField(label=_("number"))
    line_id = serializers.IntegerField(label=_("order line"))
    position = serializers.IntegerField(label=_("line"))
    product_id = serializers.IntegerField(label=_("product"))
    product_code = serializers.CharField(label=_("product code"))
    product_name = serializers.CharField(label=_("product name"))
    warehouse_id = serializers.IntegerField(label=_("warehouse"))
    quantity = serializers.DecimalField(**QUANTITY, label=_("allocated now"))
    backorder = serializers.DecimalField(**QUANTITY, label=_("still backordered"))
    presale = serializers.BooleanField(
        label=_("presale"),
        help_text=_(
            "A presale line: its reservation was made at confirmation; quantity is what of it "
            "the stock on hand now covers."
        ),
    )


class AllocateBackordersView(JxcAPIView):
    """Give the stock available now (on hand − reserved − frozen) to the open backorders of
    the ``warn`` policy, in order of confirmation, and lower the backorder of presale lines
    whose reserved stock is now on hand; answers what each line got."""

    module = "sales"
    action_permissions = {"post": "edit"}
    action = "post"

    @extend_schema(
        request=AllocateBackordersInput, responses=BackorderAllocationSerializer(many=True)
    )
    def post(self, request):
        body = AllocateBackordersInput(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        allocations = allocate_backorders(
            organization=request.organization,
            warehouse=data.get("warehouse"),
            products=data.get("products") or None,
        )
        return Response(BackorderAllocationSerializer(allocations, many=True).data)
