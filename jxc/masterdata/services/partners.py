"""Writes on partners (suppliers and customers) with their contacts and delivery addresses."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.records import assign, check_unique
from jxc.masterdata.domain.codes import credit_code_is_valid, pinyin_initials, search_text
from jxc.masterdata.models import Partner, PartnerAddress, PartnerContact
from jxc.masterdata.services.custom_fields import active_definitions, clean_custom_values

PARTNER_FIELDS = (
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
    "purchaser",
    "opening_receivable",
    "opening_payable",
    "is_active",
)


def prepare_partner(partner: Partner, data: dict, *, definitions) -> Partner:
    regenerate = not data.get("pinyin") and (
        "name" in data
        or not partner.pinyin
        or partner.pinyin == pinyin_initials(partner.name or "")
    )
    assign(partner, data, PARTNER_FIELDS)
    partner.credit_code = (partner.credit_code or "").strip().upper()
    if regenerate:
        partner.pinyin = pinyin_initials(partner.short_name or partner.name)
    if "custom" in data or partner._state.adding:
        partner.custom = clean_custom_values(
            definitions, data.get("custom") or {}, partial_base=partner.custom or {}
        )
    _check_partner(partner)
    partner.search_text = search_text(
        partner.code, partner.name, partner.short_name, partner.pinyin, partner.credit_code
    )
    return partner


def _check_partner(partner: Partner) -> None:
    if not (partner.is_supplier or partner.is_customer):
        raise ValidationFailed(
            _("A partner must be a supplier, a customer or both."), field="is_customer"
        )
    if partner.credit_code and not credit_code_is_valid(partner.credit_code):
        raise ValidationFailed(
            _("This unified social credit code is not valid (check character or length)."),
            field="credit_code",
        )
    if partner.payment_terms == "immediate" and partner.payment_days:
        partner.payment_days = 0
    if partner.payment_days > 365:
        raise ValidationFailed(_("At most 365 days."), field="payment_days")
    for field, kind in (("sales_price_list", "sales"), ("purchase_price_list", "purchase")):
        price_list = getattr(partner, field)
        if price_list is not None and price_list.kind != kind:
            raise ValidationFailed(_("Choose a price list of the right kind."), field=field)


@transaction.atomic
def save_partner(*, organization, data: dict, partner: Partner | None = None) -> Partner:
    """Create or update a partner; ``contacts`` and ``addresses`` in ``data`` replace the lists."""
    data = dict(data)
    contacts = data.pop("contacts", None)
    addresses = data.pop("addresses", None)
    partner = partner or Partner(organization=organization)
    prepare_partner(partner, data, definitions=active_definitions(organization, "partner"))
    check_unique(partner)
    partner.save()
    if contacts is not None:
        partner.contacts.all().delete()
        PartnerContact.objects.bulk_create(PartnerContact(partner=partner, **c) for c in contacts)
    if addresses is not None:
        partner.addresses.all().delete()
        if addresses and not any(a.get("is_default") for a in addresses):
            addresses[0] = {**addresses[0], "is_default": True}
        PartnerAddress.objects.bulk_create(PartnerAddress(partner=partner, **a) for a in addresses)
    return partner
