import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { CostAdjustment } from '@/api/valuation'
import { useSessionStore } from '@/stores/session'
import CostAdjustmentView from '@/views/inventory/CostAdjustmentView.vue'
import StockPeriodsView from '@/views/inventory/StockPeriodsView.vue'
import {
  costLineFromServer, costLineToInput, isEmptyCostLine, monthLabel, newCostLine, setCostFigure, totalChange, valueAfter,
} from '@/views/inventory/valuation'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// every confirmation is accepted. Test files share their modules (isolate: false), so a module
// mock would not apply when another file loaded the real one first: spy on the dialog instead.
beforeEach(() => {
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
})
afterEach(() => {
  vi.restoreAllMocks() // the spies must not outlive this file's tests in the shared modules
})

const FINANCE = ['inventory.view', 'finance.view', 'finance.create', 'finance.edit', 'finance.post', 'finance.export']
const stub = { template: '<div />' }

describe('cost adjustment lines', () => {
  it('takes an amount or a new unit cost, never both: entering one empties the other', () => {
    const line = newCostLine({ product: 5, label: 'SP0010 雪碧' })
    setCostFigure(line, 'amount', 12.5)
    expect([line.amount, line.new_unit_cost]).toEqual([12.5, null])
    setCostFigure(line, 'new_unit_cost', 6)
    expect([line.amount, line.new_unit_cost]).toEqual([null, 6])
    setCostFigure(line, 'amount', null) // clearing one leaves the other
    expect([line.amount, line.new_unit_cost]).toEqual([null, 6])
    expect(costLineToInput({ ...line, note: ' 发票差价 ' })).toEqual({ product: 5, amount: null, new_unit_cost: 6, note: '发票差价' })
  })

  it('reads the server line with what posting filled in, and computes the value after', () => {
    const line = costLineFromServer({ id: 1, product: 5, product_code: 'SP0010', product_name: '雪碧', amount: null,
      new_unit_cost: '6.000000', quantity: '10.0000', value_before: '50.00', value_change: '10.00', note: '' })
    expect(line).toMatchObject({ label: 'SP0010 雪碧', new_unit_cost: 6, amount: null, quantity: '10.0000' })
    expect(valueAfter(line)).toBe('60.00')
    expect(valueAfter(newCostLine())).toBe('')
    expect(totalChange([{ value_change: '10.10' }, { value_change: '-0.20' }, { value_change: null }])).toBe('9.90')
  })

  it('knows an empty line and names a month', () => {
    expect(isEmptyCostLine(newCostLine())).toBe(true)
    expect(isEmptyCostLine(newCostLine({ amount: 1 }))).toBe(false)
    expect(monthLabel('2026-10-01')).toBe('2026-10')
    expect(monthLabel(null)).toBe('')
  })
})

function draft(overrides: Partial<CostAdjustment> = {}): CostAdjustment {
  return {
    id: 7, number: '', state: 'draft', business_date: '2026-10-20', warehouse: 1, warehouse_name: '上海总仓', reason: '发票差价',
    note: '', created_by_name: '系统管理员', created_at: '2026-10-20T02:00:00Z', posted_at: null,
    lines: [{ id: 1, product: 5, product_code: 'SP0010', product_name: '雪碧', amount: null, new_unit_cost: '6.000000',
      quantity: null, value_before: null, value_change: null, note: '' }],
    ...overrides,
  }
}

