"""Units, categories, tax rates, currencies and exchange rates, custom field definitions."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from jxc.core.api.views import RecordViewSet
from jxc.core.errors import ValidationFailed
from jxc.masterdata.api.common import category_field, currency_field
from jxc.masterdata.models import (
    Category,
    Currency,
    CustomFieldDefinition,
    ExchangeRate,
    TaxRate,
    Unit,
)
from jxc.masterdata.selectors import rate_on
from jxc.masterdata.services.custom_fields import check_definition


class MasterdataViewSet(RecordViewSet):
    module = "masterdata"
    ordering = ["code"]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "code", "name", "decimal_places", "is_active"]
        extra_kwargs = {"decimal_places": {"max_value": 4}}


class UnitViewSet(MasterdataViewSet):
    queryset = Unit.objects.all()
    serializer_class = UnitSerializer
    filterset_fields = ["is_active"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]


class CategorySerializer(serializers.ModelSerializer):
    parent = category_field(allow_null=True, required=False, label=_("parent category"))
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent", "parent_name", "is_active"]


class CategoryViewSet(MasterdataViewSet):
    queryset = Category.objects.select_related("parent")
    serializer_class = CategorySerializer
    filterset_fields = ["is_active", "parent"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name"]

    def check_instance(self, category):
        ancestor = category.parent
        while ancestor is not None:
            if ancestor.pk == category.pk:
                raise ValidationFailed(
                    _("A category cannot be placed under itself."), field="parent"
                )
            ancestor = ancestor.parent


class TaxRateSerializer(serializers.ModelSerializer):
    rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, label=_("rate (%)")
    )

    class Meta:
        model = TaxRate
        fields = [
            "id",
            "code",
            "name",
            "rate",
            "is_levy_rate",
            "kind",
            "invoice_type",
            "input_account",
            "output_account",
            "is_active",
        ]


class TaxRateViewSet(MasterdataViewSet):
    queryset = TaxRate.objects.all()
    serializer_class = TaxRateSerializer
    filterset_fields = ["is_active", "kind", "invoice_type", "is_levy_rate"]
    search_fields = ["code", "name"]
    ordering_fields = ["code", "rate"]


class CurrencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Currency
        fields = ["id", "code", "name", "symbol", "decimal_places", "is_base", "is_active"]
        read_only_fields = ["is_base"]
        extra_kwargs = {"decimal_places": {"max_value": 4}}

    def validate_code(self, value):
        if len(value) != 3 or not value.isalpha():
            raise serializers.ValidationError(_("Use the three-letter ISO code, e.g. USD."))
        return value.upper()


class CurrencyViewSet(MasterdataViewSet):
    queryset = Currency.objects.all()
    serializer_class = CurrencySerializer
    filterset_fields = ["is_active", "is_base"]
    search_fields = ["code", "name"]
    ordering_fields = ["code"]

    def check_instance(self, currency):
        if currency.is_base and not currency.is_active:
            raise ValidationFailed(_("The base currency cannot be deactivated."), field="is_active")

    def perform_destroy(self, instance):
        if instance.is_base:
            raise ValidationFailed(_("The base currency cannot be deleted."))
        super().perform_destroy(instance)

    @extend_schema(
        parameters=[OpenApiParameter("date", datetime.date, required=False)],
        responses=inline_serializer(
            "RateOnDate",
            {
                "currency": serializers.CharField(),
                "date": serializers.DateField(),
                "rate": serializers.DecimalField(max_digits=18, decimal_places=8),
            },
        ),
    )
    @action(detail=True, methods=["get"])
    def rate(self, request, pk=None):
        """The rate in force on a date (the latest on or before it)."""
        currency = self.get_object()
        field = serializers.DateField(required=False)
        try:
            on_date = (
                field.to_internal_value(request.query_params.get("date"))
                if request.query_params.get("date")
                else timezone.localdate()
            )
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"date": exc.detail}) from None
        return Response(
            {
                "currency": currency.code,
                "date": on_date,
                "rate": str(rate_on(currency=currency, on_date=on_date)),
            }
        )


class ExchangeRateSerializer(serializers.ModelSerializer):
    currency = currency_field(label=_("currency"))
    currency_code = serializers.CharField(source="currency.code", read_only=True)
    rate = serializers.DecimalField(
        max_digits=18, decimal_places=8, min_value=0, max_value=10**9, label=_("rate")
    )

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "currency_code", "date", "rate"]
        validators = []  # the service reports a duplicate day on the date field

    def validate_rate(self, value):
        if value <= 0:
            raise serializers.ValidationError(_("The rate must be greater than zero."))
        return value


class ExchangeRateViewSet(MasterdataViewSet):
    queryset = ExchangeRate.objects.select_related("currency")
    serializer_class = ExchangeRateSerializer
    filterset_fields = {"currency": ["exact"], "date": ["exact", "gte", "lte"]}
    search_fields = ["currency__code"]
    ordering_fields = ["date", "currency__code"]
    ordering = ["-date"]

    def check_instance(self, rate):
        if rate.currency.is_base:
            raise ValidationFailed(_("The base currency always has the rate 1."), field="currency")
        if (
            ExchangeRate.objects.filter(currency=rate.currency, date=rate.date)
            .exclude(pk=rate.pk)
            .exists()
        ):
            raise ValidationFailed(
                _("This currency already has a rate on this date."), field="date"
            )


class CustomFieldSerializer(serializers.ModelSerializer):
    choices = serializers.ListField(
        child=serializers.CharField(max_length=64),
        required=False,
        max_length=100,
        label=_("choices"),
    )

    class Meta:
        model = CustomFieldDefinition
        fields = [
            "id",
            "target",
            "key",
            "label",
            "field_type",
            "choices",
            "required",
            "position",
            "is_active",
        ]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list):
            for name in ("target", "key", "field_type"):
                fields[name].read_only = True
        return fields


class CustomFieldViewSet(MasterdataViewSet):
    queryset = CustomFieldDefinition.objects.all()
    serializer_class = CustomFieldSerializer
    filterset_fields = ["target", "is_active", "field_type"]
    search_fields = ["key", "label"]
    ordering_fields = ["target", "position", "key"]
    ordering = ["target", "position", "id"]
    action_permissions = {
        "create": "configure",
        "update": "configure",
        "partial_update": "configure",
        "destroy": "configure",
    }

    def check_instance(self, definition):
        check_definition(definition)
        if (
            CustomFieldDefinition.objects.filter(
                organization=definition.organization, target=definition.target, key=definition.key
            )
            .exclude(pk=definition.pk)
            .exists()
        ):
            raise ValidationFailed(_("This key is already used."), field="key")
