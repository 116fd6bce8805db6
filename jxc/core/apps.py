from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "jxc.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from jxc.core import audit, checks, modules  # noqa: F401 (checks registers itself)

        modules.register_module("settings")
        audit.connect_signals()
