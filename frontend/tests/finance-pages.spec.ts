import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AxiosAdapter } from 'axios'
import { http } from '@/api/client'
import type { Account } from '@/api/finance'
import type { Allocation, OpenItem, OpeningImport } from '@/api/financeLedgers'
import { useSessionStore } from '@/stores/session'
import AccountSelect from '@/views/finance/AccountSelect.vue'
import GeneralLedgerView from '@/views/finance/GeneralLedgerView.vue'
import JournalView from '@/views/finance/JournalView.vue'
import OpenItemsView from '@/views/finance/OpenItemsView.vue'
import OpeningBalancesView from '@/views/finance/OpeningBalancesView.vue'
import VoucherTemplatesView from '@/views/finance/VoucherTemplatesView.vue'
import WarehouseAccounts from '@/views/finance/WarehouseAccounts.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'
import { today } from '@/utils/dates'

// Test files share their modules (isolate: false): spy on the dialogs and messages, never mock modules.
beforeEach(() => {
  document.cookie = 'csrftoken=x'
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  // jsdom has no layout: forms with automatic label widths warn when they unmount
  const warn = console.warn.bind(console)
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('unexpected width')) warn(...args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const FINANCE = ['finance.view', 'finance.create', 'finance.edit', 'finance.post', 'finance.export', 'finance.configure']
const stub = { template: '<div />' }

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 2, code: '1002', name: '银行存款', parent: null, type: 'asset', direction: 'debit', currency: null, currency_code: null,
    dimensions: {}, is_leaf: true, is_active: true, ...overrides,
  }
}
const BANK = account()
const CAPITAL = account({ id: 66, code: '3001', name: '实收资本', type: 'equity', direction: 'credit' })
const EXPENSE = account({ id: 80, code: '5711', name: '营业外支出', type: 'profit_loss' })
const RECEIVABLE = account({ id: 6, code: '1122', name: '应收账款', dimensions: { partner: 'required' }, is_control: true })
const CHART = [BANK, RECEIVABLE, CAPITAL, EXPENSE]

async function mountPage(component: object, path: string, permissions = FINANCE) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions, modules: [{ code: 'finance', name: '财务' }] }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/finance/vouchers/:id', name: 'finance-voucher', component: stub },
      { path: '/finance/account-ledger', name: 'finance-account-ledger', component: stub },
      { path: '/finance/:page', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((request) => {
    const key = `${request.method} ${request.url}`
    const handler = routes[key]
    if (handler) return handler(request)
    if (request.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: key, fields: {} }]
  })
}

async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

const byTestid = (testid: string) => [...document.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)]
const one = (testid: string) => byTestid(testid)[0]
const textOf = (testid: string) => (one(testid)?.textContent ?? '').replace(/\s+/g, ' ').trim()
/** the visible dialog (closed dialogs stay in the document, hidden) */
function openDialog(): HTMLElement {
  const dialogs = byTestid('form-dialog').filter((dialog) => (dialog.closest('.el-overlay') as HTMLElement | null)?.style.display !== 'none')
  return dialogs[dialogs.length - 1]
}
function cellTexts(table: Element, column: number): string[] {
  return [...table.querySelectorAll('.el-table__body tr')].map((row) => (row.querySelectorAll('td')[column]?.textContent ?? '').trim())
}
function setInput(root: Element, testid: string, value: string): void {
  const input = root.querySelector<HTMLInputElement>(`input[data-testid="${testid}"], [data-testid="${testid}"] input`)
  if (!input) throw new Error(`no input ${testid}`)
  input.value = value
  input.dispatchEvent(new Event('input'))
}

// ---- 往来明细: 核销, write-off, 核销记录 -------------------------------------------------------------------

function openItem(overrides: Partial<OpenItem> = {}): OpenItem {
  return {
    id: 1, kind: 'receivable', partner: 5, partner_name: '老客户', account: 6, account_code: '1122', document_type: 'sales.invoice',
    document_id: 11, reference: 'XF-0001', date: '2026-11-01', due_date: '2026-11-30', currency: 1, currency_code: 'CNY', rate: null,
    amount: '1130.00', base_amount: '1130.00', open_amount: '1130.00', open_base_amount: '1130.00', summary: '', voucher: 21, ...overrides,
  }
}
const INVOICE = openItem()
const RECEIPT = openItem({ id: 2, document_type: 'finance.payment', reference: 'SK-0001', amount: '-1000.00', base_amount: '-1000.00',
  open_amount: '-1000.00', open_base_amount: '-1000.00', due_date: null, voucher: 22 })
const USD_RECEIPT = openItem({ id: 3, reference: 'SK-0002', currency: 2, currency_code: 'USD', amount: '-10.00', open_amount: '-10.00' })
const OTHER_INVOICE = openItem({ id: 4, reference: 'XF-0002', open_amount: '50.00' })

