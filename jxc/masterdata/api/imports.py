"""Imports: upload a file, map its columns, check it, apply it; download a template."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, parsers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.export import XLSX, build_workbook
from jxc.core.api.views import OrganizationScopedViewSet
from jxc.core.errors import ValidationFailed
from jxc.masterdata.imports.importers import IMPORTERS
from jxc.masterdata.models import ImportJob
from jxc.masterdata.services import imports as services


class ImportJobSerializer(serializers.ModelSerializer):
    progress = serializers.SerializerMethodField(label=_("progress"))
    columns = serializers.SerializerMethodField(label=_("fields"))

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "target",
            "filename",
            "headers",
            "mapping",
            "status",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "updated_count",
            "error_count",
            "errors",
            "message",
            "columns",
            "created_at",
            "finished_at",
        ]

    def get_progress(self, job) -> dict:
        done, total = services.progress(job)
        return {"done": done, "total": total}

    def get_columns(self, job) -> list[dict]:
        importer = services.importer_for(job.target, job.organization)
        return [
            {"field": c.field, "label": str(c.labels[0]), "required": c.required}
            for c in importer.all_columns()
        ]


class ImportUploadSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=sorted(IMPORTERS), label=_("list"))
    file = serializers.FileField(label=_("file"))


class ImportRunSerializer(serializers.Serializer):
    mapping = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, label=_("column mapping")
    )


class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet):
    module = "masterdata"
    serializer_class = ImportJobSerializer
    queryset = ImportJob.objects.all()
    filterset_fields = ["target", "status"]
    search_fields = ["filename"]
    ordering_fields = ["created_at"]
    ordering = ["-created_at"]
    parser_classes = [parsers.MultiPartParser, parsers.JSONParser]
    action_permissions = {
        "create": "create",
        "check": "create",
        "apply": "create",
        "template": "view",
    }
    export_exclude = ("headers", "mapping", "errors", "columns", "progress")

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportJobSerializer},
    )
    def create(self, request):
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        file = upload.validated_data["file"]
        if file.size > 50 * 1024 * 1024:
            raise ValidationFailed(_("The file is larger than 50 MB."), field="file")
        job = services.create_import(
            organization=request.organization,
            user=request.user,
            target=upload.validated_data["target"],
            filename=file.name,
            content=file.read(),
        )
        return Response(self.get_serializer(job).data, status=status.HTTP_201_CREATED)

    def _run(self, request, apply: bool):
        job = self.get_object()
        body = ImportRunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        job = services.start_import(
            job=job, apply=apply, mapping=body.validated_data.get("mapping")
        )
        return Response(self.get_serializer(job).data)

    @extend_schema(request=ImportRunSerializer, responses=ImportJobSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        """Dry run: every row's errors (row, column, message); nothing is written."""
        return self._run(request, apply=False)

    @extend_schema(request=ImportRunSerializer, responses=ImportJobSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, pk=None):
        """Write every row, or nothing when any row is wrong."""
        return self._run(request, apply=True)

    @extend_schema(
        parameters=[OpenApiParameter("target", str, enum=sorted(IMPORTERS))],
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=False, methods=["get"])
    def template(self, request):
        """An .xlsx with the list's headers and an example row."""
        target = request.query_params.get("target", "")
        importer = services.importer_for(target, request.organization)
        columns = importer.all_columns()
        headers = [str(c.labels[0]) + ("*" if c.required else "") for c in columns]
        content = build_workbook(target, headers, [[c.example or None for c in columns]])
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{target}-template.xlsx"'
        return response
