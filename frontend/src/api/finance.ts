import { cleanQuery, downloadFile, http, type PostOptions } from './client'
import { editableResource, postAction, readResource, removeFrom } from './resource'
import type { Id, ListQuery, Page } from './types'

/**
 * The finance API (总账): the chart of accounts (会计科目) and its templates, the account roles the
 * automatic vouchers book to, posting rules (凭证模板), vouchers (记账凭证: draft, post, red-letter
 * reversal, print), accounting periods (会计期间: close, reopen) and the two reports, the trial
 * balance (科目余额表, also as Excel) and an account's ledger (明细账).
 * Permissions `finance.<action>`: view, create and edit (drafts), post (post, reverse, close a
 * period), configure (the chart, roles, rules; reopen a period), export.
 * Amounts come as text with two decimals ("1000.00"); red-letter (红字) amounts are negative.
 */

export type AccountType = 'asset' | 'liability' | 'common' | 'equity' | 'cost' | 'profit_loss'
export const ACCOUNT_TYPES: AccountType[] = ['asset', 'liability', 'common', 'equity', 'cost', 'profit_loss']

export type Direction = 'debit' | 'credit'
export const DIRECTIONS: Direction[] = ['debit', 'credit']

/** 辅助核算: what a line of the account names besides the account. */
export type Dimension = 'partner' | 'warehouse' | 'department' | 'project'
export const DIMENSIONS: Dimension[] = ['partner', 'warehouse', 'department', 'project']
export type DimensionMode = 'required' | 'optional'

export interface Account {
  id: Id
  /** digits; a sub-account's code starts with its parent's (1122 → 112201) */
  code: string
  name: string
  parent: Id | null
  type: AccountType
  /** the side its balance normally is on */
  direction: Direction
  /** a foreign currency the account is kept in (its lines give the amount in it and the rate) */
  currency: Id | null
  currency_code: string | null
  /** the dimensions its lines take; a dimension not named may not be given */
  dimensions: Partial<Record<Dimension, DimensionMode>>
  /** only leaves are booked to; a parent's balance is the sum of its children */
  is_leaf: boolean
  is_active: boolean
  /** a partner ledger account (应收, 预收, 应付, 预付): only the partner ledgers book it, never a manual voucher */
  is_control?: boolean
}

/** A new sub-account's type and direction follow its parent's when left out. */
export interface AccountInput {
  code: string
  name: string
  parent?: Id | null
  type?: AccountType
  direction?: Direction
  currency?: Id | null
  dimensions?: Partial<Record<Dimension, DimensionMode>>
  is_active?: boolean
}

const accountsUrl = 'accounts/'

export const accountsApi = {
  ...editableResource<Account, AccountInput>(accountsUrl),
  remove: removeFrom(accountsUrl),
  /** The chart templates by code: {small_business: '小企业会计准则', enterprise: '企业会计准则'}. */
  templates: () => http.get<Record<string, string>>(`${accountsUrl}templates/`).then((r) => r.data),
  /** Replaces the whole chart (roles and posting rules too) by a template's; refused once anything is booked. */
  applyTemplate: (template: string, options?: PostOptions) => postAction(`${accountsUrl}apply-template/`, { template }, options),
}

/** Every account of the chart in code order (the list pages by at most 500). */
export async function loadAllAccounts(query: ListQuery = {}): Promise<Account[]> {
  const all: Account[] = []
  for (let page = 1; page <= 100; page++) {
    const found = await accountsApi.list({ ordering: 'code', ...query, page, page_size: 500 })
    all.push(...found.results)
    if (!found.next || !found.results.length) break
  }
  return all
}

/** Which account plays a part the automatic vouchers book to (inventory, input VAT …). */
export interface AccountRole {
  id: Id
  role: string
  /** the server's name of the role */
  role_label: string
  account: Id
  account_code: string
  account_name: string
}

export const accountRolesApi = {
  url: 'account-roles/',
  /** All roles (a couple of dozen: one page). */
  list: () => http.get<Page<AccountRole> | AccountRole[]>('account-roles/', { params: { page_size: 500 } })
    .then((r) => (Array.isArray(r.data) ? r.data : r.data.results)),
  /** Points the role at another leaf account. */
  update: (id: Id, account: Id) => http.patch<AccountRole>(`account-roles/${id}/`, { account }).then((r) => r.data),
}

/**
 * 凭证模板: which accounts an event of a document books to. Blank conditions match anything (a
 * blank document type: any document's event); of the rules that match, the one with most
 * conditions wins.
 */
