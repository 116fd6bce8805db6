import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import {
  accountRolesApi, accountsApi, loadAllAccounts, trialBalanceApi, vouchersApi, type Account, type Voucher, type VoucherLine,
} from '@/api/finance'
import { buildMenu, modules } from '@/modules'
import { useSessionStore } from '@/stores/session'
import { chineseAmount } from '@/utils/chineseAmount'
import {
  amountText, balanceSide, centsToText, monthOf, originLabel, roleLabel, ruleLabel, sortRoles, toCents,
} from '@/views/finance/common'
import PeriodsView from '@/views/finance/PeriodsView.vue'
import TrialBalanceView from '@/views/finance/TrialBalanceView.vue'
import {
  balancingAmount, isEmptyVoucherLine, lineFromServer, lineToInput, newVoucherLine, nextVoucherLine, setLineAccount, setLineAmount,
  tidyAmount, voucherTotals,
} from '@/views/finance/voucher'
import VoucherView from '@/views/finance/VoucherView.vue'
import { forgetRange } from '@/views/finance/reportState'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the dialogs and messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
  forgetRange()
})
afterEach(() => {
  vi.restoreAllMocks()
})

describe('大写金额', () => {
  it.each([
    ['0', '零元整'],
    ['0.00', '零元整'],
    ['0.05', '伍分'],
    ['0.5', '伍角'],
    ['10.00', '壹拾元整'],
    ['100.50', '壹佰元零伍角'],
    ['1001.01', '壹仟零壹元零壹分'],
    ['1234567.89', '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分'],
    ['-1234.56', '负壹仟贰佰叁拾肆元伍角陆分'],
    ['1.50', '壹元伍角'],
    ['1.05', '壹元零伍分'],
    ['1680.32', '壹仟陆佰捌拾元零叁角贰分'],
    ['107000.53', '壹拾万柒仟元零伍角叁分'],
    ['100000.10', '壹拾万元零壹角'],
    ['100100', '壹拾万零壹佰元整'],
    ['100010000', '壹亿零壹万元整'],
    ['100005000', '壹亿零伍仟元整'],
    ['1000000000000', '壹万亿元整'],
    ['10000000000000', '壹拾万亿元整'],
    ['123456789012.34', '壹仟贰佰叁拾肆亿伍仟陆佰柒拾捌万玖仟零壹拾贰元叁角肆分'],
    ['1,234.50', '壹仟贰佰叁拾肆元伍角'],
  ])('%s → %s', (amount, words) => {
    expect(chineseAmount(amount)).toBe(words)
  })

  it('rounds half up to the fen, takes numbers, and gives nothing for what is no amount', () => {
    expect(chineseAmount('0.005')).toBe('壹分')
    expect(chineseAmount('0.004')).toBe('零元整')
    expect(chineseAmount('999.995')).toBe('壹仟元整')
    expect(chineseAmount('-0.001')).toBe('零元整') // no 负 for what rounds to zero
    expect(chineseAmount(1234.5)).toBe('壹仟贰佰叁拾肆元伍角')
    expect(chineseAmount(-20)).toBe('负贰拾元整')
    for (const nothing of ['', 'abc', '1.2.3', '-', null, undefined, Number.NaN]) expect(chineseAmount(nothing)).toBe('')
  })
})

