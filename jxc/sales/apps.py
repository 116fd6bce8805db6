from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SalesConfig(AppConfig):
    name = "jxc.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self) -> None:
        from jxc.core.doctypes import register_document_type
        from jxc.core.modules import register_module

        register_module("sales")
        register_document_type("sales_order", _("Sales order"), "XS{yyyyMMdd}-{seq:4}")
        register_document_type("sales_quote", _("Sales quotation"), "BJ{yyyyMMdd}-{seq:4}")
        register_document_type("delivery", _("Delivery"), "CK{yyyyMMdd}-{seq:4}")
        register_document_type("sales_return", _("Sales return"), "XT{yyyyMMdd}-{seq:4}")
        register_document_type("customer_invoice", _("Customer invoice"), "KP{yyyyMMdd}-{seq:4}")
        from jxc.inventory.reports import register_move_kind

        register_move_kind("sales.deliveryline", _("Deliveries"))
        register_move_kind("sales.salesreturnline", _("Sales returns"))
        from jxc.sales.accounting import register_sales_postings

        register_sales_postings()
        from jxc.sales.approvals import register_sales_approvals

        register_sales_approvals()
        from jxc.inventory.selectors import register_demand_source
        from jxc.sales.selectors import unreserved_order_demand

        register_demand_source(unreserved_order_demand)
        from jxc.inventory.arrivals import register_arrival_listener
        from jxc.sales.services import (
            mailing,  # noqa: F401 (the e-mail jobs)
            quotations,  # noqa: F401 (the expiry job)
        )
        from jxc.sales.services.backorders import stock_arrived

        register_arrival_listener(stock_arrived)  # backorders get the stock that arrives
