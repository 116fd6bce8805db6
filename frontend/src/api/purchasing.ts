import { cleanQuery, http, type PostOptions } from './client'
import type { DocumentState } from './inventory'
import { editableResource, postAction, removeFrom } from './resource'
import type { Id } from './types'

/**
 * 采购: purchase orders (采购订单), goods receipts (采购入库单), supplier invoices (采购发票), purchase
 * returns (采购退货单) and over-receipt tolerances. Decimals come as text; the server computes amounts,
 * taxes, the quantities later documents took and the stock shown next to the lines.
 */
type Decimal = string | number

export type PurchaseDocumentKind = 'order' | 'receipt' | 'invoice' | 'return' | 'landed'
export type InvoiceType = 'special' | 'ordinary' | 'e_special' | 'e_ordinary'
export const INVOICE_TYPES: InvoiceType[] = ['special', 'ordinary', 'e_special', 'e_ordinary']
export const ORDER_STATES: DocumentState[] = ['draft', 'submitted', 'approved', 'partially_done', 'done', 'closed', 'cancelled']
export const POSTED_STATES: DocumentState[] = ['draft', 'done', 'cancelled']
/** a receipt beyond a tolerance that asks for approval waits submitted */
export const RECEIPT_STATES: DocumentState[] = ['draft', 'submitted', 'done', 'cancelled']
/** a posted supplier invoice is reversed in red (红字冲销) */
export const INVOICE_STATES: DocumentState[] = ['draft', 'submitted', 'done', 'reversed', 'cancelled']

export interface LineStock {
  on_hand: string
  available: string
  incoming: string
}

interface PurchaseDocument {
  id: Id
  number: string
  state: DocumentState
  business_date: string
  supplier: Id
  supplier_name: string
  currency: Id
  currency_code?: string
  rate: string
  note: string
  created_at: string
  posted_at?: string | null
}

export interface PurchaseOrderLine {
  id: Id
  product: Id
  product_code: string
  product_name: string
  unit: Id
  unit_name: string
  quantity: string
  base_quantity: string
  unit_price: string
  tax_rate: Id | null
  tax_percent: string
  tax_inclusive: boolean
  discount_percent: string
  expected_date: string | null
  net_amount: string
  tax_amount: string
  gross_amount: string
  received_quantity: string
  returned_quantity: string
  invoiced_quantity: string
  note: string
  /** the purchase request line it was made from (请购单 → 采购订单) */
  request_line?: Id | null
  request_number?: string | null
  /** the supplier quote it was ordered at (询价单 → 采购订单) */
  supplier_quote?: Id | null
  rfq_number?: string | null
}

/** A line as a revision records it (before, or as proposed). */
export interface RevisionLine {
  line: Id | null
  product: Id
  product_name: string
  unit_name: string
  quantity: string
  unit_price: string
  discount_percent: string
  expected_date: string | null
  gross_amount: string
}

export interface RevisionChange {
  kind: 'added' | 'changed' | 'removed'
  product_name: string
  before?: RevisionLine
  after?: RevisionLine
}

/** 修订: a change of an approved order, approved again before it takes effect. */
export interface PurchaseOrderRevision {
  id: Id
  revision: number
  state: DocumentState
  reason: string
  changes: RevisionChange[]
  gross_before: string
  gross_after: string
  created_by_name: string | null
  created_at: string
  decided_at: string | null
}

export interface RevisionLineInput {
  line: Id | null
  product: Id | null
  unit: Id | null
  quantity: Decimal | null
  unit_price: Decimal | null
  tax_rate: Id | null
  tax_inclusive: boolean
  discount_percent: Decimal
  expected_date: string | null
}

