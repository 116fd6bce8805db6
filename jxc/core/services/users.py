"""Writes on users, their memberships and roles, and custom roles."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core import audit
from jxc.core.errors import ValidationFailed
from jxc.core.models import Membership, Organization, Role, User
from jxc.core.permissions import validate_permissions

USER_FIELDS = ("display_name", "email", "phone", "is_active", "language")


def _check_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), field=field) from exc


def _check_roles(organization: Organization, roles: list[Role]) -> None:
    for role in roles:
        if role.organization_id not in (None, organization.pk):
            raise ValidationFailed(_("Unknown role."), field="roles")


def _set_manager(membership: Membership, manager: User | None) -> None:
    """The member's manager (直属上级): another member of the same organization, or none."""
    if manager is not None:
        if manager.pk == membership.user_id:
            raise ValidationFailed(_("A member cannot be their own manager."), field="manager")
        if not Membership.objects.filter(
            user=manager, organization_id=membership.organization_id
        ).exists():
            raise ValidationFailed(_("The manager must be a member."), field="manager")
    old = membership.manager
    if (old and old.pk) == (manager and manager.pk):
        return
    membership.manager = manager
    membership.save(update_fields=["manager"])
    audit.record(
        action="update",
        instance=membership.user,
        changes={"manager": [str(old) if old else None, str(manager) if manager else None]},
    )


def _set_roles(membership: Membership, roles: list[Role]) -> None:
    old = sorted(str(r) for r in membership.roles.all())
    membership.roles.set(roles)
    new = sorted(str(r) for r in roles)
    if old != new:
        audit.record(action="update", instance=membership.user, changes={"roles": [old, new]})


@transaction.atomic
def create_member(
    *,
    organization: Organization,
    username: str,
    password: str,
    roles: list[Role],
    manager: User | None = None,
    **details,
) -> User:
    """Create a user (or add an existing one) as a member of ``organization`` with ``roles``."""
    _check_roles(organization, roles)
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, **{k: v for k, v in details.items() if k in USER_FIELDS})
        _check_password(password, user)
        user.set_password(password)
        user.save()
    elif Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationFailed(_("This user is already a member."), field="username")
    else:
        raise ValidationFailed(_("A user with this username already exists."), field="username")
    membership = Membership.objects.create(user=user, organization=organization)
    _set_roles(membership, roles)
    _set_manager(membership, manager)
    return user


_UNCHANGED = object()


@transaction.atomic
def update_member(
    *,
    organization: Organization,
    user: User,
    roles: list[Role] | None = None,
    manager=_UNCHANGED,
    **changes,
) -> User:
    """Change a member's details, roles and manager (``manager=None`` clears it)."""
    for field, value in changes.items():
        if field in USER_FIELDS:
            setattr(user, field, value)
    user.save()
    membership = Membership.objects.get(user=user, organization=organization)
    if roles is not None:
        _check_roles(organization, roles)
        _set_roles(membership, roles)
    if manager is not _UNCHANGED:
        _set_manager(membership, manager)
    return user


@transaction.atomic
def remove_member(*, organization: Organization, user: User, acting_user: User) -> None:
    if user.pk == acting_user.pk:
        raise ValidationFailed(_("You cannot remove yourself from the organization."))
    membership = Membership.objects.get(user=user, organization=organization)
    audit.record(
        action="update", instance=user, changes={"organizations": [organization.name, None]}
    )
    membership.delete()


@transaction.atomic
def set_password(*, user: User, password: str) -> None:
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(action="update", instance=user, changes={"password": ["***", "***"]})


@transaction.atomic
def update_profile(*, user: User, **changes) -> User:
    """The user's own preferences: display name and interface language."""
    for field in ("display_name", "language"):
        if field in changes:
            setattr(user, field, changes[field])
    user.save()
    return user


@transaction.atomic
def change_own_password(*, user: User, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed(_("The current password is wrong."), field="old_password")
    _check_password(new_password, user, field="new_password")
    user.set_password(new_password)
    user.save(update_fields=["password"])


def _check_role_definition(permissions: list[str]) -> None:
    unknown = validate_permissions(permissions)
    if unknown:
        raise ValidationFailed(
            _("Unknown permission: %(codes)s.") % {"codes": ", ".join(unknown)},
            field="permissions",
        )


@transaction.atomic
def create_role(
    *,
    organization: Organization,
    code: str,
    name: str,
    permissions: list[str],
    can_see_costs: bool = False,
    description: str = "",
) -> Role:
    _check_role_definition(permissions)
    if (
        Role.objects.filter(code=code, organization__in=[organization]).exists()
        or Role.objects.filter(code=code, organization__isnull=True).exists()
    ):
        raise ValidationFailed(_("A role with this code already exists."), field="code")
    return Role.objects.create(
        organization=organization,
        code=code,
        name=name,
        description=description,
        permissions=sorted(set(permissions)),
        can_see_costs=can_see_costs,
    )


def _editable(role: Role) -> None:
    if role.is_builtin:
        raise ValidationFailed(_("Built-in roles cannot be changed."))


@transaction.atomic
def update_role(*, role: Role, **changes) -> Role:
    _editable(role)
    if "permissions" in changes:
        _check_role_definition(changes["permissions"])
        changes["permissions"] = sorted(set(changes["permissions"]))
    for field in ("name", "description", "permissions", "can_see_costs"):
        if field in changes:
            setattr(role, field, changes[field])
    role.save()
    return role


@transaction.atomic
def delete_role(*, role: Role) -> None:
    _editable(role)
    if role.memberships.exists():
        raise ValidationFailed(_("The role is still assigned to users."))
    role.delete()
