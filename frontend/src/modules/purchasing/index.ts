import { ShoppingCart } from '@element-plus/icons-vue'
import en from '@/i18n/purchasing/en'
import zhCN from '@/i18n/purchasing/zh-CN'
import { PURCHASE_REPORTS } from '@/views/purchasing/reports'
import { defineModule, type ModulePage } from '../types'

const DocumentsView = () => import('@/views/purchasing/PurchaseDocumentsView.vue')
const ReportPage = () => import('@/components/ReportPage.vue')

/** A document kind's list (in the menu) and its editor (`…/new` or `…/<id>`, not in the menu). */
function documentPages(kind: 'order' | 'receipt' | 'invoice' | 'return' | 'landed', path: string, editor: ModulePage['component']): ModulePage[] {
  return [
    { name: `purchasing-${kind}s`, path, titleKey: `purchasing.${kind}.title`, props: { kind }, component: DocumentsView },
    { name: `purchasing-${kind}`, path: `${path}/:id`, titleKey: `purchasing.${kind}.title`, menu: false, activeMenu: path,
      component: editor },
  ]
}

export default defineModule({
  code: 'purchasing',
  icon: ShoppingCart,
  pages: [
    // 请购单: any member requests (the server shows them their own requests)
    { name: 'purchasing-requests', path: '/purchasing/requests', titleKey: 'purchasing.request.title', permission: null,
      component: () => import('@/views/purchasing/PurchaseRequestsView.vue') },
    { name: 'purchasing-request', path: '/purchasing/requests/:id', titleKey: 'purchasing.request.title', permission: null,
      menu: false, activeMenu: '/purchasing/requests', component: () => import('@/views/purchasing/PurchaseRequestView.vue') },
    // 询价单 and its comparison (比价)
    { name: 'purchasing-rfqs', path: '/purchasing/rfqs', titleKey: 'purchasing.rfq.title',
      component: () => import('@/views/purchasing/RfqsView.vue') },
    { name: 'purchasing-rfq', path: '/purchasing/rfqs/:id', titleKey: 'purchasing.rfq.title', menu: false,
      activeMenu: '/purchasing/rfqs', component: () => import('@/views/purchasing/RfqView.vue') },
    { name: 'purchasing-rfq-compare', path: '/purchasing/rfqs/:id/compare', titleKey: 'purchasing.rfq.compareTitle', menu: false,
      activeMenu: '/purchasing/rfqs', component: () => import('@/views/purchasing/RfqCompareView.vue') },
    ...documentPages('order', '/purchasing/orders', () => import('@/views/purchasing/PurchaseOrderView.vue')),
    ...documentPages('receipt', '/purchasing/receipts', () => import('@/views/purchasing/GoodsReceiptView.vue')),
    ...documentPages('invoice', '/purchasing/invoices', () => import('@/views/purchasing/SupplierInvoiceView.vue')),
    ...documentPages('return', '/purchasing/returns', () => import('@/views/purchasing/PurchaseReturnView.vue')),
    ...documentPages('landed', '/purchasing/landed-costs', () => import('@/views/purchasing/LandedCostView.vue')),
    // 付款申请单: posted invoices to pay, approved, then paid through finance
    { name: 'purchasing-payment-requests', path: '/purchasing/payment-requests', titleKey: 'purchasing.paymentRequest.title',
      component: () => import('@/views/purchasing/PaymentRequestsView.vue') },
    { name: 'purchasing-payment-request', path: '/purchasing/payment-requests/:id', titleKey: 'purchasing.paymentRequest.title',
      menu: false, activeMenu: '/purchasing/payment-requests', component: () => import('@/views/purchasing/PaymentRequestView.vue') },
    { name: 'purchasing-suggestions', path: '/purchasing/suggestions', titleKey: 'purchasing.suggestion.title',
      component: () => import('@/views/purchasing/SuggestionsView.vue') },
    { name: 'purchasing-reorder-rules', path: '/purchasing/reorder-rules', titleKey: 'purchasing.rule.title',
      component: () => import('@/views/purchasing/ReorderRulesView.vue') },
    { name: 'purchasing-tolerances', path: '/purchasing/tolerances', titleKey: 'purchasing.tolerance.title',
      component: () => import('@/views/purchasing/TolerancesView.vue') },
    { name: 'purchasing-invoice-tolerances', path: '/purchasing/invoice-tolerances', titleKey: 'purchasing.invoiceTolerance.title',
      component: () => import('@/views/purchasing/InvoiceTolerancesView.vue') },
    // 报表
    ...Object.entries(PURCHASE_REPORTS).map(([key, report]): ModulePage => ({
      name: `purchasing-report-${key}`, path: `/purchasing/reports/${key}`, titleKey: report.title, section: 'reports',
      props: { report }, component: ReportPage,
    })),
  ],
  messages: { 'zh-CN': zhCN, en },
})
