import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { SuggestionGroup, SuggestionLine } from '@/api/purchasing'
import { useSessionStore } from '@/stores/session'
import LowStockView from '@/views/inventory/LowStockView.vue'
import SuggestionsView from '@/views/purchasing/SuggestionsView.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

const stub = { template: '<div />' }

function line(fields: Partial<SuggestionLine>): SuggestionLine {
  return {
    product: 5, product_code: 'SP0020', product_name: '脉动 330ml', unit_name: '个', warehouse: 1, warehouse_name: '上海总仓',
    supplier: 7, supplier_name: '上海供应商', rule: 3, on_hand: '12.0000', available: '12.0000', incoming: '0.0000', demand: '0.0000',
    projected: '12.0000', safety_stock: '5.0000', reorder_point: '30.0000', max_stock: null, lead_time_days: 7, quantity: '68.0000',
    expected_date: '2026-12-04', reason: '可用 12，再订货点 30，在途 0，采购周期 7 天', ...fields,
  }
}

const GROUPS: SuggestionGroup[] = [
  { supplier: 7, supplier_name: '上海供应商', lines: [line({}), line({ product: 6, product_code: 'SP0021', quantity: '10.0000' })] },
  { supplier: null, supplier_name: '', lines: [line({ product: 8, product_code: 'SP0030', supplier: null, supplier_name: '' })] },
]

async function mountView(component: object, routes: Record<string, (request: RecordedRequest) => Reply>, permissions: string[]) {
  const requests = mockApi((request) => {
    const handler = routes[`${request.method} ${request.url}`]
    if (handler) return handler(request)
    return [200, page([])]
  })
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions, modules: [{ code: 'purchasing', name: '采购' }, { code: 'inventory', name: '库存' }] }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/purchasing/suggestions', name: 'purchasing-suggestions', component: stub },
      { path: '/purchasing/orders/:id', name: 'purchasing-order', component: stub },
      { path: '/inventory/stock', name: 'inventory-stock', component: stub },
    ],
  })
  await router.push('/')
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router, requests }
}

describe('采购建议', () => {
  it('groups the lines by supplier, flags the lines without one, and creates orders from the chosen lines', async () => {
    const { wrapper, requests } = await mountView(SuggestionsView, {
      'GET purchase-suggestions/': () => [200, GROUPS],
      'POST purchase-suggestions/create-orders/': () => [201, [
        { id: 41, supplier: 7, supplier_name: '上海供应商', warehouse: 1, warehouse_name: '上海总仓', lines: 1, gross_amount: '100.00' }]],
    }, ['purchasing.view', 'purchasing.create'])
    const names = wrapper.findAll('[data-testid="suggestion-group-name"]').map((node) => node.text())
    expect(names).toEqual(['上海供应商', '未指定供应商'])
    expect(wrapper.findAll('[data-testid="suggestion-reason"]')[0].text()).toContain('再订货点 30')
    const create = wrapper.find('[data-testid="suggestion-create"]')
    expect(create.attributes('disabled')).toBeDefined()

    // choose the first line and change its quantity
    await wrapper.findAll('[data-testid="suggestion-choose"] input')[0].setValue(true)
    const quantity = wrapper.findAll('[data-testid="suggestion-quantity"] input')[0]
    await quantity.setValue('72')
    await quantity.trigger('blur')
    await wrapper.find('[data-testid="suggestion-create"]').trigger('click')
    await flushPromises()
    const posted = requests.find((request) => request.method === 'POST')
    expect(posted?.body).toEqual({ lines: [{ product: 5, warehouse: 1, supplier: 7, quantity: '72', expected_date: '2026-12-04' }] })
    const links = wrapper.findAll('[data-testid="suggestion-created-order"]')
    expect(links.map((link) => link.attributes('href'))).toEqual(['/purchasing/orders/41'])
    // the page reloads the suggestions after the orders were made
    expect(requests.filter((request) => request.url === 'purchase-suggestions/' && request.method === 'GET')).toHaveLength(2)
  })

  it("shows the server's error under the line it names and hides the button without the create permission", async () => {
    const { wrapper } = await mountView(SuggestionsView, {
      'GET purchase-suggestions/': () => [200, GROUPS],
      'POST purchase-suggestions/create-orders/': () => [400, {
        code: 'validation_error', message: 'lines.1.supplier: 请选择供应商。', fields: { 'lines.1.supplier': ['请选择供应商。'] } }],
    }, ['purchasing.view', 'purchasing.create'])
    await wrapper.findAll('[data-testid="suggestion-group-choose"] input')[0].setValue(true)
    await wrapper.findAll('[data-testid="suggestion-group-choose"] input')[1].setValue(true)
    await wrapper.find('[data-testid="suggestion-create"]').trigger('click')
    await flushPromises()
    const errors = wrapper.findAll('[data-testid="suggestion-error"]')
    expect(errors).toHaveLength(1)
    expect(errors[0].text()).toBe('请选择供应商。')
    // the second chosen line is the group's second line (SP0021)
    const rows = wrapper.findAll('[data-testid="suggestion-lines"] .el-table__body tr')
    expect(rows[1].text()).toContain('请选择供应商。')

    const readOnly = await mountView(SuggestionsView, { 'GET purchase-suggestions/': () => [200, GROUPS] }, ['purchasing.view'])
    expect(readOnly.wrapper.find('[data-testid="suggestion-create"]').exists()).toBe(false)
  })

  it('the low-stock page opens the suggestions of its warehouse', async () => {
    const { wrapper, router } = await mountView(LowStockView, {}, ['inventory.view', 'purchasing.view'])
    await wrapper.find('[data-testid="low-stock-suggest"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.name).toBe('purchasing-suggestions')
    const without = await mountView(LowStockView, {}, ['inventory.view'])
    expect(without.wrapper.find('[data-testid="low-stock-suggest"]').exists()).toBe(false)
  })
})
