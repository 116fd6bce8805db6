"""Lots: created when goods are received, picked first-expiry-first-out when issued."""

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.inventory.models import Lot


def check_lot_dates(production_date=None, expiry_date=None) -> None:
    """A lot cannot expire before it is made."""
    if production_date and expiry_date and expiry_date < production_date:
        raise ValidationFailed(
            _("The expiry date is before the production date."), field="expiry_date"
        )


def lot_expiry(product, production_date=None, expiry_date=None) -> datetime.date | None:
    """The expiry date a new lot gets: the one given, else the production date plus the
    product's shelf life (when it has one), else none."""
    if expiry_date or not production_date or not product.shelf_life_days:
        return expiry_date
    return production_date + datetime.timedelta(days=product.shelf_life_days)


def get_or_create_lot(*, product, code: str, production_date=None, expiry_date=None) -> Lot:
    """The product's lot with this number; a new one is made with its dates (the expiry
    derived from the shelf life when only the production date is known). An existing lot keeps
    its dates."""
    code = (code or "").strip()
    if not code:
        raise ValidationFailed(_("Enter the lot number."), field="lot")
    check_lot_dates(production_date, expiry_date)
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
                expiry_date=lot_expiry(product, production_date, expiry_date),
            )
    except IntegrityError:
        return Lot.objects.get(product=product, code=code)
