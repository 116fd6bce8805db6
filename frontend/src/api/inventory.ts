import { cleanQuery, http, type PostOptions } from './client'
import { editableResource, postAction, readResource } from './resource'
import type { Id, ListQuery, Page } from './types'

/**
 * The inventory API: stock documents (其他入库单, 其他出库单, 调拨单), counts (盘点单), current
 * stock, moves, lots, reservations, freezes (冻结), availability, the two reports (库存台账, 进销存汇总表)
 * and the consistency check (一致性检查).
 * Decimals come as text ("10.0000"); cost and value fields are absent for roles without the cost flag.
 */

export type StockDocumentKind = 'receipt' | 'issue' | 'transfer'
export const STOCK_DOCUMENT_KINDS: StockDocumentKind[] = ['receipt', 'issue', 'transfer']

export type StockReason = 'consumption' | 'gift' | 'sample' | 'damage' | 'surplus' | 'opening' | 'other'
/** The reasons that make sense for each kind (a transfer has none). */
export const REASONS: Record<StockDocumentKind, StockReason[]> = {
  receipt: ['opening', 'surplus', 'gift', 'sample', 'other'],
  issue: ['consumption', 'gift', 'sample', 'damage', 'other'],
  transfer: [],
}

/** The lifecycle states every document shares (core.states). */
export type DocumentState = 'draft' | 'submitted' | 'approved' | 'in_transit' | 'counting' | 'partially_done' | 'done' | 'closed'
  | 'cancelled' | 'reversed'
export const STOCK_DOCUMENT_STATES: DocumentState[] = ['draft', 'submitted', 'approved', 'in_transit', 'done', 'reversed', 'cancelled']
export const STOCK_COUNT_STATES: DocumentState[] = ['draft', 'counting', 'done', 'cancelled']

export interface StockDocumentLine {
  id?: Id
  product: Id
  product_code?: string
  product_name?: string
  unit: Id | null
  unit_name?: string
  quantity: string
  base_quantity?: string
  location: Id | null
  to_location: Id | null
  lot: Id | null
  /** the lot's number (read); on a receipt a new number makes the lot when the receipt is posted */
  lot_code: string
  /** the lot's dates; of a draft receipt's new lot, as entered (a blank expiry follows from the shelf life) */
  production_date?: string | null
  expiry_date?: string | null
  serial: string
  /** receipts only; absent for roles without the cost flag */
  unit_cost?: string | null
}

export interface StockDocument {
  id: Id
  kind: StockDocumentKind
  /** assigned when posted, e.g. QR20261126-0001 */
  number: string
  state: DocumentState
  business_date: string
  warehouse: Id
  warehouse_name: string
  to_warehouse: Id | null
  to_warehouse_name: string | null
  two_step: boolean
  reason: StockReason | ''
  note: string
  created_by_name: string | null
  created_at: string
  shipped_on: string | null
  received_on: string | null
  posted_at: string | null
  reversal_of: Id | null
  lines: StockDocumentLine[]
}

type Decimal = string | number

/** Leave `unit` out for the base unit, `location` out for the warehouse (receipts) or stock where it is. */
export interface StockDocumentLineInput {
  product: Id
  unit?: Id
  quantity: Decimal | null
  location?: Id
  to_location?: Id
  lot?: Id | null
  lot_code?: string
  production_date?: string | null
  expiry_date?: string | null
  serial?: string
  unit_cost?: Decimal | null
}

export interface StockDocumentInput {
  kind: StockDocumentKind
  business_date: string
  warehouse: Id | null
  to_warehouse?: Id | null
  two_step?: boolean
  reason?: StockReason | ''
  note?: string
  /** replace the draft's lines */
  lines: StockDocumentLineInput[]
}

const documentsUrl = 'stock-documents/'

/** The approval document type (workflow's code) of each kind: the codes of their number series. */
export const APPROVAL_TYPES: Record<StockDocumentKind, string> = {
  receipt: 'other_receipt',
  issue: 'other_issue',
  transfer: 'transfer',
}

