"""Partners (suppliers and customers) with contacts and delivery addresses."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import RecordViewSet
from jxc.masterdata.api.common import (
    CustomFieldExportMixin,
    CustomFieldFilter,
    currency_field,
    member_field,
    price_list_field,
)
from jxc.masterdata.models import Partner, PartnerAddress, PartnerContact
from jxc.masterdata.services.partners import save_partner

AMOUNT = {"max_digits": 18, "decimal_places": 2, "max_value": 10**14}


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["name", "position", "phone", "email", "is_primary"]


class AddressSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerAddress
        fields = ["label", "contact", "phone", "address", "is_default"]


class PartnerSerializer(serializers.ModelSerializer):
    currency = currency_field(allow_null=True, required=False, label=_("currency"))
    sales_price_list = price_list_field(
        allow_null=True, required=False, label=_("sales price list")
    )
    purchase_price_list = price_list_field(
        allow_null=True, required=False, label=_("purchase price list")
    )
    salesperson = member_field(allow_null=True, required=False, label=_("salesperson"))
    purchaser = member_field(allow_null=True, required=False, label=_("purchaser"))
    salesperson_name = DisplayNameField(source="salesperson", label=_("salesperson name"))
    purchaser_name = DisplayNameField(source="purchaser", label=_("purchaser name"))
    credit_limit = serializers.DecimalField(
        **AMOUNT, min_value=0, required=False, allow_null=True, label=_("credit limit")
    )
    opening_receivable = serializers.DecimalField(
        **AMOUNT, min_value=-(10**14), required=False, label=_("opening receivable")
    )
    opening_payable = serializers.DecimalField(
        **AMOUNT, min_value=-(10**14), required=False, label=_("opening payable")
    )
    payment_days = serializers.IntegerField(
        min_value=0, max_value=365, required=False, label=_("payment days")
    )
    contacts = ContactSerializer(many=True, required=False, label=_("contacts"))
    addresses = AddressSerializer(many=True, required=False, label=_("delivery addresses"))
    custom = serializers.DictField(required=False, label=_("custom fields"))

    class Meta:
        model = Partner
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "pinyin",
            "is_supplier",
            "is_customer",
            "customer_group",
            "credit_code",
            "invoice_address",
            "invoice_phone",
            "bank_name",
            "bank_account",
            "currency",
            "payment_terms",
            "payment_days",
            "credit_limit",
            "sales_price_list",
            "purchase_price_list",
            "salesperson",
            "salesperson_name",
            "purchaser_name",
            "purchaser",
            "opening_receivable",
            "opening_payable",
            "is_active",
            "contacts",
            "addresses",
            "custom",
            "created_at",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {"pinyin": {"required": False}}


class PartnerViewSet(CustomFieldExportMixin, RecordViewSet):
    module = "masterdata"
    custom_field_target = "partner"
    serializer_class = PartnerSerializer
    queryset = Partner.objects.select_related("salesperson", "purchaser").prefetch_related(
        "contacts", "addresses"
    )
    filterset_fields = [
        "is_supplier",
        "is_customer",
        "is_active",
        "customer_group",
        "payment_terms",
        "salesperson",
        "purchaser",
    ]
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, CustomFieldFilter]
    search_fields = ["search_text"]
    ordering_fields = ["code", "name", "created_at", "credit_limit"]
    ordering = ["code"]
    export_exclude = (
        "contacts",
        "addresses",
        "salesperson",
        "purchaser",
        "currency",
        "sales_price_list",
        "purchase_price_list",
    )

    def save_instance(self, data, instance=None):
        return save_partner(organization=self.request.organization, data=data, partner=instance)
