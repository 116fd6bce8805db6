import { downloadFile, http, type PostOptions } from './client'
import { editableResource, postAction, removeFrom } from './resource'
import type { Id } from './types'

/**
 * The sales module (销售): orders (销售订单), deliveries (销售出库单), customer invoices (销售发票) and
 * returns (销售退货单), and the availability and credit policies.
 */

export type SalesState = 'draft' | 'submitted' | 'approved' | 'partially_done' | 'done' | 'closed' | 'cancelled'
export const ORDER_STATES: SalesState[] = ['draft', 'submitted', 'approved', 'partially_done', 'done', 'closed', 'cancelled']
export const POSTED_STATES: SalesState[] = ['draft', 'done', 'cancelled']
export type AvailabilityPolicy = 'block' | 'warn' | 'presale'
export const AVAILABILITY_POLICIES: AvailabilityPolicy[] = ['block', 'warn', 'presale']
export type CreditPolicy = 'off' | 'block' | 'approval'
export const CREDIT_POLICIES: CreditPolicy[] = ['off', 'block', 'approval']
export type InvoiceType = 'special' | 'ordinary' | 'none'
export const INVOICE_TYPES: InvoiceType[] = ['special', 'ordinary', 'none']

interface Header {
  id: Id
  number: string
  state: SalesState
  business_date: string
  customer: Id
  customer_name: string
  note: string
  created_by_name: string | null
  created_at: string
  posted_at: string | null
}

export interface SalesOrderLine {
  id?: Id
  product: Id
  product_code?: string
  product_name?: string
  unit: Id | null
  unit_name?: string
  quantity: string
  base_quantity?: string
  list_price?: string
  unit_price: string | null
  discount_percent: string | null
  tax_rate?: Id | null
  tax_percent?: string
  tax_included?: boolean | null
  delivery_date?: string | null
  net_amount?: string
  tax_amount?: string
  gross_amount?: string
  below_floor?: boolean
  reserved_quantity?: string
  /** what is still reserved now (the rest was delivered or released) */
  reserved_open?: string
  backorder_quantity?: string
  delivered_quantity?: string
  /** invoiced before delivery (prepaid sales) and not delivered yet, in base units */
  prepaid_quantity?: string
}

export interface SalesOrder extends Header {
  currency: Id | null
  currency_code: string
  rate: string
  warehouse: Id
  warehouse_name: string
  delivery_date: string | null
  payment_terms: string
  deposit_requested: string
  net_amount: string
  tax_amount: string
  gross_amount: string
  below_floor: boolean
  credit_exceeded: boolean
  confirmed_at: string | null
  /** the quotation the order was converted from */
  quotation?: Id | null
  quotation_number?: string | null
  shipping_address?: string
  /** 渠道订单: the channel and its own order id (read-only, set when received) */
  channel?: Id | null
  channel_code?: string | null
  channel_name?: string | null
  channel_order_id?: string
  /** the order this one was split from (拆单) */
  split_from?: Id | null
  split_from_number?: string | null
  /** what the order's posted deposits (订金) received */
  deposit_received?: string
  deposits?: OrderDeposit[]
  lines: SalesOrderLine[]
}

/** 订金: a receipt taken against the order; ``unused`` is what still sits on 预收 */
export interface OrderDeposit {
  id: Id
  payment: Id
  payment_number: string
  date: string
  amount: string
  state: string
  unused: string
}

export interface DepositInput {
  amount: string
  account: Id | null
  date?: string | null
  note?: string
}

export interface SalesOrderInput {
  business_date: string
  customer: Id | null
  warehouse: Id | null
  currency?: Id | null
  delivery_date?: string | null
  payment_terms?: string
  deposit_requested?: string
  shipping_address?: string
  note?: string
  lines: SalesOrderLine[]
}

/** `GET <document>/<id>/pdf/`: the printed document (打印) */
export const pdfOf = (url: string) => (id: Id) =>
  http.get<Blob>(`${url}${id}/pdf/`, { responseType: 'blob', timeout: 0 }).then((r) => r.data)

/** `POST <document>/<id>/email/`: the PDF to the customer, sent in the background (202 + the job's id);
 * posted by the shared EmailDocumentDialog */
export const emailUrlOf = (url: string) => (id: Id) => `${url}${id}/email/`

export interface SplitInput {
  warehouse: Id
  lines: { line: Id; quantity: string }[]
}

