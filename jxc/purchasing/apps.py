from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "jxc.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from jxc.core.modules import register_module

        register_module("purchasing")
        # the number series (CG…, RK…, CT…, JP…) are in core's catalogue of standard documents;
        # requests for quotation (询价单), landed costs (到岸成本) and payment requests (付款申请单)
        # are purchasing's own
        from jxc.core.doctypes import register_document_type

        register_document_type("rfq", _("Request for quotation"), "XJ{yyyyMMdd}-{seq:4}")
        register_document_type("landed_cost", _("Landed cost"), "FY{yyyyMMdd}-{seq:4}")
        register_document_type("payment_request", _("Payment request"), "FQ{yyyyMMdd}-{seq:4}")
        from jxc.purchasing.services.accounting import register_purchasing_postings

        register_purchasing_postings()
        from jxc.purchasing.approvals import register_purchasing_approvals

        register_purchasing_approvals()
        from jxc.inventory.selectors import register_incoming_source
        from jxc.purchasing.selectors import incoming_from_orders
        from jxc.purchasing.services import rfq_mailing  # noqa: F401 (the e-mail job)

        register_incoming_source(incoming_from_orders)
        from jxc.purchasing.month_end import register_purchasing_close

        register_purchasing_close()
