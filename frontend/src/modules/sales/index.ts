import { Sell } from '@element-plus/icons-vue'
import en from '@/i18n/sales/en'
import zhCN from '@/i18n/sales/zh-CN'
import { SALES_REPORTS } from '@/views/sales/reports'
import { defineModule, type ModulePage } from '../types'

const SalesDocumentsView = () => import('@/views/sales/SalesDocumentsView.vue')
const ReportPage = () => import('@/components/ReportPage.vue')

/** A sales document's list (in the menu) and its editor (`…/new` or `…/<id>`, not in the menu). */
function documentPages(kind: 'quotations' | 'orders' | 'deliveries' | 'invoices' | 'returns', single: string, title: string,
  editor: () => Promise<unknown>): ModulePage[] {
  const path = `/sales/${kind}`
  return [
    { name: `sales-${kind}`, path, titleKey: `sales.${title}.title`, props: { kind }, component: SalesDocumentsView },
    { name: `sales-${single}`, path: `${path}/:id`, titleKey: `sales.${title}.title`, menu: false, activeMenu: path,
      component: editor as ModulePage['component'] },
  ]
}

export default defineModule({
  code: 'sales',
  icon: Sell,
  pages: [
    ...documentPages('quotations', 'quotation', 'quotation', () => import('@/views/sales/SalesQuotationView.vue')),
    ...documentPages('orders', 'order', 'order', () => import('@/views/sales/SalesOrderView.vue')),
    ...documentPages('deliveries', 'delivery', 'delivery', () => import('@/views/sales/DeliveryView.vue')),
    ...documentPages('invoices', 'invoice', 'invoice', () => import('@/views/sales/InvoiceView.vue')),
    ...documentPages('returns', 'return', 'return', () => import('@/views/sales/ReturnView.vue')),
    { name: 'sales-channels', path: '/sales/channels', titleKey: 'sales.channel.title',
      component: () => import('@/views/sales/SalesChannelsView.vue') },
    { name: 'sales-settings', path: '/sales/settings', titleKey: 'sales.settings.title',
      component: () => import('@/views/sales/SalesSettingsView.vue') },
    // 报表: one page each; 销售毛利表 only for roles that may see costs
    ...Object.entries(SALES_REPORTS).map(([key, report]): ModulePage => ({
      name: `sales-report-${key}`, path: `/sales/reports/${key}`, titleKey: report.title, section: 'reports',
      props: { report }, component: ReportPage, ...(key === 'profit' ? { costs: true } : {}),
    })),
  ],
  messages: { 'zh-CN': zhCN, en },
})
