import type { Account, Dimension, VoucherLine, VoucherLineInput } from '@/api/finance'
import { DIMENSIONS } from '@/api/finance'
import type { Id } from '@/api/types'
import { centsToText, toCents } from './common'

/**
 * The lines of a voucher as its editor holds them, and what the editor previews: the totals of
 * debit and credit and whether they balance. The server checks every rule again when saving and
 * posting (one side per line, two decimals, the account's dimensions, debits = credits).
 */

/** One line in the editor: amounts as typed ('' for none). */
export interface VoucherLineRow {
  /** client-side identity (v-for keys) */
  key: number
  summary: string
  /** the summary the line was added with (the previous line's): unchanged, the line is still empty */
  copiedSummary: string
  account: Id | null
  /** "1405 库存商品" */
  accountLabel: string
  debit: string
  credit: string
  currency: Id | null
  currencyCode: string
  original_amount: string
  rate: string
  partner: Id | null
  partnerName: string
  warehouse: Id | null
  warehouseName: string
  department: string
  project: string
}

let lastKey = 0

export function newVoucherLine(values: Partial<VoucherLineRow> = {}): VoucherLineRow {
  return {
    key: ++lastKey, summary: '', copiedSummary: '', account: null, accountLabel: '', debit: '', credit: '', currency: null,
    currencyCode: '', original_amount: '', rate: '', partner: null, partnerName: '', warehouse: null, warehouseName: '',
    department: '', project: '', ...values,
  }
}

/** A new line after `previous`: it starts with the same summary (vouchers repeat it), which alone does not fill it. */
export function nextVoucherLine(previous: VoucherLineRow | undefined): VoucherLineRow {
  const summary = previous?.summary ?? ''
  return newVoucherLine({ summary, copiedSummary: summary })
}

/** "0.00" → '' (an amount not on this side). */
function typed(amount: string | null | undefined): string {
  const cents = toCents(amount)
  return cents === null || cents === 0 || Number.isNaN(cents) ? '' : centsToText(cents)
}

export function lineFromServer(line: VoucherLine, currencyCode = ''): VoucherLineRow {
  return newVoucherLine({
    summary: line.summary,
    copiedSummary: '',
    account: line.account,
    accountLabel: `${line.account_code} ${line.account_name}`,
    debit: typed(line.debit),
    credit: typed(line.credit),
    currency: line.currency,
    currencyCode,
    original_amount: line.original_amount ?? '',
    rate: line.rate ?? '',
    partner: line.partner,
    partnerName: line.partner_name ?? '',
    warehouse: line.warehouse,
    warehouseName: line.warehouse_name ?? '',
    department: line.department ?? '',
    project: line.project ?? '',
  })
}

/** A line nobody filled in (no account, no amount; a copied summary does not count): dropped before saving. */
export function isEmptyVoucherLine(line: VoucherLineRow): boolean {
  return line.account === null && !line.debit.trim() && !line.credit.trim() && !line.original_amount.trim()
    && !line.department.trim() && !line.project.trim() && line.partner === null && line.warehouse === null
    && (!line.summary.trim() || line.summary === line.copiedSummary)
}

/** Whether the account takes a dimension, and how: 'required', 'optional' or null. */
export function dimensionMode(account: Account | undefined, dimension: Dimension): 'required' | 'optional' | null {
  return account?.dimensions?.[dimension] ?? null
}

/**
 * What the API takes. Dimensions the account does not take are left out (the server refuses
 * them), as are the foreign-currency figures of an account kept in the base currency.
 */
export function lineToInput(line: VoucherLineRow, account?: Account): VoucherLineInput {
  const takes = (dimension: Dimension) => !account || dimensionMode(account, dimension) !== null
  const amount = (text: string) => {
    const cents = toCents(text)
    return cents === null || Number.isNaN(cents) ? (text.trim() || '0') : centsToText(cents)
  }
  const foreign = account ? account.currency !== null : line.currency !== null
  return {
    summary: line.summary.trim(),
    account: line.account,
    debit: amount(line.debit),
    credit: amount(line.credit),
    currency: account ? account.currency : line.currency,
    original_amount: foreign && line.original_amount.trim() ? line.original_amount.trim() : null,
    rate: foreign && line.rate.trim() ? line.rate.trim() : null,
    partner: takes('partner') ? line.partner : null,
    warehouse: takes('warehouse') ? line.warehouse : null,
    department: takes('department') ? line.department.trim() : '',
    project: takes('project') ? line.project.trim() : '',
  }
}

/**
 * The line takes an account: its label and currency, and it forgets the dimensions the account
 * does not take (they would be refused).
 */
export function setLineAccount(line: VoucherLineRow, account: Account | null): void {
  line.account = account?.id ?? null
  line.accountLabel = account ? `${account.code} ${account.name}` : ''
  line.currency = account?.currency ?? null
  line.currencyCode = account?.currency_code ?? ''
  if (!account?.currency) {
    line.original_amount = ''
    line.rate = ''
  }
  if (!account) return
  for (const dimension of DIMENSIONS) {
    if (dimensionMode(account, dimension) !== null) continue
    if (dimension === 'partner') Object.assign(line, { partner: null, partnerName: '' })
    else if (dimension === 'warehouse') Object.assign(line, { warehouse: null, warehouseName: '' })
    else line[dimension] = ''
  }
}

export type Side = 'debit' | 'credit'

/** Types an amount on one side; a (non-zero) amount empties the other side (a line is a debit or a credit). */
export function setLineAmount(line: VoucherLineRow, side: Side, text: string): void {
  line[side] = text
  const cents = toCents(text)
  if (cents !== null && cents !== 0 && !Number.isNaN(cents)) line[side === 'debit' ? 'credit' : 'debit'] = ''
}

export type BalanceState = 'empty' | 'balanced' | 'unbalanced'

export interface VoucherTotals {
  /** in cents */
  debit: number
  credit: number
  /** debit − credit, in cents */
  difference: number
  state: BalanceState
  /** some amount is no number */
  invalid: boolean
}

/** The totals of the lines (cents) and whether they balance; nothing entered yet is 'empty'. */
export function voucherTotals(lines: readonly Pick<VoucherLineRow, 'debit' | 'credit'>[]): VoucherTotals {
  let debit = 0
  let credit = 0
  let invalid = false
  let entered = false
  for (const line of lines) {
    for (const side of ['debit', 'credit'] as const) {
      const cents = toCents(line[side])
      if (cents === null) continue
      if (Number.isNaN(cents)) {
        invalid = true
        continue
      }
      if (cents !== 0) entered = true
      if (side === 'debit') debit += cents
      else credit += cents
    }
  }
  const difference = debit - credit
  const state: BalanceState = !entered ? 'empty' : difference === 0 && !invalid ? 'balanced' : 'unbalanced'
  return { debit, credit, difference, state, invalid }
}

/**
 * What the line at `index` needs on `side` for the voucher to balance (the other lines as they
 * are), as text; '' when that is nothing or would be negative.
 */
export function balancingAmount(lines: readonly VoucherLineRow[], index: number, side: Side): string {
  const others = voucherTotals(lines.filter((_line, at) => at !== index))
  const needed = side === 'debit' ? -others.difference : others.difference
  return needed > 0 ? centsToText(needed) : ''
}

/** An amount as typed, tidied when it leaves the field ("1000" → "1000.00"); what is no amount stays as typed. */
export function tidyAmount(text: string): string {
  const cents = toCents(text)
  if (cents === null) return ''
  return Number.isNaN(cents) ? text : centsToText(cents)
}
