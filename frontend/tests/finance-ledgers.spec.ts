import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  ageingApi, allocationsApi, generalLedgerApi, itemKindOf, journalApi, openingBalancesApi, openItemsApi, paymentsApi, statementApi,
  voucherTemplatesApi,
} from '@/api/financeLedgers'
import { i18n, setLocale } from '@/i18n'
import {
  ageingLabel, documentTypeLabel, parseBuckets, paymentTotals, settleLines, settleRowOf, spreadByDueDate, toggleRow, type SettleRow,
} from '@/views/finance/ledgers'
import { mockApi, page } from './mockApi'

// Test files share their modules (isolate: false): spy, never mock modules.
beforeEach(() => {
  document.cookie = 'csrftoken=x'
})
afterEach(() => {
  vi.restoreAllMocks()
})

function item(id: number, open: string, due: string | null, date = '2026-10-01'): SettleRow {
  return settleRowOf({ id, reference: `QY-${id}`, document_type: 'finance.openitem', date, due_date: due, summary: '', currency_code: 'CNY',
    open_amount: open })
}

describe('settling items from a receipt or payment', () => {
  it('spreads the amount over the items falling due first, each up to what stays open', () => {
    const rows = [item(1, '500.00', '2026-12-31'), item(2, '300.00', '2026-11-15'), item(3, '400.00', null, '2026-11-01'), item(4, '50.00', '2027-01-31')]
    const left = spreadByDueDate(rows, '1000')
    // due order: 3 (no due date: its date 11-01), 2 (11-15), 1 (12-31), 4
    expect(rows.map((row) => [row.item, row.checked, row.amount])).toEqual([
      [1, true, '300.00'], [2, true, '300.00'], [3, true, '400.00'], [4, false, ''],
    ])
    expect(left).toBe(0)
    expect(settleLines(rows)).toEqual([{ item: 1, amount: '300.00' }, { item: 2, amount: '300.00' }, { item: 3, amount: '400.00' }])
  })

  it('answers what is left over as an advance, and unticks what a smaller amount no longer reaches', () => {
    const rows = [item(1, '1130.00', '2026-11-30'), item(2, '20.00', '2026-12-31')]
    expect(spreadByDueDate(rows, '1,200.5')).toBe(5050)
    expect(rows.map((row) => row.amount)).toEqual(['1130.00', '20.00'])
    expect(spreadByDueDate(rows, '100')).toBe(0)
    expect(rows.map((row) => [row.checked, row.amount])).toEqual([[true, '100.00'], [false, '']])
    expect(spreadByDueDate(rows, 'abc')).toBe(0)
    expect(rows.every((row) => !row.checked)).toBe(true)
  })

  it('ticks an item for what stays open on it, and totals what the payment settles and leaves as an advance', () => {
    const rows = [item(1, '1130.00', '2026-11-30'), item(2, '20.00', null)]
    toggleRow(rows[0], true)
    expect(rows[0].amount).toBe('1130.00')
    rows[0].amount = '1000.00'
    expect(paymentTotals({ kind: 'receipt', amount: '1200', fee: '5', discount: '10' }, rows)).toEqual({
      amount: 120000, settled: 100000, advance: 20000, cash: 118500, invalid: false,
    })
    expect(paymentTotals({ kind: 'payment', amount: '1200', fee: '5', discount: '10' }, rows).cash).toBe(119500)
    toggleRow(rows[0], false)
    expect(rows[0].amount).toBe('')
    expect(paymentTotals({ kind: 'receipt', amount: 'x', fee: '', discount: '' }, rows).invalid).toBe(true)
    expect(itemKindOf('receipt')).toBe('receivable')
    expect(itemKindOf('payment')).toBe('payable')
  })
})

describe('ageing buckets', () => {
  it('names the server\'s buckets in words', async () => {
    await setLocale('zh-CN')
    expect(['not_due', '1-30', '31-60', '>180', 'other'].map(ageingLabel)).toEqual(['未到期', '1-30天', '31-60天', '180天以上', 'other'])
    await setLocale('en')
    expect(['not_due', '1-30', '>180'].map(ageingLabel)).toEqual(['Not due', '1-30 days', 'Over 180 days'])
    await setLocale('zh-CN')
    expect(i18n.global.locale.value).toBe('zh-CN')
  })

  it('reads the buckets typed, and names document types by kind', () => {
    expect(parseBuckets('90, 30，60 30')).toBe('30,60,90')
    expect(parseBuckets('30,abc')).toBeNull()
    expect(parseBuckets('0,30')).toBeNull()
    expect(parseBuckets('')).toBeNull()
    expect(documentTypeLabel('finance.openitem', 'receivable')).toBe('其他应收单')
    expect(documentTypeLabel('finance.openitem', 'payable')).toBe('其他应付单')
    expect(documentTypeLabel('finance.payment')).toBe('收付款单')
    expect(documentTypeLabel('sales.invoice')).toBe('sales.invoice')
  })
})