function allocation(overrides: Partial<Allocation> = {}): Allocation {
  return {
    id: 7, owed_item: 1, owed_reference: 'XF-0001', paid_item: 2, paid_reference: 'SK-0001', write_off_account: null,
    write_off_account_code: null, partner_name: '老客户', amount: '1000.00', owed_base: '1000.00', paid_base: '1000.00',
    exchange_difference: '-12.50', date: '2026-11-20', voucher: 30, undone: false, ...overrides,
  }
}

// the pages with a list and dialogs take a few seconds to mount in jsdom on a busy machine
describe('OpenItemsView', { timeout: 20_000 }, () => {
  const routes = (extra: Record<string, (request: RecordedRequest) => Reply> = {}) => ({
    'GET accounts/': () => [200, page(CHART)] as Reply,
    'GET currencies/': () => [200, page([{ id: 1, code: 'CNY', name: '人民币', is_base: true }, { id: 2, code: 'USD', name: '美元', is_base: false }])] as Reply,
    'GET open-items/': (request: RecordedRequest) => [200, page(request.params.ordering === 'due_date'
      ? [INVOICE, RECEIPT, USD_RECEIPT, OTHER_INVOICE] : [INVOICE, RECEIPT])] as Reply,
    ...extra,
  })

  it('lists the open items with signed amounts, and allocates a receipt to an invoice with what both leave open', async () => {
    const requests = answer(routes({
      'POST open-items/allocate/': () => [201, allocation()],
    }))
    const { wrapper } = await mountPage(OpenItemsView, '/finance/open-items')
    const table = one('list-table')
    expect(cellTexts(table, 1)).toEqual(['XF-0001', 'SK-0001'])
    expect(byTestid('open-item-open-amount').map((cell) => cell.textContent?.trim())).toEqual(['1130.00', '-1000.00'])
    expect(byTestid('open-item-open-amount')[1].classList).toContain('is-negative')
    expect(requests.find((r) => r.url === 'open-items/')?.params).toMatchObject({ open: 'true' })

    byTestid('open-item-allocate')[0].click()
    await settled(() => expect(openDialog()).toBeTruthy())
    const lookup = requests.filter((r) => r.url === 'open-items/').at(-1)
    expect(lookup?.params).toMatchObject({ partner: 5, kind: 'receivable', open: 'true', ordering: 'due_date' })
    // only items paid, of the same currency, may settle an invoice
    const select = wrapper.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'allocate-counter')
    expect(select).toBeTruthy()
    select!.vm.$emit('update:modelValue', 2)
    select!.vm.$emit('change', 2)
    await flushPromises()
    const dialog = openDialog()
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="allocate-amount"] input, input[data-testid="allocate-amount"]')?.value)
      .toBe('1000.00')
    ;(dialog.querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(requests.some((r) => r.url === 'open-items/allocate/')).toBe(true))
    const sent = requests.find((r) => r.url === 'open-items/allocate/')!
    expect(sent.body).toEqual({ owed_item: 1, paid_item: 2, amount: '1000.00', date: today() })
    expect(sent.headers['Idempotency-Key']).toBeTruthy()
    await settled(() => expect(ElMessage.success).toHaveBeenCalled())
  })

  it('offers as counter items only the other side of the same currency', async () => {
    answer(routes())
    const { wrapper } = await mountPage(OpenItemsView, '/finance/open-items')
    byTestid('open-item-allocate')[1].click() // the receipt
    await settled(() => expect(openDialog()).toBeTruthy())
    const select = wrapper.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'allocate-counter')!
    const labels = select.findAllComponents({ name: 'ElOption' }).map((option) => (option.props() as { label: string }).label)
    expect(labels).toEqual(['XF-0001 2026-11-01 1130.00', 'XF-0002 2026-11-01 50.00'])
  })

  it('allocating from the receipt sends it as the item paid, and shows the server\'s field error in the dialog', async () => {
    const requests = answer(routes({
      'POST open-items/allocate/': () => [400, { code: 'validation_error', message: 'amount: SK-0001 只有 1000.00 未核销：1200.00 超出了。',
        fields: { amount: ['SK-0001 只有 1000.00 未核销：1200.00 超出了。'] } }],
    }))
    const { wrapper } = await mountPage(OpenItemsView, '/finance/open-items')
    byTestid('open-item-allocate')[1].click()
    await settled(() => expect(openDialog()).toBeTruthy())
    const select = wrapper.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'allocate-counter')!
    select.vm.$emit('update:modelValue', 1)
    select.vm.$emit('change', 1)
    await flushPromises()
    setInput(openDialog(), 'allocate-amount', '1,200')
    await flushPromises()
    ;(openDialog().querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(openDialog().querySelector('.el-form-item__error')?.textContent).toContain('1200.00 超出了'))
    expect(requests.find((r) => r.url === 'open-items/allocate/')?.body).toEqual({ owed_item: 1, paid_item: 2, amount: '1200', date: today() })
    expect(openDialog()).toBeTruthy() // stays open to correct
  })

  it('writes off what stays open to an account, and shows the server\'s account error', async () => {
    let attempt = 0
    const requests = answer(routes({
      'POST open-items/1/write-off/': () => (++attempt === 1
        ? [400, { code: 'validation_error', message: 'account: 请选择启用的末级科目。', fields: { account: ['请选择启用的末级科目。'] } }]
        : [201, allocation({ paid_item: null, paid_reference: null, write_off_account: 80, write_off_account_code: '5711', amount: '1130.00' })]),
    }))
    const { wrapper } = await mountPage(OpenItemsView, '/finance/open-items')
    byTestid('open-item-write-off')[0].click()
    await settled(() => expect(openDialog()).toBeTruthy())
    expect(openDialog().querySelector<HTMLInputElement>('[data-testid="write-off-amount"] input, input[data-testid="write-off-amount"]')?.value)
      .toBe('1130.00')
    setInput(openDialog(), 'write-off-amount', '0.50')
    await flushPromises()
    ;(openDialog().querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(openDialog().querySelector('.el-form-item__error')?.textContent).toContain('请选择启用的末级科目'))
    expect(requests.find((r) => r.url === 'open-items/1/write-off/')?.body).toEqual({ amount: '0.50', account: null, date: today() })

    const picker = wrapper.findAllComponents(AccountSelect).find((c) => c.attributes('data-testid') === 'write-off-account')!
    picker.vm.$emit('update:modelValue', 80)
    await flushPromises()
    ;(openDialog().querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(requests.filter((r) => r.url === 'open-items/1/write-off/')).toHaveLength(2))
    expect(requests.filter((r) => r.url === 'open-items/1/write-off/')[1].body).toEqual({ amount: '0.50', account: 80, date: today() })
    // the list is asked again for what stays open
    await settled(() => expect(requests.filter((r) => r.method === 'GET' && r.url === 'open-items/' && !r.params.ordering).length).toBe(2))
  })

  it('lists the allocations with their amounts and exchange differences, and undoes one', async () => {
    const requests = answer(routes({
      'GET allocations/': () => [200, page([allocation(), allocation({ id: 8, undone: true, amount: '30.00', exchange_difference: '0.00' })])],
      'POST allocations/7/undo/': () => [200, allocation({ undone: true })],
    }))
    await mountPage(OpenItemsView, '/finance/open-items?tab=allocations')
    await settled(() => expect(requests.some((r) => r.url === 'allocations/')).toBe(true))
    expect(requests.find((r) => r.url === 'allocations/')?.params).toMatchObject({ undone: 'false' })
    const tables = byTestid('list-table')
    const table = tables[tables.length - 1]
    const text = table.textContent ?? ''
    expect(text).toContain('XF-0001')
    expect(text).toContain('1000.00')
    expect(text).toContain('-12.50')
    expect(text).toContain('30.00')
    // the 已反核销 column: a tag on the undone one, nothing (not "false") on the other
    expect(text).not.toContain('false')
    expect(byTestid('allocation-undone')).toHaveLength(1)
    // an undone allocation cannot be undone again
    expect(byTestid('allocation-undo')).toHaveLength(1)
    byTestid('allocation-undo')[0].click()
    await settled(() => expect(requests.some((r) => r.url === 'allocations/7/undo/')).toBe(true))
    expect(ElMessageBox.confirm).toHaveBeenCalled()
    expect(requests.find((r) => r.url === 'allocations/7/undo/')?.method).toBe('POST')
    await settled(() => expect(requests.filter((r) => r.url === 'allocations/').length).toBe(2))
  })

  it('offers no allocation without the post permission', async () => {
    answer(routes())
    await mountPage(OpenItemsView, '/finance/open-items', ['finance.view'])
    expect(byTestid('open-item-allocate')).toHaveLength(0)
    expect(byTestid('open-item-write-off')).toHaveLength(0)
  })
})

