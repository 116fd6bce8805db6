"""What the purchasing services share: the supplier and currency checks, line quantities and
the submission of a request to workflow."""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.numbering import next_number
from jxc.masterdata.selectors import base_currency, rate_on, to_base_quantity
from jxc.workflow.registry import DocumentRef
from jxc.workflow.services.approvals import submit_for_approval

ZERO = Decimal(0)
MAX_LINES = 1000


def check_supplier(organization, supplier, field: str = "supplier") -> None:
    if supplier is None or supplier.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown supplier."), field=field)
    if not supplier.is_supplier:
        raise ValidationFailed(
            _("%(partner)s is not a supplier.") % {"partner": supplier.name}, field=field
        )
    if not supplier.is_active:
        raise ValidationFailed(
            _("The supplier %(partner)s is inactive.") % {"partner": supplier.name}, field=field
        )


def currency_and_rate(organization, currency, on_date: datetime.date) -> tuple:
    """The document's currency (default: base) and its rate on the date from master data."""
    currency = currency or base_currency(organization)
    if currency.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown currency."), field="currency")
    return currency, rate_on(currency=currency, on_date=on_date)


def check_quantity(quantity, field: str) -> None:
    if quantity is None or not isinstance(quantity, Decimal) or not quantity.is_finite():
        raise ValidationFailed(_("Enter a quantity."), field=field)
    if quantity <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field=field)


def base_quantity(product, unit, quantity: Decimal, field: str) -> Decimal:
    try:
        return to_base_quantity(
            product, None if unit.pk == product.base_unit_id else unit.pk, quantity
        )
    except ValidationFailed:
        raise ValidationFailed(
            _("This unit is not defined for the product."), field=field
        ) from None


def check_lines_count(lines) -> None:
    if lines is not None and len(lines) > MAX_LINES:
        raise ValidationFailed(_("At most %(n)d lines.") % {"n": MAX_LINES}, field="lines")


def plain(value: Decimal) -> str:
    """A quantity as people write it: 10, 10.5 (no trailing zeros, no exponent)."""
    return f"{value.normalize():f}"


def number_and_submit(document, *, doc_type: str, user, facts: dict, approve: Callable) -> None:
    """Number a ``document`` just moved to submitted (unless it has its number), save it and
    submit it to workflow as ``doc_type``; ``approve(document)`` when no approval rule applies.
    Inside the caller's transaction, with the document locked."""
    if not document.number:
        document.number = next_number(
            organization=document.organization, doc_type=doc_type, on_date=document.business_date
        )
    document.save(update_fields=["state", "number"])
    submission = submit_for_approval(
        organization=document.organization,
        document=DocumentRef(doc_type, document.pk),
        submitter=user,
        facts=facts,
    )
    if submission.approved:
        approve(document)