export interface PostingRule {
  id: Id
  document_type: string
  event: string
  from_kind: string
  to_kind: string
  reason: string
  category: Id | null
  category_name: string | null
  tax_rate: Id | null
  debit_account: Id
  debit_account_label: string
  credit_account: Id
  credit_account_label: string
  summary: string
  is_active: boolean
}

export interface PostingRuleInput {
  document_type: string
  event: string
  from_kind: string
  to_kind: string
  reason: string
  category: Id | null
  tax_rate: Id | null
  debit_account: Id | null
  credit_account: Id | null
  summary: string
  is_active: boolean
}

/** The names of the codes rules compare, as the apps that post registered them. */
export interface RuleLabels {
  document_type: Record<string, string>
  event: Record<string, string>
  reason: Record<string, string>
  kind: Record<string, string>
}

const rulesUrl = 'posting-rules/'

export const postingRulesApi = {
  ...editableResource<PostingRule, PostingRuleInput>(rulesUrl),
  remove: removeFrom(rulesUrl),
  labels: () => http.get<RuleLabels>(`${rulesUrl}labels/`).then((r) => r.data),
}

/** 凭证字: 记 (general), 收 (receipt), 付 (payment), 转 (transfer). */
export type VoucherWord = '记' | '收' | '付' | '转'
export const VOUCHER_WORDS: VoucherWord[] = ['记', '收', '付', '转']
/** The word's name in the messages (`finance.words.<name>`). */
export const WORD_NAMES: Record<VoucherWord, string> = { 记: 'general', 收: 'receipt', 付: 'payment', 转: 'transfer' }

export type VoucherState = 'draft' | 'posted'
export const VOUCHER_STATES: VoucherState[] = ['draft', 'posted']

export interface VoucherLine {
  id?: Id
  /** 摘要 */
  summary: string
  account: Id
  account_code: string
  account_name: string
  /** one side only; red-letter lines carry negative amounts */
  debit: string
  credit: string
  currency: Id | null
  original_amount: string | null
  rate: string | null
  partner: Id | null
  partner_name: string | null
  warehouse: Id | null
  warehouse_name: string | null
  department: string
  project: string
}

export interface Voucher {
  id: Id
  word: VoucherWord
  /** given when posted */
  number: number | null
  /** "记-0001"; '' for a draft */
  display_number: string
  date: string
  /** "2026-11" */
  period: string
  state: VoucherState
  attachments: number
  note: string
  /** the document that produced it ('' for a manual voucher), e.g. "inventory.stockdocument" */
  origin_type: string
  origin_id: Id | null
  /** the source document's number */
  reference: string
  /** the voucher this one reverses (红字冲销), and the one that reversed this */
  reversal_of: Id | null
  reversed_by: Id | null
  /** their display numbers (记-0003) */
  reversal_of_number?: string | null
  reversed_by_number?: string | null
  total: string
  created_by_name: string | null
  created_at: string
  posted_by_name: string | null
  posted_at: string | null
  lines: VoucherLine[]
}

type Decimal = string | number

export interface VoucherLineInput {
  summary: string
  account: Id | null
  debit: Decimal
  credit: Decimal
  currency?: Id | null
  original_amount?: Decimal | null
  rate?: Decimal | null
  partner?: Id | null
  warehouse?: Id | null
  department?: string
  project?: string
}

export interface VoucherInput {
  word: VoucherWord
  date: string
  attachments: number
  note: string
  /** replace the draft's lines */
  lines: VoucherLineInput[]
}

const vouchersUrl = 'vouchers/'

export const vouchersApi = {
  ...editableResource<Voucher, VoucherInput>(vouchersUrl),
  /** Deletes a draft (a posted voucher is reversed instead). */
  remove: removeFrom(vouchersUrl),
  /** Posts the draft: it gets its number (per word and period) and never changes again. */
  post: (id: Id, options?: PostOptions) => postAction<Voucher>(`${vouchersUrl}${id}/post/`, {}, options),
  /** 红字冲销: answers the new voucher, the same lines with negated amounts (dated today unless `date`). */
  reverse: (id: Id, date?: string | null, options?: PostOptions) =>
    postAction<Voucher>(`${vouchersUrl}${id}/reverse/`, date ? { date } : {}, options),
  /** The voucher as a PDF in the 记账凭证 layout. */
  print: (id: Id) => http.get<Blob>(`${vouchersUrl}${id}/print/`, { responseType: 'blob', timeout: 0 }).then((r) => r.data),
}

export type PeriodState = 'open' | 'closed'
export const PERIOD_STATES: PeriodState[] = ['open', 'closed']