export interface PurchaseOrder extends PurchaseDocument {
  warehouse: Id
  warehouse_name: string
  payment_terms: string
  payment_days: number
  net_amount: string
  tax_amount: string
  gross_amount: string
  created_by_name: string | null
  approved_at: string | null
  closed_at: string | null
  /** the approved revision in force (0: as first approved) */
  revision: number
  lines: PurchaseOrderLine[]
  revisions: PurchaseOrderRevision[]
  /** on hand, available and incoming at the warehouse, per product id of the lines */
  stock: Record<string, LineStock>
  /** where 发送给供应商 sends the order unless told otherwise (the supplier's contact), on one order only */
  supplier_email?: string | null
}

export interface PurchaseOrderLineInput {
  product: Id | null
  unit: Id | null
  quantity: Decimal | null
  unit_price: Decimal | null
  tax_rate: Id | null
  tax_inclusive: boolean
  discount_percent: Decimal
  expected_date: string | null
  request_line?: Id | null
}

export interface PurchaseOrderInput {
  business_date: string
  supplier: Id | null
  warehouse: Id | null
  currency: Id | null
  payment_days?: number
  note: string
  lines: PurchaseOrderLineInput[]
}

export interface GoodsReceiptLine {
  id: Id
  order_line: Id | null
  order_number: string | null
  product: Id
  product_code: string
  product_name: string
  unit: Id
  unit_name: string
  quantity: string
  base_quantity: string
  location: Id
  location_code: string
  lot: Id | null
  lot_code: string
  production_date: string | null
  expiry_date: string | null
  serial: string
  unit_price?: string
  unit_cost?: string
  tax_percent: string
  value?: string
  invoiced_quantity: string
  returned_quantity: string
}

export interface GoodsReceipt extends PurchaseDocument {
  warehouse: Id
  warehouse_name: string
  created_by_name: string | null
  lines: GoodsReceiptLine[]
  stock: Record<string, LineStock>
}

export interface GoodsReceiptLineInput {
  order_line: Id | null
  product: Id | null
  unit: Id | null
  quantity: Decimal | null
  location: Id | null
  lot_code: string
  expiry_date: string | null
  serial: string
}

export interface GoodsReceiptInput {
  business_date: string
  supplier: Id | null
  warehouse: Id | null
  note: string
  lines: GoodsReceiptLineInput[]
}

export interface SupplierInvoiceLine {
  id: Id
  /** a line of goods bills a receipt line; an expense line (费用行) names an account instead */
  receipt_line: Id | null
  receipt_number: string | null
  product: Id | null
  product_code: string | null
  product_name: string | null
  account: Id | null
  account_code: string | null
  account_name: string | null
  description: string
  department: string
  project: string
  quantity: string
  unit_price: string
  tax_percent: string
  tax_inclusive: boolean
  net_amount: string
  tax_amount: string
  gross_amount: string
  receipt_value: string
  variance: string
  variance_to_stock: string
  /** three-way match: ordered (null without an order) and received quantity, base unit; order and invoice price
   * excluding tax per base unit, and their difference */
  ordered_quantity: string | null
  received_quantity: string | null
  order_price: string | null
  invoice_price: string
  price_difference: string | null
  /** draft or submitted: the tolerances (发票容差) the line is beyond; posting then asks for approval */
  beyond_tolerance: InvoiceToleranceKind[]
}

export interface SupplierInvoice extends PurchaseDocument {
  invoice_type: InvoiceType
  invoice_number: string
  due_date: string | null
  net_amount: string
  tax_amount: string
  gross_amount: string
  variance: string
  open_item: Id | null
  open_amount: string | null
  created_by_name: string | null
  lines: SupplierInvoiceLine[]
  /** posted with an amount open: the supplier's return credits to offset (抵扣退货) */
  return_credits: ReturnCredit[]
  /** 红字冲销 (state `reversed`): when, by whom, the reversal's date, why, and the red voucher */
  reversed_at: string | null
  reversed_by_name: string | null
  reversal_date: string | null
  reversal_reason: string
  reversal_voucher: Id | null
  reversal_voucher_number: string | null
}

