from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

#: default permission action for each viewset action
ACTION_PERMISSIONS = {
    "list": "view",
    "retrieve": "view",
    "export": "export",
    "create": "create",
    "update": "edit",
    "partial_update": "edit",
    "destroy": "edit",
}


class IsMember(permissions.BasePermission):
    """Authenticated and a member of the active organization."""

    message = _("You are not a member of any active organization.")

    def has_permission(self, request, view):
        return bool(
            request.user
            and request.user.is_authenticated
            and getattr(request, "organization", None) is not None
        )


class ModulePermission(IsMember):
    """Allows an action when the user's roles grant ``<view.module>.<action>``.

    The action comes from ``view.action_permissions`` (per viewset action, e.g.
    ``{"revoke": "edit"}``) or :data:`ACTION_PERMISSIONS`; ``None`` means members only.
    """

    message = _("Your role does not allow this action.")

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        needed = required_permission(view)
        return needed is None or request.access.allows(needed)


def required_permission(view) -> str | None:
    action = getattr(view, "action", None) or ""
    overrides = getattr(view, "action_permissions", {})
    perm = overrides.get(action, ACTION_PERMISSIONS.get(action, "view"))
    if perm is None:
        return None
    return perm if "." in perm else f"{view.module}.{perm}"
