"""Price lists and their items."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.records import check_unique
from jxc.masterdata.models import PriceList, PriceListItem

PRICE_LIST_FIELDS = (
    "code",
    "name",
    "kind",
    "currency",
    "tax_included",
    "partner",
    "customer_group",
    "valid_from",
    "valid_to",
    "is_active",
)


def _check_price_list(price_list: PriceList, items) -> None:
    if (
        price_list.valid_from
        and price_list.valid_to
        and price_list.valid_to < price_list.valid_from
    ):
        raise ValidationFailed(_("The end date is before the start date."), field="valid_to")
    partner = price_list.partner
    if partner is not None:
        wanted = partner.is_customer if price_list.kind == "sales" else partner.is_supplier
        if not wanted:
            raise ValidationFailed(
                _("A sales price list is for a customer, a purchase price list for a supplier."),
                field="partner",
            )
    if price_list.kind == "purchase" and price_list.customer_group:
        raise ValidationFailed(
            _("Customer groups apply to sales price lists only."), field="customer_group"
        )
    seen = set()
    for index, item in enumerate(items or []):
        key = (item["product"].pk, item.get("min_quantity") or 0)
        if key in seen:
            raise ValidationFailed(
                _("This product and minimum quantity are listed twice."),
                field=f"items.{index}.min_quantity",
            )
        seen.add(key)


@transaction.atomic
def save_price_list(*, organization, data: dict, price_list: PriceList | None = None):
    """Create or update a price list; ``items`` in ``data`` replace its items."""
    data = dict(data)
    items = data.pop("items", None)
    price_list = price_list or PriceList(organization=organization)
    for field in PRICE_LIST_FIELDS:
        if field in data:
            setattr(price_list, field, data[field])
    _check_price_list(price_list, items)
    check_unique(price_list)
    price_list.save()
    if items is not None:
        price_list.items.all().delete()
        PriceListItem.objects.bulk_create(
            PriceListItem(price_list=price_list, **item) for item in items
        )
    return price_list


@transaction.atomic
def set_supplier_prices(
    *, organization, supplier, currency, tax_included: bool, product, breaks, on_date
) -> PriceList:
    """Put ``breaks`` (``(min_quantity, price)`` in the product's base unit) as the product's
    prices on the supplier's own purchase price list in ``currency`` (the first active one valid
    on ``on_date`` with the same tax treatment, else a new one): what an accepted supplier quote
    writes back. The product's other breaks on that list are replaced."""
    price_list = (
        PriceList.objects.filter(
            organization=organization,
            kind=PriceList.Kind.PURCHASE,
            partner=supplier,
            currency=currency,
            tax_included=tax_included,
            is_active=True,
        )
        .exclude(valid_from__gt=on_date)
        .exclude(valid_to__lt=on_date)
        .order_by("code")
        .first()
    )
    if price_list is None:
        price_list = PriceList.objects.create(
            organization=organization,
            code=_free_code(organization, f"P-{supplier.code}-{currency.code}"[:28]),
            name=_("%(supplier)s purchase prices") % {"supplier": supplier.name[:40]},
            kind=PriceList.Kind.PURCHASE,
            currency=currency,
            tax_included=tax_included,
            partner=supplier,
        )
    price_list.items.filter(product=product).delete()
    PriceListItem.objects.bulk_create(
        PriceListItem(price_list=price_list, product=product, min_quantity=q, price=p)
        for q, p in dict(breaks).items()
    )
    return price_list


def _free_code(organization, code: str) -> str:
    taken = set(
        PriceList.objects.filter(organization=organization, code__startswith=code).values_list(
            "code", flat=True
        )
    )
    candidate, n = code, 1
    while candidate in taken:
        n += 1
        candidate = f"{code}-{n}"
    return candidate