describe('amounts', () => {
  it('reads typed amounts as cents and writes them back with two decimals', () => {
    expect(toCents('1000')).toBe(100000)
    expect(toCents('1,000.5')).toBe(100050)
    expect(toCents('-20.005')).toBe(-2001)
    expect(toCents('.5')).toBe(50)
    expect(toCents('')).toBeNull()
    expect(toCents(null)).toBeNull()
    expect(toCents('12a')).toBeNaN()
    expect(centsToText(100050)).toBe('1000.50')
    expect(centsToText(-5)).toBe('-0.05')
    expect(tidyAmount('1000')).toBe('1000.00')
    expect(tidyAmount(' ')).toBe('')
    expect(tidyAmount('12a')).toBe('12a')
  })

  it('shows report amounts blank when zero, and a balance as its side and size', () => {
    expect(amountText('0.00')).toBe('')
    expect(amountText('0.00', '0.00')).toBe('0.00')
    expect(amountText('1000.00')).toBe('1000.00')
    expect(amountText('-50')).toBe('-50.00')
    expect(balanceSide('-1000.00')).toEqual({ side: 'credit', amount: '1000.00' })
    expect(balanceSide('20.50')).toEqual({ side: 'debit', amount: '20.50' })
    expect(balanceSide('0.00')).toEqual({ side: 'even', amount: '0.00' })
  })

  it('knows the first and last day of a month', () => {
    expect(monthOf('2026-02-14')).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(monthOf('2028-02-01')).toEqual({ from: '2028-02-01', to: '2028-02-29' })
    expect(monthOf('2026-12-31')).toEqual({ from: '2026-12-01', to: '2026-12-31' })
  })
})

function account(overrides: Partial<Account> = {}): Account {
  return {
    id: 2, code: '1002', name: '银行存款', parent: null, type: 'asset', direction: 'debit', currency: null, currency_code: null,
    dimensions: {}, is_leaf: true, is_active: true, ...overrides,
  }
}

const BANK = account()
const CAPITAL = account({ id: 66, code: '3001', name: '实收资本', type: 'equity', direction: 'credit' })
const RECEIVABLE = account({ id: 6, code: '1122', name: '应收账款', dimensions: { partner: 'required' } })
const INVENTORY = account({ id: 15, code: '1405', name: '库存商品', dimensions: { warehouse: 'optional' } })
const CHART = [BANK, RECEIVABLE, INVENTORY, CAPITAL]

describe('voucher lines', () => {
  it('totals debits and credits in cents and says whether they balance', () => {
    expect(voucherTotals([newVoucherLine(), newVoucherLine()])).toMatchObject({ debit: 0, credit: 0, state: 'empty' })
    const lines = [newVoucherLine({ debit: '1000' }), newVoucherLine({ credit: '999.99' })]
    expect(voucherTotals(lines)).toMatchObject({ debit: 100000, credit: 99999, difference: 1, state: 'unbalanced' })
    lines[1].credit = '1,000.00'
    expect(voucherTotals(lines)).toMatchObject({ state: 'balanced', difference: 0 })
    // red-letter lines balance in red
    expect(voucherTotals([newVoucherLine({ debit: '-50' }), newVoucherLine({ credit: '-50' })]))
      .toMatchObject({ debit: -5000, credit: -5000, state: 'balanced' })
    expect(voucherTotals([newVoucherLine({ debit: 'abc' }), newVoucherLine({ credit: '0' })])).toMatchObject({ invalid: true })
  })

  it('keeps a line on one side, and fills in what balances the voucher', () => {
    const lines = [newVoucherLine({ debit: '1000.00' }), newVoucherLine({ credit: '300.00' }), newVoucherLine()]
    expect(balancingAmount(lines, 2, 'credit')).toBe('700.00')
    expect(balancingAmount(lines, 2, 'debit')).toBe('') // a debit would not help
    setLineAmount(lines[1], 'debit', '5')
    expect([lines[1].debit, lines[1].credit]).toEqual(['5', ''])
    setLineAmount(lines[1], 'credit', '')
    expect(lines[1].debit).toBe('5') // clearing one side leaves the other
  })

  it('follows the account: its label and currency, and only the dimensions it takes', () => {
    const line = newVoucherLine({ partner: 9, partnerName: '华东商贸', warehouse: 1, warehouseName: '上海总仓', project: 'P1' })
    setLineAccount(line, RECEIVABLE)
    expect(line).toMatchObject({ account: 6, accountLabel: '1122 应收账款', partner: 9, warehouse: null, project: '' })
    expect(lineToInput({ ...line, summary: ' 货款 ', debit: '20' }, RECEIVABLE)).toEqual({
      summary: '货款', account: 6, debit: '20.00', credit: '0', currency: null, original_amount: null, rate: null, partner: 9,
      warehouse: null, department: '', project: '',
    })
  })

  it('treats a line with only the summary it was added with as empty', () => {
    const first = newVoucherLine({ summary: '投资款', account: 2, debit: '1000' })
    const next = nextVoucherLine(first)
    expect(next.summary).toBe('投资款')
    expect(isEmptyVoucherLine(next)).toBe(true)
    next.summary = '另一笔'
    expect(isEmptyVoucherLine(next)).toBe(false)
    expect(isEmptyVoucherLine(newVoucherLine({ debit: '1' }))).toBe(false)
  })

  it('reads a server line: amounts on their side only', () => {
    const row = lineFromServer(serverLine({ debit: '0.00', credit: '-50.00' }))
    expect(row).toMatchObject({ debit: '', credit: '-50.00', accountLabel: '1405 库存商品', warehouseName: '上海总仓' })
  })
})

