"""Writes on products: the record, its alternative units, barcodes, image and custom fields."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.records import assign, check_unique
from jxc.masterdata.domain.codes import barcode_symbology, pinyin_initials, search_text
from jxc.masterdata.models import Product, ProductBarcode, ProductImage, ProductUnit
from jxc.masterdata.services.custom_fields import active_definitions, clean_custom_values

PRODUCT_FIELDS = (
    "code",
    "name",
    "specification",
    "category",
    "brand",
    "base_unit",
    "pinyin",
    "tax_rate",
    "costing_method",
    "tracking",
    "shelf_life_days",
    "safety_stock",
    "reorder_point",
    "reorder_quantity",
    "max_stock",
    "default_supplier",
    "purchase_price",
    "sale_price",
    "price_floor",
    "allow_negative_stock",
    "is_active",
)
IMAGE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif"}
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def prepare_product(product: Product, data: dict, *, definitions, barcodes=()) -> Product:
    """Apply ``data`` to an unsaved or loaded product, check it, and fill derived fields."""
    regenerate = not data.get("pinyin") and (
        "name" in data
        or not product.pinyin
        or product.pinyin == pinyin_initials(product.name or "")
    )
    assign(product, data, PRODUCT_FIELDS)
    if regenerate:
        product.pinyin = pinyin_initials(product.name)
    if "custom" in data:
        product.custom = clean_custom_values(
            definitions, data["custom"] or {}, partial_base=product.custom or {}
        )
    elif product._state.adding:
        product.custom = clean_custom_values(definitions, {})
    _check_figures(product)
    product.search_text = search_text(
        product.code, product.name, product.pinyin, product.specification, *barcodes
    )
    return product


def _check_figures(product: Product) -> None:
    if product.default_supplier_id and not product.default_supplier.is_supplier:
        raise ValidationFailed(
            _("The default supplier must be a supplier."), field="default_supplier"
        )
    if product.max_stock is not None and product.max_stock < product.reorder_point:
        raise ValidationFailed(
            _("The maximum stock must not be below the reorder point."), field="max_stock"
        )
    if product.tracking != "none" and product.allow_negative_stock:
        raise ValidationFailed(
            _("Lot or serial tracked products cannot go negative."), field="allow_negative_stock"
        )


def _check_units(product: Product, units: list[dict]) -> None:
    seen = set()
    for index, line in enumerate(units):
        unit, factor = line["unit"], Decimal(line["factor"])
        if unit.pk == product.base_unit_id:
            raise ValidationFailed(
                _("The base unit cannot also be an alternative unit."), field=f"units.{index}.unit"
            )
        if unit.pk in seen:
            raise ValidationFailed(_("This unit is listed twice."), field=f"units.{index}.unit")
        if factor <= 0:
            raise ValidationFailed(
                _("The conversion factor must be greater than zero."), field=f"units.{index}.factor"
            )
        seen.add(unit.pk)


def check_barcodes(organization, barcodes: list[dict], *, product_id=None) -> list[dict]:
    """Each barcode valid for its symbology and unused by any other product."""
    cleaned, seen = [], set()
    for index, line in enumerate(barcodes):
        code = str(line["barcode"]).strip()
        symbology = barcode_symbology(code)
        if symbology is None:
            raise ValidationFailed(
                _("“%(code)s” is not a valid barcode (EAN/UPC check digit or characters).")
                % {"code": code[:64]},
                field=f"barcodes.{index}.barcode",
            )
        if code in seen:
            raise ValidationFailed(
                _("This barcode is listed twice."), field=f"barcodes.{index}.barcode"
            )
        clash = ProductBarcode.objects.filter(organization=organization, barcode=code)
        if product_id:
            clash = clash.exclude(product_id=product_id)
        if clash.exists():
            raise ValidationFailed(
                _("Barcode “%(code)s” already belongs to another product.") % {"code": code},
                field=f"barcodes.{index}.barcode",
            )
        seen.add(code)
        cleaned.append({"barcode": code, "symbology": symbology, "unit": line.get("unit")})
    return cleaned


@transaction.atomic
def save_product(*, organization, data: dict, product: Product | None = None) -> Product:
    """Create or update a product; ``units`` and ``barcodes`` in ``data`` replace the lists."""
    data = dict(data)
    units = data.pop("units", None)
    barcodes = data.pop("barcodes", None)
    product = product or Product(organization=organization)
    if barcodes is None:
        existing = list(product.barcodes.values_list("barcode", flat=True)) if product.pk else []
    else:
        barcodes = check_barcodes(organization, barcodes, product_id=product.pk)
        existing = [b["barcode"] for b in barcodes]
    prepare_product(
        product, data, definitions=active_definitions(organization, "product"), barcodes=existing
    )
    check_unique(product)
    if units is not None:
        _check_units(product, units)
    product.save()
    if units is not None:
        product.units.all().delete()
        ProductUnit.objects.bulk_create(
            ProductUnit(product=product, unit=u["unit"], factor=u["factor"]) for u in units
        )
    if barcodes is not None:
        product.barcodes.all().delete()
        ProductBarcode.objects.bulk_create(
            ProductBarcode(organization=organization, product=product, **b) for b in barcodes
        )
    return product


@transaction.atomic
def set_product_image(*, product: Product, content_type: str, data: bytes) -> ProductImage:
    if content_type not in IMAGE_TYPES:
        raise ValidationFailed(_("Upload a PNG, JPEG, WebP or GIF image."), field="image")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed(_("The image must be smaller than 2 MB."), field="image")
    _check_image(data)
    image, _created = ProductImage.objects.update_or_create(
        product=product, defaults={"content_type": content_type, "data": data}
    )
    return image


def _check_image(data: bytes) -> None:
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationFailed(_("The file is not a readable image."), field="image") from None
