import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { SalesOrder } from '@/api/sales'
import OrderDeposits from '@/views/sales/OrderDeposits.vue'
import { mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  const warn = console.warn.bind(console)
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('unexpected width')) warn(...args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

function order(fields: Partial<SalesOrder> = {}): SalesOrder {
  return {
    id: 7, number: 'XS20261126-0001', state: 'approved', business_date: '2026-11-26', customer: 4, customer_name: '北京客户',
    note: '', created_by_name: '', created_at: '2026-11-26T02:00:00Z', posted_at: null, currency: 1, currency_code: 'CNY',
    rate: '1', warehouse: 1, warehouse_name: '一号仓', delivery_date: null, payment_terms: '', deposit_requested: '300.00',
    net_amount: '400.00', tax_amount: '52.00', gross_amount: '452.00', below_floor: false, credit_exceeded: false,
    confirmed_at: '2026-11-26T02:00:00Z', deposit_received: '100.00',
    deposits: [{ id: 1, payment: 31, payment_number: 'SK20261126-0001', date: '2026-11-26', amount: '100.00', state: 'posted',
      unused: '100.00' }],
    lines: [],
    ...fields,
  }
}

const ACCOUNTS = [
  { id: 11, code: '1001', name: '库存现金', type: 'asset', is_leaf: true, is_active: true, is_control: false, parent: null },
  { id: 12, code: '1002', name: '银行存款', type: 'asset', is_leaf: true, is_active: true, is_control: false, parent: null },
  { id: 50, code: '5001', name: '主营业务收入', type: 'revenue', is_leaf: true, is_active: true, is_control: false, parent: null },
]

function answer(deposit: (request: RecordedRequest) => Reply) {
  return mockApi((recorded) => {
    if (recorded.url === 'accounts/') return [200, page(ACCOUNTS)]
    if (recorded.method === 'POST' && recorded.url === 'sales-orders/7/deposit/') return deposit(recorded)
    if (recorded.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: recorded.url, fields: {} }]
  })
}

async function mountPanel(props: { order: SalesOrder; canReceive: boolean }) {
  setActivePinia(createPinia())
  const router = createRouter({ history: createMemoryHistory(),
    routes: [{ path: '/', component: { template: '<div />' } },
      { path: '/finance/payments/:id', name: 'finance-payment', component: { template: '<div />' } }] })
  await router.push('/')
  const wrapper = mount(OrderDeposits, { props, global: { plugins: [ElementPlus, router] }, attachTo: document.body })
  await flushPromises()
  return wrapper
}

const WAIT = { timeout: 4000, interval: 50 }
const inBody = (testid: string) => document.body.querySelector<HTMLElement>(`[data-testid="${testid}"]`)

describe('order deposits (订金)', () => {
  it('lists the deposits and receives the rest of what was requested into the bank account', async () => {
    const requests = answer(() => [200, order({ deposit_received: '300.00', deposits: [...order().deposits!,
      { id: 2, payment: 32, payment_number: 'SK20261126-0002', date: '2026-11-26', amount: '200.00', state: 'posted', unused: '200.00' }] })])
    const wrapper = await mountPanel({ order: order(), canReceive: true })
    expect(wrapper.text()).toContain('已收订金 100.00')
    expect(wrapper.text()).toContain('SK20261126-0001')
    await wrapper.find('[data-testid="order-receive-deposit"]').trigger('click')
    await flushPromises()
    await vi.waitFor(async () => {
      await flushPromises()
      expect(inBody('deposit-confirm')).not.toBeNull()
    }, WAIT)
    // 300 requested, 100 received: 200 proposed; the bank account (1002) chosen
    expect(inBody('deposit-amount')?.querySelector('input')?.value).toBe('200.00')
    inBody('deposit-confirm')!.click()
    await vi.waitFor(async () => {
      await flushPromises()
      expect(wrapper.emitted('changed')).toHaveLength(1)
    }, WAIT)
    const posted = requests.find((request) => request.method === 'POST')!
    expect(posted.body).toMatchObject({ amount: '200', account: 12 })
    expect(ElMessage.success).toHaveBeenCalled()
    wrapper.unmount()
  })

  it('shows the server\'s field error in the dialog and offers nothing to whom may not receive', async () => {
    answer(() => [400, { code: 'validation_error', message: '请选择现金或银行账户。', fields: { account: ['请选择现金或银行账户。'] } }])
    const wrapper = await mountPanel({ order: order(), canReceive: true })
    await wrapper.find('[data-testid="order-receive-deposit"]').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(inBody('deposit-confirm')).not.toBeNull()
    }, WAIT)
    inBody('deposit-confirm')!.click()
    await vi.waitFor(async () => {
      await flushPromises()
      expect(document.body.textContent).toContain('请选择现金或银行账户。')
    }, WAIT)
    expect(wrapper.emitted('changed')).toBeUndefined()
    wrapper.unmount()
    const reader = await mountPanel({ order: order(), canReceive: false })
    expect(reader.find('[data-testid="order-receive-deposit"]').exists()).toBe(false)
    const done = await mountPanel({ order: order({ state: 'done' }), canReceive: true })
    expect(done.find('[data-testid="order-receive-deposit"]').exists()).toBe(false)
  })
})