export interface SupplierInvoiceInput {
  business_date?: string
  invoice_type?: InvoiceType
  invoice_number?: string
  due_date?: string | null
  note?: string
  supplier?: Id | null
  lines?: SupplierInvoiceLineInput[]
}

/** a line of goods (`receipt_line`) or an expense line (`account` + `description`) */
export interface SupplierInvoiceLineInput {
  receipt_line?: Id | null
  account?: Id | null
  description?: string
  department?: string
  project?: string
  quantity: Decimal
  unit_price: Decimal
  tax_percent: Decimal
  tax_inclusive: boolean
}

/** an account an expense line may book (费用/成本类, active, without sub-accounts) */
export interface ExpenseAccount {
  id: Id
  code: string
  name: string
  dimensions: Record<string, string>
}

/** A line of a return: a receipt line's goods, or (free-standing, no receipt) a product from a bin, lot or serial
 * with the price the supplier credits (per base unit, like an invoice line). */
export interface PurchaseReturnLine {
  id: Id
  receipt_line: Id | null
  product: Id
  product_code: string
  product_name: string
  quantity: string
  location: Id | null
  location_code: string | null
  lot: Id | null
  lot_code: string | null
  serial: string
  unit_price: string | null
  tax_percent: string | null
  tax_inclusive: boolean
  net_amount: string
  tax_amount: string
  gross_amount: string
  value: string
}

export interface PurchaseReturn extends PurchaseDocument {
  /** null: a free-standing return (无来源退货) */
  receipt: Id | null
  receipt_number: string | null
  warehouse: Id | null
  warehouse_name: string | null
  net_amount: string
  tax_amount: string
  gross_amount: string
  open_item: Id | null
  /** the supplier's credit still open (negative: the supplier owes it), null before posting */
  open_amount: string | null
  lines: PurchaseReturnLine[]
}

export interface FreeReturnLineInput {
  product: Id | null
  location: Id | null
  lot?: Id | null
  serial?: string
  quantity: Decimal
  unit_price: Decimal | null
  tax_percent?: Decimal | null
  tax_inclusive?: boolean
}

export interface PurchaseReturnInput {
  receipt?: Id | null
  supplier?: Id | null
  warehouse?: Id | null
  business_date?: string
  note?: string
  lines?: ({ receipt_line: Id; quantity: Decimal } | FreeReturnLineInput)[]
}

/** An open return credit of an invoice's supplier, which 抵扣退货 uses. */
export interface ReturnCredit {
  id: Id
  return_id: Id
  reference: string
  date: string
  open_amount: string
}

/** 到岸成本: the kinds of cost and the ways of sharing them out over the receipts' lines. */
export type LandedCostType = 'freight' | 'duty' | 'insurance' | 'other'
export const LANDED_COST_TYPES: LandedCostType[] = ['freight', 'duty', 'insurance', 'other']
export type AllocationMethod = 'quantity' | 'weight' | 'value'
export const ALLOCATION_METHODS: AllocationMethod[] = ['value', 'quantity', 'weight']

export interface LandedCostLine {
  id: Id
  cost_type: LandedCostType
  description: string
  amount: string
  tax_percent: string
  tax_amount: string
  gross_amount: string
}

/** A receipt line's share: only the weight is entered (by weight); the rest is computed. */
export interface LandedCostAllocation {
  id: Id
  receipt_line: Id
  receipt_number: string
  product: Id
  product_code: string
  product_name: string
  quantity: string
  receipt_value: string
  weight: string | null
  basis: string
  amount: string
  to_stock: string
  to_sold: string
}

export interface LandedCost extends PurchaseDocument {
  method: AllocationMethod
  invoice_type: InvoiceType
  invoice_number: string
  due_date: string | null
  receipts: Id[]
  receipt_numbers: string[]
  net_amount: string
  tax_amount: string
  gross_amount: string
  to_stock: string
  to_sold: string
  open_item: Id | null
  open_amount: string | null
  created_by_name: string | null
  lines: LandedCostLine[]
  allocations: LandedCostAllocation[]
}

