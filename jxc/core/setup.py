"""Per-organization set-up that higher apps contribute (default units, accounts, …).

Core cannot import the apps above it; they register a function here when Django starts, and
core calls them all whenever an organization is created.
"""

from collections.abc import Callable

_hooks: list[Callable] = []


def register_organization_setup(hook: Callable) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def set_up_organization(organization) -> None:
    for hook in _hooks:
        hook(organization)


_demo_loaders: list[Callable] = []


def register_demo_loader(loader: Callable) -> None:
    """``loader(company, branch) -> list[str]`` adds a module's demo data (idempotently)."""
    if loader not in _demo_loaders:
        _demo_loaders.append(loader)


def load_module_demos(company, branch) -> list[str]:
    created = []
    for loader in _demo_loaders:
        created += loader(company, branch)
    return created
