from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "jxc.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from jxc.core.modules import register_module
        from jxc.core.setup import register_demo_loader, register_organization_setup
        from jxc.finance.demo import load_finance_demo
        from jxc.finance.services.chart import ensure_finance_defaults

        register_module("finance")
        from jxc.core.doctypes import register_document_type

        register_document_type(
            "other_receipt_item", _("Other receivable"), "QTYS{yyyyMMdd}-{seq:4}"
        )
        register_document_type("other_payment_item", _("Other payable"), "QTYF{yyyyMMdd}-{seq:4}")
        register_organization_setup(ensure_finance_defaults)
        register_demo_loader(load_finance_demo)
        from jxc.finance.closing import register_finance_close

        register_finance_close()
        from jxc.finance.alerts_registration import register_finance_alerts

        register_finance_alerts()
