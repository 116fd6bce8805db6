import type { VerifyProblem } from '@/api/inventory'
import { i18n } from '@/i18n'
import { qty } from './common'

/** Fields of a problem holding the figures that disagree: the message shows them; the other fields name rows. */
const FIGURES = new Set(['on_hand', 'ledger', 'net', 'balances', 'frozen', 'reserved', 'reservations', 'valuation', 'layers'])

export interface ProblemRow {
  field: string
  label: string
  value: string
}

/** A problem of the consistency check as people read it. */
export interface ProblemView {
  check: string
  checkLabel: string
  message: string
  rows: ProblemRow[]
}

/** An id reads "#12", a missing one (a lot of 0) "—", a list "#3 / #7 / —", a figure "5". */
function plain(value: unknown, figure: boolean): string {
  if (Array.isArray(value)) return value.map((item) => plain(item, figure)).join(' / ')
  if (value === null || value === undefined || value === '' || value === 0) return '—'
  if (figure) return qty(String(value))
  if (typeof value === 'number') return `#${value}`
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The name of a check (`balance_equals_ledger` → 现存量与明细), or the check's code when it is new to the UI. */
export function checkLabel(check: string): string {
  const key = `inventory.verify.checks.${check}`
  return i18n.global.te(key) ? i18n.global.t(key) : check
}

/**
 * What went wrong, from the fields of a problem: the server's `message` when it sends one, else
 * the UI's text for the check with the figures filled in; the rows involved are listed apart.
 */
export function describeProblem(problem: VerifyProblem): ProblemView {
  const { t, te } = i18n.global
  const variant = problem.check === 'balance_equals_ledger' && 'missing_balance' in problem ? 'balance_missing' : problem.check
  const key = `inventory.verify.messages.${variant}`
  const own = typeof problem.message === 'string' && problem.message !== '' ? problem.message : null
  const templated = own === null && te(key)
  const values = Object.fromEntries(Object.entries(problem).map(([field, value]) => [field, plain(value, FIGURES.has(field))]))
  const rows = Object.entries(problem)
    .filter(([field]) => field !== 'check' && field !== 'message' && !(templated && FIGURES.has(field)))
    .map(([field, value]) => {
      const labelKey = `inventory.verify.fields.${field}`
      return { field, label: te(labelKey) ? t(labelKey) : field, value: plain(value, FIGURES.has(field)) }
    })
  return { check: problem.check, checkLabel: checkLabel(problem.check), message: own ?? (templated ? t(key, values) : ''), rows }
}

/** How many problems each check found, in the order the checks first appear. */
export function countByCheck(problems: readonly VerifyProblem[]): { check: string; label: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const problem of problems) counts.set(problem.check, (counts.get(problem.check) ?? 0) + 1)
  return [...counts].map(([check, count]) => ({ check, label: checkLabel(check), count }))
}
