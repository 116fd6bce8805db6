"""What every organization starts with: base currency, units, tax codes, virtual locations."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jxc.masterdata.models import Currency, Location, TaxRate, Unit

DEFAULT_UNITS = [
    ("PCS", "个", 0),
    ("JIAN", "件", 0),
    ("BOX", "箱", 0),
    ("KG", "千克", 3),
    ("M", "米", 2),
    ("L", "升", 3),
    ("SET", "套", 0),
    ("BAG", "袋", 0),
]
# code, name, rate, levy?, applies to
DEFAULT_TAX_RATES = [
    ("VAT13", "增值税 13%", Decimal("13"), False, "goods"),
    ("VAT9", "增值税 9%", Decimal("9"), False, "goods"),
    ("VAT6", "增值税 6%", Decimal("6"), False, "services"),
    ("VAT0", "零税率 0%", Decimal("0"), False, "goods"),
    ("LEVY3", "征收率 3%", Decimal("3"), True, "goods"),
    ("LEVY1", "征收率 1%", Decimal("1"), True, "goods"),
    ("LEVY5", "征收率 5%", Decimal("5"), True, "services"),
]
VIRTUAL_LOCATIONS = [
    (Location.Kind.SUPPLIER, "V-SUPPLIER", _("Suppliers")),
    (Location.Kind.CUSTOMER, "V-CUSTOMER", _("Customers")),
    (Location.Kind.INVENTORY_LOSS, "V-LOSS", _("Inventory gain/loss")),
    (Location.Kind.SCRAP, "V-SCRAP", _("Scrap")),
    (Location.Kind.TRANSIT, "V-TRANSIT", _("In transit")),
]


@transaction.atomic
def ensure_organization_defaults(organization) -> None:
    """Idempotent: creates only what is missing, never changes what users edited."""
    if not Currency.objects.filter(organization=organization, is_base=True).exists():
        Currency.objects.get_or_create(
            organization=organization,
            code="CNY",
            defaults={"name": "人民币", "symbol": "¥", "is_base": True},
        )
    for code, name, places in DEFAULT_UNITS:
        Unit.objects.get_or_create(
            organization=organization, code=code, defaults={"name": name, "decimal_places": places}
        )
    for code, name, rate, levy, kind in DEFAULT_TAX_RATES:
        TaxRate.objects.get_or_create(
            organization=organization,
            code=code,
            defaults={
                "name": name,
                "rate": rate,
                "is_levy_rate": levy,
                "kind": kind,
                "invoice_type": "special",
            },
        )
    ensure_virtual_locations(organization)


def ensure_virtual_locations(organization) -> dict[str, Location]:
    """The organization's virtual locations by kind, created when missing: one read on the
    posting path, which asks on every document."""
    locations = {
        location.kind: location
        for location in Location.objects.filter(
            organization=organization, kind__in=[kind for kind, _code, _name in VIRTUAL_LOCATIONS]
        )
    }
    for kind, code, name in VIRTUAL_LOCATIONS:
        if kind not in locations:
            locations[kind] = Location.objects.get_or_create(
                organization=organization, kind=kind, defaults={"code": code, "name": str(name)}
            )[0]
    return locations
