import type { ReportColumn, ReportDefinition } from '@/components/reportPage'
import BackorderAllocate from '@/views/sales/BackorderAllocate.vue'

/** The sales reports (销售报表): what each page asks the server for and shows. */
const FILTERS: ReportDefinition['filters'] = ['period', 'customer', 'product', 'category', 'salesperson', 'warehouse', 'channel']
const GROUPS = ['customer', 'product', 'category', 'salesperson', 'warehouse', 'channel', 'month']
const L = (key: string) => `sales.reports.columns.${key}`
const openOrder = (row: Record<string, unknown>) => ({ name: 'sales-order', params: { id: String(row.order_id) } })

const ORDER_LINE: ReportColumn[] = [
  { prop: 'order_number', label: L('order'), width: 150 },
  { prop: 'date', label: L('date'), kind: 'date', width: 100 },
  { prop: 'customer_name', label: 'report.customer', width: 160 },
  { prop: 'product_code', label: L('productCode'), width: 100 },
  { prop: 'product_name', label: L('productName'), width: 160 },
  { prop: 'delivery_date', label: L('deliveryDate'), kind: 'date', width: 100 },
  { prop: 'ordered', label: L('ordered'), kind: 'qty' },
  { prop: 'delivered', label: L('delivered'), kind: 'qty' },
  { prop: 'open', label: L('open'), kind: 'qty' },
]

export const SALES_REPORTS = {
  summary: {
    name: 'sales-summary', url: 'sales-summary/', title: 'sales.reports.summary', hint: 'sales.reports.summaryHint',
    filters: FILTERS, groupBy: GROUPS, exportPermission: 'sales.export',
    columns: [
      { prop: 'quantity', label: L('quantity'), kind: 'qty' },
      { prop: 'returned_quantity', label: L('returned'), kind: 'qty' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
      { prop: 'tax', label: L('tax'), kind: 'money' },
      { prop: 'total', label: L('total'), kind: 'money' },
    ],
    chart: { type: 'bar', category: 'name', values: [{ prop: 'amount', label: L('amount') }] },
  },
  detail: {
    name: 'sales-detail', url: 'sales-detail/', title: 'sales.reports.detail', filters: FILTERS, exportPermission: 'sales.export',
    columns: [
      { prop: 'date', label: L('date'), kind: 'date', width: 100 },
      { prop: 'number', label: L('number'), width: 150 },
      { prop: 'order_number', label: L('order'), width: 150 },
      { prop: 'customer_name', label: 'report.customer', width: 160 },
      { prop: 'salesperson', label: 'report.salesperson', width: 90 },
      { prop: 'warehouse_name', label: 'report.warehouse', width: 90 },
      { prop: 'channel_name', label: 'report.channel', width: 90 },
      { prop: 'product_code', label: L('productCode'), width: 100 },
      { prop: 'product_name', label: L('productName'), width: 160 },
      { prop: 'quantity', label: L('quantity'), kind: 'qty' },
      { prop: 'unit_price', label: L('unitPrice'), kind: 'price' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
      { prop: 'total', label: L('total'), kind: 'money' },
    ],
    link: (row) => ({ name: row.kind === 'return' ? 'sales-return' : 'sales-delivery', params: { id: String(row.document_id) } }),
  },
  profit: {
    name: 'sales-gross-profit', url: 'sales-gross-profit/', title: 'sales.reports.profit', hint: 'sales.reports.profitHint',
    filters: FILTERS, groupBy: ['product', 'customer', 'salesperson', 'category', 'warehouse', 'channel', 'month'], exportPermission: 'sales.export',
    columns: [
      { prop: 'quantity', label: L('quantity'), kind: 'qty' },
      { prop: 'amount', label: L('revenue'), kind: 'money' },
      { prop: 'cost', label: L('cost'), kind: 'money' },
      { prop: 'profit', label: L('profit'), kind: 'money' },
      { prop: 'margin', label: L('margin'), kind: 'percent' },
    ],
    chart: { type: 'bar', category: 'name', values: [{ prop: 'amount', label: L('revenue') }, { prop: 'profit', label: L('profit') }] },
  },
  execution: {
    name: 'sales-order-execution', url: 'sales-order-execution/', title: 'sales.reports.execution', hint: 'sales.reports.executionHint',
    filters: FILTERS, exportPermission: 'sales.export',
    columns: [
      ...ORDER_LINE,
      { prop: 'returned', label: L('returned'), kind: 'qty' },
      { prop: 'invoiced', label: L('invoiced'), kind: 'qty' },
      { prop: 'total', label: L('total'), kind: 'money' },
      { prop: 'received', label: L('received'), kind: 'money' },
    ],
    link: openOrder,
  },
  backorders: {
    name: 'sales-backorders', url: 'sales-backorders/', title: 'sales.reports.backorders', hint: 'sales.reports.backordersHint',
    filters: FILTERS, exportPermission: 'sales.export',
    columns: [
      ...ORDER_LINE,
      { prop: 'reserved', label: L('reserved'), kind: 'qty' },
      { prop: 'backorder', label: L('backorder'), kind: 'qty' },
      { prop: 'overdue', label: L('overdue'), kind: 'flag', width: 70 },
    ],
    action: BackorderAllocate,
    link: openOrder,
  },
  credit: {
    name: 'sales-credit-usage', url: 'sales-credit-usage/', title: 'sales.reports.credit', hint: 'sales.reports.creditHint',
    filters: ['customer'], exportPermission: 'sales.export',
    columns: [
      { prop: 'code', label: 'report.code', width: 100 },
      { prop: 'name', label: 'report.customer', width: 180 },
      { prop: 'credit_limit', label: L('creditLimit'), kind: 'money' },
      { prop: 'open_receivables', label: L('openReceivables'), kind: 'money' },
      { prop: 'open_orders', label: L('openOrders'), kind: 'money' },
      { prop: 'exposure', label: L('exposure'), kind: 'money' },
      { prop: 'available', label: L('available'), kind: 'money' },
      { prop: 'used_percent', label: L('usedPercent'), kind: 'percent' },
      { prop: 'over_limit', label: L('overLimit'), kind: 'flag', width: 80 },
    ],
    chart: { type: 'bar', category: 'name', values: [{ prop: 'exposure', label: L('exposure') }, { prop: 'credit_limit', label: L('creditLimit') }] },
  },
} satisfies Record<string, ReportDefinition>