function serverLine(overrides: Partial<VoucherLine> = {}): VoucherLine {
  return {
    id: 1, summary: '其他入库 QR20261127-0001', account: 15, account_code: '1405', account_name: '库存商品', debit: '50.00',
    credit: '0.00', currency: null, original_amount: null, rate: null, partner: null, partner_name: null, warehouse: 1,
    warehouse_name: '上海总仓', department: '', project: '', ...overrides,
  }
}

describe('names', () => {
  it('names roles, rule codes and origins, the server\'s names for codes the UI does not know', () => {
    expect(roleLabel({ role: 'inventory', role_label: 'Inventory' })).toBe('库存商品')
    expect(roleLabel({ role: 'new_role', role_label: '新角色' })).toBe('新角色')
    expect(sortRoles([{ role: 'new_role' }, { role: 'admin_expense' }, { role: 'inventory' }, { role: 'cash' }]).map((r) => r.role))
      .toEqual(['cash', 'inventory', 'admin_expense', 'new_role'])
    const labels = { document_type: { 'purchasing.receipt': '采购入库单' }, event: {}, reason: {}, kind: {} }
    expect(ruleLabel(labels, 'event', 'in')).toBe('入库')
    expect(ruleLabel(labels, 'document_type', 'purchasing.receipt')).toBe('采购入库单')
    expect(ruleLabel(labels, 'document_type', 'sales.delivery')).toBe('sales.delivery')
    expect(ruleLabel(labels, 'reason', '')).toBe('')
    expect(originLabel('')).toBe('手工录入')
    expect(originLabel('inventory.stockdocument', 'QR20261127-0001')).toBe('其他入库')
    expect(originLabel('inventory.stockdocument', 'QC20261127-0001')).toBe('其他出库')
    expect(originLabel('inventory.revaluation')).toBe('成本重算')
    expect(originLabel('finance.warehouseaccount')).toBe('存货科目结转')
    expect(originLabel('finance.fx_revaluation')).toBe('期末调汇')
    expect(ruleLabel(labels, 'event', 'transfer')).toBe('仓库间调拨')
  })

  it('registers the finance module with its menu, `finance.view` for every page', () => {
    const can = (permission: string) => permission === 'finance.view'
    const menu = buildMenu(modules, ['finance'], can)
    expect(menu.map((group) => group.code)).toEqual(['finance'])
    expect(menu[0].items.map((item) => item.name)).toEqual([
      'finance-vouchers', 'finance-payments', 'finance-open-items', 'finance-ageing', 'finance-statement', 'finance-trial-balance',
      'finance-account-ledger', 'finance-general-ledger', 'finance-journal', 'finance-voucher-templates', 'finance-accounts',
      'finance-posting-rules', 'finance-opening-balances', 'finance-periods',
    ])
    expect(buildMenu(modules, ['finance'], () => false)).toEqual([])
  })
})