const ordersUrl = 'sales-orders/'
export const salesOrdersApi = {
  ...editableResource<SalesOrder, SalesOrderInput>(ordersUrl),
  replace: (id: Id, body: SalesOrderInput) => http.put<SalesOrder>(`${ordersUrl}${id}/`, body).then((r) => r.data),
  submit: (id: Id, options?: PostOptions) => postAction<SalesOrder>(`${ordersUrl}${id}/submit/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<SalesOrder>(`${ordersUrl}${id}/cancel/`, {}, options),
  close: (id: Id, options?: PostOptions) => postAction<SalesOrder>(`${ordersUrl}${id}/close/`, {}, options),
  /** 销售订单确认书 */
  pdf: pdfOf(ordersUrl),
  /** 发送邮件: the confirmation to the customer (confirmed orders) */
  emailUrl: emailUrlOf(ordersUrl),
  /** 拆单: lines (or parts) of a draft move to a new draft of another warehouse; answers the new order. */
  split: (id: Id, body: SplitInput, options?: PostOptions) => postAction<SalesOrder>(`${ordersUrl}${id}/split/`, body, options),
  /** 收订金: a receipt for the order, posted at once */
  deposit: (id: Id, body: DepositInput, options?: PostOptions) =>
    postAction<SalesOrder>(`${ordersUrl}${id}/deposit/`, body, options),
}

/** 销售报价单: its own states (sent = submitted; converted to an order, expired). */
export type QuotationState = 'draft' | 'submitted' | 'converted' | 'expired' | 'cancelled'
export const QUOTATION_STATES: QuotationState[] = ['draft', 'submitted', 'converted', 'expired', 'cancelled']

export interface SalesQuotationLine {
  id?: Id
  product: Id
  product_code?: string
  product_name?: string
  unit: Id | null
  unit_name?: string
  quantity: string
  base_quantity?: string
  list_price?: string
  unit_price: string | null
  discount_percent: string | null
  tax_rate?: Id | null
  tax_percent?: string
  tax_included?: boolean | null
  net_amount?: string
  tax_amount?: string
  gross_amount?: string
  below_floor?: boolean
  /** what the quotation's soft reservation holds now */
  reserved_open?: string
}

export interface SalesQuotation extends Omit<Header, 'state'> {
  state: QuotationState
  currency: Id | null
  currency_code: string
  rate: string
  warehouse: Id
  warehouse_name: string
  valid_until: string
  reserve_stock: boolean
  payment_terms: string
  net_amount: string
  tax_amount: string
  gross_amount: string
  below_floor: boolean
  sent_at: string | null
  order: Id | null
  order_number: string | null
  lines: SalesQuotationLine[]
}

export interface SalesQuotationInput {
  business_date: string
  customer: Id | null
  warehouse: Id | null
  valid_until: string | null
  reserve_stock: boolean
  payment_terms?: string
  note?: string
  lines: SalesQuotationLine[]
}

const quotationsUrl = 'sales-quotations/'
export const salesQuotationsApi = {
  ...editableResource<SalesQuotation, SalesQuotationInput>(quotationsUrl),
  replace: (id: Id, body: SalesQuotationInput) => http.put<SalesQuotation>(`${quotationsUrl}${id}/`, body).then((r) => r.data),
  send: (id: Id, options?: PostOptions) => postAction<SalesQuotation>(`${quotationsUrl}${id}/send/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<SalesQuotation>(`${quotationsUrl}${id}/cancel/`, {}, options),
  /** 转为订单: the new draft sales order */
  convert: (id: Id, options?: PostOptions) => postAction<SalesOrder>(`${quotationsUrl}${id}/convert/`, {}, options),
  /** 销售报价单 */
  pdf: pdfOf(quotationsUrl),
}

export interface DeliveryLine {
  id?: Id
  order_line: Id
  order_number?: string
  /** what the order line still has to deliver (before this delivery, while it is a draft) */
  order_open?: string
  product?: Id
  product_code?: string
  product_name?: string
  unit_name?: string
  quantity: string
  location?: Id | null
  lot?: Id | null
  lot_code?: string | null
  serial?: string
  cost_amount?: string | null
  invoiced_quantity?: string
  returned_quantity?: string
}

export interface Delivery extends Header {
  warehouse: Id
  warehouse_name: string
  carrier: string
  tracking_number: string
  lines: DeliveryLine[]
}

export interface DeliveryInput {
  business_date: string
  customer?: Id | null
  warehouse?: Id | null
  carrier?: string
  tracking_number?: string
  note?: string
  lines?: DeliveryLine[]
  orders?: Id[]
}

const deliveriesUrl = 'deliveries/'
export const deliveriesApi = {
  ...editableResource<Delivery, DeliveryInput>(deliveriesUrl),
  replace: (id: Id, body: DeliveryInput) => http.put<Delivery>(`${deliveriesUrl}${id}/`, body).then((r) => r.data),
  post: (id: Id, options?: PostOptions) => postAction<Delivery>(`${deliveriesUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<Delivery>(`${deliveriesUrl}${id}/cancel/`, {}, options),
  /** 销售出库单 with the pick list */
  pdf: pdfOf(deliveriesUrl),
}

export interface InvoiceLine {
  id?: Id
  /** a posted delivery's line, or before delivery (prepaid sales) an order line */
  delivery_line?: Id | null
  delivery_number?: string | null
  order_line?: Id | null
  order_number?: string | null
  product?: Id
  product_code?: string
  product_name?: string
  quantity: string
  unit_price?: string
  tax_percent?: string
  tax_included?: boolean
  net_amount?: string
  tax_amount?: string
  gross_amount?: string
  /** a credit note's line: the prepaid invoice line it credits */
  credited_line?: Id | null
  /** a posted invoice's line billed before delivery: what can still be credited without a return */
  creditable_quantity?: string | null
}

/** 红冲预开票: lines and quantities of a prepaid invoice to credit (none: all it can) */
export interface CreditPrepaidInput {
  business_date?: string
  note?: string
  lines?: { invoice_line: Id; quantity: string }[]
}

export interface CustomerInvoice extends Header {
  kind: 'invoice' | 'credit_note'
  invoice_type: InvoiceType
  invoice_number: string
  currency: Id
  currency_code: string
  rate: string
  due_date: string | null
  net_amount: string
  tax_amount: string
  gross_amount: string
  open_item: Id | null
  open_amount: string | null
  voucher: Id | null
  credit_of: Id | null
  lines: InvoiceLine[]
}

export interface InvoiceInput {
  business_date: string
  customer?: Id | null
  invoice_type: InvoiceType
  invoice_number: string
  note?: string
  lines?: InvoiceLine[]
  deliveries?: Id[]
  /** prepaid sales: all these confirmed orders have neither delivered nor invoiced */
  orders?: Id[]
}

const invoicesUrl = 'customer-invoices/'
export const invoicesApi = {
  ...editableResource<CustomerInvoice, InvoiceInput>(invoicesUrl),
  replace: (id: Id, body: InvoiceInput) => http.put<CustomerInvoice>(`${invoicesUrl}${id}/`, body).then((r) => r.data),
  post: (id: Id, options?: PostOptions) => postAction<CustomerInvoice>(`${invoicesUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<CustomerInvoice>(`${invoicesUrl}${id}/cancel/`, {}, options),
  /** 红冲预开票: a credit note of what a prepaid invoice billed and will not be delivered; answers the credit note */
  credit: (id: Id, body: CreditPrepaidInput, options?: PostOptions) =>
    postAction<CustomerInvoice>(`${invoicesUrl}${id}/credit/`, body, options),
  pdf: pdfOf(invoicesUrl),
  /** 发送邮件: the posted invoice to the customer */
  emailUrl: emailUrlOf(invoicesUrl),
  /** 数电票 batch-import workbook of the posted VAT invoices: the chosen ids, or those the date range holds */
  einvoiceExport: (query: { ids?: string; business_date__gte?: string; business_date__lte?: string; customer?: Id | '' }) =>
    downloadFile(`${invoicesUrl}einvoice-export/`, query, 'einvoice-import.xlsx'),
}

export interface ReturnLine {
  id?: Id
  /** none on a free-standing return */
  delivery_line: Id | null
  product?: Id | null
  product_code?: string
  product_name?: string
  quantity: string
  /** free-standing: the cost the goods come back at (blank: the current cost); shown to who sees costs */
  unit_cost?: string | null
  /** free-standing: the price to credit, tax included, per base unit (blank: no credit) */
  unit_price?: string | null
  tax_percent?: string | null
}

export interface SalesReturn extends Header {
  delivery: Id | null
  delivery_number: string | null
  location: Id
  location_name: string
  /** the return location's warehouse */
  warehouse?: Id | null
  reason: string
  credit_note: Id | null
  credit_note_number?: string | null
  lines: ReturnLine[]
}

export interface ReturnInput {
  business_date: string
  delivery: Id | null
  /** of a free-standing return */
  customer?: Id | null
  location: Id | null
  reason?: string
  note?: string
  lines?: ReturnLine[]
}

const returnsUrl = 'sales-returns/'
export const returnsApi = {
  ...editableResource<SalesReturn, ReturnInput>(returnsUrl),
  replace: (id: Id, body: ReturnInput) => http.put<SalesReturn>(`${returnsUrl}${id}/`, body).then((r) => r.data),
  post: (id: Id, options?: PostOptions) => postAction<SalesReturn>(`${returnsUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<SalesReturn>(`${returnsUrl}${id}/cancel/`, {}, options),
  /** 销售退货单 */
  pdf: pdfOf(returnsUrl),
}

export interface SalesSettings {
  availability_policy: AvailabilityPolicy
  credit_policy: CreditPolicy
  /** stock arriving in a warehouse goes to the open backorders at once */
  allocate_on_arrival: boolean
}

export const salesSettingsApi = {
  get: () => http.get<SalesSettings>('sales/settings/').then((r) => r.data),
  update: (body: Partial<SalesSettings>) => http.patch<SalesSettings>('sales/settings/', body).then((r) => r.data),
}

export interface PolicyOverride {
  id: Id
  warehouse: Id | null
  warehouse_name: string | null
  product: Id | null
  product_name: string | null
  availability_policy: AvailabilityPolicy
}

const overridesUrl = 'sales-policy-overrides/'
export const policyOverridesApi = {
  ...editableResource<PolicyOverride, Omit<PolicyOverride, 'id' | 'warehouse_name' | 'product_name'>>(overridesUrl),
  remove: removeFrom(overridesUrl),
}

/** 销售渠道: an online shop, a marketplace or a POS whose orders arrive through the API or an upload. */
export const UPLOAD_FIELDS = ['channel_order_id', 'customer_code', 'warehouse_code', 'shipping_address', 'business_date', 'note',
  'product_code', 'barcode', 'quantity', 'unit_price'] as const
export type UploadField = (typeof UPLOAD_FIELDS)[number]

export interface SalesChannel {
  id: Id
  code: string
  name: string
  default_customer: Id | null
  default_customer_name?: string | null
  default_warehouse: Id | null
  default_warehouse_name?: string
  is_active: boolean
  auto_confirm: boolean
  /** at most this share (%) of the available stock per order */
  quota_percent: string | null
  /** per upload field, the header of its column in the channel's files */
  column_mapping: Partial<Record<UploadField, string>>
}
export type SalesChannelInput = Omit<SalesChannel, 'id' | 'default_customer_name' | 'default_warehouse_name'>

const channelsUrl = 'sales-channels/'
export const salesChannelsApi = {
  ...editableResource<SalesChannel, SalesChannelInput>(channelsUrl),
  remove: removeFrom(channelsUrl),
}

export interface ChannelQuota {
  id: Id
  channel: Id
  product: Id
  product_code?: string
  product_name?: string
  quantity: string
}

const quotasUrl = 'sales-channel-quotas/'
export const channelQuotasApi = {
  ...editableResource<ChannelQuota, Omit<ChannelQuota, 'id' | 'product_code' | 'product_name'>>(quotasUrl),
  remove: removeFrom(quotasUrl),
}

export interface UploadedOrder {
  id: Id
  number: string
  state: SalesState
  channel_order_id: string
  created: boolean
}
export interface UploadError {
  row: number
  column: string
  message: string
}
/** An upload's outcome: the orders made (or found again), or every bad row with nothing written. */
export type UploadOutcome =
  | { ok: true; created: number; existing: number; orders: UploadedOrder[] }
  | { ok: false; message: string; errors: UploadError[] }

export const channelOrdersApi = {
  async upload(channel: string, file: File): Promise<UploadOutcome> {
    const body = new FormData()
    body.append('channel', channel)
    body.append('file', file)
    const response = await http.post('sales/channel-orders/upload/', body, { validateStatus: (status) => status === 200 || status === 400 })
    if (response.status === 200) return { ok: true, ...response.data }
    const data = response.data as { message: string; errors?: UploadError[]; fields?: Record<string, string[]> }
    const errors = data.errors ?? Object.entries(data.fields ?? {}).map(([column, messages]) => ({ row: 0, column, message: messages[0] }))
    return { ok: false, message: data.message, errors }
  },
}

/** What one backorder line got from `POST sales/backorders/allocate/` (base units). */
export interface BackorderAllocation {
  order_id: Id
  order_number: string
  line_id: Id
  position: number
  product_id: Id
  product_code: string
  product_name: string
  warehouse_id: Id
  quantity: string
  backorder: string
  /** a presale line: reserved at confirmation; quantity is what of it the stock on hand now covers */
  presale: boolean
}

/**
 * 分配库存: give the stock available now to open backorders (warn policy), in order of confirmation, and lower the
 * backorder of presale lines whose reserved stock is now on hand.
 */
export function allocateBackorders(scope: { warehouse?: Id | null; products?: Id[] }): Promise<BackorderAllocation[]> {
  const body: Record<string, unknown> = {}
  if (scope.warehouse) body.warehouse = scope.warehouse
  if (scope.products?.length) body.products = scope.products
  return http.post<BackorderAllocation[]>('sales/backorders/allocate/', body).then((r) => r.data)
}
