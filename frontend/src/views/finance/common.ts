import { computed } from 'vue'
import type { Router } from 'vue-router'
import type { Account, AccountRole, RuleLabels } from '@/api/finance'
import { stockDocumentsApi } from '@/api/inventory'
import type { Id } from '@/api/types'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { today } from '@/utils/dates'
import { DOCUMENT_ROUTES } from '@/views/inventory/common'
import { COST_ADJUSTMENT_ROUTES } from '@/views/inventory/valuation'

/** The organization's business day (one definition for the UI: `@/utils/dates`). */
export { today } from '@/utils/dates'

/**
 * What the finance pages share: who may do what, amounts in cents, the names of accounts, and the
 * source document of an automatic voucher (a link to its page where it has one).
 */

/** What the user may do in finance (`finance.<action>`). */
export function useFinanceAccess() {
  const session = useSessionStore()
  const may = (action: string) => computed(() => session.hasPermission(`finance.${action}`))
  return {
    canView: may('view'),
    canCreate: may('create'),
    canEdit: may('edit'),
    canPost: may('post'),
    canExport: may('export'),
    canConfigure: may('configure'),
  }
}

export const VOUCHER_ROUTES = { list: 'finance-vouchers', editor: 'finance-voucher', path: '/finance/vouchers' } as const
export const LEDGER_ROUTE = 'finance-account-ledger'
export const TRIAL_BALANCE_ROUTE = 'finance-trial-balance'

// ---- amounts ---------------------------------------------------------------------------------------

/**
 * Text typed or sent ("1,000.5", "-20", "1000.00") → whole cents; null for nothing typed, NaN for
 * what is no amount. Rounds half away from zero on the third decimal.
 */
export function toCents(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined) return null
  const text = String(value).trim().replace(/[,，\s]/g, '')
  if (text === '') return null
  const match = text.match(/^([+-]?)(\d*)(?:\.(\d*))?$/)
  if (!match || (!match[2] && !match[3])) return Number.NaN
  const fraction = (match[3] ?? '').padEnd(3, '0')
  const cents = Number(match[2] || '0') * 100 + Number(fraction.slice(0, 2)) + (Number(fraction[2]) >= 5 ? 1 : 0)
  return match[1] === '-' ? -cents : cents
}

/** Cents → "1000.00", "-20.50". */
export function centsToText(cents: number): string {
  const sign = cents < 0 ? '-' : ''
  const abs = Math.abs(Math.round(cents))
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

/** An amount as the reports show it: two decimals, '' for zero (and for nothing) unless `zero` is given. */
export function amountText(value: string | number | null | undefined, zero = ''): string {
  const cents = toCents(value)
  if (cents === null || Number.isNaN(cents)) return value === null || value === undefined ? zero : String(value)
  return cents === 0 ? zero : centsToText(cents)
}

/** Whether an amount is negative (red-letter amounts are shown in red). */
export function isNegative(value: string | number | null | undefined): boolean {
  const cents = toCents(value)
  return cents !== null && cents < 0
}

/**
 * A balance (debit − credit) as a ledger shows it: its side (借, 贷, 平) and its size.
 */
export function balanceSide(value: string | number | null | undefined): { side: 'debit' | 'credit' | 'even'; amount: string } {
  const cents = toCents(value) ?? 0
  if (!cents || Number.isNaN(cents)) return { side: 'even', amount: '0.00' }
  return { side: cents > 0 ? 'debit' : 'credit', amount: centsToText(Math.abs(cents)) }
}

// ---- dates ---------------------------------------------------------------------------------------

/** The first and the last day of the month of `day` (YYYY-MM-DD). */
export function monthOf(day: string = today()): { from: string; to: string } {
  const [year, month] = day.split('-').map(Number)
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
  const prefix = `${year}-${String(month).padStart(2, '0')}`
  return { from: `${prefix}-01`, to: `${prefix}-${String(last).padStart(2, '0')}` }
}

// ---- accounts --------------------------------------------------------------------------------------

/** "应付账款 / 暂估应付款": the names of an account's parents and its own. */
export function accountPath(account: Account, byId: ReadonlyMap<Id, Account>): string {
  const names: string[] = []
  let current: Account | undefined = account
  for (let guard = 0; current && guard < 12; guard++) {
    names.unshift(current.name)
    current = current.parent ? byId.get(current.parent) : undefined
  }
  return names.join(' / ')
}

/** "1405 库存商品". */
export function accountLabel(account: Pick<Account, 'code' | 'name'> | null | undefined): string {
  return account ? `${account.code} ${account.name}` : ''
}

/** What a name the UI knows (`finance.<group>.<code>`) or else the server's. */
function known(key: string, fallback: string): string {
  return i18n.global.te(key) ? i18n.global.t(key) : fallback
}

/** The account roles in the order of the chart (assets, liabilities, equity, profit and loss); others after them. */
export const ROLE_ORDER = [
  'cash', 'bank', 'receivable', 'prepayment', 'inventory', 'pending_loss', 'payable', 'estimated_payable', 'advance_receipt',
  'input_vat', 'output_vat', 'input_vat_out', 'vat_transfer_out', 'unpaid_vat', 'profit_of_year', 'retained_earnings', 'revenue',
  'cost_of_sales', 'selling_expense', 'admin_expense', 'finance_expense', 'non_operating_income', 'non_operating_expense',
]

export function sortRoles<R extends { role: string }>(roles: readonly R[]): R[] {
  const rank = (role: string) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length)
  return [...roles].sort((a, b) => rank(a.role) - rank(b.role) || a.role.localeCompare(b.role))
}

