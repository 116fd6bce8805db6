"""Lots: created when goods are received, picked first-expiry-first-out when issued."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Lot


def get_or_create_lot(*, product, code: str, production_date=None, expiry_date=None) -> Lot:
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(_("Enter the lot number."), field="lot")
    if production_date and expiry_date and expiry_date < production_date:
        raise ValidationFailed(
            _("The expiry date is before the production date."), field="expiry_date"
        )
    lot = Lot.objects.filter(product=product, code=code).first()
    if lot is not None:
        return lot
    try:
        with transaction.atomic():
            return Lot.objects.create(
                organization_id=product.organization_id,
                product=product,
                code=code,
                production_date=production_date,
                expiry_date=expiry_date,
            )
    except IntegrityError:
        return Lot.objects.get(product=product, code=code)
