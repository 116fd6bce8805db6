import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { SalesQuotation } from '@/api/sales'
import { useSessionStore } from '@/stores/session'
import SalesQuotationView from '@/views/sales/SalesQuotationView.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the dialogs and messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
  const warn = console.warn.bind(console)
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('unexpected width')) warn(...args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

function quotation(fields: Partial<SalesQuotation> = {}): SalesQuotation {
  return {
    id: 9, number: '', state: 'draft', business_date: '2026-11-26', customer: 4, customer_name: '北京客户有限公司', note: '',
    created_by_name: '李销售', created_at: '2026-11-26T02:00:00Z', posted_at: null, currency: 1, currency_code: 'CNY', rate: '1',
    warehouse: 1, warehouse_name: '一号仓', valid_until: '2026-12-03', reserve_stock: true, payment_terms: '',
    net_amount: '400.00', tax_amount: '52.00', gross_amount: '452.00', below_floor: false, sent_at: null, order: null,
    order_number: null,
    lines: [{ id: 90, product: 3, product_code: 'P1', product_name: '螺丝刀', unit: 1, unit_name: '个', quantity: '4.0000',
      base_quantity: '4.0000', list_price: '113.000000', unit_price: '113.000000', discount_percent: '0.00', tax_rate: 1,
      tax_percent: '13.00', tax_included: true, net_amount: '400.00', tax_amount: '52.00', gross_amount: '452.00',
      below_floor: false, reserved_open: '0.0000' }],
    ...fields,
  }
}

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((recorded) => {
    const handler = routes[`${recorded.method} ${recorded.url}`]
    if (handler) return handler(recorded)
    if (recorded.url === 'warehouses/') return [200, page([{ id: 1, code: 'WH1', name: '一号仓', is_active: true }])]
    if (recorded.method === 'GET' && recorded.url.includes('availability')) {
      return [200, { product: 3, warehouses: [{ warehouse: 1, warehouse_name: '一号仓', on_hand: '10.0000', reserved: '4.0000',
        frozen: '0.0000', available: '6.0000', incoming: '0.0000', projected: '6.0000' }] }]
    }
    if (recorded.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: recorded.url, fields: {} }]
  })
}

const stub = { template: '<div />' }

async function mountPage(path: string) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({
    id: 2, permissions: ['sales.view', 'sales.create', 'sales.edit', 'inventory.view'],
    modules: [{ code: 'sales', name: '销售' }, { code: 'inventory', name: '库存' }],
  }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/sales/quotations', name: 'sales-quotations', component: stub },
      { path: '/sales/quotations/:id', name: 'sales-quotation', component: stub },
      { path: '/sales/orders', name: 'sales-orders', component: stub },
      { path: '/sales/orders/:id', name: 'sales-order', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(SalesQuotationView, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

const button = (wrapper: ReturnType<typeof mount>, key: string) => wrapper.find(`[data-testid="document-${key}"]`)

describe('sales quotation page', () => {
  it('sends a draft, shows the soft reservation, converts it and opens the new order', async () => {
    let current = quotation()
    const requests = answer({
      'GET sales-quotations/9/': () => [200, current],
      'POST sales-quotations/9/send/': () => {
        current = quotation({ state: 'submitted', number: 'BJ20261126-0001', sent_at: '2026-11-26T02:05:00Z',
          lines: [{ ...quotation().lines[0], reserved_open: '4.0000' }] })
        return [200, current]
      },
      'POST sales-quotations/9/convert/': () => [201, { id: 21, number: '', state: 'draft', lines: [] }],
    })
    const { wrapper, router } = await mountPage('/sales/quotations/9')
    await settled(() => expect(button(wrapper, 'send').exists()).toBe(true))
    expect(button(wrapper, 'send').text()).toBe('发送')
    expect(button(wrapper, 'convert').exists()).toBe(false)
    expect(wrapper.text()).toContain('有效期至')
    // the line shows the warehouse's live availability, as the order editor does
    await settled(() => expect(requests.some((r) => r.url.includes('availability'))).toBe(true))
    await button(wrapper, 'send').trigger('click')
    await settled(() => expect(button(wrapper, 'convert').exists()).toBe(true))
    expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('submitted')
    expect(wrapper.text()).toContain('BJ20261126-0001')
    expect(button(wrapper, 'send').exists()).toBe(false)
    await button(wrapper, 'convert').trigger('click')
    await settled(() => expect(router.currentRoute.value.name).toBe('sales-order'))
    expect(router.currentRoute.value.params.id).toBe('21')
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual([
      'sales-quotations/9/send/', 'sales-quotations/9/convert/'])
  })

  it('shows an expired quotation as such, without send or convert', async () => {
    answer({ 'GET sales-quotations/9/': () => [200, quotation({ state: 'expired', number: 'BJ20261126-0001' })] })
    const { wrapper } = await mountPage('/sales/quotations/9')
    await settled(() => expect(wrapper.find('[data-testid="quotation-expired"]').exists()).toBe(true))
    expect(button(wrapper, 'send').exists()).toBe(false)
    expect(button(wrapper, 'convert').exists()).toBe(false)
    expect(button(wrapper, 'cancel').exists()).toBe(false)
  })
})
