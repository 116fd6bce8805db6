"""Who in an organization may be told of an event: active members, with the permission the
event type needs (a low-stock alert goes to those who may view inventory)."""

from jxc.core.models import Membership


def members_allowed(organization_id: int, permission: str, user_ids=None) -> list[int]:
    """Ids of the organization's active members (among ``user_ids`` when given) whose roles
    grant ``permission`` ("" = every member). Mirrors :func:`jxc.core.selectors.access_for`
    for many users in two queries."""
    memberships = Membership.objects.filter(
        organization_id=organization_id, user__is_active=True
    ).select_related("user")
    if user_ids is not None:
        memberships = memberships.filter(user_id__in=list(user_ids))
    if permission:
        memberships = memberships.prefetch_related("roles")
    allowed = []
    for membership in memberships:
        if (
            not permission
            or membership.user.is_superuser
            or any(permission in role.permissions for role in membership.roles.all())
        ):
            allowed.append(membership.user_id)
    return sorted(allowed)
