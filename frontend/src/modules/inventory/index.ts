import { Box } from '@element-plus/icons-vue'
import en from '@/i18n/inventory/en'
import zhCN from '@/i18n/inventory/zh-CN'
import { defineModule, type ModulePage } from '../types'

const StockDocumentsView = () => import('@/views/inventory/StockDocumentsView.vue')
const StockDocumentView = () => import('@/views/inventory/StockDocumentView.vue')

/** A stock document kind's list (in the menu) and its editor (`…/new` or `…/<id>`, not in the menu). */
function documentPages(kind: 'receipt' | 'issue' | 'transfer', list: string, path: string): ModulePage[] {
  return [
    { name: `inventory-${list}`, path, titleKey: `inventory.${kind}.title`, props: { kind }, component: StockDocumentsView },
    { name: `inventory-${kind}`, path: `${path}/:id`, titleKey: `inventory.${kind}.title`, props: { kind }, menu: false,
      activeMenu: path, component: StockDocumentView },
  ]
}

export default defineModule({
  code: 'inventory',
  icon: Box,
  pages: [
    ...documentPages('receipt', 'receipts', '/inventory/receipts'),
    ...documentPages('issue', 'issues', '/inventory/issues'),
    ...documentPages('transfer', 'transfers', '/inventory/transfers'),
    { name: 'inventory-counts', path: '/inventory/counts', titleKey: 'inventory.count.title',
      component: () => import('@/views/inventory/StockCountsView.vue') },
    { name: 'inventory-count', path: '/inventory/counts/:id', titleKey: 'inventory.count.title', menu: false,
      activeMenu: '/inventory/counts', component: () => import('@/views/inventory/StockCountView.vue') },
    { name: 'inventory-stock', path: '/inventory/stock', titleKey: 'inventory.stock.title',
      component: () => import('@/views/inventory/StockView.vue') },
    { name: 'inventory-low-stock', path: '/inventory/low-stock', titleKey: 'inventory.lowStock.title',
      component: () => import('@/views/inventory/LowStockView.vue') },
    { name: 'inventory-expiring', path: '/inventory/expiring', titleKey: 'inventory.expiring.title',
      component: () => import('@/views/inventory/ExpiringView.vue') },
    { name: 'inventory-moves', path: '/inventory/moves', titleKey: 'inventory.moves.title',
      component: () => import('@/views/inventory/StockMovesView.vue') },
    { name: 'inventory-ledger', path: '/inventory/ledger', titleKey: 'inventory.ledger.title',
      component: () => import('@/views/inventory/StockLedgerView.vue') },
    { name: 'inventory-summary', path: '/inventory/summary', titleKey: 'inventory.summary.title',
      component: () => import('@/views/inventory/StockSummaryView.vue') },
    { name: 'inventory-lots', path: '/inventory/lots', titleKey: 'inventory.lots.title',
      component: () => import('@/views/inventory/LotsView.vue') },
    { name: 'inventory-reservations', path: '/inventory/reservations', titleKey: 'inventory.reservations.title',
      component: () => import('@/views/inventory/ReservationsView.vue') },
    { name: 'inventory-freezes', path: '/inventory/freezes', titleKey: 'inventory.freezes.title',
      component: () => import('@/views/inventory/FreezesView.vue') },
    // inventory accounting (存货核算): the finance module's permissions, and only for roles that see costs
    { name: 'inventory-cost-adjustments', path: '/inventory/cost-adjustments', titleKey: 'inventory.costAdjustment.title',
      permission: 'finance.view', costs: true, component: () => import('@/views/inventory/CostAdjustmentsView.vue') },
    { name: 'inventory-cost-adjustment', path: '/inventory/cost-adjustments/:id', titleKey: 'inventory.costAdjustment.title',
      permission: 'finance.view', costs: true, menu: false, activeMenu: '/inventory/cost-adjustments',
      component: () => import('@/views/inventory/CostAdjustmentView.vue') },
    { name: 'inventory-revaluations', path: '/inventory/revaluations', titleKey: 'inventory.revaluations.title',
      permission: 'finance.view', costs: true, component: () => import('@/views/inventory/RevaluationsView.vue') },
    { name: 'inventory-periods', path: '/inventory/periods', titleKey: 'inventory.periods.title',
      permission: 'finance.view', costs: true, component: () => import('@/views/inventory/StockPeriodsView.vue') },
    { name: 'inventory-verify', path: '/inventory/verify', titleKey: 'inventory.verify.title',
      component: () => import('@/views/inventory/VerifyView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
