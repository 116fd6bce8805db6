"""Writes on organizations and the built-in roles every organization shares."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import Membership, Organization, Role
from jxc.core.permissions import BUILTIN_ROLES
from jxc.core.setup import set_up_organization

ORGANIZATION_FIELDS = ("name", "tax_id", "address", "phone", "is_active")


def ensure_builtin_roles() -> dict[str, Role]:
    """Create or refresh the built-in roles from the catalogue (idempotent)."""
    roles = {}
    for code, (name, permissions, can_see_costs) in BUILTIN_ROLES.items():
        role, _created = Role.objects.get_or_create(
            organization=None,
            code=code,
            defaults={"name": str(name), "is_builtin": True},
        )
        wanted = sorted(permissions)
        if role.permissions != wanted or role.can_see_costs != can_see_costs:
            role.permissions, role.can_see_costs = wanted, can_see_costs
            role.save()
        roles[code] = role
    return roles


@transaction.atomic
def create_organization(
    *, code: str, name: str, parent: Organization | None = None, creator=None, **details
) -> Organization:
    """Create a company (no parent) or a branch; the creator becomes its administrator."""
    if Organization.objects.filter(code=code).exists():
        raise ValidationFailed(_("An organization with this code already exists."), field="code")
    kind = Organization.Kind.BRANCH if parent else Organization.Kind.COMPANY
    organization = Organization.objects.create(
        code=code,
        name=name,
        parent=parent,
        kind=kind,
        **{k: v for k, v in details.items() if k in ORGANIZATION_FIELDS},
    )
    if creator is not None:
        membership = Membership.objects.create(user=creator, organization=organization)
        membership.roles.add(ensure_builtin_roles()["admin"])
    set_up_organization(organization)
    return organization


@transaction.atomic
def update_organization(*, organization: Organization, **changes) -> Organization:
    for field, value in changes.items():
        if field in ORGANIZATION_FIELDS:
            setattr(organization, field, value)
    organization.save()
    return organization