async function mountView(component: object, path: string, permissions = FINANCE) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions, can_see_costs: true, modules: [{ code: 'inventory', name: '库存' }] }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inventory/cost-adjustments', name: 'inventory-cost-adjustments', component: stub },
      { path: '/inventory/cost-adjustments/:id', name: 'inventory-cost-adjustment', component: stub },
      { path: '/inventory/periods', name: 'inventory-periods', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
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

/** The confirm, the request and the re-render each take a turn: flush until the expectations
 * hold (within the test's own five seconds). */
async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

describe('CostAdjustmentView', () => {
  beforeEach(() => {
    // jsdom has no layout: the header form's automatic label width is NaN when it unmounts
    const warn = console.warn.bind(console)
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!String(args[0]).includes('unexpected width')) warn(...args)
    })
    vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  })

  it('shows the server\'s line error next to that line\'s field when posting is refused', async () => {
    const requests = answer({
      'GET warehouses/': () => [200, page([{ id: 1, code: 'WH-SH', name: '上海总仓', is_active: true }])],
      'GET cost-adjustments/7/': () => [200, draft()],
      'GET stock/availability/': () => [200, { product: 5, warehouses: [{ warehouse: 1, warehouse_name: '上海总仓', on_hand: '10.0000',
        reserved: '0', frozen: '0', available: '10.0000' }] }],
      'POST cost-adjustments/7/post/': () => [400, { code: 'validation_error', message: '这会使雪碧的金额为负。',
        fields: { 'lines.0.amount': ['这会使雪碧的金额为负。'] } }],
    })
    const wrapper = await mountView(CostAdjustmentView, '/inventory/cost-adjustments/7')
    expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('draft')
    expect(wrapper.find('[data-testid="line-on-hand-0"]').text()).toBe('10')
    expect(wrapper.find('[data-testid="document-post"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="document-cancel"]').exists()).toBe(true)

    await wrapper.find('[data-testid="document-post"]').trigger('click')
    await settled(() => {
      const sent = requests.map((r) => `${r.method} ${r.url}`)
      expect(sent, 'the requests made so far').toContain('POST cost-adjustments/7/post/')
      const cell = wrapper.find('[data-cell="0:amount"]').element.closest('td') as HTMLElement
      expect(cell.querySelector('[data-testid="grid-error"]')?.textContent).toContain('这会使雪碧的金额为负。')
    })
    expect(wrapper.findAll('[data-testid="grid-error"]')).toHaveLength(1)
  })

  it('shows a posted document read-only with what it found and changed', async () => {
    answer({
      'GET cost-adjustments/7/': () => [200, draft({ state: 'done', number: 'TZ20261020-0001', posted_at: '2026-10-20T03:00:00Z',
        lines: [{ id: 1, product: 5, product_code: 'SP0010', product_name: '雪碧', amount: null, new_unit_cost: '6.000000',
          quantity: '10.0000', value_before: '50.00', value_change: '10.00', note: '' }] })],
    })
    const wrapper = await mountView(CostAdjustmentView, '/inventory/cost-adjustments/7')
    expect(wrapper.find('[data-testid="document-number"]').text()).toBe('TZ20261020-0001')
    expect(wrapper.find('[data-testid="line-quantity-0"]').text()).toBe('10')
    expect(wrapper.find('[data-testid="line-value-before-0"]').text()).toBe('50.00')
    expect(wrapper.find('[data-testid="line-value-change-0"]').text()).toBe('+10.00')
    expect(wrapper.find('[data-testid="line-value-after-0"]').text()).toBe('60.00')
    expect(wrapper.find('[data-testid="document-total-change"]').text()).toContain('10.00')
    expect(wrapper.find('[data-testid="line-new-unit-cost-0"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="document-post"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="document-save"]').exists()).toBe(false)
  })

  it('offers no saving or posting without the finance permissions', async () => {
    answer({ 'GET cost-adjustments/7/': () => [200, draft()] })
    const wrapper = await mountView(CostAdjustmentView, '/inventory/cost-adjustments/7', ['inventory.view', 'finance.view'])
    for (const action of ['save', 'post', 'cancel']) expect(wrapper.find(`[data-testid="document-${action}"]`).exists()).toBe(false)
    expect(wrapper.find('[data-testid="line-amount-0"]').exists()).toBe(false)
  })
})

describe('StockPeriodsView', () => {
  it('shows the status, closes the next month behind a confirm and shows the server\'s refusal', async () => {
    const error = vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    const requests = answer({
      'GET stock-periods/status/': () => [200, { last_closed: '2026-09-01', next_to_close: '2026-10-01' }],
      'GET stock-periods/': () => [200, page([
        { id: 3, month: '2026-09-01', closed_at: '2026-10-02T01:00:00Z', closed_by_name: '系统管理员' },
        { id: 2, month: '2026-08-01', closed_at: '2026-09-02T01:00:00Z', closed_by_name: '系统管理员' },
      ])],
      'POST stock-periods/close/': () => [400, { code: 'validation_error', message: 'Only a month that has ended can be closed.',
        fields: { month: ['Only a month that has ended can be closed.'] } }],
    })
    const wrapper = await mountView(StockPeriodsView, '/inventory/periods')
    expect(wrapper.find('[data-testid="period-last-closed"]').text()).toBe('2026-09')
    expect(wrapper.find('[data-testid="period-next-to-close"]').text()).toBe('2026-10')
    expect(wrapper.find('[data-testid="period-close"]').text()).toBe('结账 2026-10')
    // only the latest closed month may be reopened
    expect(wrapper.findAll('[data-testid="period-reopen"]')).toHaveLength(1)

    await wrapper.find('[data-testid="period-close"]').trigger('click')
    await settled(() => {
      expect(requests.find((r) => r.method === 'POST' && r.url === 'stock-periods/close/')?.body).toEqual({ month: '2026-10-01' })
      expect(error).toHaveBeenCalledWith('Only a month that has ended can be closed.')
    })
  })

  it('reopens the latest closed month and reloads', async () => {
    vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
    const requests = answer({
      'GET stock-periods/status/': () => [200, { last_closed: '2026-09-01', next_to_close: '2026-10-01' }],
      'GET stock-periods/': () => [200, page([{ id: 3, month: '2026-09-01', closed_at: '2026-10-02T01:00:00Z', closed_by_name: null }])],
      'POST stock-periods/3/reopen/': () => [204],
    })
    const wrapper = await mountView(StockPeriodsView, '/inventory/periods')
    await wrapper.find('[data-testid="period-reopen"]').trigger('click')
    await settled(() => {
      expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['stock-periods/3/reopen/'])
      expect(requests.filter((r) => r.url === 'stock-periods/status/')).toHaveLength(2)
    })
  })

  it('hides closing and reopening without finance.post', async () => {
    answer({
      'GET stock-periods/status/': () => [200, { last_closed: '2026-09-01', next_to_close: '2026-10-01' }],
      'GET stock-periods/': () => [200, page([{ id: 3, month: '2026-09-01', closed_at: '2026-10-02T01:00:00Z', closed_by_name: null }])],
    })
    const wrapper = await mountView(StockPeriodsView, '/inventory/periods', ['inventory.view', 'finance.view'])
    expect(wrapper.find('[data-testid="period-close"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="period-reopen"]').exists()).toBe(false)
  })
})