// ---- 总账 ---------------------------------------------------------------------------------------------

describe('GeneralLedgerView', () => {
  const ledger = {
    account: 2, code: '1002', name: '银行存款', direction: 'debit', opening: '5000.00',
    rows: [
      { month: 1, debit: '1000.00', credit: '250.50', balance: '5749.50', year_debit: '1000.00', year_credit: '250.50' },
      { month: 2, debit: '0.00', credit: '6000.00', balance: '-250.50', year_debit: '1000.00', year_credit: '6250.50' },
    ],
  }

  it('asks for the account and year, shows the months with the side and size of each balance, and opens a month\'s ledger', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET finance/general-ledger/': () => [200, ledger],
    })
    const { router } = await mountPage(GeneralLedgerView, '/finance/general-ledger?account=2&year=2026')
    expect(requests.find((r) => r.url === 'finance/general-ledger/')?.params).toEqual({ account: 2, year: 2026 })
    const table = one('gl-table')
    expect(cellTexts(table, 0)).toEqual(['年初余额', '1月', '2月'])
    expect(cellTexts(table, 1)).toEqual(['', '1000.00', ''])
    expect(cellTexts(table, 2)).toEqual(['', '250.50', '6000.00'])
    expect(cellTexts(table, 3)).toEqual(['借', '借', '贷'])
    expect(byTestid('gl-balance').map((cell) => cell.textContent?.trim())).toEqual(['5000.00', '5749.50', '250.50'])
    expect(cellTexts(table, 6)).toEqual(['', '250.50', '6250.50'])

    byTestid('gl-month')[1].click()
    await settled(() => expect(router.currentRoute.value.name).toBe('finance-account-ledger'))
    expect(router.currentRoute.value.query).toEqual({ account: '2', date_from: '2026-02-01', date_to: '2026-02-28' })
  })

  it('shows the answer to the last query, not a slower earlier one', async () => {
    const requests = mockApi((request) => {
      if (request.url === 'accounts/') return [200, page(CHART)]
      return [200, { ...ledger, opening: `${request.params.year}.00` }]
    })
    const answered = http.defaults.adapter as AxiosAdapter
    let release = () => {}
    const gate = new Promise<void>((resolve) => { release = resolve })
    http.defaults.adapter = async (config) => {
      if ((config.params as { year?: number } | undefined)?.year === 2024) await gate
      return answered(config)
    }
    const { wrapper } = await mountPage(GeneralLedgerView, '/finance/general-ledger?account=2&year=2026')
    expect(byTestid('gl-balance')[0].textContent?.trim()).toBe('2026.00')
    const year = wrapper.findAllComponents({ name: 'ElInputNumber' })[0]
    year.vm.$emit('update:modelValue', 2024) // slow
    await flushPromises()
    year.vm.$emit('update:modelValue', 2025)
    await settled(() => expect(byTestid('gl-balance')[0].textContent?.trim()).toBe('2025.00'))
    release()
    await flushPromises()
    await flushPromises()
    expect(requests.filter((r) => r.url === 'finance/general-ledger/').map((r) => r.params.year)).toEqual([2026, 2025, 2024]) // 2024's answer came last
    expect(byTestid('gl-balance')[0].textContent?.trim()).toBe('2025.00')
  })

  it('shows the server\'s refusal and no figures', async () => {
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET finance/general-ledger/': () => [400, { code: 'validation_error', message: 'account: 未知科目。', fields: { account: ['未知科目。'] } }],
    })
    await mountPage(GeneralLedgerView, '/finance/general-ledger?account=99&year=2026')
    expect(ElMessage.error).toHaveBeenCalledWith('account: 未知科目。')
    expect(byTestid('gl-balance')).toHaveLength(0)
  })
})

