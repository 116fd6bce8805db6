from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MasterdataConfig(AppConfig):
    name = "jxc.masterdata"
    label = "masterdata"
    verbose_name = _("Master data")

    def ready(self) -> None:
        from jxc.core.modules import register_module
        from jxc.core.setup import register_demo_loader, register_organization_setup
        from jxc.masterdata.demo import load_masterdata_demo
        from jxc.masterdata.services.defaults import ensure_organization_defaults

        register_module("masterdata")
        register_organization_setup(ensure_organization_defaults)
        register_demo_loader(load_masterdata_demo)
        from jxc.masterdata.services import imports  # noqa: F401 (registers its background job)