describe('finance API', () => {
  it('reverses with a date, prints as a blob, lists the roles and pages through the chart', async () => {
    document.cookie = 'csrftoken=x'
    const requests = mockApi((request) => {
      if (request.url === 'vouchers/5/print/') return [200, new Blob(['%PDF'], { type: 'application/pdf' })]
      if (request.url === 'account-roles/') return [200, page([{ id: 1, role: 'bank', role_label: 'Bank', account: 2, account_code: '1002',
        account_name: '银行存款' }])]
      if (request.url === 'accounts/') {
        const number = Number(request.params.page)
        return [200, { count: 501, next: number === 1 ? 'next' : null, previous: null, results: number === 1 ? [BANK] : [CAPITAL] }]
      }
      return [200, { id: 6 }]
    })
    await vouchersApi.reverse(5, '2026-11-30')
    await vouchersApi.reverse(5)
    expect(await vouchersApi.print(5)).toBeInstanceOf(Blob)
    expect((await accountRolesApi.list()).map((role) => role.role)).toEqual(['bank'])
    expect((await loadAllAccounts()).map((row) => row.code)).toEqual(['1002', '3001'])
    await accountsApi.applyTemplate('enterprise')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST vouchers/5/reverse/', 'POST vouchers/5/reverse/', 'GET vouchers/5/print/', 'GET account-roles/', 'GET accounts/',
      'GET accounts/', 'POST accounts/apply-template/',
    ])
    expect(requests[0].body).toEqual({ date: '2026-11-30' })
    expect(requests[1].body).toEqual({})
    expect(requests[4].params).toMatchObject({ page: 1, page_size: 500, ordering: 'code' })
    expect(requests[5].params).toMatchObject({ page: 2 })
    expect(requests[6].body).toEqual({ template: 'enterprise' })
  })

  it('asks the trial balance for the dates and downloads it from its export address', async () => {
    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() })
    const requests = mockApi(() => [200, { rows: [], totals: {}, balanced: true }])
    await trialBalanceApi.get({ date_from: '2026-11-01', date_to: '2026-11-30', include_zero: false })
    await trialBalanceApi.download({ date_from: '2026-11-01', date_to: '2026-11-30', include_zero: true }, 'tb.xlsx')
    expect(requests.map((r) => r.url)).toEqual(['finance/trial-balance/', 'finance/trial-balance/export/'])
    expect(requests[0].params).toEqual({ date_from: '2026-11-01', date_to: '2026-11-30', include_zero: false })
    expect(requests[1].params).toEqual({ date_from: '2026-11-01', date_to: '2026-11-30', include_zero: true })
  })
})

// ---- pages -------------------------------------------------------------------------------------------

const FINANCE = ['finance.view', 'finance.create', 'finance.edit', 'finance.post', 'finance.export', 'finance.configure', 'inventory.view']
const stub = { template: '<div />' }

async function mountPage(component: object, path: string, permissions = FINANCE) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions, modules: [{ code: 'finance', name: '财务' }] }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/finance/vouchers', name: 'finance-vouchers', component: stub },
      { path: '/finance/vouchers/:id', name: 'finance-voucher', component: stub },
      { path: '/finance/account-ledger', name: 'finance-account-ledger', component: stub },
      { path: '/finance/trial-balance', name: 'finance-trial-balance', component: stub },
      { path: '/inventory/receipts/:id', name: 'inventory-receipt', component: stub },
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

function voucher(overrides: Partial<Voucher> = {}): Voucher {
  return {
    id: 7, word: '记', number: null, display_number: '', date: '2026-11-20', period: '2026-11', state: 'draft', attachments: 1,
    note: '', origin_type: '', origin_id: null, reference: '', reversal_of: null, reversed_by: null, total: '1000.00',
    created_by_name: '系统管理员', created_at: '2026-11-20T02:00:00Z', posted_by_name: null, posted_at: null,
    lines: [
      serverLine({ id: 1, summary: '投资款', account: 2, account_code: '1002', account_name: '银行存款', debit: '1000.00', warehouse: null,
        warehouse_name: null }),
      serverLine({ id: 2, summary: '投资款', account: 66, account_code: '3001', account_name: '实收资本', debit: '0.00', credit: '1000.00',
        warehouse: null, warehouse_name: null }),
    ],
    ...overrides,
  }
}

type Page = Awaited<ReturnType<typeof mountPage>>['wrapper']

/** The <input> of a field: el-input puts the test id on the input itself. */
function field(wrapper: Page, testid: string) {
  return wrapper.find(`input[data-testid="${testid}"], [data-testid="${testid}"] input`)
}