// ---- 序时账 -------------------------------------------------------------------------------------------

describe('JournalView', () => {
  const line = (overrides = {}) => ({
    id: 1, date: '2026-11-20', voucher: 9, voucher_number: '记-0002', summary: '收货款', account: 2, account_code: '1002', account_name: '银行存款',
    debit: '1130.00', credit: '0.00', partner: null, partner_name: null, department: '', project: '', reference: 'SK-0001', ...overrides,
  })

  it('lists the lines with their amounts (red ones in red), filters by voucher word and opens a voucher', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET journal/': () => [200, page([line(), line({ id: 2, account: 6, account_code: '1122', account_name: '应收账款', debit: '0.00',
        credit: '-1130.00', partner: 5, partner_name: '老客户' })])],
    })
    const { wrapper, router } = await mountPage(JournalView, '/finance/journal')
    const table = one('list-table')
    const text = table.textContent ?? ''
    expect(text).toContain('收货款')
    expect(text).toContain('1130.00')
    expect(text).toContain('-1130.00')
    expect(text).toContain('老客户')
    expect(table.querySelectorAll('.is-negative')).toHaveLength(1)
    expect(table.querySelector('.is-negative')?.textContent?.trim()).toBe('-1130.00')

    const word = wrapper.findAllComponents({ name: 'ElSelect' }).find((c) => c.attributes('data-testid') === 'filter-word')!
    word.vm.$emit('update:modelValue', '收')
    await settled(() => expect(requests.filter((r) => r.url === 'journal/').at(-1)?.params).toMatchObject({ voucher__word: '收' }))

    byTestid('journal-voucher')[0].click()
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/finance/vouchers/9'))
  })
})

// ---- 常用凭证 -----------------------------------------------------------------------------------------

