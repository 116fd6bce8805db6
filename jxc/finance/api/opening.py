"""期初余额导入: the template workbook, and the upload checked (preview) or booked (import)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import parsers, serializers
from rest_framework.response import Response

from jxc.core.api.export import XLSX
from jxc.core.api.views import JxcAPIView
from jxc.finance.api.reports import AMOUNT, OpeningBalanceSerializer
from jxc.finance.services.opening_import import (
    MAX_BYTES,
    import_opening_balances,
    opening_template,
)


class OpeningUploadSerializer(serializers.Serializer):
    go_live = serializers.DateField(label=gettext_lazy("go-live date"))
    file = serializers.FileField(label=gettext_lazy("file"))

    def validate_file(self, file):
        if file.size > MAX_BYTES:
            raise serializers.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return file


class OpeningImportRow(serializers.Serializer):
    row = serializers.IntegerField(help_text="the spreadsheet row number (the header is row 1)")
    account = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    debit = serializers.DecimalField(**AMOUNT)
    credit = serializers.DecimalField(**AMOUNT)
    partner = serializers.IntegerField(allow_null=True)
    partner_name = serializers.CharField()
    warehouse = serializers.IntegerField(allow_null=True)
    warehouse_name = serializers.CharField()
    department = serializers.CharField()
    project = serializers.CharField()


class OpeningImportError(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="the spreadsheet row; null for what concerns the whole file"
    )
    column = serializers.CharField(help_text="the column's header in the file")
    field = serializers.CharField()
    message = serializers.CharField()


class OpeningImportSerializer(serializers.Serializer):
    sheet = serializers.CharField()
    rows = OpeningImportRow(many=True)
    errors = OpeningImportError(many=True)
    valid = serializers.BooleanField()
    trial_balance = OpeningBalanceSerializer(allow_null=True)
    applied = serializers.BooleanField()


class _OpeningUploadView(JxcAPIView):
    module = "finance"
    action = "create"  # as entering the opening balances
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    apply = False

    def _run(self, request):
        body = OpeningUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        file = body.validated_data["file"]
        return import_opening_balances(
            organization=request.organization,
            go_live=body.validated_data["go_live"],
            filename=file.name or "",
            content=file.read(),
            apply=self.apply,
            user=request.user,
        )


class OpeningImportPreviewView(_OpeningUploadView):
    """``POST finance/opening-balances/import/preview/`` (multipart: ``go_live``, ``file``):
    every row read, every bad row's errors and the opening trial balance that would result;
    books nothing."""

    @extend_schema(
        request={"multipart/form-data": OpeningUploadSerializer},
        responses=OpeningImportSerializer,
    )
    def post(self, request):
        return Response(OpeningImportSerializer(self._run(request)).data)


class OpeningImportView(_OpeningUploadView):
    """``POST finance/opening-balances/import/`` (multipart: ``go_live``, ``file``): books the
    balances when every row is good; otherwise 400 with each bad row in ``fields.file``."""

    apply = True

    @extend_schema(
        request={"multipart/form-data": OpeningUploadSerializer},
        responses={201: OpeningImportSerializer},
    )
    def post(self, request):
        return Response(OpeningImportSerializer(self._run(request)).data, status=201)


class OpeningTemplateView(JxcAPIView):
    """``GET finance/opening-balances/template/``: the workbook to fill in (the organization's
    leaf accounts with empty debit and credit, and a 说明 sheet)."""

    module = "finance"
    action = "list"

    @extend_schema(
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")}
    )
    def get(self, request):
        response = HttpResponse(opening_template(request.organization), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="opening-balances-template.xlsx"'
        return response
