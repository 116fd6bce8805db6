import { cleanQuery, downloadFile, http, type PostOptions } from './client'
import type { VoucherWord } from './finance'
import { editableResource, postAction, readResource, removeFrom } from './resource'
import type { Id } from './types'

/**
 * The partner ledgers and the other books of the finance API: receipts and payments (收款单 / 付款单),
 * open items (往来明细, other receivables / payables), allocations (核销 and 反核销), ageing (账龄分析),
 * statements of account (对账单), the general ledger (总账), the journal (序时账), voucher templates
 * (常用凭证) and the opening balances (期初余额). Amounts come as text with two decimals.
 */

type Decimal = string | number

/** refund: money a supplier pays back (a return's credit), made from the purchase return page */
export type PaymentKind = 'receipt' | 'payment' | 'refund'
export const PAYMENT_KINDS: PaymentKind[] = ['receipt', 'payment']
export const PAYMENT_FILTER_KINDS: PaymentKind[] = ['receipt', 'payment', 'refund']
export type PaymentState = 'draft' | 'posted' | 'reversed'
export const PAYMENT_STATES: PaymentState[] = ['draft', 'posted', 'reversed']
export type OpenItemKind = 'receivable' | 'payable'
export const OPEN_ITEM_KINDS: OpenItemKind[] = ['receivable', 'payable']

/** A receipt settles receivables, a payment payables. */
export function itemKindOf(kind: PaymentKind): OpenItemKind {
  return kind === 'receipt' ? 'receivable' : 'payable'
}

export interface PaymentLine {
  id: Id
  item: Id
  item_reference: string
  item_document_type: string
  item_date: string
  item_due_date: string | null
  item_summary: string
  item_open_amount: string
  amount: string
}

export interface Payment {
  id: Id
  kind: PaymentKind
  /** '' until posted */
  number: string
  state: PaymentState
  date: string
  partner: Id
  partner_name: string
  currency: Id | null
  currency_code: string
  rate: string | null
  amount: string
  fee: string
  discount: string
  /** the cash or bank account */
  account: Id
  account_label: string
  note: string
  /** the open item the posted payment made (what it did not settle stays on it as an advance) */
  item: Id | null
  voucher: Id | null
  voucher_number: string | null
  created_by_name: string | null
  created_at: string
  posted_at: string | null
  lines: PaymentLine[]
}

export interface PaymentInput {
  kind: PaymentKind
  date: string
  partner: Id | null
  currency?: Id | null
  /** empty: the day's rate of a foreign currency */
  rate?: Decimal | null
  amount: Decimal
  fee?: Decimal
  discount?: Decimal
  account: Id | null
  note?: string
  lines: { item: Id; amount: Decimal }[]
}

const paymentsUrl = 'payments/'

export const paymentsApi = {
  ...readResource<Payment>(paymentsUrl),
  create: (body: PaymentInput, options?: PostOptions) => postAction<Payment>(paymentsUrl, body, options),
  /** Replaces the draft (its lines too). */
  update: (id: Id, body: PaymentInput) => http.put<Payment>(`${paymentsUrl}${id}/`, body).then((r) => r.data),
  post: (id: Id, options?: PostOptions) => postAction<Payment>(`${paymentsUrl}${id}/post/`, {}, options),
  /** 红字: undoes the settlements and books the reversing voucher. */
  reverse: (id: Id, options?: PostOptions) => postAction<Payment>(`${paymentsUrl}${id}/reverse/`, {}, options),
}

/** An item owed (+: an invoice, an other receivable) or paid (−: a receipt, an advance) of a partner. */
export interface OpenItem {
  id: Id
  kind: OpenItemKind
  partner: Id
  partner_name: string
  account: Id
  account_code: string
  document_type: string
  document_id: Id | null
  reference: string
  date: string
  due_date: string | null
  currency: Id | null
  currency_code: string
  rate: string | null
  amount: string
  base_amount: string
  open_amount: string
  open_base_amount: string
  summary: string
  voucher: Id | null
}