describe('VoucherTemplatesView', { timeout: 20_000 }, () => {
  const template = {
    id: 4, name: '计提工资', word: '转' as const, note: '每月', lines: [
      { summary: '计提工资', account: 80, debit: '5000.00', credit: '0.00' },
      { summary: '计提工资', account: 66, debit: '0.00', credit: '0.00' },
    ],
  }

  it('creates a template from the rows filled in, and shows the server\'s line error on the row shown', async () => {
    let attempt = 0
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET voucher-templates/': () => [200, page([])],
      'POST voucher-templates/': () => (++attempt === 1
        ? [400, { code: 'validation_error', message: 'lines.1.account: 科目 1122 是往来科目。', fields: { 'lines.1.account': ['科目 1122 是往来科目。'] } }]
        : [201, { ...template, id: 5 }]),
    })
    const { wrapper } = await mountPage(VoucherTemplatesView, '/finance/voucher-templates')
    one('list-new').click()
    await settled(() => expect(openDialog()).toBeTruthy())
    setInput(openDialog(), 'template-name', ' 收货款 ')
    // the dialog opens with two empty rows: fill the first, leave the second empty, add a third
    setInput(openDialog(), 'template-summary-0', '收货款')
    await flushPromises()
    const pickers = () => wrapper.findAllComponents(AccountSelect)
    pickers().find((c) => c.attributes('data-testid') === 'template-account-0')!.vm.$emit('update:modelValue', 2)
    const grid = wrapper.findAllComponents({ name: 'EditableGrid' })[0]
    ;(grid.vm as unknown as { add: () => void }).add()
    await flushPromises()
    setInput(openDialog(), 'template-summary-2', '收货款')
    pickers().find((c) => c.attributes('data-testid') === 'template-account-2')!.vm.$emit('update:modelValue', 6)
    setInput(openDialog(), 'template-debit-0', '100')
    await flushPromises()
    ;(openDialog().querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(requests.some((r) => r.method === 'POST')).toBe(true))
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      name: '收货款', word: '记', note: '', lines: [
        { summary: '收货款', account: 2, debit: '100', credit: '0' },
        { summary: '收货款', account: 6, debit: '0', credit: '0' },
      ],
    })
    // the empty row is gone, so the server's "lines.1" is the second row shown: the 1122 row
    await settled(() => {
      const cell = openDialog().querySelector('[data-cell="1:account"]')?.closest('td') as HTMLElement
      expect(cell.querySelector('[data-testid="grid-error"]')?.textContent).toContain('科目 1122 是往来科目。')
    })
    const summaries = [...openDialog().querySelectorAll<HTMLInputElement>('[data-testid^="template-summary-"] input, input[data-testid^="template-summary-"]')]
    expect(summaries.map((input) => input.value)).toEqual(['收货款', '收货款'])
    expect((wrapper.findAllComponents(AccountSelect).find((c) => c.attributes('data-testid') === 'template-account-1')!.props() as { modelValue: number })
      .modelValue).toBe(6)
    expect(openDialog().querySelectorAll('.el-alert')).toHaveLength(0)
  })

  it('edits a template: its lines come in with empty amounts for zeros and go back with PUT', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET voucher-templates/': () => [200, page([template])],
      'PUT voucher-templates/4/': () => [200, template],
    })
    await mountPage(VoucherTemplatesView, '/finance/voucher-templates')
    expect(one('list-table').textContent).toContain('计提工资')
    expect(cellTexts(one('list-table'), 1)).toEqual(['转'])
    one('template-edit').click()
    await settled(() => expect(openDialog()).toBeTruthy())
    const dialog = openDialog()
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="template-debit-0"] input, input[data-testid="template-debit-0"]')?.value)
      .toBe('5000.00')
    expect(dialog.querySelector<HTMLInputElement>('[data-testid="template-credit-0"] input, input[data-testid="template-credit-0"]')?.value)
      .toBe('')
    setInput(dialog, 'template-note', '月末')
    await flushPromises()
    ;(dialog.querySelector('[data-testid="dialog-submit"]') as HTMLElement).click()
    await settled(() => expect(requests.some((r) => r.method === 'PUT')).toBe(true))
    expect(requests.find((r) => r.method === 'PUT')?.body).toEqual({
      name: '计提工资', word: '转', note: '月末', lines: [
        { summary: '计提工资', account: 80, debit: '5000.00', credit: '0' },
        { summary: '计提工资', account: 66, debit: '0', credit: '0' },
      ],
    })
  })
})

// ---- 期初余额 -----------------------------------------------------------------------------------------