/** 会计期间: a month, made when first booked to; closed in order, the latest closed one reopens (反结账). */
export interface AccountingPeriod {
  id: Id
  year: number
  month: number
  start: string
  end: string
  state: PeriodState
  closed_at: string | null
  closed_by_name: string | null
}

/** One month-end check (结账检查): whether it passes now, and what is wrong (a message and the records involved). */
export interface ChecklistItem {
  code: string
  label: string
  ok: boolean
  problems: ({ message?: string } & Record<string, unknown>)[]
}

const periodsUrl = 'accounting-periods/'

export const accountingPeriodsApi = {
  ...readResource<AccountingPeriod>(periodsUrl),
  /** The month-end checks run now: what must pass before the period closes. */
  checklist: (id: Id) => http.get<ChecklistItem[] | Page<ChecklistItem>>(`${periodsUrl}${id}/checklist/`)
    .then((r) => (Array.isArray(r.data) ? r.data : r.data.results)),
  /** `finance.post`: runs the month-end steps (stock month close, profit and loss carried forward …), then the
   * checks; closes only when every check passes. No posting dated in it until it is reopened. */
  close: (id: Id, options?: PostOptions) => postAction<AccountingPeriod>(`${periodsUrl}${id}/close/`, {}, options),
  /** 反结账 (`finance.configure`): the latest closed period only. */
  reopen: (id: Id, options?: PostOptions) => postAction<AccountingPeriod>(`${periodsUrl}${id}/reopen/`, {}, options),
}

/** The figures of a trial balance row (and of its totals). */
export interface TrialBalanceFigures {
  opening_debit: string
  opening_credit: string
  debit: string
  credit: string
  year_debit: string
  year_credit: string
  closing_debit: string
  closing_credit: string
}

export interface TrialBalanceRow extends TrialBalanceFigures {
  account: Id
  code: string
  name: string
  /** 1 for a top-level account */
  level: number
  is_leaf: boolean
  direction: Direction
}

/** 科目余额表: rows in code order (parents sum their children); totals over the top-level accounts. */
export interface TrialBalance {
  rows: TrialBalanceRow[]
  totals: TrialBalanceFigures
  /** opening, period and closing debits equal credits */
  balanced: boolean
}

export interface TrialBalanceQuery {
  date_from: string
  date_to: string
  include_zero?: boolean
}

const trialBalanceUrl = 'finance/trial-balance/'

export const trialBalanceApi = {
  get: (query: TrialBalanceQuery) =>
    http.get<TrialBalance>(trialBalanceUrl, { params: cleanQuery({ ...query }) }).then((r) => r.data),
  /** The same report as an Excel workbook (`finance.export`); the server names the file. */
  download: (query: TrialBalanceQuery, fallbackName: string) => downloadFile(`${trialBalanceUrl}export/`, { ...query }, fallbackName),
}

/** One posted line of the account (or of its sub-accounts) with the balance after it (debit − credit). */
export interface AccountLedgerRow {
  date: string
  voucher: Id
  voucher_number: string
  account_code: string
  summary: string
  debit: string
  credit: string
  balance: string
  origin_type: string
  origin_id: Id | null
  reference: string
}

/** 明细账: opening and closing balance (debit − credit) and the lines between. */
export interface AccountLedger {
  opening: string
  closing: string
  /** more lines than the server lists at once: narrow the dates */
  truncated: boolean
  rows: AccountLedgerRow[]
}

export const accountLedgerApi = {
  get: (query: { account: Id; date_from: string; date_to: string }) =>
    http.get<AccountLedger>('finance/account-ledger/', { params: cleanQuery({ ...query }) }).then((r) => r.data),
}

/** 存货科目 by warehouse: a warehouse whose stock is kept in an account of its own. */
export interface WarehouseAccount {
  id: Id
  warehouse: Id
  warehouse_code: string
  warehouse_name: string
  account: Id
  account_code: string
  account_name: string
}

export const warehouseAccountsApi = {
  url: 'warehouse-accounts/',
  list: () => http.get<Page<WarehouseAccount>>('warehouse-accounts/', { params: { page_size: 500 } }).then((r) => r.data.results),
  /** Keeps the warehouse's stock in the account (the server moves what it holds there). */
  set: (warehouse: Id, account: Id) => http.post<WarehouseAccount>('warehouse-accounts/', { warehouse, account }).then((r) => r.data),
  /** Back to the posting rules' accounts. */
  remove: (id: Id) => http.delete(`warehouse-accounts/${id}/`).then(() => undefined),
}