export interface LandedCostInput {
  business_date?: string
  supplier?: Id | null
  method?: AllocationMethod
  invoice_type?: InvoiceType
  invoice_number?: string
  due_date?: string | null
  note?: string
  receipts?: Id[]
  lines?: { cost_type: LandedCostType; description: string; amount: Decimal; tax_percent: Decimal }[]
  allocations?: { receipt_line: Id; weight: Decimal | null }[]
}

/** Beyond the tolerance: refused, or sent for approval (posted when approved). */
export type ToleranceAbove = 'block' | 'approval'
export const TOLERANCE_ABOVE: ToleranceAbove[] = ['block', 'approval']

export interface ReceiptTolerance {
  id: Id
  product: Id | null
  product_name: string | null
  supplier: Id | null
  supplier_name: string | null
  percent: string
  above: ToleranceAbove
}

/** 发票容差: price and quantity tolerances of supplier invoices, a supplier's or the default (no supplier);
 * null percent: not checked. Beyond them an invoice is submitted for approval and posts when approved. */
export type InvoiceToleranceKind = 'price' | 'quantity'

export interface InvoiceTolerance {
  id: Id
  supplier: Id | null
  supplier_name: string | null
  price_percent: string | null
  quantity_percent: string | null
}

const ordersUrl = 'purchase-orders/'
const receiptsUrl = 'goods-receipts/'
const invoicesUrl = 'supplier-invoices/'
const returnsUrl = 'purchase-returns/'
const tolerancesUrl = 'receipt-tolerances/'
const invoiceTolerancesUrl = 'invoice-tolerances/'
const landedUrl = 'landed-costs/'