describe('OpeningBalancesView', { timeout: 20_000 }, () => {
  const before = { rows: [{ account: 15, code: '1405', name: '库存商品', debit: '500.00', credit: '0.00' },
    { account: 70, code: '3104', name: '利润分配', debit: '0.00', credit: '500.00' }], debit: '500.00', credit: '500.00', balanced: true }
  const roles = () => [200, page([{ id: 1, role: 'inventory', account: 15 }])] as Reply

  it('shows the opening trial balance, enters balances and shows the server\'s refusal on the row shown', async () => {
    let attempt = 0
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, before],
      'POST finance/opening-balances/': () => (++attempt === 1
        ? [400, { code: 'validation_error', message: 'lines.1.credit: 金额最多两位小数。', fields: { 'lines.1.credit': ['金额最多两位小数。'] } }]
        : [201, { ...before, rows: [...before.rows, { account: 2, code: '1002', name: '银行存款', debit: '100.00', credit: '0.00' }],
          debit: '600.00', credit: '500.00', balanced: false }]),
    })
    const { wrapper } = await mountPage(OpeningBalancesView, '/finance/opening-balances')
    const goLive = requests.find((r) => r.url === 'finance/opening-balances/')?.params.go_live as string
    expect(goLive).toMatch(/^\d{4}-01-01$/)
    expect(cellTexts(one('opening-table'), 0)).toEqual(['1405', '3104', ''])
    expect(cellTexts(one('opening-table'), 2)).toEqual(['500.00', '', '500.00'])
    expect(one('opening-balanced').dataset.balanced).toBe('true')

    // row 0 filled, row 1 left without an account, row 2 filled
    const grid = wrapper.findAllComponents({ name: 'EditableGrid' })[0]
    ;(grid.vm as unknown as { add: () => void }).add()
    ;(grid.vm as unknown as { add: () => void }).add()
    await flushPromises()
    const pickers = () => wrapper.findAllComponents(AccountSelect)
    pickers().find((c) => c.attributes('data-testid') === 'opening-account-0')!.vm.$emit('update:modelValue', 2)
    pickers().find((c) => c.attributes('data-testid') === 'opening-account-2')!.vm.$emit('update:modelValue', 66)
    await flushPromises()
    setInput(document.body, 'opening-debit-0', '100')
    setInput(document.body, 'opening-credit-2', '99.999')
    await flushPromises()
    one('opening-save').click()
    await settled(() => expect(requests.some((r) => r.method === 'POST')).toBe(true))
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      go_live: goLive, lines: [{ account: 2, debit: '100', credit: '0' }, { account: 66, debit: '0', credit: '99.999' }],
    })
    await settled(() => {
      const cell = wrapper.find('[data-cell="1:credit"]').element.closest('td') as HTMLElement
      expect(cell.querySelector('[data-testid="grid-error"]')?.textContent).toContain('金额最多两位小数。')
    })
    // the row left without an account is gone: the error is on the row of 3001 where 99.999 was typed
    const credits = [...document.querySelectorAll<HTMLInputElement>('[data-testid^="opening-credit-"] input, input[data-testid^="opening-credit-"]')]
    expect(credits.map((input) => input.value)).toEqual(['', '99.999'])
    setInput(document.body, 'opening-credit-1', '100')
    await flushPromises()
    one('opening-save').click()
    await settled(() => expect(one('opening-balanced').dataset.balanced).toBe('false'))
    expect(cellTexts(one('opening-table'), 0)).toEqual(['1405', '3104', '1002', ''])
    expect(cellTexts(one('opening-table'), 2).at(-1)).toBe('600.00')
  })

  function preview(overrides: Partial<OpeningImport> = {}): OpeningImport {
    return {
      sheet: '期初余额', valid: true, applied: false, errors: [],
      rows: [
        { row: 2, account: 2, code: '1002', name: '银行存款', debit: '3000.00', credit: '0.00', partner: null, partner_name: '', warehouse: null,
          warehouse_name: '', department: '', project: '' },
        { row: 5, account: 66, code: '3001', name: '实收资本', debit: '0.00', credit: '3000.00', partner: null, partner_name: '', warehouse: null,
          warehouse_name: '', department: '', project: '' },
      ],
      trial_balance: { rows: [
        { account: 2, code: '1002', name: '银行存款', debit: '3000.00', credit: '0.00' },
        { account: 66, code: '3001', name: '实收资本', debit: '0.00', credit: '3000.00' },
      ], debit: '3000.00', credit: '3000.00', balanced: true },
      ...overrides,
    }
  }

  async function chooseFile(name = 'opening.xlsx'): Promise<File> {
    const file = new File(['PK'], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    const input = document.querySelector<HTMLInputElement>('[data-testid="opening-import-file"] input[type="file"]')
    if (!input) throw new Error('no file input')
    Object.defineProperty(input, 'files', { value: [file], configurable: true })
    input.dispatchEvent(new Event('change'))
    await flushPromises()
    return file
  }

  it('previews an uploaded workbook: every bad row with its row, column and reason, and no import', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, before],
      'POST finance/opening-balances/import/preview/': () => [200, preview({
        valid: false, trial_balance: null, rows: [],
        errors: [
          { row: 3, column: '借方', field: 'debit', message: '“abc”不是数字。' },
          { row: 7, column: '往来单位编码', field: 'partner', message: '科目 1121 需要填写往来单位。' },
        ],
      })],
    })
    await mountPage(OpeningBalancesView, '/finance/opening-balances')
    const file = await chooseFile()
    await settled(() => expect(one('opening-import-errors')).toBeTruthy())
    const sent = requests.find((r) => r.url === 'finance/opening-balances/import/preview/')!
    expect(sent.method).toBe('POST')
    expect(sent.body).toBeInstanceOf(FormData)
    const body = sent.body as FormData
    expect(body.get('go_live')).toMatch(/^\d{4}-01-01$/)
    expect((body.get('file') as File).name).toBe(file.name)
    const errors = one('opening-import-errors')
    expect(cellTexts(errors, 0)).toEqual(['3', '7'])
    expect(cellTexts(errors, 1)).toEqual(['借方', '往来单位编码'])
    expect(cellTexts(errors, 2)).toEqual(['“abc”不是数字。', '科目 1121 需要填写往来单位。'])
    expect(textOf('opening-import-summary')).toContain('2 处错误')
    expect(one('opening-import-apply').hasAttribute('disabled') || one('opening-import-apply').classList.contains('is-disabled')).toBe(true)
    one('opening-import-apply').click()
    await flushPromises()
    expect(requests.some((r) => r.url === 'finance/opening-balances/import/')).toBe(false)
  })

  it('shows the rows read and the resulting trial balance, then imports and shows the new opening balances', async () => {
    const applied = { ...preview(), applied: true }
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, { rows: [], debit: '0.00', credit: '0.00', balanced: true }],
      'POST finance/opening-balances/import/preview/': () => [200, preview()],
      'POST finance/opening-balances/import/': () => [201, applied],
    })
    await mountPage(OpeningBalancesView, '/finance/opening-balances')
    await chooseFile()
    await settled(() => expect(one('opening-import-trial')).toBeTruthy())
    expect(cellTexts(one('opening-import-rows'), 0)).toEqual(['2', '5'])
    expect(cellTexts(one('opening-import-rows'), 3)).toEqual(['3000.00', ''])
    expect(cellTexts(one('opening-import-rows'), 4)).toEqual(['', '3000.00'])
    expect(cellTexts(one('opening-import-trial'), 0)).toEqual(['1002', '3001', ''])
    expect(cellTexts(one('opening-import-trial'), 3)).toEqual(['', '3000.00', '3000.00'])
    expect(one('opening-import-balanced').dataset.balanced).toBe('true')
    expect(byTestid('opening-import-errors')).toHaveLength(0)
    one('opening-import-apply').click()
    await settled(() => expect(requests.some((r) => r.url === 'finance/opening-balances/import/')).toBe(true))
    const sent = requests.find((r) => r.url === 'finance/opening-balances/import/')!
    expect((sent.body as FormData).get('file')).toBeInstanceOf(File)
    expect(sent.headers['Idempotency-Key']).toBeTruthy()
    await settled(() => expect(cellTexts(one('opening-table'), 0)).toEqual(['1002', '3001', '']))
    expect(cellTexts(one('opening-table'), 2)).toEqual(['3000.00', '', '3000.00'])
    expect(byTestid('opening-import-trial')).toHaveLength(0) // the panel is cleared
    expect(ElMessage.success).toHaveBeenCalled()
  })

  it('shows a refused file and a refused import with each bad row', async () => {
    let previews = 0
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, before],
      'POST finance/opening-balances/import/preview/': () => (++previews === 1
        ? [400, { code: 'validation_error', message: 'file: 请上传 Excel 工作簿（.xlsx），例如下载的模板。',
          fields: { file: ['请上传 Excel 工作簿（.xlsx），例如下载的模板。'] } }]
        : [200, preview()]),
      'POST finance/opening-balances/import/': () => [400, { code: 'validation_error', message: 'file: 文件中有 1 处错误，未记账。',
        fields: { file: ['第 2 行 借方: 期初余额已经登记。'] } }],
    })
    await mountPage(OpeningBalancesView, '/finance/opening-balances')
    await chooseFile('opening.csv')
    await settled(() => expect(textOf('opening-import-failure')).toContain('请上传 Excel 工作簿'))
    expect(textOf('opening-import-failure')).not.toContain('file:')
    await chooseFile()
    await settled(() => expect(one('opening-import-trial')).toBeTruthy())
    expect(byTestid('opening-import-failure')).toHaveLength(0)
    one('opening-import-apply').click()
    await settled(() => expect(textOf('opening-import-failure')).toContain('文件中有 1 处错误，未记账。'))
    expect(textOf('opening-import-failure')).toContain('第 2 行 借方: 期初余额已经登记。')
  })

  it('downloads the template', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() })
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, before],
      'GET finance/opening-balances/template/': () => [200, new Blob(['x']), { 'content-disposition': 'attachment; filename="t.xlsx"' }],
    })
    await mountPage(OpeningBalancesView, '/finance/opening-balances')
    one('opening-template').click()
    await settled(() => expect(requests.some((r) => r.url === 'finance/opening-balances/template/')).toBe(true))
  })

  it('offers neither the entry nor the import without the create permission', async () => {
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET account-roles/': roles,
      'GET finance/opening-balances/': () => [200, before],
    })
    await mountPage(OpeningBalancesView, '/finance/opening-balances', ['finance.view'])
    expect(byTestid('opening-import')).toHaveLength(0)
    expect(byTestid('opening-save')).toHaveLength(0)
  })
})

