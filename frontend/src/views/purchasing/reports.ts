import type { ReportColumn, ReportDefinition } from '@/components/reportPage'

/** The purchasing reports (采购报表): what each page asks the server for and shows. */
const FILTERS: ReportDefinition['filters'] = ['period', 'supplier', 'product', 'category', 'purchaser', 'warehouse']
const L = (key: string) => `purchasing.reports.columns.${key}`
const openOrder = (row: Record<string, unknown>) => ({ name: 'purchasing-order', params: { id: String(row.order_id) } })

const ORDER_LINE: ReportColumn[] = [
  { prop: 'order_number', label: L('order'), width: 150 },
  { prop: 'date', label: L('date'), kind: 'date', width: 100 },
  { prop: 'supplier_name', label: 'report.supplier', width: 160 },
  { prop: 'product_code', label: L('productCode'), width: 100 },
  { prop: 'product_name', label: L('productName'), width: 160 },
  { prop: 'expected_date', label: L('expectedDate'), kind: 'date', width: 100 },
  { prop: 'ordered', label: L('ordered'), kind: 'qty' },
  { prop: 'received', label: L('received'), kind: 'qty' },
  { prop: 'returned', label: L('returned'), kind: 'qty' },
  { prop: 'invoiced', label: L('invoiced'), kind: 'qty' },
  { prop: 'open', label: L('open'), kind: 'qty' },
  { prop: 'total', label: L('total'), kind: 'money' },
]

export const PURCHASE_REPORTS = {
  summary: {
    name: 'purchase-summary', url: 'purchase-summary/', title: 'purchasing.reports.summary', hint: 'purchasing.reports.summaryHint',
    filters: FILTERS, groupBy: ['supplier', 'product', 'category', 'purchaser', 'warehouse', 'month'], exportPermission: 'purchasing.export',
    columns: [
      { prop: 'received_quantity', label: L('received'), kind: 'qty' },
      { prop: 'returned_quantity', label: L('returned'), kind: 'qty' },
      { prop: 'quantity', label: L('netQuantity'), kind: 'qty' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
      { prop: 'average_price', label: L('averagePrice'), kind: 'price' },
    ],
    chart: { type: 'bar', category: 'name', values: [{ prop: 'amount', label: L('amount') }] },
  },
  detail: {
    name: 'purchase-detail', url: 'purchase-detail/', title: 'purchasing.reports.detail', filters: FILTERS,
    exportPermission: 'purchasing.export',
    columns: [
      { prop: 'date', label: L('date'), kind: 'date', width: 100 },
      { prop: 'number', label: L('number'), width: 150 },
      { prop: 'order_number', label: L('order'), width: 150 },
      { prop: 'supplier_name', label: 'report.supplier', width: 160 },
      { prop: 'purchaser_name', label: 'report.purchaser', width: 90 },
      { prop: 'warehouse_name', label: 'report.warehouse', width: 90 },
      { prop: 'product_code', label: L('productCode'), width: 100 },
      { prop: 'product_name', label: L('productName'), width: 160 },
      { prop: 'quantity', label: L('quantity'), kind: 'qty' },
      { prop: 'unit_price', label: L('unitPrice'), kind: 'price' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
    ],
    link: (row) => ({ name: row.kind === 'return' ? 'purchasing-return' : 'purchasing-receipt', params: { id: String(row.document_id) } }),
  },
  execution: {
    name: 'purchase-order-execution', url: 'purchase-order-execution/', title: 'purchasing.reports.execution',
    hint: 'purchasing.reports.executionHint', filters: FILTERS, exportPermission: 'purchasing.export',
    columns: [
      ...ORDER_LINE,
      { prop: 'invoiced_amount', label: L('invoicedAmount'), kind: 'money' },
      { prop: 'paid', label: L('paid'), kind: 'money' },
    ],
    link: openOrder,
  },
  open: {
    name: 'purchase-open-orders', url: 'purchase-open-orders/', title: 'purchasing.reports.open', hint: 'purchasing.reports.openHint',
    filters: [...FILTERS, 'overdue'], exportPermission: 'purchasing.export',
    columns: [
      ...ORDER_LINE,
      { prop: 'overdue', label: L('overdue'), kind: 'flag', width: 70 },
      { prop: 'days_overdue', label: L('daysOverdue'), kind: 'qty', width: 80 },
    ],
    link: openOrder,
  },
  performance: {
    name: 'supplier-performance', url: 'supplier-performance/', title: 'purchasing.reports.performance',
    hint: 'purchasing.reports.performanceHint', filters: FILTERS, exportPermission: 'purchasing.export',
    columns: [
      { prop: 'code', label: 'report.code', width: 100 },
      { prop: 'name', label: 'report.supplier', width: 180 },
      { prop: 'receipts', label: L('receipts'), kind: 'qty' },
      { prop: 'lines', label: L('lines'), kind: 'qty' },
      { prop: 'timed_lines', label: L('timedLines'), kind: 'qty' },
      { prop: 'on_time_lines', label: L('onTimeLines'), kind: 'qty' },
      { prop: 'on_time_rate', label: L('onTimeRate'), kind: 'percent' },
      { prop: 'received_quantity', label: L('received'), kind: 'qty' },
      { prop: 'returned_quantity', label: L('returned'), kind: 'qty' },
      { prop: 'return_rate', label: L('returnRate'), kind: 'percent' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
    ],
    chart: { type: 'bar', category: 'name', values: [{ prop: 'on_time_rate', label: L('onTimeRate') },
      { prop: 'return_rate', label: L('returnRate') }] },
  },
  prices: {
    name: 'purchase-price-trend', url: 'purchase-price-trend/', title: 'purchasing.reports.prices', hint: 'purchasing.reports.pricesHint',
    filters: FILTERS, exportPermission: 'purchasing.export',
    columns: [
      { prop: 'product_code', label: L('productCode'), width: 100 },
      { prop: 'product_name', label: L('productName'), width: 180 },
      { prop: 'month', label: 'report.month', width: 90 },
      { prop: 'quantity', label: L('quantity'), kind: 'qty' },
      { prop: 'amount', label: L('amount'), kind: 'money' },
      { prop: 'average_price', label: L('averagePrice'), kind: 'price' },
      { prop: 'lowest', label: L('lowest'), kind: 'price' },
      { prop: 'highest', label: L('highest'), kind: 'price' },
    ],
    chart: { type: 'line', category: 'month', seriesBy: 'product_name', values: [{ prop: 'average_price', label: L('averagePrice') }] },
  },
} satisfies Record<string, ReportDefinition>
