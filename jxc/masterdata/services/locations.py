"""Warehouses and their tree of storage locations (warehouse → zone → bin)."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.services.records import check_unique
from jxc.masterdata.models import Location, Warehouse

# which kind of location may hang under which
ALLOWED_PARENTS = {
    Location.Kind.ZONE: {Location.Kind.WAREHOUSE},
    Location.Kind.BIN: {Location.Kind.WAREHOUSE, Location.Kind.ZONE},
}
WAREHOUSE_FIELDS = ("code", "name", "address", "keeper", "allow_negative_stock", "is_active")


@transaction.atomic
def save_warehouse(*, organization, data: dict, warehouse: Warehouse | None = None) -> Warehouse:
    """Create or update a warehouse; a new one gets its root location (stock can sit there)."""
    creating = warehouse is None
    warehouse = warehouse or Warehouse(organization=organization)
    for field in WAREHOUSE_FIELDS:
        if field in data:
            setattr(warehouse, field, data[field])
    check_unique(warehouse)
    warehouse.save()
    if not creating:  # the root location carries the warehouse's name
        warehouse.locations.filter(kind=Location.Kind.WAREHOUSE, parent__isnull=True).update(
            name=warehouse.name
        )
    if creating:
        root = Location(
            organization=organization,
            warehouse=warehouse,
            kind="warehouse",
            code=warehouse.code,
            name=warehouse.name,
        )
        check_unique(root)
        root.save()
    return warehouse


def warehouse_root(warehouse: Warehouse) -> Location:
    return warehouse.locations.get(kind=Location.Kind.WAREHOUSE, parent__isnull=True)


@transaction.atomic
def save_location(*, organization, data: dict, location: Location | None = None) -> Location:
    """Create or update a zone or bin; virtual and warehouse roots are not editable here."""
    if location is not None and location.kind not in (Location.Kind.ZONE, Location.Kind.BIN):
        raise ValidationFailed(_("This location is managed by the system and cannot be edited."))
    location = location or Location(organization=organization)
    for field in ("code", "name", "kind", "barcode", "is_active", "parent"):
        if field in data:
            setattr(location, field, data[field])
    if location.kind not in ALLOWED_PARENTS:
        raise ValidationFailed(_("Only zones and bins can be created."), field="kind")
    parent = location.parent
    if parent is None or parent.kind not in ALLOWED_PARENTS[location.kind]:
        raise ValidationFailed(
            _("A zone goes under a warehouse; a bin under a warehouse or a zone."), field="parent"
        )
    location.warehouse_id = parent.warehouse_id
    location.barcode = (location.barcode or "").strip()
    check_unique(location)
    if (
        location.barcode
        and Location.objects.filter(organization=organization, barcode=location.barcode)
        .exclude(pk=location.pk)
        .exists()
    ):
        raise ValidationFailed(
            _("This barcode already belongs to another location."), field="barcode"
        )
    location.save()
    return location