describe('finance ledgers API', () => {
  it('saves, replaces, posts and reverses a payment', async () => {
    const requests = mockApi(() => [200, { id: 3 }])
    const body = { kind: 'receipt' as const, date: '2026-11-20', partner: 5, currency: 1, rate: null, amount: '1000', fee: '0', discount: '0',
      account: 2, note: '', lines: [{ item: 9, amount: '1000.00' }] }
    await paymentsApi.create(body, { idempotencyKey: 'k1' })
    await paymentsApi.update(3, body)
    await paymentsApi.post(3)
    await paymentsApi.reverse(3)
    await paymentsApi.list({ kind: 'receipt', state: '', partner: 5 })
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST payments/', 'PUT payments/3/', 'POST payments/3/post/', 'POST payments/3/reverse/', 'GET payments/',
    ])
    expect(requests[0].body).toEqual(body)
    expect(requests[0].headers['Idempotency-Key']).toBe('k1')
    expect(requests[1].body).toEqual(body)
    expect(requests[4].params).toEqual({ kind: 'receipt', partner: 5 })
  })

  it('books other items, allocates, writes off and undoes allocations', async () => {
    const requests = mockApi(() => [201, { id: 4 }])
    await openItemsApi.list({ partner: 5, kind: 'receivable', open: 'true' })
    await openItemsApi.create({ kind: 'receivable', partner: 5, date: '2026-11-20', amount: '1130', counter_account: 70, summary: '代垫运费' })
    await openItemsApi.allocate({ owed_item: 1, paid_item: 2, amount: '100.00', date: '2026-11-21' })
    await openItemsApi.writeOff(1, { amount: '0.50', account: 80, date: '2026-11-22' })
    await allocationsApi.undo(7)
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET open-items/', 'POST open-items/', 'POST open-items/allocate/', 'POST open-items/1/write-off/', 'POST allocations/7/undo/',
    ])
    expect(requests[0].params).toEqual({ partner: 5, kind: 'receivable', open: 'true' })
    expect(requests[1].body).toMatchObject({ kind: 'receivable', counter_account: 70, amount: '1130' })
    expect(requests[2].body).toEqual({ owed_item: 1, paid_item: 2, amount: '100.00', date: '2026-11-21' })
    expect(requests[3].body).toEqual({ amount: '0.50', account: 80, date: '2026-11-22' })
  })

  it('asks the reports for what the page shows and downloads them from their export addresses', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() })
    const requests = mockApi(() => [200, { labels: [], rows: [], totals: [], total: '0.00' }])
    await ageingApi.get({ kind: 'receivable', as_of: '2026-11-30', buckets: '30,60', basis: 'due_date' })
    await ageingApi.download({ kind: 'payable', as_of: '2026-11-30', buckets: '30,60' }, 'a.xlsx')
    await statementApi.get({ kind: 'receivable', partner: 5, date_from: '2026-01-01', date_to: '2026-11-30', currency: null })
    await statementApi.download({ kind: 'receivable', partner: 5, date_from: '2026-01-01', date_to: '2026-11-30' }, 's.xlsx')
    await generalLedgerApi.get({ account: 2, year: 2026 })
    await openingBalancesApi.get('2026-01-01')
    await openingBalancesApi.enter({ go_live: '2026-01-01', lines: [{ account: 2, debit: '100', credit: '0' }] })
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET finance/ageing/', 'GET finance/ageing/export/', 'GET finance/statement/', 'GET finance/statement/export/',
      'GET finance/general-ledger/', 'GET finance/opening-balances/', 'POST finance/opening-balances/',
    ])
    expect(requests[0].params).toEqual({ kind: 'receivable', as_of: '2026-11-30', buckets: '30,60', basis: 'due_date' })
    expect(requests[1].params).toEqual({ kind: 'payable', as_of: '2026-11-30', buckets: '30,60' })
    expect(requests[2].params).toEqual({ kind: 'receivable', partner: 5, date_from: '2026-01-01', date_to: '2026-11-30' })
    expect(requests[4].params).toEqual({ account: 2, year: 2026 })
    expect(requests[5].params).toEqual({ go_live: '2026-01-01' })
    expect(requests[6].body).toEqual({ go_live: '2026-01-01', lines: [{ account: 2, debit: '100', credit: '0' }] })
  })

  it('lists the journal and keeps voucher templates', async () => {
    const requests = mockApi((request) => (request.method === 'DELETE' ? [204] : [200, page([])]))
    await journalApi.list({ account: 2, voucher__word: '记', date__gte: '2026-11-01' })
    const template = { name: '计提工资', word: '记' as const, note: '', lines: [{ summary: '计提工资', account: 90, debit: '0', credit: '0' }] }
    await voucherTemplatesApi.create(template)
    await voucherTemplatesApi.replace(4, template)
    await voucherTemplatesApi.remove(4)
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET journal/', 'POST voucher-templates/', 'PUT voucher-templates/4/', 'DELETE voucher-templates/4/',
    ])
    expect(requests[0].params).toEqual({ account: 2, voucher__word: '记', date__gte: '2026-11-01' })
    expect(requests[2].body).toEqual(template)
  })
})