async function typeAmount(wrapper: Page, testid: string, text: string): Promise<void> {
  const input = field(wrapper, testid)
  await input.setValue(text)
  await input.trigger('blur')
  await flushPromises()
}

describe('VoucherView', () => {
  beforeEach(() => {
    // jsdom has no layout: the header form's automatic label width is NaN when it unmounts
    const warn = console.warn.bind(console)
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('unexpected width')) warn(...args)
    })
    vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  })

  it('shows the totals, whether they balance and the total in capitals as amounts are typed', async () => {
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET vouchers/7/': () => [200, voucher()],
    })
    const { wrapper } = await mountPage(VoucherView, '/finance/vouchers/7')
    const balanced = () => wrapper.find('[data-testid="voucher-balanced"]')
    expect(wrapper.find('[data-testid="voucher-total-debit"]').text()).toBe('1000.00')
    expect(wrapper.find('[data-testid="voucher-total-credit"]').text()).toBe('1000.00')
    expect(balanced().attributes('data-state')).toBe('balanced')
    expect(balanced().attributes('data-balanced')).toBe('true')
    expect(balanced().text()).toBe('借贷平衡')
    expect(wrapper.find('[data-testid="voucher-capital"]').text()).toBe('壹仟元整')

    await typeAmount(wrapper, 'line-credit-1', '999.5')
    expect(wrapper.find('[data-testid="voucher-total-credit"]').text()).toBe('999.50')
    expect(balanced().attributes('data-state')).toBe('unbalanced')
    expect(balanced().attributes('data-balanced')).toBe('false')
    expect(balanced().text()).toBe('借贷不平，差额 0.50')
    expect((field(wrapper, 'line-credit-1').element as HTMLInputElement).value).toBe('999.50')

    // "=" fills in what balances the voucher
    await field(wrapper, 'line-credit-1').trigger('keydown', { key: '=' })
    await flushPromises()
    expect(wrapper.find('[data-testid="voucher-total-credit"]').text()).toBe('1000.00')
    expect(balanced().attributes('data-state')).toBe('balanced')

    await typeAmount(wrapper, 'line-debit-0', '1234.56')
    await typeAmount(wrapper, 'line-credit-1', '1234.56')
    expect(balanced().attributes('data-state')).toBe('balanced')
    expect(wrapper.find('[data-testid="voucher-capital"]').text()).toBe('壹仟贰佰叁拾肆元伍角陆分')
    expect(wrapper.find('[data-testid="voucher-save"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="voucher-post"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="voucher-delete"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="voucher-reverse"]').exists()).toBe(false)
  })

  it('saves the draft and shows the server\'s line error in that line\'s cell', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET vouchers/7/': () => [200, voucher()],
      'PATCH vouchers/7/': () => [400, { code: 'validation_error', message: 'lines.1.account: 科目 3001 已停用。',
        fields: { 'lines.1.account': ['科目 3001 已停用。'] } }],
    })
    const { wrapper } = await mountPage(VoucherView, '/finance/vouchers/7')
    await field(wrapper, 'line-summary-0').setValue('投资款 A')
    await wrapper.find('[data-testid="voucher-save"]').trigger('click')
    await settled(() => {
      const cell = wrapper.find('[data-cell="1:account"]').element.closest('td') as HTMLElement
      expect(cell.querySelector('[data-testid="grid-error"]')?.textContent).toContain('科目 3001 已停用。')
    })
    const sent = requests.find((r) => r.method === 'PATCH')?.body as { lines: { account: number; debit: string; credit: string }[] }
    expect(sent.lines.map((line) => [line.account, line.debit, line.credit])).toEqual([[2, '1000.00', '0'], [66, '0', '1000.00']])
  })

  it('shows a posted voucher read-only with its number, source, reversal and red amounts', async () => {
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET vouchers/9/': () => [200, voucher({
        id: 9, state: 'posted', number: 2, display_number: '记-0002', posted_by_name: '系统管理员', posted_at: '2026-11-21T02:00:00Z',
        origin_type: 'inventory.stockdocument', origin_id: 4, reference: 'QR20261120-0001', reversal_of: 8, reversal_of_number: '记-0001', total: '-50.00',
        lines: [serverLine({ debit: '-50.00' }), serverLine({ id: 2, account: 34, account_code: '220202', account_name: '暂估应付款',
          debit: '0.00', credit: '-50.00', warehouse: null, warehouse_name: null })],
      })],
      'GET vouchers/8/': () => [200, voucher({ id: 8, state: 'posted', number: 1, display_number: '记-0001' })],
      'GET stock-documents/4/': () => [200, { id: 4, kind: 'receipt', number: 'QR20261120-0001' }],
    })
    const { wrapper, router } = await mountPage(VoucherView, '/finance/vouchers/9')
    expect(wrapper.find('[data-testid="document-number"]').text()).toBe('记-0002')
    expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('posted')
    expect(wrapper.find('[data-testid="voucher-period"]').text()).toContain('2026-11')
    expect(wrapper.find('[data-testid="voucher-reversal-of"]').text()).toContain('记-0001')
    expect(wrapper.find('[data-testid="line-debit-0"]').classes()).toContain('is-negative')
    expect(field(wrapper, 'line-debit-0').exists()).toBe(false)
    expect(wrapper.find('[data-testid="voucher-capital"]').text()).toBe('负伍拾元整')
    for (const action of ['save', 'post', 'delete', 'reverse']) expect(wrapper.find(`[data-testid="voucher-${action}"]`).exists()).toBe(false)
    expect(wrapper.find('[data-testid="voucher-print"]').exists()).toBe(true)

    const origin = wrapper.find('[data-testid="voucher-origin"]')
    expect(origin.text()).toBe('其他入库 QR20261120-0001')
    await origin.trigger('click')
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/inventory/receipts/4'))
  })

  it('offers the red-letter reversal of a posted voucher to those who post, and opens the reversal', async () => {
    const requests = answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET vouchers/8/': () => [200, voucher({ id: 8, state: 'posted', number: 1, display_number: '记-0001' })],
      'POST vouchers/8/reverse/': () => [201, voucher({ id: 10, state: 'posted', number: 3, display_number: '记-0003', reversal_of: 8 })],
    })
    const { wrapper, router } = await mountPage(VoucherView, '/finance/vouchers/8')
    await wrapper.find('[data-testid="voucher-reverse"]').trigger('click')
    await flushPromises()
    const submit = document.querySelector<HTMLElement>('[data-testid="dialog-submit"]')
    expect(submit).not.toBeNull()
    submit?.click()
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/finance/vouchers/10'))
    expect(requests.find((r) => r.method === 'POST')?.body).toMatchObject({ date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })
  })

  it('offers no writing without the permissions', async () => {
    answer({
      'GET accounts/': () => [200, page(CHART)],
      'GET vouchers/7/': () => [200, voucher()],
    })
    const { wrapper } = await mountPage(VoucherView, '/finance/vouchers/7', ['finance.view'])
    for (const action of ['save', 'post', 'delete', 'reverse']) expect(wrapper.find(`[data-testid="voucher-${action}"]`).exists()).toBe(false)
    expect(field(wrapper, 'line-debit-0').exists()).toBe(false)
  })
})

