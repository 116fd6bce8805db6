import { http, type PostOptions } from './client'
import type { DocumentState } from './inventory'
import { editableResource, postAction, readResource } from './resource'
import type { Id } from './types'

/**
 * Inventory accounting (存货核算): cost adjustments (出入库成本调整单), stock period close
 * (库存月结) and the record of every re-valuation (成本重算记录). The finance module's permissions
 * govern all of it (`finance.view`, `.create`, `.edit`, `.post`, `.export`), and only roles that
 * may see costs reach it: the others get 403.
 * Decimals come as text ("50.00"); a month is its first day ("2026-10-01").
 */

type Decimal = string | number

export const COST_ADJUSTMENT_STATES: DocumentState[] = ['draft', 'done', 'cancelled']

/** A line gives either the amount to add (negative to take away) or the new unit cost of what is on hand. */
export interface CostAdjustmentLine {
  id?: Id
  product: Id
  product_code?: string
  product_name?: string
  amount: string | null
  new_unit_cost: string | null
  /** filled at posting: the stock on hand at the end of the date, its value then, and the change made */
  quantity?: string | null
  value_before?: string | null
  value_change?: string | null
  note: string
}

export interface CostAdjustment {
  id: Id
  /** assigned when posted, e.g. TZ20261126-0001 */
  number: string
  state: DocumentState
  business_date: string
  warehouse: Id
  warehouse_name: string
  reason: string
  note: string
  created_by_name: string | null
  created_at: string
  posted_at: string | null
  lines: CostAdjustmentLine[]
}

export interface CostAdjustmentLineInput {
  product: Id
  amount: Decimal | null
  new_unit_cost: Decimal | null
  note?: string
}

export interface CostAdjustmentInput {
  business_date: string
  warehouse: Id | null
  reason?: string
  note?: string
  /** replace the draft's lines */
  lines: CostAdjustmentLineInput[]
}

const adjustmentsUrl = 'cost-adjustments/'

export const costAdjustmentsApi = {
  ...editableResource<CostAdjustment, CostAdjustmentInput>(adjustmentsUrl),
  /** Posts the draft: the stock's value changes on the document's date (later issues are re-valued). */
  post: (id: Id, options?: PostOptions) => postAction<CostAdjustment>(`${adjustmentsUrl}${id}/post/`, {}, options),
  cancel: (id: Id, options?: PostOptions) => postAction<CostAdjustment>(`${adjustmentsUrl}${id}/cancel/`, {}, options),
}

/** A closed stock month. */
export interface StockPeriod {
  id: Id
  /** the first day of the month */
  month: string
  closed_at: string
  closed_by_name: string | null
}

/** The latest closed month and the one to close next (null: nothing closed / nothing to close). */
export interface PeriodStatus {
  last_closed: string | null
  next_to_close: string | null
}

const periodsUrl = 'stock-periods/'

export const stockPeriodsApi = {
  ...readResource<StockPeriod>(periodsUrl),
  status: () => http.get<PeriodStatus>(`${periodsUrl}status/`).then((r) => r.data),
  /** Closes the month of `month` (any day of it): its month-end average costs are fixed, postings dated in it refused. */
  close: (month: string, options?: PostOptions) => postAction<StockPeriod>(`${periodsUrl}close/`, { month }, options),
  /** 反结账: reopens the latest closed month (204). */
  reopen: (id: Id, options?: PostOptions) => postAction(`${periodsUrl}${id}/reopen/`, {}, options),
}

export type RevaluationCause = 'backdated' | 'month_close'
export const REVALUATION_CAUSES: RevaluationCause[] = ['backdated', 'month_close']

/** One re-valuation of a product's later moves, with the change in issued and in stock value. */
export interface Revaluation {
  id: Id
  product: Id
  product_code: string
  product_name: string
  cause: RevaluationCause
  /** the document (or closed month) that caused it */
  reference: string
  date_from: string
  moves_replayed: number
  moves_changed: number
  issued_value_change: string
  stock_value_change: string
  created_at: string
}

export const revaluationsApi = readResource<Revaluation>('revaluations/')