/** 其他应收单 / 其他应付单 */
export interface OtherItemInput {
  kind: OpenItemKind
  partner: Id | null
  date: string
  due_date?: string | null
  currency?: Id | null
  rate?: Decimal | null
  amount: Decimal
  summary?: string
  counter_account: Id | null
}

export interface Allocation {
  id: Id
  owed_item: Id
  owed_reference: string
  paid_item: Id | null
  paid_reference: string | null
  write_off_account: Id | null
  write_off_account_code: string | null
  partner_name: string
  amount: string
  owed_base: string
  paid_base: string
  exchange_difference: string
  date: string
  voucher: Id | null
  undone: boolean
}

const openItemsUrl = 'open-items/'

export const openItemsApi = {
  ...readResource<OpenItem>(openItemsUrl),
  /** Books an other receivable or payable (against `counter_account`) with its voucher. */
  create: (body: OtherItemInput, options?: PostOptions) => postAction<OpenItem>(openItemsUrl, body, options),
  /** 核销: settles `amount` of an item owed with an item paid of the same partner, kind and currency. */
  allocate: (body: { owed_item: Id; paid_item: Id; amount: Decimal; date?: string }, options?: PostOptions) =>
    postAction<Allocation>(`${openItemsUrl}allocate/`, body, options),
  /** Writes off (part of) what stays open against an account. */
  writeOff: (id: Id, body: { amount: Decimal; account: Id | null; date?: string }, options?: PostOptions) =>
    postAction<Allocation>(`${openItemsUrl}${id}/write-off/`, body, options),
}

const allocationsUrl = 'allocations/'

export const allocationsApi = {
  ...readResource<Allocation>(allocationsUrl),
  /** 反核销 */
  undo: (id: Id, options?: PostOptions) => postAction<Allocation>(`${allocationsUrl}${id}/undo/`, {}, options),
}

// ---- reports ------------------------------------------------------------------------------------

export interface AgeingQuery {
  kind: OpenItemKind
  as_of?: string
  /** "30,60,90,180" */
  buckets?: string
  basis?: 'due_date' | 'date'
}

export interface AgeingRow {
  partner: Id
  partner_code: string
  partner_name: string
  total: string
  buckets: string[]
}

/** 账龄分析: `labels` name the buckets ("not_due", "1-30", …, ">180"), each row's `buckets` follow them. */
export interface Ageing {
  labels: string[]
  rows: AgeingRow[]
  totals: string[]
  total: string
}

const ageingUrl = 'finance/ageing/'

export const ageingApi = {
  get: (query: AgeingQuery) => http.get<Ageing>(ageingUrl, { params: cleanQuery({ ...query }) }).then((r) => r.data),
  download: (query: AgeingQuery, fallbackName: string) => downloadFile(`${ageingUrl}export/`, { ...query }, fallbackName),
}

export interface StatementQuery {
  kind: OpenItemKind
  partner: Id
  date_from?: string
  date_to?: string
  currency?: Id | null
}

export interface StatementRow {
  date: string
  reference: string
  document_type: string
  summary: string
  due_date: string | null
  increase: string
  decrease: string
  balance: string
}

/** 对账单: the opening balance, the items in date order with the running balance, the closing balance. */
export interface Statement {
  opening: string
  closing: string
  rows: StatementRow[]
}

const statementUrl = 'finance/statement/'

export const statementApi = {
  get: (query: StatementQuery) => http.get<Statement>(statementUrl, { params: cleanQuery({ ...query }) }).then((r) => r.data),
  download: (query: StatementQuery, fallbackName: string) => downloadFile(`${statementUrl}export/`, { ...query }, fallbackName),
}

export interface GeneralLedgerRow {
  month: number
  debit: string
  credit: string
  /** the balance at the month's end (debit − credit) */
  balance: string
  year_debit: string
  year_credit: string
}

/** 总账: the opening balance of the year and each month's debits, credits, balance and the year's to date. */
export interface GeneralLedger {
  account: Id
  code: string
  name: string
  direction: string
  opening: string
  rows: GeneralLedgerRow[]
}

