"""Number series per document type."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.views import OrganizationScopedViewSet
from jxc.core.doctypes import document_types, get_document_type
from jxc.core.models import NumberSeries
from jxc.core.services import numbering as services


class NumberSeriesSerializer(serializers.ModelSerializer):
    doc_type = serializers.ChoiceField(choices=[], label=_("document type"))
    doc_type_name = serializers.SerializerMethodField(label=_("document type name"))
    reset = serializers.SerializerMethodField(label=_("reset"))
    next_preview = serializers.SerializerMethodField(label=_("next number"))

    class Meta:
        model = NumberSeries
        fields = [
            "id",
            "doc_type",
            "doc_type_name",
            "pattern",
            "reset",
            "next_preview",
            "is_active",
        ]

    def get_fields(self):
        fields = super().get_fields()
        fields["doc_type"].choices = [(t.code, str(t.name)) for t in document_types()]
        if self.instance is not None:
            fields["doc_type"].read_only = True
        return fields

    def get_doc_type_name(self, series) -> str:
        doc_type = get_document_type(series.doc_type)
        return str(doc_type.name) if doc_type else series.doc_type

    def get_reset(self, series) -> str:
        return services.reset_period(series.pattern)

    def get_next_preview(self, series) -> str:
        return services.preview_next_number(series)


class NumberSeriesViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    module = "settings"
    serializer_class = NumberSeriesSerializer
    queryset = NumberSeries.objects.prefetch_related("sequences")
    filterset_fields = ["doc_type", "is_active"]
    search_fields = ["doc_type", "pattern"]
    ordering_fields = ["doc_type"]
    ordering = ["doc_type"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "doc_types": "view",
    }

    def perform_create(self, serializer):
        serializer.instance = services.create_series(
            organization=self.request.organization, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = services.update_series(
            series=serializer.instance, **serializer.validated_data
        )

    @extend_schema(
        responses=inline_serializer(
            "DocumentType",
            {"code": serializers.CharField(), "name": serializers.CharField()},
            many=True,
        )
    )
    @action(detail=False, methods=["get"], url_path="doc-types", pagination_class=None)
    def doc_types(self, request):
        return Response([{"code": t.code, "name": str(t.name)} for t in document_types()])