describe('TrialBalanceView', () => {
  it('shows the rows indented with parents in bold, the totals and whether it balances; a row opens the ledger', async () => {
    const figures = { opening_debit: '0.00', opening_credit: '0.00', debit: '0.00', credit: '0.00', year_debit: '0.00',
      year_credit: '0.00', closing_debit: '0.00', closing_credit: '0.00' }
    const requests = answer({
      'GET finance/trial-balance/': () => [200, {
        rows: [
          { ...figures, account: 2, code: '1002', name: '银行存款', level: 1, is_leaf: true, direction: 'debit', debit: '1000.00',
            year_debit: '1000.00', closing_debit: '1000.00' },
          { ...figures, account: 33, code: '2202', name: '应付账款', level: 1, is_leaf: false, direction: 'credit', credit: '50.00',
            year_credit: '50.00', closing_credit: '50.00' },
          { ...figures, account: 34, code: '220202', name: '暂估应付款', level: 2, is_leaf: true, direction: 'credit', credit: '50.00',
            year_credit: '50.00', closing_credit: '50.00' },
        ],
        totals: { ...figures, debit: '1050.00', credit: '1050.00' },
        balanced: true,
      }],
    })
    const { wrapper, router } = await mountPage(TrialBalanceView, '/finance/trial-balance?date_from=2026-11-01&date_to=2026-11-30')
    expect(requests[0].params).toMatchObject({ date_from: '2026-11-01', date_to: '2026-11-30', include_zero: false })
    expect(wrapper.find('[data-testid="tb-balanced"]').attributes('data-balanced')).toBe('true')
    const rows = wrapper.findAll('[data-testid="tb-table"] .el-table__body tr')
    expect(rows).toHaveLength(4)
    expect(rows[1].classes()).toContain('tb__parent')
    expect(rows[2].find('.tb__name').attributes('style')).toContain('padding-left: 16px')
    expect(wrapper.find('[data-testid="tb-total-debit"]').text()).toBe('1050.00')
    expect(wrapper.find('[data-testid="tb-export"]').exists()).toBe(true)
    await wrapper.find('[data-testid="tb-account"][data-code="1002"]').trigger('click')
    await settled(() => expect(router.currentRoute.value.fullPath)
      .toBe('/finance/account-ledger?account=2&date_from=2026-11-01&date_to=2026-11-30'))
  })
})