// ---- 仓库存货科目 ------------------------------------------------------------------------------------

describe('WarehouseAccounts', { timeout: 20_000 }, () => {
  const STOCK = account({ id: 30, code: '1405', name: '库存商品' })
  const MATERIALS = account({ id: 31, code: '1403', name: '原材料' })
  const warehouse = (id: number, code: string, name: string) => ({
    id, code, name, address: '', keeper: null, keeper_name: null, allow_negative_stock: false, is_active: true,
  })
  const KEPT = { id: 9, warehouse: 2, warehouse_code: 'WH2', warehouse_name: '二号仓', account: 31, account_code: '1403', account_name: '原材料' }

  async function mountAccounts(canConfigure: boolean) {
    const { wrapper } = await mountPage({
      components: { WarehouseAccounts },
      setup: () => ({ chart: [STOCK, MATERIALS], canConfigure }),
      template: '<WarehouseAccounts :chart="chart" :can-configure="canConfigure" />',
    }, '/finance/accounts')
    return wrapper
  }

  it('lists every warehouse with its own account or the rules\' accounts, and sets and clears one after asking', async () => {
    const requests = answer({
      'GET warehouses/': () => [200, page([warehouse(1, 'WH1', '一号仓'), warehouse(2, 'WH2', '二号仓')])],
      'GET warehouse-accounts/': () => [200, page([KEPT])],
      'POST warehouse-accounts/': () => [201, { ...KEPT, id: 10, warehouse: 1, warehouse_code: 'WH1', warehouse_name: '一号仓' }],
      'DELETE warehouse-accounts/9/': () => [204, ''],
    })
    const wrapper = await mountAccounts(true)
    await settled(() => expect(cellTexts(one('warehouse-accounts'), 0)).toEqual(['WH1 一号仓', 'WH2 二号仓']))
    const picker = (code: string) => wrapper.findAllComponents(AccountSelect).find((c) => c.attributes('data-testid') === `warehouse-account-${code}`)!
    expect((picker('WH2').props() as { modelValue: number | null }).modelValue).toBe(31)
    expect((picker('WH1').props() as { modelValue: number | null }).modelValue).toBeNull()
    picker('WH1').vm.$emit('pick', MATERIALS)
    await settled(() => expect(requests.some((r) => r.method === 'POST')).toBe(true))
    expect(ElMessageBox.confirm).toHaveBeenCalledTimes(1)
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ warehouse: 1, account: 31 })
    await settled(() => expect((picker('WH1').props() as { modelValue: number | null }).modelValue).toBe(31))
    picker('WH2').vm.$emit('pick', null)
    await settled(() => expect(requests.some((r) => r.method === 'DELETE' && r.url === 'warehouse-accounts/9/')).toBe(true))
    await settled(() => expect((picker('WH2').props() as { modelValue: number | null }).modelValue).toBeNull())
  })

  it('sends nothing when the question is declined, and shows the accounts read-only without the configure permission', async () => {
    vi.mocked(ElMessageBox.confirm).mockRejectedValue('cancel')
    const requests = answer({
      'GET warehouses/': () => [200, page([warehouse(1, 'WH1', '一号仓'), warehouse(2, 'WH2', '二号仓')])],
      'GET warehouse-accounts/': () => [200, page([KEPT])],
    })
    const wrapper = await mountAccounts(true)
    await settled(() => expect(wrapper.findAllComponents(AccountSelect)).toHaveLength(2))
    wrapper.findAllComponents(AccountSelect)[0].vm.$emit('pick', MATERIALS)
    await settled(() => expect(ElMessageBox.confirm).toHaveBeenCalled())
    await flushPromises()
    expect(requests.filter((r) => r.method !== 'GET')).toEqual([])
    wrapper.unmount()
    const readOnly = await mountAccounts(false)
    await settled(() => expect(textOf('warehouse-account-WH2')).toBe('1403 原材料'))
    expect(readOnly.findAllComponents(AccountSelect)).toHaveLength(0)
    expect(textOf('warehouse-account-WH1')).toContain('凭证模板')
  })
})
