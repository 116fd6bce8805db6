import type { RouteLocationRaw } from 'vue-router'
import type { ApprovalRequest, ApprovalStep, Level, RequestState } from '@/api/workflow'

/** The page (route name, with the document's id as `id`) of each approvable document type that has one. */
export const DOCUMENT_PAGES: Record<string, string> = {
  other_receipt: 'inventory-receipt',
  other_issue: 'inventory-issue',
  transfer: 'inventory-transfer',
  purchase_order: 'purchasing-order',
  goods_receipt: 'purchasing-receipt',
  supplier_invoice: 'purchasing-invoice',
  purchase_request: 'purchasing-request',
  sales_order: 'sales-order',
}

/** Where the request's document opens; null for a type without a page. */
export function documentPage(request: Pick<ApprovalRequest, 'document_type' | 'document_id'>): RouteLocationRaw | null {
  const name = DOCUMENT_PAGES[request.document_type]
  return name ? { name, params: { id: request.document_id } } : null
}

/** How long something has waited, as a message key and a count (分钟 / 小时 / 天). */
export function waitingTime(since: string | null | undefined, now: number = Date.now()): { key: string; n: number } {
  const minutes = since ? Math.max(0, Math.floor((now - new Date(since).getTime()) / 60_000)) : 0
  if (minutes < 1) return { key: 'workflow.time.justNow', n: 0 }
  if (minutes < 60) return { key: 'workflow.time.minutes', n: minutes }
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return { key: 'workflow.time.hours', n: hours }
  return { key: 'workflow.time.days', n: Math.floor(hours / 24) }
}

/** An amount as text with thousands separators and two decimals ("50000" → "50,000.00"); blank when there is none. */
export function amountText(amount: string | null | undefined): string {
  if (amount === null || amount === undefined || amount === '') return ''
  const match = String(amount).trim().match(/^(-?)(\d+)(?:\.(\d*))?$/)
  if (!match) return String(amount)
  const [, sign, whole, fraction = ''] = match
  return `${sign}${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction.padEnd(2, '0')}`
}

export const STATE_TAG: Record<RequestState, 'primary' | 'success' | 'danger' | 'info'> = {
  pending: 'primary',
  approved: 'success',
  rejected: 'danger',
  withdrawn: 'info',
}

export const DECISION_TAG: Record<ApprovalStep['decision'], 'primary' | 'success' | 'danger' | 'info'> = {
  pending: 'primary',
  approved: 'success',
  rejected: 'danger',
  skipped: 'info',
}

export type LevelState = 'done' | 'current' | 'waiting' | 'rejected' | 'closed'

/** One level of a request with its approvers' steps and how far it got. */
export interface LevelView {
  index: number
  level: Level
  steps: ApprovalStep[]
  state: LevelState
}

/** The request's levels (as copied at submit), each with its steps, in order. */
export function levelsOf(request: ApprovalRequest): LevelView[] {
  const count = Math.max(request.levels.length, ...request.steps.map((step) => step.level + 1))
  return Array.from({ length: count }, (_, index) => {
    const level = request.levels[index] ?? { name: '', mode: 'any', approvers: [] }
    const steps = request.steps.filter((step) => step.level === index)
    let state: LevelState
    if (steps.some((step) => step.decision === 'rejected')) state = 'rejected'
    else if (request.state === 'approved' || index < request.current_level) state = 'done'
    else if (request.state !== 'pending') state = 'closed'
    else state = index === request.current_level ? 'current' : 'waiting'
    return { index, level, steps, state }
  })
}
