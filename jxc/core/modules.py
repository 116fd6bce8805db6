"""Which modules exist on this server.

Each app registers its module code when Django starts (``AppConfig.ready``); the UI shows only
modules that are registered here *and* that the user's roles allow.
"""

from jxc.core.permissions import MODULES

_registered: list[str] = []


def register_module(code: str) -> None:
    if code not in MODULES:
        raise ValueError(f"unknown module {code!r}: add it to jxc.core.permissions.MODULES")
    if code not in _registered:
        _registered.append(code)


def registered_modules() -> list[str]:
    """Registered module codes in menu order (the catalogue's order)."""
    return [code for code in MODULES if code in _registered]
