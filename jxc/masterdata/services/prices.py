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
