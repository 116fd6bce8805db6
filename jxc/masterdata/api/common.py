"""Shared pieces of the master-data API: scoped id fields and custom-field filtering/export."""

from django.utils.translation import gettext_lazy as _
from rest_framework import filters, serializers

from jxc.core.api.fields import OrganizationScopedPKField
from jxc.masterdata.models import (
    Category,
    Currency,
    CustomFieldDefinition,
    Location,
    Partner,
    PriceList,
    Product,
    TaxRate,
    Unit,
    Warehouse,
)


def scoped(model, **filters_):
    """An id field restricted to the active organization's rows of ``model``."""

    def scope(organization):
        return model.objects.filter(organization=organization, **filters_)

    return scope


def unit_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Unit), **kwargs)


def category_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Category), **kwargs)


def tax_rate_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(TaxRate), **kwargs)


def currency_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Currency), **kwargs)


def partner_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Partner), **kwargs)


def product_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Product), **kwargs)


def price_list_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(PriceList), **kwargs)


def warehouse_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Warehouse), **kwargs)


def location_field(**kwargs):
    return OrganizationScopedPKField(scope=scoped(Location), **kwargs)


def member_field(**kwargs):
    from jxc.core.selectors import members_of

    return OrganizationScopedPKField(scope=members_of, **kwargs)


class CustomFieldFilter(filters.BaseFilterBackend):
    """``?custom.<key>=value`` filters on an active custom field of the list's target."""

    def filter_queryset(self, request, queryset, view):
        target = getattr(view, "custom_field_target", None)
        if not target:
            return queryset
        wanted = {
            k[len("custom.") :]: v
            for k, v in request.query_params.items()
            if k.startswith("custom.")
        }
        if not wanted:
            return queryset
        definitions = {
            d.key: d
            for d in CustomFieldDefinition.objects.filter(
                organization=request.organization, target=target, is_active=True
            )
        }
        for key, value in wanted.items():
            definition = definitions.get(key)
            if definition is None:
                continue
            if definition.field_type == "boolean":
                value = value.lower() in ("1", "true", "yes")
            if definition.field_type == "text":
                queryset = queryset.filter(**{f"custom__{key}__icontains": value})
            else:
                queryset = queryset.filter(**{f"custom__{key}": value})
        return queryset

    def get_schema_operation_parameters(self, view):
        if not getattr(view, "custom_field_target", None):
            return []
        return [
            {
                "name": "custom.<key>",
                "required": False,
                "in": "query",
                "description": str(_("Filter on a custom field by its key.")),
                "schema": {"type": "string"},
            }
        ]


class CustomFieldExportMixin:
    """Exports each custom field as its own column, headed with its label."""

    custom_field_target: str = ""

    def get_export_columns(self, serializer):
        columns = [
            c
            for c in super().get_export_columns(serializer)
            if c[0] != str(serializer.fields["custom"].label)
        ]
        for definition in CustomFieldDefinition.objects.filter(
            organization=self.request.organization, target=self.custom_field_target, is_active=True
        ):
            columns.append(
                (
                    definition.label,
                    lambda row, key=definition.key: (row.get("custom") or {}).get(key),
                )
            )
        return columns


class ProductLabels(serializers.Serializer):
    """The code and name of the row's ``product``, read-only: what lists and exports show."""

    product_code = serializers.CharField(
        source="product.code", read_only=True, label=_("product code")
    )
    product_name = serializers.CharField(
        source="product.name", read_only=True, label=_("product name")
    )