/** The name of an account role (库存商品, 进项税额 …); the server's name for roles the UI does not know. */
export function roleLabel(role: Pick<AccountRole, 'role' | 'role_label'>): string {
  return known(`finance.roles.${role.role}`, role.role_label || role.role)
}

export type RuleLabelKind = keyof RuleLabels

/** The name of a code a posting rule compares (a document type, an event, a reason, a location kind). */
export function ruleLabel(labels: RuleLabels | null, kind: RuleLabelKind, code: string): string {
  if (!code) return ''
  return known(`finance.ruleLabels.${kind}.${code.replace(/\W/g, '_')}`, labels?.[kind]?.[code] ?? code)
}

// ---- the source document of an automatic voucher -----------------------------------------------------

export const ORIGINS = {
  document: 'inventory.stockdocument',
  count: 'inventory.stockcount',
  costAdjustment: 'inventory.costadjustment',
  revaluation: 'inventory.revaluation',
} as const

/** The origin types the voucher list filters by, with their names. */
export const ORIGIN_TYPES = Object.values(ORIGINS)

const STOCK_PREFIXES: [string, string][] = [['QR', 'receipt'], ['QC', 'issue'], ['DB', 'transfer']]

/** What kind of document made a voucher: 手工 (none), 其他入库, 盘点, 成本调整, 成本重算 … */
export function originLabel(originType: string, reference = ''): string {
  const { t } = i18n.global
  if (!originType) return t('finance.origins.manual')
  if (originType === ORIGINS.document) {
    const kind = STOCK_PREFIXES.find(([prefix]) => reference.startsWith(prefix))?.[1]
    return t(kind ? `inventory.origins.${kind}` : 'inventory.origins.document')
  }
  return known(`finance.origins.${originType.replace(/\W/g, '_')}`, originType)
}

/** Whether the user can open the source document's page (revaluations have none). */
export function canOpenOrigin(originType: string, originId: Id | null): boolean {
  if (!originId) return false
  const session = useSessionStore()
  if (originType === ORIGINS.document || originType === ORIGINS.count) return session.hasPermission('inventory.view')
  if (originType === ORIGINS.costAdjustment) return session.canSeeCosts && session.hasPermission('finance.view')
  return false
}

/** Opens the source document's page: a stock document in its kind's editor, a count, a cost adjustment. */
export async function openOrigin(router: Router, originType: string, originId: Id): Promise<void> {
  if (originType === ORIGINS.document) {
    // the voucher knows the document, not its kind (receipt, issue, transfer): each kind has its page
    const document = await stockDocumentsApi.retrieve(originId)
    await router.push({ name: DOCUMENT_ROUTES[document.kind].editor, params: { id: originId } })
  } else if (originType === ORIGINS.count) {
    await router.push({ name: 'inventory-count', params: { id: originId } })
  } else if (originType === ORIGINS.costAdjustment) {
    await router.push({ name: COST_ADJUSTMENT_ROUTES.editor, params: { id: originId } })
  }
}
