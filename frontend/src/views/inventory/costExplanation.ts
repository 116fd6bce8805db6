import type { CostStep, StockMove } from '@/api/inventory'
import { formatMoney, trimDecimal } from '@/utils/decimal'

/**
 * 成本构成: a move's `cost_explanation` (the steps the valuation took, see
 * `jxc/inventory/domain/costing.py`, and the notes a later re-valuation appended) in plain words.
 * Pure: the texts come from `t` (`inventory.cost.*`), so it is tested with the real messages.
 * A kind this code does not know, or a known kind without the fields it needs, still shows: its
 * kind and raw fields.
 */

export type Translate = (key: string, params?: Record<string, unknown>) => string

/** Which way a move went: into stock held (receipt), out of it (issue), or neither known. */
export type MoveDirection = 'in' | 'out' | null

export interface ExplainedStep {
  kind: string
  text: string
  /** a note a later re-valuation appended (`revalued`, `month_close`), not how the cost was made */
  note: boolean
  /** false: shown as its raw fields */
  known: boolean
}

export interface CostContext {
  /** the move's own id: a FIFO layer with it as source is the layer the receipt made */
  moveId?: number | null
  direction?: MoveDirection
}

const NOTE_KINDS = new Set(['revalued', 'month_close'])
/** the reason the valuation gives when a receipt settles stock issued below zero */
const SETTLES_BELOW_ZERO = 'settles stock issued below zero'
const K = 'inventory.cost.steps.'

/**
 * The move's `flow` as the ledger recorded it: a receipt (`in`, from outside into stock held), an
 * issue (`out`), or neither (`internal`: between two locations that hold stock, as a transfer; or
 * a flow this code does not know).
 */
export function moveDirection(move: Pick<StockMove, 'flow'>): MoveDirection {
  return move.flow === 'in' || move.flow === 'out' ? move.flow : null
}

/** The steps of a move's explanation (anything that is not a list of objects gives none). */
export function costSteps(explanation: unknown): CostStep[] {
  if (!Array.isArray(explanation)) return []
  return explanation.map((step): CostStep => (isRecord(step) ? { ...step, kind: String(step.kind ?? '') } : { kind: '', value: step }))
}

/** Every step of `explanation` in words, in order (notes of later re-valuations last, as stored). */
export function explainCost(explanation: unknown, t: Translate, context: CostContext = {}): ExplainedStep[] {
  return costSteps(explanation).map((step) => {
    const text = explainStep(step, t, context)
    return { kind: step.kind, text: text ?? rawStep(step, t), note: NOTE_KINDS.has(step.kind), known: text !== null }
  })
}

/** One step in words; null when the kind is unknown or the fields it needs are missing. */
export function explainStep(step: CostStep, t: Translate, context: CostContext = {}): string | null {
  const has = (...fields: string[]) => fields.every((field) => present(step[field]))
  const money = (field: string) => formatMoney(text(step[field]))
  const quantity = (field: string) => trimDecimal(text(step[field]))
  switch (step.kind) {
    case 'average':
      if (has('before', 'after')) return t(`${K}averageIn`, { before: money('before'), after: money('after') })
      if (has('unit_cost')) return t(`${K}averageOut`, { unitCost: money('unit_cost') })
      return null
    case 'layer': {
      if (!has('source', 'quantity', 'value')) return null
      const source = text(step.source)
      const params = { quantity: quantity('quantity'), value: money('value'), source }
      if (context.direction === 'in' || (context.moveId != null && source === String(context.moveId))) {
        return t(`${K}layerNew`, params)
      }
      if (/^\d+$/.test(source)) return t(`${K}layerFrom`, params)
      if (source.startsWith('new:')) return t(`${K}layerPosting`, params)
      if (source === 'opening') return t(`${K}layerOpening`, params)
      return t(`${K}layerOther`, params)
    }
    case 'below_zero':
      if (!has('quantity', 'unit_cost', 'value')) return null
      return t(`${K}belowZero`, { quantity: quantity('quantity'), unitCost: money('unit_cost'), value: money('value') })
    case 'adjustment': {
      const reason = text(step.reason)
      let said = reason === SETTLES_BELOW_ZERO ? t(`${K}settlesBelowZero`) : reason ? t(`${K}adjustmentFor`, { reason }) : t(`${K}adjustment`)
      if (has('value')) said = t(`${K}join`, { a: said, b: t(`${K}amount`, { value: money('value') }) })
      if (has('receipt')) said = t(`${K}join`, { a: said, b: t(`${K}byReceipt`, { receipt: text(step.receipt) }) })
      return said
    }
    case 'original_cost':
      if (!has('value')) return null
      if (has('taken') && money('taken') !== money('value')) {
        return t(`${K}originalCostLimited`, { value: money('value'), taken: money('taken') })
      }
      return t(`${K}originalCost`, { value: money('value') })
    case 'carried':
      if (!has('unit_cost')) return null
      return t(`${K}carried`, { unitCost: money('unit_cost') })
    case 'revaluation':
      if (has('before', 'after')) return t(`${K}revaluation`, { before: money('before'), after: money('after') })
      if (has('layers')) return t(`${K}revaluationLayers`, { layers: text(step.layers) })
      return t(`${K}revaluationShort`)
    case 'month_average':
      if (!has('unit_cost')) return null
      return t(`${K}monthAverage`, { unitCost: money('unit_cost') })
    case 'revalued': {
      const reference = text(step.reference)
      const cause = text(step.cause)
      if (cause === 'backdated') return reference ? t(`${K}revaluedBackdated`, { reference }) : t(`${K}revaluedBackdatedPlain`)
      if (cause === 'month_close') return reference ? t(`${K}revaluedMonthClose`, { reference }) : t(`${K}revaluedMonthClosePlain`)
      return t(`${K}revalued`, { cause: [cause, reference].filter(Boolean).join(' ') || '—' })
    }
    case 'month_close':
      if (!has('month', 'quantity_in', 'value_in')) return null
      return t(`${K}monthClose`, { month: text(step.month), quantityIn: quantity('quantity_in'), valueIn: money('value_in') })
    default:
      return null
  }
}

/** A step as its kind and raw fields: "fx_gain：rate=7.1，value=3.00". */
export function rawStep(step: CostStep, t: Translate): string {
  const fields = Object.entries(step)
    .filter(([key]) => key !== 'kind')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
  return t(`${K}raw`, { kind: step.kind || '?', fields: fields.join(t(`${K}separator`)) || '—' })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function present(value: unknown): boolean {
  return value !== null && value !== undefined && value !== ''
}

function text(value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value)
}
