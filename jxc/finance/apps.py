from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "jxc.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from jxc.core.modules import register_module
        from jxc.core.setup import register_organization_setup
        from jxc.finance.services.chart import ensure_finance_defaults

        register_module("finance")
        register_organization_setup(ensure_finance_defaults)
        from jxc.finance.closing import register_finance_close

        register_finance_close()
