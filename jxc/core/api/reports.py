"""A report endpoint: ``GET <report>/?<filters>`` answers ``{rows, totals, truncated}``, and
``GET <report>/export/`` the same rows as an Excel file (``<module>.export``).

A report declares the serializer of its query (the filters, validated like any payload: a bad
value is a 400 naming the field), the serializer of a row, the row fields its totals add up,
and :meth:`ReportViewSet.rows`, which reads the figures through the module's report selectors.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.export import ExportMixin
from jxc.core.api.views import JxcViewSet
from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization

MAX_ROWS = 5000
MAX_DAYS = 3660  # the longest period a report covers: ten years


def report_response(row_serializer: type[serializers.Serializer], name: str):
    """The OpenAPI shape of a report's answer."""

    totals = {
        field_name: serializers.DecimalField(max_digits=24, decimal_places=4, required=False)
        for field_name in getattr(row_serializer, "totals", ())
    }
    return type(
        f"{name}Report",
        (serializers.Serializer,),
        {
            "rows": row_serializer(many=True),
            "totals": type(f"{name}Totals", (serializers.Serializer,), totals)(),
            "truncated": serializers.BooleanField(),
        },
    )


class ReportViewSet(ExportMixin, JxcViewSet):
    """The base of a report: subclasses set ``query_serializer_class``, ``serializer_class``
    (a row; its ``totals`` names the figures summed in the totals row) and ``rows``."""

    query_serializer_class: type[serializers.Serializer]

    def query(self) -> dict:
        query = self.query_serializer_class(
            data=self.request.query_params, context=self.get_serializer_context()
        )
        query.is_valid(raise_exception=True)
        return query.validated_data

    def rows(self, query: dict) -> list[dict]:  # pragma: no cover - every report has its own
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation has no query
            return Organization.objects.none()  # any model: the rows are no model's
        return self.rows(self.query())[: MAX_ROWS + 1]

    def filter_queryset(self, queryset):
        return queryset

    def list(self, request):
        rows = self.get_queryset()
        truncated = len(rows) > MAX_ROWS
        data = self.get_serializer(rows[:MAX_ROWS], many=True).data
        shown = set(self.get_serializer().fields)
        totals = {
            name: str(sum((Decimal(row[name] or 0) for row in data), Decimal(0)))
            for name in getattr(self.serializer_class, "totals", ())
            if name in shown
        }
        return Response({"rows": data, "totals": totals, "truncated": truncated})

    @classmethod
    def documented(cls, name: str):
        """The viewset with its OpenAPI query parameters and answer (call once per report)."""
        return extend_schema_view(
            list=extend_schema(
                parameters=[cls.query_serializer_class],
                responses=report_response(cls.serializer_class, name),
            ),
            export=extend_schema(parameters=[cls.query_serializer_class]),
        )(cls)


class PeriodQuerySerializer(serializers.Serializer):
    """The filters every document report shares: a period (at most ten years, the end not before
    the start); each app adds its references (customer, supplier, product …) as fields named in
    ``references``, which :meth:`filters` turns into ``<name>_id`` arguments of its filters."""

    date_from = serializers.DateField(required=False, label=_("from date"))
    date_to = serializers.DateField(required=False, label=_("to date"))

    references: tuple[str, ...] = ()

    def validate(self, attrs):
        first, last = attrs.get("date_from"), attrs.get("date_to")
        if first and last and last < first:
            raise ValidationFailed(_("The end date is before the start date."), field="date_to")
        if first and last and (last - first).days > MAX_DAYS:
            raise ValidationFailed(_("Choose at most ten years."), field="date_from")
        return attrs

    @classmethod
    def filters(cls, data: dict, filters_class):
        """A validated query as the report's ``filters_class``: the period and the ids of the
        references chosen (``None`` where none is)."""
        ids = {
            f"{name}_id": data[name].pk if data.get(name) is not None else None
            for name in cls.references
        }
        return filters_class(date_from=data.get("date_from"), date_to=data.get("date_to"), **ids)