export const generalLedgerApi = {
  get: (query: { account: Id; year: number }) =>
    http.get<GeneralLedger>('finance/general-ledger/', { params: cleanQuery({ ...query }) }).then((r) => r.data),
}

/** 序时账: one posted voucher line. */
export interface JournalLine {
  id: Id
  date: string
  voucher: Id
  voucher_number: string
  summary: string
  account: Id
  account_code: string
  account_name: string
  debit: string
  credit: string
  partner: Id | null
  partner_name: string | null
  department: string
  project: string
  reference: string
}

export const journalApi = readResource<JournalLine>('journal/')

export interface TemplateLine {
  summary: string
  account: Id
  debit: string
  credit: string
}

/** 常用凭证: lines to start a manual voucher from. */
export interface VoucherTemplate {
  id: Id
  name: string
  word: VoucherWord
  note: string
  lines: TemplateLine[]
}

export interface VoucherTemplateInput {
  name: string
  word: VoucherWord
  note: string
  lines: { summary: string; account: Id | null; debit: Decimal; credit: Decimal }[]
}

const templatesUrl = 'voucher-templates/'

export const voucherTemplatesApi = {
  ...editableResource<VoucherTemplate, VoucherTemplateInput>(templatesUrl),
  /** Replaces the template (its lines too). */
  replace: (id: Id, body: VoucherTemplateInput) => http.put<VoucherTemplate>(`${templatesUrl}${id}/`, body).then((r) => r.data),
  remove: removeFrom(templatesUrl),
}

export interface OpeningRow {
  account: Id
  code: string
  name: string
  debit: string
  credit: string
}

/** 期初余额: the trial balance before the go-live date and whether it balances. */
export interface OpeningBalance {
  rows: OpeningRow[]
  debit: string
  credit: string
  balanced: boolean
}

const openingUrl = 'finance/opening-balances/'

export const openingBalancesApi = {
  get: (goLive: string) => http.get<OpeningBalance>(openingUrl, { params: { go_live: goLive } }).then((r) => r.data),
  enter: (body: { go_live: string; lines: { account: Id; debit: Decimal; credit: Decimal }[] }, options?: PostOptions) =>
    postAction<OpeningBalance>(openingUrl, body, options),
  /** The workbook to fill in: the leaf accounts with empty debit and credit, and a 说明 sheet. */
  downloadTemplate: (fallbackName: string) => downloadFile(`${openingUrl}template/`, {}, fallbackName),
  /** Reads and checks the workbook: the rows, every bad row's errors and the resulting trial balance; books nothing. */
  previewImport: (goLive: string, file: File, options?: PostOptions) =>
    postAction<OpeningImport>(`${openingUrl}import/preview/`, openingUpload(goLive, file), options),
  /** Books the workbook's balances, all of them or none (400 with each bad row in `fields.file`). */
  applyImport: (goLive: string, file: File, options?: PostOptions) =>
    postAction<OpeningImport>(`${openingUrl}import/`, openingUpload(goLive, file), options),
}

function openingUpload(goLive: string, file: File): FormData {
  const body = new FormData()
  body.append('go_live', goLive)
  body.append('file', file)
  return body
}

/** One row of an imported workbook with a balance; `row` is the spreadsheet row number. */
export interface OpeningImportRow {
  row: number
  account: Id
  code: string
  name: string
  debit: string
  credit: string
  partner: Id | null
  partner_name: string
  warehouse: Id | null
  warehouse_name: string
  department: string
  project: string
}

/** A bad row (or, with `row` null, a problem of the whole file, such as not balancing). */
export interface OpeningImportError {
  row: number | null
  column: string
  field: string
  message: string
}

/** 期初余额导入: what the workbook holds, what is wrong with it and the trial balance it leads to. */
export interface OpeningImport {
  sheet: string
  rows: OpeningImportRow[]
  errors: OpeningImportError[]
  valid: boolean
  trial_balance: OpeningBalance | null
  applied: boolean
}