export const stockDocumentsApi = {
  ...editableResource<StockDocument, StockDocumentInput>(documentsUrl),
  /** 提交审批: the draft waits as submitted, or is approved at once when no approval rule applies. */
  submit: (id: Id, options?: PostOptions) => postAction<StockDocument>(`${documentsUrl}${id}/submit/`, {}, options),
  /** Posts an approved document, or a draft no approval rule applies to (a two-step transfer is shipped: in transit). */
  post: (id: Id, options?: PostOptions) => postAction<StockDocument>(`${documentsUrl}${id}/post/`, {}, options),
  /** Receives a two-step transfer at its destination. */
  receive: (id: Id, options?: PostOptions) => postAction<StockDocument>(`${documentsUrl}${id}/receive/`, {}, options),
  /** 红字冲销: answers the new reversal document. */
  reverse: (id: Id, options?: PostOptions) => postAction<StockDocument>(`${documentsUrl}${id}/reverse/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<StockDocument>(`${documentsUrl}${id}/cancel/`, {}, options),
}

export interface StockCountLine {
  id: Id
  product: Id
  product_code: string
  product_name: string
  location: Id
  location_code: string
  lot: Id | null
  lot_code: string | null
  book_quantity: string
  counted_quantity: string | null
  difference: string | null
  frozen_quantity: string
  /** what one unit of the difference is worth: the product's current cost, once posted the move's (cost flag only) */
  unit_cost?: string
  /** difference × unit cost (gains +, losses −), once posted what was booked; null while not counted (cost flag only) */
  variance_value?: string | null
}

export interface StockCount {
  id: Id
  number: string
  state: DocumentState
  business_date: string
  warehouse: Id
  warehouse_name: string
  /** a zone or bin; null counts the whole warehouse */
  scope: Id | null
  freeze: boolean
  note: string
  created_at: string
  posted_at: string | null
  lines: StockCountLine[]
}

export interface StockCountInput {
  business_date: string
  warehouse: Id | null
  scope: Id | null
  freeze: boolean
  note: string
}

export interface CountEntry {
  product: Id
  location: Id
  lot: Id | null
  counted_quantity: Decimal | null
}

const countsUrl = 'stock-counts/'

export const stockCountsApi = {
  ...readResource<StockCount>(countsUrl),
  create: (body: StockCountInput, options?: PostOptions) => postAction<StockCount>(countsUrl, body, options),
  /** Snapshots the book quantities (and freezes them when the count says so). */
  start: (id: Id, options?: PostOptions) => postAction<StockCount>(`${countsUrl}${id}/start/`, {}, options),
  /** Records counted quantities; lines for goods the book did not have are added. */
  recordCounts: (id: Id, lines: CountEntry[], options?: PostOptions) =>
    postAction<StockCount>(`${countsUrl}${id}/counts/`, { lines }, options),
  post: (id: Id, options?: PostOptions) => postAction<StockCount>(`${countsUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<StockCount>(`${countsUrl}${id}/cancel/`, {}, options),
}

/** 现存量: one row per product, location and lot. */
export interface StockBalance {
  id: Id
  product: Id
  product_code: string
  product_name: string
  specification: string
  unit_name: string
  warehouse: Id | null
  warehouse_name: string | null
  location: Id
  location_code: string
  lot: Id | null
  lot_code: string | null
  expiry_date: string | null
  on_hand: string
  frozen: string
  available: string
}

/**
 * Per warehouse: on hand − reserved − frozen = available (to promise); available + incoming =
 * projected. A warehouse with nothing on hand but something incoming is listed too.
 */
export interface WarehouseAvailability {
  warehouse: Id
  warehouse_name: string
  on_hand: string
  reserved: string
  frozen: string
  available: string
  /** 在途: on its way here (two-step transfers shipped to it, open purchase orders) */
  incoming: string
  /** 预计可用: available + incoming */
  projected: string
}

export interface Availability {
  product: Id
  warehouses: WarehouseAvailability[]
}

export const stockApi = {
  ...readResource<StockBalance>('stock/'),
  availability: (product: Id, warehouse?: Id | null) =>
    http.get<Availability>('stock/availability/', { params: cleanQuery({ product, warehouse }) }).then((r) => r.data),
}

/** One line of the ledger (出入库明细): a quantity of a product from one location to another. */
export type MoveFlow = 'in' | 'out' | 'internal'

export interface StockMove {
  id: Id
  business_date: string
  reference: string
  product: Id
  product_code: string
  product_name: string
  /** in: into stock the organization holds, from outside; out: out of it; internal: between two locations that hold stock */
  flow: MoveFlow
  quantity: string
  from_location: Id
  from_location_code: string
  to_location: Id
  to_location_code: string
  from_warehouse: Id | null
  to_warehouse: Id | null
  lot: Id | null
  lot_code: string | null
  serial_number: string | null
  unit_cost?: string
  value?: string
  /** 成本构成: how the valuation arrived at the value (see views/inventory/costExplanation.ts) */
  cost_explanation?: CostStep[]
  origin_type: string
  origin_id: Id
  reversal_of: Id | null
  posted_at: string
}

/**
 * One step of a move's cost explanation: `kind` says which (average, layer, below_zero,
 * adjustment, original_cost, carried, revaluation, month_average; notes revalued, month_close),
 * the other fields depend on it (decimals as text).
 */
export interface CostStep {
  kind: string
  [field: string]: unknown
}

export const stockMovesApi = readResource<StockMove>('stock-moves/')

export interface Lot {
  id: Id
  product: Id
  product_code: string
  product_name: string
  code: string
  production_date: string | null
  expiry_date: string | null
  created_at: string
}

export const lotsApi = {
  ...readResource<Lot>('lots/'),
  /** Every move of the lot, oldest first. */
  trace: (id: Id) => http.get<StockMove[]>(`lots/${id}/trace/`).then((r) => r.data),
}

export type ReservationState = 'open' | 'consumed' | 'released'
export const RESERVATION_STATES: ReservationState[] = ['open', 'consumed', 'released']

export interface Reservation {
  id: Id
  product: Id
  product_code: string
  product_name: string
  warehouse: Id
  warehouse_name: string
  lot: Id | null
  lot_code: string | null
  quantity: string
  reserved_quantity: string
  state: ReservationState
  origin_type: string
  origin_id: Id
  created_at: string
}

export const reservationsApi = {
  ...readResource<Reservation>('reservations/'),
  release: (id: Id) => postAction<Reservation>(`reservations/${id}/release/`),
}

/** 库存台账: the running balance of one product (in one warehouse) over a date range. */
export interface LedgerRow {
  id: Id
  business_date: string
  reference: string
  origin_type: string
  quantity_in: string
  quantity_out: string
  balance: string
  value_in?: string
  value_out?: string
}

export interface StockLedger {
  opening: string
  closing: string
  /** more moves than the server lists at once: narrow the dates */
  truncated?: boolean
  rows: LedgerRow[]
}

export const stockLedgerApi = {
  url: 'stock-ledger/',
  get: (query: ListQuery) => http.get<StockLedger>('stock-ledger/', { params: cleanQuery(query) }).then((r) => r.data),
}

/** 进销存汇总表: opening + in − out = closing, per product and warehouse. */
export interface StockSummaryRow {
  product: Id
  product_code: string
  product_name: string
  warehouse: Id
  warehouse_name: string
  opening_quantity: string
  opening_value?: string
  in_quantity: string
  in_value?: string
  out_quantity: string
  out_value?: string
  closing_quantity: string
  closing_value?: string
  /** the same in and out per kind of move (see views/inventory/origins.ts); values only for roles that may see costs */
  by_kind: Record<string, StockSummaryKindFigures>
}

export interface StockSummaryKindFigures {
  in_quantity: string
  in_value?: string
  out_quantity: string
  out_value?: string
}

const summaryUrl = 'stock-summary/'

/** Summary rows have no id of their own: product and warehouse make one (for the table's row key). */
export const stockSummaryApi = {
  url: summaryUrl,
  list: (query: ListQuery = {}) => http.get<Page<StockSummaryRow>>(summaryUrl, { params: cleanQuery(query) }).then((r) => ({
    ...r.data,
    results: r.data.results.map((row) => ({ ...row, id: `${row.product}-${row.warehouse}` })),
  })),
}

export type FreezeState = 'active' | 'released'
export const FREEZE_STATES: FreezeState[] = ['active', 'released']

/** 冻结: stock held back at a location (e.g. for a quality check); frozen stock cannot be issued. */
export interface StockFreeze {
  id: Id
  product: Id
  product_code: string
  product_name: string
  location: Id
  location_code: string
  lot: Id | null
  lot_code: string | null
  quantity: string
  reason: string
  state: FreezeState
  created_at: string
  released_at: string | null
}

/** Only free stock (not frozen, not reserved) at the location can be frozen; a lot-tracked product needs its lot. */
export interface StockFreezeInput {
  product: Id | null
  location: Id | null
  lot?: Id | null
  quantity: Decimal | null
  reason: string
}

const freezesUrl = 'stock-freezes/'

export const stockFreezesApi = {
  ...readResource<StockFreeze>(freezesUrl),
  create: (body: StockFreezeInput, options?: PostOptions) => postAction<StockFreeze>(freezesUrl, body, options),
  /** 解冻: the stock is free again. */
  release: (id: Id, options?: PostOptions) => postAction<StockFreeze>(`${freezesUrl}${id}/release/`, {}, options),
}

/**
 * One broken invariant of `GET stock/verify/`: `check` names it, the other fields name the rows
 * involved (`balance`, `row`, `product`, `missing_balance` = [product, location, lot], …) and the
 * figures that disagree (`on_hand`, `ledger`, …).
 */
export interface VerifyProblem {
  check: string
  /** a text the server may add; the UI describes known checks itself */
  message?: string
  [field: string]: unknown
}

export interface VerifyResult {
  consistent: boolean
  /** at most 1000 */
  problems: VerifyProblem[]
}

/** 一致性检查: every inventory invariant (what `jxc verify` runs) for the active organization. */
export const stockVerifyApi = {
  run: () => http.get<VerifyResult>('stock/verify/').then((r) => r.data),
}

export type LowStockStatus = 'below_safety' | 'reorder' | 'above_max'
export const LOW_STOCK_STATUSES: LowStockStatus[] = ['below_safety', 'reorder', 'above_max']

/**
 * 低库存预警: per product and warehouse, what is available (on hand − reserved − frozen) at or below
 * the safety stock or the reorder point, or on hand above the maximum; the most urgent first.
 */
export interface LowStockRow {
  id: Id
  product: Id
  product_code: string
  product_name: string
  unit_name: string
  warehouse: Id
  warehouse_name: string
  on_hand: string
  reserved: string
  frozen: string
  available: string
  safety_stock: string
  reorder_point: string
  reorder_quantity: string
  max_stock: string | null
  status: LowStockStatus
}

export const lowStockApi = readResource<LowStockRow>('low-stock/')

/** 近效期: stock of lots expiring within `within_days` (30 unless asked) or already expired, the first to expire first. */
export interface ExpiringRow {
  id: Id
  product: Id
  product_code: string
  product_name: string
  unit_name: string
  warehouse: Id | null
  warehouse_name: string | null
  location: Id
  location_code: string
  lot: Id
  lot_code: string
  expiry_date: string
  /** negative once expired */
  days_left: number
  on_hand: string
  frozen: string
}

export const expiringStockApi = readResource<ExpiringRow>('expiring-stock/')
