"""``/api/v1/``: every app's endpoints, and the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from jxc.core.endpoints import audit, numbering, organizations, session, tokens, users
from jxc.finance.api import accounts as fin_accounts
from jxc.finance.api import opening as fin_opening
from jxc.finance.api import receivables as fin_receivables
from jxc.finance.api import reports as fin_reports
from jxc.finance.api import vouchers as fin_vouchers
from jxc.inventory.api import alerts as inv_alerts
from jxc.inventory.api import documents as inv_documents
from jxc.inventory.api import reports as inv_reports
from jxc.inventory.api import stock as inv_stock
from jxc.inventory.api import valuation as inv_valuation
from jxc.inventory.api import warehouse_accounts as inv_warehouse_accounts
from jxc.masterdata.api import imports as md_imports
from jxc.masterdata.api import locations as md_locations
from jxc.masterdata.api import partners as md_partners
from jxc.masterdata.api import prices as md_prices
from jxc.masterdata.api import products as md_products
from jxc.masterdata.api import reference as md_reference
from jxc.purchasing.api import reports as purchasing_reports
from jxc.purchasing.api import views as purchasing
from jxc.reporting.api import DashboardView
from jxc.sales.api import backorders as sales_backorders
from jxc.sales.api import channels as sales_channels
from jxc.sales.api import documents as sales_documents
from jxc.sales.api import orders as sales_orders
from jxc.sales.api import quotations as sales_quotations
from jxc.sales.api import reports as sales_reports
from jxc.workflow.api import alerts as wf_alerts
from jxc.workflow.api import notifications as wf_notifications
from jxc.workflow.api import requests as wf_requests
from jxc.workflow.api import rules as wf_rules
from jxc.workflow.api import webhooks as wf_webhooks

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organizations", organizations.OrganizationViewSet, basename="organization")
router.register("users", users.UserViewSet, basename="user")
router.register("roles", users.RoleViewSet, basename="role")
router.register("members", users.MemberViewSet, basename="member")
router.register("api-tokens", tokens.ApiTokenViewSet, basename="api-token")
router.register("number-series", numbering.NumberSeriesViewSet, basename="number-series")
router.register("audit-log", audit.AuditLogViewSet, basename="audit-log")
# master data
router.register("units", md_reference.UnitViewSet, basename="unit")
router.register("categories", md_reference.CategoryViewSet, basename="category")
router.register("tax-rates", md_reference.TaxRateViewSet, basename="tax-rate")
router.register("currencies", md_reference.CurrencyViewSet, basename="currency")
router.register("exchange-rates", md_reference.ExchangeRateViewSet, basename="exchange-rate")
router.register("custom-fields", md_reference.CustomFieldViewSet, basename="custom-field")
router.register("products", md_products.ProductViewSet, basename="product")
router.register("partners", md_partners.PartnerViewSet, basename="partner")
router.register("warehouses", md_locations.WarehouseViewSet, basename="warehouse")
router.register("locations", md_locations.LocationViewSet, basename="location")
router.register("price-lists", md_prices.PriceListViewSet, basename="price-list")
router.register("imports", md_imports.ImportJobViewSet, basename="import")
# workflow
router.register("approval-rules", wf_rules.ApprovalRuleViewSet, basename="approval-rule")
router.register(
    "approval-requests", wf_requests.ApprovalRequestViewSet, basename="approval-request"
)
router.register("notifications", wf_notifications.NotificationViewSet, basename="notification")
router.register(
    "notification-preferences",
    wf_notifications.NotificationPreferenceViewSet,
    basename="notification-preference",
)
router.register("webhooks", wf_webhooks.WebhookViewSet, basename="webhook")
router.register(
    "webhook-deliveries", wf_webhooks.WebhookDeliveryViewSet, basename="webhook-delivery"
)
router.register("alerts", wf_alerts.AlertViewSet, basename="alert")
router.register("alert-kinds", wf_alerts.AlertKindViewSet, basename="alert-kind")
# finance
router.register("accounts", fin_accounts.AccountViewSet, basename="account")
router.register("account-roles", fin_accounts.AccountRoleViewSet, basename="account-role")
router.register("posting-rules", fin_accounts.PostingRuleViewSet, basename="posting-rule")
router.register(
    "warehouse-accounts",
    inv_warehouse_accounts.WarehouseAccountViewSet,
    basename="warehouse-account",
)
router.register("vouchers", fin_vouchers.VoucherViewSet, basename="voucher")
router.register(
    "voucher-templates", fin_vouchers.VoucherTemplateViewSet, basename="voucher-template"
)
router.register("accounting-periods", fin_vouchers.PeriodViewSet, basename="accounting-period")
router.register("open-items", fin_receivables.OpenItemViewSet, basename="open-item")
router.register("allocations", fin_receivables.AllocationViewSet, basename="allocation")
router.register("payments", fin_receivables.PaymentViewSet, basename="payment")
router.register("journal", fin_reports.JournalViewSet, basename="journal")
# inventory
router.register("stock-documents", inv_documents.StockDocumentViewSet, basename="stock-document")
router.register("stock-counts", inv_documents.StockCountViewSet, basename="stock-count")
router.register("stock", inv_stock.StockViewSet, basename="stock")
router.register("stock-moves", inv_stock.MoveViewSet, basename="stock-move")
router.register("lots", inv_stock.LotViewSet, basename="lot")
router.register("reservations", inv_stock.ReservationViewSet, basename="reservation")
router.register("stock-freezes", inv_stock.FreezeViewSet, basename="stock-freeze")
router.register("cost-adjustments", inv_valuation.CostAdjustmentViewSet, basename="cost-adjustment")
router.register("stock-periods", inv_valuation.StockPeriodViewSet, basename="stock-period")
router.register("revaluations", inv_valuation.RevaluationViewSet, basename="revaluation")
router.register("low-stock", inv_alerts.LowStockViewSet, basename="low-stock")
router.register("expiring-stock", inv_alerts.ExpiringStockViewSet, basename="expiring-stock")
router.register("stock-ledger", inv_reports.StockLedgerViewSet, basename="stock-ledger")
router.register("stock-summary", inv_reports.StockSummaryViewSet, basename="stock-summary")
# purchasing
router.register("purchase-orders", purchasing.PurchaseOrderViewSet, basename="purchase-order")
router.register("purchase-requests", purchasing.PurchaseRequestViewSet, basename="purchase-request")
router.register("payment-requests", purchasing.PaymentRequestViewSet, basename="payment-request")
router.register("rfqs", purchasing.RequestForQuotationViewSet, basename="rfq")
router.register("goods-receipts", purchasing.GoodsReceiptViewSet, basename="goods-receipt")
router.register("supplier-invoices", purchasing.SupplierInvoiceViewSet, basename="supplier-invoice")
router.register("purchase-returns", purchasing.PurchaseReturnViewSet, basename="purchase-return")
router.register("landed-costs", purchasing.LandedCostViewSet, basename="landed-cost")
router.register("reorder-rules", purchasing.ReorderRuleViewSet, basename="reorder-rule")
router.register(
    "purchase-suggestions", purchasing.PurchaseSuggestionViewSet, basename="purchase-suggestion"
)
router.register(
    "receipt-tolerances", purchasing.ReceiptToleranceViewSet, basename="receipt-tolerance"
)
router.register(
    "invoice-tolerances", purchasing.InvoiceToleranceViewSet, basename="invoice-tolerance"
)
# purchasing reports
for prefix, viewset in (
    ("purchase-summary", purchasing_reports.PurchaseSummaryViewSet),
    ("purchase-detail", purchasing_reports.PurchaseDetailViewSet),
    ("purchase-order-execution", purchasing_reports.PurchaseOrderExecutionViewSet),
    ("purchase-open-orders", purchasing_reports.OpenPurchaseOrdersViewSet),
    ("supplier-performance", purchasing_reports.SupplierPerformanceViewSet),
    ("purchase-price-trend", purchasing_reports.PriceTrendViewSet),
):
    router.register(prefix, viewset, basename=prefix)
# sales reports
for prefix, viewset in (
    ("sales-summary", sales_reports.SalesSummaryViewSet),
    ("sales-detail", sales_reports.SalesDetailViewSet),
    ("sales-gross-profit", sales_reports.GrossProfitViewSet),
    ("sales-order-execution", sales_reports.OrderExecutionViewSet),
    ("sales-backorders", sales_reports.BackorderViewSet),
    ("sales-credit-usage", sales_reports.CreditUsageViewSet),
):
    router.register(prefix, viewset, basename=prefix)
# sales
router.register("sales-orders", sales_orders.SalesOrderViewSet, basename="sales-order")
router.register("sales-channels", sales_channels.SalesChannelViewSet, basename="sales-channel")
router.register(
    "sales-channel-quotas", sales_channels.ChannelQuotaViewSet, basename="sales-channel-quota"
)
router.register(
    "sales-quotations", sales_quotations.SalesQuotationViewSet, basename="sales-quotation"
)
router.register("deliveries", sales_documents.DeliveryViewSet, basename="delivery")
router.register(
    "customer-invoices", sales_documents.CustomerInvoiceViewSet, basename="customer-invoice"
)
router.register("sales-returns", sales_documents.SalesReturnViewSet, basename="sales-return")
router.register(
    "sales-policy-overrides", sales_orders.PolicyOverrideViewSet, basename="sales-policy-override"
)

v1 = [
    path("auth/csrf/", session.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", session.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", session.LogoutView.as_view(), name="auth-logout"),
    path("me/", session.MeView.as_view(), name="me"),
    path(
        "me/switch-organization/",
        session.SwitchOrganizationView.as_view(),
        name="me-switch-organization",
    ),
    path("me/change-password/", session.ChangePasswordView.as_view(), name="me-change-password"),
    path("permissions/", session.PermissionCatalogView.as_view(), name="permissions"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("prices/lookup/", md_prices.PriceLookupView.as_view(), name="price-lookup"),
    path("stock/availability/", inv_stock.AvailabilityView.as_view(), name="availability"),
    path("stock/verify/", inv_stock.VerifyView.as_view(), name="stock-verify"),
    path("sales/settings/", sales_orders.SalesSettingsView.as_view(), name="sales-settings"),
    path(
        "sales/backorders/allocate/",
        sales_backorders.AllocateBackordersView.as_view(),
        name="sales-backorders-allocate",
    ),
    path(
        "sales/channel-orders/",
        sales_channels.ChannelOrderView.as_view(),
        name="sales-channel-orders",
    ),
    path(
        "sales/channel-orders/upload/",
        sales_channels.ChannelUploadView.as_view(),
        name="sales-channel-orders-upload",
    ),
    path(
        "finance/trial-balance/",
        fin_reports.TrialBalanceView.as_view(),
        name="trial-balance",
    ),
    path(
        "finance/trial-balance/export/",
        fin_reports.TrialBalanceExportView.as_view(),
        name="trial-balance-export",
    ),
    path("finance/ageing/", fin_receivables.AgeingView.as_view(), name="ageing"),
    path(
        "finance/opening-balances/",
        fin_reports.OpeningBalancesView.as_view(),
        name="opening-balances",
    ),
    path(
        "finance/opening-balances/template/",
        fin_opening.OpeningTemplateView.as_view(),
        name="opening-balances-template",
    ),
    path(
        "finance/opening-balances/import/preview/",
        fin_opening.OpeningImportPreviewView.as_view(),
        name="opening-balances-import-preview",
    ),
    path(
        "finance/opening-balances/import/",
        fin_opening.OpeningImportView.as_view(),
        name="opening-balances-import",
    ),
    path(
        "finance/general-ledger/",
        fin_reports.GeneralLedgerView.as_view(),
        name="general-ledger",
    ),
    path(
        "finance/ageing/export/",
        fin_receivables.AgeingExportView.as_view(),
        name="ageing-export",
    ),
    path("finance/statement/", fin_receivables.StatementView.as_view(), name="statement"),
    path(
        "finance/statement/export/",
        fin_receivables.StatementExportView.as_view(),
        name="statement-export",
    ),
    path(
        "finance/account-ledger/",
        fin_reports.AccountLedgerView.as_view(),
        name="account-ledger",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
