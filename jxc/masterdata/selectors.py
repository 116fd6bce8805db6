"""Reads the other modules call: exchange rates, prices, product search, unit conversion."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import Organization
from jxc.masterdata.models import (
    Category,
    Currency,
    ExchangeRate,
    Partner,
    PriceList,
    PriceListItem,
    Product,
    ProductBarcode,
)

SEARCH_LIMIT = 20


def base_currency(organization) -> Currency:
    """The organization's base currency, read once per organization instance (a request's,
    a job's): which currency is the base never changes (``is_base`` is read-only, the base
    currency can be neither deactivated nor deleted), so a document created in the same
    request or by the same caller does not read it again."""
    known = getattr(organization, "_base_currency", None)
    if known is not None:
        return known
    found = Currency.objects.get(organization=organization, is_base=True)
    if isinstance(organization, Organization):
        organization._base_currency = found
    return found


def rate_on(*, currency: Currency, on_date: datetime.date) -> Decimal:
    """Units of base currency per unit of ``currency``: the latest rate on or before the date."""
    if currency.is_base:
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=currency, date__lte=on_date)
        .order_by("-date")
        .values_list("rate", flat=True)
        .first()
    )
    if rate is None:
        raise ValidationFailed(
            _("No exchange rate for %(currency)s on or before %(date)s.")
            % {"currency": currency.code, "date": on_date.isoformat()},
            field="currency",
        )
    return rate


@dataclass(frozen=True)
class PriceQuote:
    price: Decimal
    discount_percent: Decimal
    tax_included: bool
    currency: str | None
    source: str  # "partner_list", "group_list", "assigned_list", "general_list", "product"
    price_list_id: int | None = None

    @property
    def net_price(self) -> Decimal:
        return (self.price * (100 - self.discount_percent) / 100).quantize(Decimal("0.000001"))


def _valid_lists(organization, kind: str, on_date: datetime.date):
    return PriceList.objects.filter(organization=organization, kind=kind, is_active=True).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on_date),
        Q(valid_to__isnull=True) | Q(valid_to__gte=on_date),
    )


def price_for(
    *,
    partner: Partner | None,
    product: Product,
    quantity: Decimal,
    on_date: datetime.date,
    kind: str = "sales",
) -> PriceQuote:
    """The price of ``quantity`` base units of ``product`` for ``partner`` on ``on_date``.

    The most specific valid list that prices the product wins: one for this partner, then one
    for the partner's customer group, then the list assigned on the partner, then a general list
    (no partner, no group); within a list, the largest quantity break not above ``quantity``.
    Without any, the product's own sale or purchase price.
    """
    return prices_for(partner=partner, items=[(product, quantity)], on_date=on_date, kind=kind)[0]


def prices_for(
    *,
    partner: Partner | None,
    items: list[tuple[Product, Decimal]],
    on_date: datetime.date,
    kind: str = "sales",
) -> list[PriceQuote]:
    """``price_for`` of each (product, base quantity) of a document, in one query: the items
    of every list that could price one of them are read together and chosen here."""
    if not items:
        return []
    sources = _price_sources(partner, kind)
    which = Q()
    for _source, condition, _test in sources:
        which |= condition
    organization_id = items[0][0].organization_id
    rows = list(
        PriceListItem.objects.filter(
            which,
            price_list__in=_valid_lists(organization_id, kind, on_date),
            product__in={product.pk for product, _quantity in items},
            min_quantity__lte=max(quantity for _product, quantity in items),
        )
        .select_related("price_list__currency")
        .order_by("-min_quantity", "price_list__code")
    )
    return [_chosen(rows, sources, product, quantity, kind) for product, quantity in items]


def _price_sources(partner: Partner | None, kind: str):
    """The lists that may price for ``partner``, most specific first: (source, the lists as a
    condition on items, the same as a test of one list)."""
    sources = []
    if partner is not None:
        sources.append(
            ("partner_list", Q(price_list__partner=partner), lambda pl: pl.partner_id == partner.pk)
        )
        group = partner.customer_group
        if kind == "sales" and group:
            sources.append(
                (
                    "group_list",
                    Q(price_list__partner__isnull=True, price_list__customer_group=group),
                    lambda pl: pl.partner_id is None and pl.customer_group == group,
                )
            )
        assigned = (
            partner.sales_price_list_id if kind == "sales" else partner.purchase_price_list_id
        )
        if assigned:
            sources.append(("assigned_list", Q(price_list=assigned), lambda pl: pl.pk == assigned))
    sources.append(
        (
            "general_list",
            Q(price_list__partner__isnull=True, price_list__customer_group=""),
            lambda pl: pl.partner_id is None and pl.customer_group == "",
        )
    )
    return sources


def _chosen(rows, sources, product: Product, quantity: Decimal, kind: str) -> PriceQuote:
    # rows come largest break first, then by list code: the first that fits wins its source
    fitting = [r for r in rows if r.product_id == product.pk and r.min_quantity <= quantity]
    for source, _condition, belongs in sources:
        item = next((r for r in fitting if belongs(r.price_list)), None)
        if item is not None:
            return PriceQuote(
                item.price,
                item.discount_percent,
                item.price_list.tax_included,
                item.price_list.currency.code,
                source,
                item.price_list_id,
            )
    price = product.sale_price if kind == "sales" else product.purchase_price
    return PriceQuote(price, Decimal(0), True, None, "product")


def search_products(organization, query: str, *, limit: int = SEARCH_LIMIT, active_only=True):
    """Products whose code, name, mnemonic, specification or barcode contain ``query``.

    An exact code or barcode comes first; the rest by code.
    """
    original = (query or "").strip()[:64]
    products = Product.objects.filter(organization=organization)
    if active_only:
        products = products.filter(is_active=True)
    if not original:
        return list(products.order_by("code")[:limit])
    # equality, so the (organization, code) and (organization, barcode) unique indexes serve it
    spellings = {original, original.upper()}
    barcodes = ProductBarcode.objects.filter(organization=organization, barcode__in=spellings)
    # two queries, not one OR: an OR across tables would scan every product
    exact_ids = list(products.filter(code__in=spellings).values_list("pk", flat=True))
    exact_ids += [pk for pk in barcodes.values_list("product_id", flat=True) if pk not in exact_ids]
    exact = sorted(products.filter(pk__in=exact_ids[:limit]), key=lambda p: p.code)
    rest = products.filter(search_text__contains=original.lower()).exclude(
        pk__in=[p.pk for p in exact]
    )
    return exact + list(rest.order_by("code")[: limit - len(exact)])


def to_base_quantity(product: Product, unit_id: int | None, quantity: Decimal) -> Decimal:
    """Convert a quantity in one of the product's units to its base unit."""
    if unit_id is None or unit_id == product.base_unit_id:
        return quantity
    factor = product.units.filter(unit_id=unit_id).values_list("factor", flat=True).first()
    if factor is None:
        raise ValidationFailed(_("This unit is not defined for the product."), field="unit")
    return (quantity * factor).quantize(Decimal("0.0001"))


def category_and_descendants(organization, category_id: int) -> set[int]:
    """A category's id and those of every category under it (a report filtered by a category
    takes its sub-categories' products too)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Category.objects.filter(organization=organization).values_list(
        "pk", "parent_id"
    ):
        children.setdefault(parent_id, []).append(pk)
    found, waiting = set(), [category_id]
    while waiting:
        pk = waiting.pop()
        if pk not in found:
            found.add(pk)
            waiting.extend(children.get(pk, ()))
    return found
