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


def member_access(user: User, organization_id: int) -> Access | None:
    """``access_for`` the user in the active organization ``organization_id``, read in one
    query (the organization, the membership and its roles, joined): None when the user is not
    a member of it or it is inactive. Nothing is cached: a changed role counts at once."""
    from django.db import connections, router

    from jxc.core.batch import fetch

    if not 0 < organization_id < 2**63:  # no such key: a database would refuse the number
        return None
    connection = connections[router.db_for_read(Membership)]
    rows = fetch(connection, _access_read(connection).sql, [user.pk, organization_id])
    if not rows:
        return None
    read = _access_read(connection)
    organization = read.part(rows[0], "g")
    roles = sorted(
        (role for role in (read.part(row, "r") for row in rows) if role is not None),
        key=lambda role: (not role.is_builtin, role.pk),  # the order of Role's Meta
    )
    if user.is_superuser:
        return Access(organization, tuple(roles), ALL_PERMISSIONS, True)
    permissions = frozenset(p for role in roles for p in role.permissions)
    return Access(organization, tuple(roles), permissions, any(r.can_see_costs for r in roles))


_access_reads: dict = {}


def _access_read(connection):
    if connection.vendor not in _access_reads:
        from jxc.core.batch import Joined

        quote = connection.ops.quote_name
        membership, through = Membership._meta.db_table, Membership.roles.through._meta.db_table
        table = {"m": quote(membership), "t": quote(through),
                 "g": quote(Organization._meta.db_table), "r": quote(Role._meta.db_table)}  # fmt: skip
        _access_reads[connection.vendor] = Joined(
            connection,
            [("g", Organization), ("r", Role)],
            f"SELECT {{columns}} FROM {table['m']} m "
            f"JOIN {table['g']} g ON g.id = m.organization_id "
            f"LEFT JOIN {table['t']} t ON t.membership_id = m.id "
            f"LEFT JOIN {table['r']} r ON r.id = t.role_id "
            "WHERE m.user_id = %s AND m.organization_id = %s AND g.is_active",
        )
    return _access_reads[connection.vendor]


def roles_visible_to(organization: Organization):
    """Built-in roles plus the organization's own custom roles."""
    from django.db.models import Q

    return Role.objects.filter(Q(organization__isnull=True) | Q(organization=organization))


def members_of(organization: Organization):
    return User.objects.filter(memberships__organization=organization)
