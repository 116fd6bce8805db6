import type { OpenItem } from '@/api/financeLedgers'
import type { Id } from '@/api/types'
import { i18n } from '@/i18n'
import { centsToText, toCents } from './common'

/**
 * The pure parts of the partner-ledger pages: spreading a receipt or payment over the items it
 * settles, the totals of a payment (what stays as an advance), and the names of the ageing buckets.
 */

export const PAYMENT_ROUTES = { list: 'finance-payments', editor: 'finance-payment', path: '/finance/payments' } as const
export const STATEMENT_ROUTE = 'finance-statement'

/** One open item offered on a payment: ticked or not, and the amount it settles (text as typed). */
export interface SettleRow {
  item: Id
  reference: string
  document_type: string
  date: string
  due_date: string | null
  summary: string
  currency_code: string
  /** what stays open on the item ("1130.00") */
  open: string
  checked: boolean
  amount: string
}

export function settleRowOf(item: Pick<OpenItem, 'id' | 'reference' | 'document_type' | 'date' | 'due_date' | 'summary'
  | 'currency_code' | 'open_amount'>, amount = ''): SettleRow {
  return {
    item: item.id, reference: item.reference, document_type: item.document_type, date: item.date, due_date: item.due_date,
    summary: item.summary, currency_code: item.currency_code, open: item.open_amount, checked: amount !== '', amount,
  }
}

/** Due date first (an item without one by its date), then date, then the order given. */
function dueOrder(a: SettleRow, b: SettleRow): number {
  const dueA = a.due_date || a.date
  const dueB = b.due_date || b.date
  return dueA.localeCompare(dueB) || a.date.localeCompare(b.date)
}

/**
 * 按到期日顺序核销: the amount goes to the items falling due first, each up to what stays open on it;
 * the items it does not reach are unticked. Answers what is left over (an advance, in cents).
 */
export function spreadByDueDate(rows: SettleRow[], amount: string | number): number {
  let left = Math.max(toCents(amount) ?? 0, 0)
  if (Number.isNaN(left)) left = 0
  const ordered = rows.map((row, index) => ({ row, index }))
    .sort((a, b) => dueOrder(a.row, b.row) || a.index - b.index)
  for (const { row } of ordered) {
    const open = Math.max(toCents(row.open) ?? 0, 0)
    const take = Math.min(open, left)
    row.checked = take > 0
    row.amount = take > 0 ? centsToText(take) : ''
    left -= take
  }
  return left
}

/** Ticking an item settles what stays open on it; unticking clears its amount. */
export function toggleRow(row: SettleRow, checked: boolean): void {
  row.checked = checked
  row.amount = checked ? row.open : ''
}

export interface PaymentTotals {
  /** cents */
  amount: number
  settled: number
  /** what stays as 预收 / 预付 (negative: the lines settle more than the amount) */
  advance: number
  /** what moves on the cash or bank account: amount − fee − discount (receipt), amount + fee − discount (payment) */
  cash: number
  invalid: boolean
}

export function paymentTotals(input: { kind: 'receipt' | 'payment' | 'refund'; amount: string; fee: string; discount: string },
  rows: readonly SettleRow[]): PaymentTotals {
  const cents = (text: string) => toCents(text) ?? 0
  let invalid = false
  const read = (text: string) => {
    const value = cents(text)
    if (Number.isNaN(value)) invalid = true
    return Number.isNaN(value) ? 0 : value
  }
  const amount = read(input.amount)
  const fee = read(input.fee)
  const discount = read(input.discount)
  const settled = rows.filter((row) => row.checked).reduce((sum, row) => sum + read(row.amount), 0)
  // money comes in on a receipt and a supplier's refund
  const cash = input.kind === 'payment' ? amount + fee - discount : amount - fee - discount
  return { amount, settled, advance: amount - settled, cash, invalid }
}

/** The lines a payment sends: the ticked items with an amount, in the order shown. */
export function settleLines(rows: readonly SettleRow[]): { item: Id; amount: string }[] {
  return rows.filter((row) => row.checked && (toCents(row.amount) ?? 0) !== 0).map((row) => ({ item: row.item, amount: row.amount.trim() }))
}

/**
 * The server's name of an ageing bucket in words: "not_due" → 未到期, "1-30" → 1-30天, ">180" → 180天以上
 * (and "31-60", "0-30" … as given).
 */
export function ageingLabel(label: string): string {
  const { t } = i18n.global
  if (label === 'not_due') return t('finance.ageing.notDue')
  const over = label.match(/^>\s*(\d+)$/)
  if (over) return t('finance.ageing.over', { to: over[1] })
  const range = label.match(/^(\d+)\s*-\s*(\d+)$/)
  if (range) return t('finance.ageing.range', { from: range[1], to: range[2] })
  return label
}

/** "30, 60,90" → "30,60,90"; null when it is no list of whole days. */
export function parseBuckets(text: string): string | null {
  const parts = text.split(/[,，\s]+/).filter(Boolean)
  if (!parts.length || parts.some((part) => !/^\d+$/.test(part) || Number(part) < 1)) return null
  return [...new Set(parts.map(Number))].sort((a, b) => a - b).join(',')
}

/** The kind of document an open item or a statement row comes from, in words. */
export function documentTypeLabel(type: string, kind = ''): string {
  if (!type) return ''
  const base = `finance.documentTypes.${type.replace(/\W/g, '_')}`
  for (const key of kind ? [`${base}_${kind}`, base] : [base]) if (i18n.global.te(key)) return i18n.global.t(key)
  return type
}
