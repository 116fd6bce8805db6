"""Reads about organizations, memberships and what a user may do."""

from dataclasses import dataclass, field

from jxc.core.models import Membership, Organization, Role, User
from jxc.core.permissions import ALL_PERMISSIONS


@dataclass(frozen=True)
class Access:
    """What one user may do in one organization."""

    organization: Organization | None
    roles: tuple[Role, ...] = ()
    permissions: frozenset[str] = field(default_factory=frozenset)
    can_see_costs: bool = False

    def allows(self, permission: str) -> bool:
        return permission in self.permissions


NO_ACCESS = Access(organization=None)


def user_organizations(user: User):
    """Active organizations the user is a member of."""
    return Organization.objects.filter(memberships__user=user, is_active=True).order_by(
        "parent_id", "code"
    )


def access_for(user: User, organization: Organization | None) -> Access:
    """The union of the user's roles in ``organization``; superusers may do everything."""
    if organization is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    membership = (
        Membership.objects.filter(user=user, organization=organization)
        .prefetch_related("roles")
        .first()
    )
    if membership is None:
        return NO_ACCESS  # superusers too: organization data is for members only
    roles = tuple(membership.roles.all())
    if user.is_superuser:
        return Access(organization, roles, ALL_PERMISSIONS, True)
    permissions = frozenset(p for role in roles for p in role.permissions)
    return Access(organization, roles, permissions, any(r.can_see_costs for r in roles))


def roles_visible_to(organization: Organization):
    """Built-in roles plus the organization's own custom roles."""
    from django.db.models import Q

    return Role.objects.filter(Q(organization__isnull=True) | Q(organization=organization))


def members_of(organization: Organization):
    return User.objects.filter(memberships__organization=organization)
