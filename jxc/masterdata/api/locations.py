"""Warehouses and locations (virtual locations are listed but not editable)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import RecordViewSet
from jxc.core.errors import ValidationFailed
from jxc.masterdata.api.common import location_field, member_field
from jxc.masterdata.api.labels import LabelRequestSerializer, pdf_response
from jxc.masterdata.models import Location, Warehouse
from jxc.masterdata.services.labels import Label, render_labels
from jxc.masterdata.services.locations import save_location, save_warehouse


class WarehouseSerializer(serializers.ModelSerializer):
    keeper = member_field(allow_null=True, required=False, label=_("keeper"))
    keeper_name = DisplayNameField(source="keeper", label=_("keeper name"))

    class Meta:
        model = Warehouse
        fields = [
            "id",
            "code",
            "name",
            "address",
            "keeper",
            "keeper_name",
            "allow_negative_stock",
            "is_active",
        ]


class WarehouseViewSet(RecordViewSet):
    module = "masterdata"
    serializer_class = WarehouseSerializer
    queryset = Warehouse.objects.select_related("keeper")
    filterset_fields = ["is_active", "allow_negative_stock", "keeper"]
    search_fields = ["code", "name", "address"]
    ordering_fields = ["code", "name"]
    ordering = ["code"]
    export_exclude = ("keeper",)

    def save_instance(self, data, instance=None):
        return save_warehouse(organization=self.request.organization, data=data, warehouse=instance)


class LocationSerializer(serializers.ModelSerializer):
    parent = location_field(label=_("parent location"))
    kind = serializers.ChoiceField(
        choices=[("zone", _("Zone")), ("bin", _("Bin"))], label=_("kind")
    )
    warehouse_name = serializers.CharField(
        source="warehouse.name", read_only=True, default=None, label=_("warehouse name")
    )
    is_virtual = serializers.BooleanField(read_only=True, label=_("virtual"))

    class Meta:
        model = Location
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "warehouse",
            "warehouse_name",
            "parent",
            "barcode",
            "is_virtual",
            "is_active",
        ]
        read_only_fields = ["warehouse"]

    def to_representation(self, location):
        data = super().to_representation(location)
        data["kind"] = location.kind  # virtual and root kinds are listed as they are
        return data


class LocationViewSet(RecordViewSet):
    module = "masterdata"
    serializer_class = LocationSerializer
    queryset = Location.objects.select_related("warehouse")
    filterset_fields = ["warehouse", "kind", "parent", "is_active"]
    search_fields = ["code", "name", "barcode"]
    ordering_fields = ["code", "name", "kind"]
    ordering = ["warehouse_id", "code"]
    export_exclude = ("warehouse", "parent")
    action_permissions = {"labels": "view"}

    def save_instance(self, data, instance=None):
        return save_location(organization=self.request.organization, data=data, location=instance)

    @extend_schema(
        request=LabelRequestSerializer,
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["post"])
    def labels(self, request):
        """Bin labels with the location's barcode (or code) as Code128 plus QR."""
        body = LabelRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        chosen = {loc.pk: loc for loc in self.get_queryset().filter(pk__in=data["ids"])}
        missing = [pk for pk in data["ids"] if pk not in chosen]
        if missing:
            raise ValidationFailed(_("Unknown id %(id)s.") % {"id": missing[0]}, field="ids")
        labels = [
            Label(
                title=f"{chosen[pk].warehouse.name if chosen[pk].warehouse else ''} {chosen[pk].name}".strip(),
                code=chosen[pk].code,
                barcode=chosen[pk].barcode or chosen[pk].code,
            )
            for pk in data["ids"]
        ]
        return pdf_response(
            render_labels(labels, layout_code=data["layout"], copies=data["copies"]),
            "location-labels.pdf",
        )

    def perform_destroy(self, instance):
        if instance.kind not in ("zone", "bin"):
            raise ValidationFailed(
                _("This location is managed by the system and cannot be deleted.")
            )
        super().perform_destroy(instance)