export const purchaseOrdersApi = {
  ...editableResource<PurchaseOrder, PurchaseOrderInput>(ordersUrl),
  /** 提交审批: approved at once when no approval rule applies. */
  submit: (id: Id, options?: PostOptions) => postAction<PurchaseOrder>(`${ordersUrl}${id}/submit/`, {}, options),
  /** 关闭: the open remainder is no longer expected. */
  close: (id: Id, options?: PostOptions) => postAction<PurchaseOrder>(`${ordersUrl}${id}/close/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<PurchaseOrder>(`${ordersUrl}${id}/cancel/`, {}, options),
  /** 修订: new lines for an approved order, approved again through its rules. */
  revise: (id: Id, body: { reason: string; lines: RevisionLineInput[] }, options?: PostOptions) =>
    postAction<PurchaseOrder>(`${ordersUrl}${id}/revise/`, body, options),
  /** 打印: the order as a PDF */
  pdf: (id: Id) => http.get<Blob>(`${ordersUrl}${id}/pdf/`, { responseType: 'blob', timeout: 0 }).then((r) => r.data),
  /** 发送给供应商: the PDF by e-mail; `to` blank: the supplier's contact */
  emailUrl: (id: Id) => `${ordersUrl}${id}/email/`,
}

export const goodsReceiptsApi = {
  ...editableResource<GoodsReceipt, GoodsReceiptInput>(receiptsUrl),
  post: (id: Id, options?: PostOptions) => postAction<GoodsReceipt>(`${receiptsUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<GoodsReceipt>(`${receiptsUrl}${id}/cancel/`, {}, options),
  pdf: (id: Id) => http.get<Blob>(`${receiptsUrl}${id}/pdf/`, { responseType: 'blob', timeout: 0 }).then((r) => r.data),
  /** 一键入库: a draft receipt of everything still open on the orders. */
  fromOrders: (orders: Id[], options?: PostOptions) =>
    postAction<GoodsReceipt>(`${receiptsUrl}from-orders/`, { orders }, options),
}

export const supplierInvoicesApi = {
  ...editableResource<SupplierInvoice, SupplierInvoiceInput>(invoicesUrl),
  post: (id: Id, options?: PostOptions) => postAction<SupplierInvoice>(`${invoicesUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<SupplierInvoice>(`${invoicesUrl}${id}/cancel/`, {}, options),
  /** 红字冲销: the voucher reversed in red, the payable closed, the invoiced quantities given back */
  reverse: (id: Id, body: { reason: string; business_date: string | null }, options?: PostOptions) =>
    postAction<SupplierInvoice>(`${invoicesUrl}${id}/reverse/`, body, options),
  /** 抵扣退货: the supplier's open return credits settle the invoice, oldest first */
  offsetReturns: (id: Id, options?: PostOptions) =>
    postAction<SupplierInvoice>(`${invoicesUrl}${id}/offset-returns/`, {}, options),
  /** 选单开票: a draft invoice of everything not yet invoiced on the receipts. */
  fromReceipts: (body: { receipts: Id[]; invoice_number: string; invoice_type: InvoiceType; business_date?: string },
    options?: PostOptions) => postAction<SupplierInvoice>(`${invoicesUrl}from-receipts/`, body, options),
  /** the accounts an expense line may book, by code (at most 50), for the account picker */
  expenseAccounts: (search = '') => http.get<ExpenseAccount[]>(`${invoicesUrl}expense-accounts/`, { params: cleanQuery({ search }) })
    .then((response) => response.data),
}

export const purchaseReturnsApi = {
  ...editableResource<PurchaseReturn, PurchaseReturnInput>(returnsUrl),
  post: (id: Id, options?: PostOptions) => postAction<PurchaseReturn>(`${returnsUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<PurchaseReturn>(`${returnsUrl}${id}/cancel/`, {}, options),
  /** 退款: the supplier paid the credit back into a cash or bank account */
  refund: (id: Id, body: { account: Id; amount?: string | null; date?: string | null }, options?: PostOptions) =>
    postAction<PurchaseReturn>(`${returnsUrl}${id}/refund/`, body, options),
  /** 抵扣: the credit settles an invoice of the supplier */
  offset: (id: Id, body: { invoice: Id; amount?: string | null }, options?: PostOptions) =>
    postAction<PurchaseReturn>(`${returnsUrl}${id}/offset/`, body, options),
}

export const landedCostsApi = {
  ...editableResource<LandedCost, LandedCostInput>(landedUrl),
  /** 过账: the stock is revalued, the share of goods sold goes to cost of sales, the payable is booked. */
  post: (id: Id, options?: PostOptions) => postAction<LandedCost>(`${landedUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<LandedCost>(`${landedUrl}${id}/cancel/`, {}, options),
}

export const receiptTolerancesApi = {
  ...editableResource<ReceiptTolerance, Omit<ReceiptTolerance, 'id' | 'product_name' | 'supplier_name'>>(tolerancesUrl),
  remove: removeFrom(tolerancesUrl),
}

export const invoiceTolerancesApi = {
  ...editableResource<InvoiceTolerance, Omit<InvoiceTolerance, 'id' | 'supplier_name'>>(invoiceTolerancesUrl),
  remove: removeFrom(invoiceTolerancesUrl),
}

export const purchaseDocumentApis = {
  order: purchaseOrdersApi,
  receipt: goodsReceiptsApi,
  invoice: supplierInvoicesApi,
  return: purchaseReturnsApi,
  landed: landedCostsApi,
}



/** 补货规则: when and how much of a product to buy for a warehouse (without one, the product's own figures apply). */
export interface ReorderRule {
  id: Id
  product: Id
  product_code?: string
  product_name?: string
  warehouse: Id
  warehouse_name?: string
  supplier: Id | null
  supplier_name?: string
  safety_stock: string
  reorder_point: string
  reorder_quantity: string
  max_stock: string | null
  lead_time_days: number
  min_order_quantity: string
  pack_size: string
  is_active: boolean
}

export type ReorderRuleInput = Omit<ReorderRule, 'id' | 'product_code' | 'product_name' | 'warehouse_name' | 'supplier_name'>

/** One line of 采购建议: the figures it was computed from, the suggested quantity and why. */
export interface SuggestionLine {
  product: Id
  product_code: string
  product_name: string
  unit_name: string
  warehouse: Id
  warehouse_name: string
  supplier: Id | null
  supplier_name: string
  rule: Id | null
  on_hand: string
  available: string
  incoming: string
  demand: string
  projected: string
  safety_stock: string
  reorder_point: string
  max_stock: string | null
  lead_time_days: number
  quantity: string
  expected_date: string
  reason: string
}

export interface SuggestionGroup {
  supplier: Id | null
  supplier_name: string
  lines: SuggestionLine[]
}

export interface SuggestionChoice {
  product: Id
  warehouse: Id
  supplier: Id | null
  quantity: Decimal
  unit_price?: Decimal | null
  expected_date?: string | null
}

export interface CreatedOrder {
  id: Id
  supplier: Id
  supplier_name: string
  warehouse: Id
  warehouse_name: string
  lines: number
  gross_amount: string
}

const rulesUrl = 'reorder-rules/'
const suggestionsUrl = 'purchase-suggestions/'

export const reorderRulesApi = {
  ...editableResource<ReorderRule, ReorderRuleInput>(rulesUrl),
  remove: removeFrom(rulesUrl),
}

export const purchaseSuggestionsApi = {
  list: (query: { warehouse?: Id | null; supplier?: Id | null } = {}) =>
    http.get<SuggestionGroup[]>(suggestionsUrl, { params: cleanQuery(query) }).then((r) => r.data),
  /** 生成采购订单: one draft order per supplier and warehouse of the chosen lines. */
  createOrders: (lines: SuggestionChoice[], options?: PostOptions) =>
    postAction<CreatedOrder[]>(`${suggestionsUrl}create-orders/`, { lines }, options),
}

/** 请购单: any member asks for goods; approved requests become draft purchase orders (转采购订单). */
export const REQUEST_STATES: DocumentState[] = ['draft', 'submitted', 'approved', 'partially_done', 'done', 'closed', 'cancelled']

export interface PurchaseRequestLine {
  id: Id
  product: Id
  product_code: string
  product_name: string
  unit: Id
  unit_name: string
  base_unit_name: string
  quantity: string
  base_quantity: string
  supplier: Id | null
  supplier_name: string | null
  needed_by: string | null
  /** ordered and still open, in the base unit */
  ordered_quantity: string
  open_quantity: string
  note: string
}

export interface PurchaseRequest {
  id: Id
  number: string
  state: DocumentState
  business_date: string
  department: string
  requester: Id | null
  requester_name: string | null
  warehouse: Id
  warehouse_name: string
  needed_by: string | null
  note: string
  created_by_name: string | null
  created_at: string
  approved_at: string | null
  closed_at: string | null
  lines: PurchaseRequestLine[]
  stock: Record<string, LineStock>
}

export interface PurchaseRequestInput {
  business_date: string
  department: string
  warehouse: Id | null
  needed_by: string | null
  note: string
  lines: { product: Id | null; unit: Id | null; quantity: Decimal | null; supplier: Id | null; needed_by: string | null;
    note: string }[]
}

/** One chosen request line of 转采购订单: its supplier (else the line's suggested one) and quantity (else what is open). */
export interface RequestChoice {
  request_line: Id
  supplier: Id | null
  quantity?: Decimal | null
  unit_price?: Decimal | null
}

const requestsUrl = 'purchase-requests/'

export const purchaseRequestsApi = {
  ...editableResource<PurchaseRequest, PurchaseRequestInput>(requestsUrl),
  submit: (id: Id, options?: PostOptions) => postAction<PurchaseRequest>(`${requestsUrl}${id}/submit/`, {}, options),
  close: (id: Id, options?: PostOptions) => postAction<PurchaseRequest>(`${requestsUrl}${id}/close/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<PurchaseRequest>(`${requestsUrl}${id}/cancel/`, {}, options),
  /** 转采购订单: one draft order per supplier and warehouse of the chosen lines. */
  convert: (lines: RequestChoice[], options?: PostOptions) =>
    postAction<CreatedOrder[]>(`${requestsUrl}convert/`, { lines }, options),
}

// --- requests for quotation (询价单) and supplier quotes (报价) ---------------------------------

export const RFQ_STATES: DocumentState[] = ['draft', 'submitted', 'done', 'closed', 'cancelled']

export interface PriceBreak {
  min_quantity: string
  unit_price: string
}

export interface SupplierQuote {
  id: Id
  rfq_line: Id
  supplier: Id
  supplier_name: string
  currency: Id
  currency_code: string
  unit_price: string
  tax_inclusive: boolean
  price_breaks: PriceBreak[]
  lead_time_days: number
  valid_until: string | null
  note: string
  is_accepted: boolean
}

export interface RfqLine {
  id: Id
  product: Id
  product_code: string
  product_name: string
  unit: Id
  unit_name: string
  quantity: string
  base_quantity: string
  note: string
  quotes: SupplierQuote[]
}

export interface Rfq {
  id: Id
  number: string
  state: DocumentState
  business_date: string
  warehouse: Id
  warehouse_name: string
  needed_by: string | null
  reply_by: string | null
  suppliers: Id[]
  supplier_names: string[]
  note: string
  created_by_name: string | null
  created_at: string
  closed_at: string | null
  lines: RfqLine[]
}

export interface RfqInput {
  business_date: string
  warehouse: Id | null
  needed_by: string | null
  reply_by: string | null
  suppliers: Id[]
  note: string
  lines: { product: Id | null; unit: Id | null; quantity: Decimal | null; note: string }[]
}

export interface QuoteInput {
  supplier: Id
  currency?: Id | null
  valid_until?: string | null
  lines: { line: Id; unit_price: Decimal; tax_inclusive: boolean; lead_time_days: number; note: string;
    price_breaks: { min_quantity: Decimal; unit_price: Decimal }[] }[]
}

export interface ComparedQuote {
  id: Id
  supplier: Id
  supplier_name: string
  /** the price at the line's quantity (quantity breaks applied) */
  unit_price: string
  quoted_price: string
  amount: string
  currency_code: string
  tax_inclusive: boolean
  price_breaks: PriceBreak[]
  lead_time_days: number
  valid_until: string | null
  note: string
  expired: boolean
  is_accepted: boolean
  cheapest: boolean
}

export interface QuoteComparison {
  suppliers: { id: Id; code: string; name: string }[]
  lines: { id: Id; product: Id; product_code: string; product_name: string; unit_name: string; quantity: string;
    quotes: ComparedQuote[] }[]
}

const rfqsUrl = 'rfqs/'

export const rfqsApi = {
  ...editableResource<Rfq, RfqInput>(rfqsUrl),
  /** 发出询价: lines and suppliers are fixed; quotes can be recorded. */
  submit: (id: Id, options?: PostOptions) => postAction<Rfq>(`${rfqsUrl}${id}/submit/`, {}, options),
  close: (id: Id, options?: PostOptions) => postAction<Rfq>(`${rfqsUrl}${id}/close/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<Rfq>(`${rfqsUrl}${id}/cancel/`, {}, options),
  /** 录入报价: one supplier's quotes for lines of the request. */
  quotes: (id: Id, body: QuoteInput, options?: PostOptions) => postAction<Rfq>(`${rfqsUrl}${id}/quotes/`, body, options),
  comparison: (id: Id) => http.get<QuoteComparison>(`${rfqsUrl}${id}/comparison/`).then((r) => r.data),
  /** 打印: the request to one supplier it asks, as a PDF (no prices) */
  pdf: (id: Id, supplier: Id) =>
    http.get<Blob>(`${rfqsUrl}${id}/pdf/`, { params: { supplier }, responseType: 'blob', timeout: 0 }).then((r) => r.data),
  /** 发送邮件: `{ suppliers, to, cc, message }`, posted by the shared EmailDocumentDialog (202 + the job's id) */
  emailUrl: (id: Id) => `${rfqsUrl}${id}/email/`,
  /** 生成采购订单: one draft order per supplier of the chosen quotes. */
  createOrders: (id: Id, lines: { line: Id; quote: Id }[], updatePriceList: boolean, options?: PostOptions) =>
    postAction<CreatedOrder[]>(`${rfqsUrl}${id}/create-orders/`, { lines, update_price_list: updatePriceList }, options),
}

// --- payment requests (付款申请单) ------------------------------------------------------------

export const PAYMENT_REQUEST_STATES: DocumentState[] = ['draft', 'submitted', 'approved', 'done', 'cancelled']
export type PaymentMethod = 'transfer' | 'cash' | 'cheque' | 'acceptance'
export const PAYMENT_METHODS: PaymentMethod[] = ['transfer', 'cash', 'cheque', 'acceptance']

export interface PaymentRequestLine {
  id: Id
  invoice: Id
  invoice_number: string
  invoice_document_number: string
  invoice_date: string
  due_date: string | null
  gross_amount: string
  open_amount: string | null
  amount: string
}

export interface SupplierPaymentRequest {
  id: Id
  number: string
  state: DocumentState
  business_date: string
  supplier: Id
  supplier_name: string
  currency: Id
  currency_code: string
  pay_date: string
  account: Id
  account_label: string
  method: PaymentMethod
  amount: string
  note: string
  payment: Id | null
  payment_number: string | null
  created_by_name: string | null
  created_at: string
  approved_at: string | null
  paid_at: string | null
  lines: PaymentRequestLine[]
}

export interface SupplierPaymentRequestInput {
  business_date?: string
  supplier: Id | null
  pay_date?: string | null
  account: Id | null
  method?: PaymentMethod
  note?: string
  lines?: { invoice: Id; amount: Decimal }[]
}

/** A posted invoice with something open that open payment requests do not ask for yet. */
export interface DueInvoice {
  id: Id
  number: string
  invoice_number: string
  business_date: string
  due_date: string
  currency: Id
  currency_code: string
  gross_amount: string
  open_amount: string
  requested: string
  to_request: string
}

export interface PaymentAccount {
  id: Id
  code: string
  name: string
}

const paymentRequestsUrl = 'payment-requests/'

export const paymentRequestsApi = {
  ...editableResource<SupplierPaymentRequest, SupplierPaymentRequestInput>(paymentRequestsUrl),
  submit: (id: Id, options?: PostOptions) => postAction<SupplierPaymentRequest>(`${paymentRequestsUrl}${id}/submit/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<SupplierPaymentRequest>(`${paymentRequestsUrl}${id}/cancel/`, {}, options),
  /** 付款: one posted payment settling each invoice (dated today unless `date`). */
  pay: (id: Id, date: string | null, options?: PostOptions) =>
    postAction<SupplierPaymentRequest>(`${paymentRequestsUrl}${id}/pay/`, date ? { date } : {}, options),
  /** invoices of the supplier due by `until` (all open ones without) not yet requested in full */
  dueInvoices: async (query: { supplier: Id; until?: string | null; request?: Id | null }): Promise<DueInvoice[]> =>
    (await http.get<DueInvoice[]>(`${paymentRequestsUrl}due-invoices/`, { params: cleanQuery(query as Record<string, Id | string>) })).data,
  accounts: async (): Promise<PaymentAccount[]> => (await http.get<PaymentAccount[]>(`${paymentRequestsUrl}accounts/`)).data,
}
