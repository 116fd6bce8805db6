import { computed } from 'vue'
import type { CostAdjustmentLine, CostAdjustmentLineInput } from '@/api/valuation'
import type { Id } from '@/api/types'
import { useSessionStore } from '@/stores/session'
import { toNumber } from '@/utils/decimal'

/**
 * Inventory accounting pages (成本调整单, 库存月结, 成本重算记录): who may do what, and the lines of
 * a cost adjustment as its editor holds them. Pure functions apart from the access composable.
 */

/**
 * What the user may do: the finance module's permissions, and only when their roles may see
 * costs (the server refuses everything else with 403).
 */
export function useValuationAccess() {
  const session = useSessionStore()
  const may = (action: string) => computed(() => session.canSeeCosts && session.hasPermission(`finance.${action}`))
  return {
    canView: may('view'),
    canCreate: may('create'),
    canEdit: may('edit'),
    canPost: may('post'),
    canExport: may('export'),
  }
}

/** Route names and path of the cost adjustments' list and editor. */
export const COST_ADJUSTMENT_ROUTES = {
  list: 'inventory-cost-adjustments',
  editor: 'inventory-cost-adjustment',
  path: '/inventory/cost-adjustments',
} as const

/** The origin of the value-only moves a posted cost adjustment writes. */
export const COST_ADJUSTMENT_ORIGIN = 'inventory.costadjustmentline'

/** One line of a cost adjustment in the editor. */
export interface CostLineRow {
  /** client-side identity (v-for keys) */
  key: number
  product: Id | null
  /** "SP0001 可口可乐 330ml" */
  label: string
  /** the amount to add (negative to take away) … */
  amount: number | null
  /** … or the new unit cost of what is on hand: exactly one of the two */
  new_unit_cost: number | null
  note: string
  /** filled by the server at posting */
  quantity: string | null
  value_before: string | null
  value_change: string | null
}

export type CostFigure = 'amount' | 'new_unit_cost'

let lastKey = 0

export function newCostLine(values: Partial<CostLineRow> = {}): CostLineRow {
  return {
    key: ++lastKey, product: null, label: '', amount: null, new_unit_cost: null, note: '', quantity: null, value_before: null,
    value_change: null, ...values,
  }
}

export function costLineFromServer(line: CostAdjustmentLine): CostLineRow {
  return newCostLine({
    product: line.product,
    label: `${line.product_code ?? ''} ${line.product_name ?? ''}`.trim(),
    amount: toNumber(line.amount),
    new_unit_cost: toNumber(line.new_unit_cost),
    note: line.note ?? '',
    quantity: line.quantity ?? null,
    value_before: line.value_before ?? null,
    value_change: line.value_change ?? null,
  })
}

/** A line nobody filled in: dropped before saving. */
export function isEmptyCostLine(line: CostLineRow): boolean {
  return line.product === null && line.amount === null && line.new_unit_cost === null && !line.note.trim()
}

/** What the API takes: both figures are sent (the one not used as null); the server wants exactly one. */
export function costLineToInput(line: CostLineRow): CostAdjustmentLineInput {
  return { product: line.product as Id, amount: line.amount, new_unit_cost: line.new_unit_cost, note: line.note.trim() }
}

/**
 * Enters one of the two figures of a line: filling one empties the other (a line adjusts by an
 * amount or to a new unit cost, never both).
 */
export function setCostFigure(line: CostLineRow, figure: CostFigure, value: number | null | undefined): void {
  const entered = value === undefined || value === null || Number.isNaN(value) ? null : value
  line[figure] = entered
  if (entered !== null) line[figure === 'amount' ? 'new_unit_cost' : 'amount'] = null
}

/** The value after posting (before + change), two decimals; '' before posting. */
export function valueAfter(line: Pick<CostLineRow, 'value_before' | 'value_change'>): string {
  if (line.value_before === null || line.value_change === null) return ''
  return ((Math.round(Number(line.value_before) * 100) + Math.round(Number(line.value_change) * 100)) / 100).toFixed(2)
}

/** The sum of the lines' value changes (posted lines), two decimals. */
export function totalChange(lines: readonly { value_change?: string | null }[]): string {
  return (lines.reduce((sum, line) => sum + Math.round(Number(line.value_change ?? 0) * 100), 0) / 100).toFixed(2)
}

/** A month as people name it: "2026-10-01" → "2026-10". */
export function monthLabel(date: string | null | undefined): string {
  return date ? date.slice(0, 7) : ''
}
