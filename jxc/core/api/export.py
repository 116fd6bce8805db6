"""Excel export of any list, with the list's current search, filters and ordering."""

import io
import json
from collections.abc import Callable

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from openpyxl import Workbook
from rest_framework.decorators import action

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_EXPORT_ROWS = 100_000


def _cell(value):
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, list):
        return ", ".join(str(_cell(v)) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def build_workbook(title: str, headers: list[str], rows) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "export")
    sheet.append(headers)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ExportMixin:
    """Adds ``GET <list>/export/``: the filtered list as an .xlsx file (``<module>.export``)."""

    export_filename: str | None = None
    #: serializer fields left out of the export (ids the reader cannot use, …)
    export_exclude: tuple[str, ...] = ()

    def get_export_columns(self, serializer) -> list[tuple[str, Callable]]:
        """(header, value getter on one serialized row) per column."""
        return [
            (str(field.label or name), lambda row, name=name: row.get(name))
            for name, field in serializer.fields.items()
            if not field.write_only and name not in self.export_exclude
        ]

    @extend_schema(
        summary="Export the filtered list to Excel",
        responses={(200, XLSX): OpenApiResponse(OpenApiTypes.BINARY, description="xlsx file")},
    )
    @action(detail=False, methods=["get"], url_path="export")
    def export(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())[:MAX_EXPORT_ROWS]
        serializer = self.get_serializer(queryset, many=True)
        columns = self.get_export_columns(serializer.child)
        headers = [header for header, _value in columns]
        rows = ([value(item) for _header, value in columns] for item in serializer.data)
        name = self.export_filename or self.basename or "export"
        content = build_workbook(name, headers, rows)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.xlsx"'
        return response
