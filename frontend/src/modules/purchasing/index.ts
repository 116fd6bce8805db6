import { ShoppingCart } from '@element-plus/icons-vue'
import en from '@/i18n/purchasing/en'
import zhCN from '@/i18n/purchasing/zh-CN'
import { defineModule, type ModulePage } from '../types'

const DocumentsView = () => import('@/views/purchasing/PurchaseDocumentsView.vue')

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
    ...documentPages('order', '/purchasing/orders', () => import('@/views/purchasing/PurchaseOrderView.vue')),
    ...documentPages('receipt', '/purchasing/receipts', () => import('@/views/purchasing/GoodsReceiptView.vue')),
    ...documentPages('invoice', '/purchasing/invoices', () => import('@/views/purchasing/SupplierInvoiceView.vue')),
    ...documentPages('return', '/purchasing/returns', () => import('@/views/purchasing/PurchaseReturnView.vue')),
    ...documentPages('landed', '/purchasing/landed-costs', () => import('@/views/purchasing/LandedCostView.vue')),
    { name: 'purchasing-suggestions', path: '/purchasing/suggestions', titleKey: 'purchasing.suggestion.title',
      component: () => import('@/views/purchasing/SuggestionsView.vue') },
    { name: 'purchasing-reorder-rules', path: '/purchasing/reorder-rules', titleKey: 'purchasing.rule.title',
      component: () => import('@/views/purchasing/ReorderRulesView.vue') },
    { name: 'purchasing-tolerances', path: '/purchasing/tolerances', titleKey: 'purchasing.tolerance.title',
      component: () => import('@/views/purchasing/TolerancesView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
