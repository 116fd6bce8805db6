from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "jxc.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from jxc.core.doctypes import register_document_type
        from jxc.core.modules import register_module

        register_module("inventory")
        register_document_type("other_receipt", _("Other receipt"), "QR{yyyyMMdd}-{seq:4}")
        register_document_type("other_issue", _("Other issue"), "QC{yyyyMMdd}-{seq:4}")
        from jxc.inventory.reports import register_move_kind

        for code, label in (
            ("transfer", _("Transfers")),
            ("inventory.stockdocumentline", _("Other receipts and issues")),
            ("inventory.stockcountline", _("Stock counts")),
            ("inventory.costadjustmentline", _("Cost adjustments")),
            ("inventory.settlement", _("Negative stock settled")),
            ("other", _("Other")),
        ):
            register_move_kind(code, label)
        register_document_type("cost_adjustment", _("Cost adjustment"), "TZ{yyyyMMdd}-{seq:4}")
        from jxc.inventory.services.accounting import register_stock_postings

        register_stock_postings()
        from jxc.inventory.month_end import register_inventory_close

        register_inventory_close()
        from jxc.inventory.alerts_registration import register_inventory_alerts

        register_inventory_alerts()
        from jxc.inventory.approvals import register_stock_approvals

        register_stock_approvals()
