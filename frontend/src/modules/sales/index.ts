import { Sell } from '@element-plus/icons-vue'
import en from '@/i18n/sales/en'
import zhCN from '@/i18n/sales/zh-CN'
import { defineModule, type ModulePage } from '../types'

const SalesDocumentsView = () => import('@/views/sales/SalesDocumentsView.vue')

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
  ],
  messages: { 'zh-CN': zhCN, en },
})