describe('PeriodsView', () => {
  const periods = [
    { id: 12, year: 2026, month: 11, start: '2026-11-01', end: '2026-11-30', state: 'open', closed_at: null, closed_by_name: null },
    { id: 11, year: 2026, month: 10, start: '2026-10-01', end: '2026-10-31', state: 'closed', closed_at: '2026-11-02T01:00:00Z',
      closed_by_name: '系统管理员' },
  ]

  it('shows the month-end checks and the server\'s refusal to close', async () => {
    const error = vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    const requests = answer({
      'GET accounting-periods/': () => [200, page(periods)],
      'GET accounting-periods/12/checklist/': () => [200, [
        { code: 'finance.balanced', label: '凭证借贷平衡', ok: true, problems: [] },
        { code: 'finance.month_ended', label: '本月已结束', ok: false, problems: [{ message: '2026-11 尚未结束。' }] },
      ]],
      'POST accounting-periods/12/close/': () => [400, { code: 'close_checks_failed', message: '本期不能结账：本月已结束（2026-11 尚未结束。）。',
        fields: { checklist: ['本期不能结账'] } }],
    })
    const { wrapper } = await mountPage(PeriodsView, '/finance/periods')
    const states = wrapper.findAll('[data-testid="accounting-period-state"]').map((tag) => tag.attributes('data-state'))
    expect(states).toEqual(['open', 'closed'])
    // the open one closes, the closed one reopens
    expect(wrapper.findAll('[data-testid="accounting-period-close"]')).toHaveLength(1)
    expect(wrapper.findAll('[data-testid="accounting-period-reopen"]')).toHaveLength(1)

    await wrapper.find('[data-testid="accounting-period-checklist"]').trigger('click')
    await settled(() => {
      const checks = [...document.querySelectorAll<HTMLElement>('[data-testid="accounting-period-check"]')]
      expect(checks.map((check) => check.dataset.ok)).toEqual(['true', 'false'])
      expect(checks[1].textContent).toContain('2026-11 尚未结束。')
    })
    document.querySelector<HTMLElement>('[data-testid="accounting-period-checklist-close"]')?.click()
    await settled(() => {
      expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['accounting-periods/12/close/'])
      expect(error).toHaveBeenCalledWith('本期不能结账：本月已结束（2026-11 尚未结束。）。')
    })
  })

  it('hides closing and reopening without the permissions', async () => {
    answer({ 'GET accounting-periods/': () => [200, page(periods)] })
    const { wrapper } = await mountPage(PeriodsView, '/finance/periods', ['finance.view'])
    expect(wrapper.find('[data-testid="accounting-period-close"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="accounting-period-reopen"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="accounting-period-checklist"]').exists()).toBe(true)
  })
})
