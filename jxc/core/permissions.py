"""The permission catalogue: modules × actions, and the built-in roles.

A permission is the string ``"<module>.<action>"``. A role is a set of them plus the
``can_see_costs`` flag. The catalogue names every module of the design up front (so built-in roles
are complete from day one); :mod:`jxc.core.modules` records which modules actually exist.
"""

from django.utils.translation import gettext_lazy as _

MODULES = {
    "purchasing": _("Purchasing"),
    "sales": _("Sales"),
    "inventory": _("Inventory"),
    "finance": _("Finance"),
    "reporting": _("Reports"),
    "masterdata": _("Master data"),
    "workflow": _("Workflow"),
    "settings": _("Settings"),
}

ACTIONS = {
    "view": _("View"),
    "create": _("Create"),
    "edit": _("Edit"),
    "approve": _("Approve"),
    "post": _("Post"),
    "export": _("Export"),
    "configure": _("Configure"),
}

ALL_PERMISSIONS = frozenset(f"{m}.{a}" for m in MODULES for a in ACTIONS)

BUSINESS_MODULES = ("purchasing", "sales", "inventory", "finance", "reporting", "masterdata")
# modules whose pages every member uses, whatever their roles: anyone may have documents to
# approve, notifications and alerts (what they may do there is still checked per action)
MEMBER_MODULES = ("workflow",)


def _grant(modules, actions) -> set[str]:
    return {f"{m}.{a}" for m in modules for a in actions}


# code → (name, permissions, can_see_costs)
BUILTIN_ROLES: dict[str, tuple] = {
    "admin": (_("Administrator"), set(ALL_PERMISSIONS), True),
    "manager": (
        _("Manager"),
        _grant(BUSINESS_MODULES, ("view", "create", "edit", "approve", "export"))
        | _grant(("settings",), ("view",))
        | _grant(("workflow",), ("view", "export")),
        True,
    ),
    "purchaser": (
        _("Purchaser"),
        _grant(("purchasing",), ("view", "create", "edit", "export"))
        | _grant(("masterdata",), ("view", "create", "edit"))
        | _grant(("inventory", "reporting"), ("view",)),
        True,
    ),
    "salesperson": (
        _("Salesperson"),
        _grant(("sales",), ("view", "create", "edit", "export"))
        | _grant(("masterdata", "inventory", "reporting"), ("view",)),
        False,
    ),
    "warehouse_keeper": (
        _("Warehouse keeper"),
        _grant(("inventory",), ("view", "create", "edit", "post", "export"))
        | _grant(("masterdata", "purchasing", "sales"), ("view",)),
        False,
    ),
    "accountant": (
        _("Accountant"),
        _grant(("finance",), ("view", "create", "edit", "approve", "post", "export", "configure"))
        | _grant(BUSINESS_MODULES, ("view", "export")),
        True,
    ),
    "viewer": (_("Viewer"), _grant(BUSINESS_MODULES, ("view",)), False),
}


def validate_permissions(codes) -> list[str]:
    """Return the codes that are not in the catalogue."""
    return sorted(set(codes) - ALL_PERMISSIONS)
