import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Rfq } from '@/api/purchasing'
import { useSessionStore } from '@/stores/session'
import RfqView from '@/views/purchasing/RfqView.vue'
import SalesSettingsView from '@/views/sales/SalesSettingsView.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Pages that are not orders must not borrow the order's or the draft's words (关闭订单, 保存草稿).

beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
})
afterEach(() => {
  vi.restoreAllMocks()
})

function rfq(fields: Partial<Rfq> = {}): Rfq {
  return {
    id: 5, number: 'XJ20261127-0001', state: 'submitted', business_date: '2026-11-27', warehouse: 1, warehouse_name: '一号仓',
    needed_by: null, reply_by: null, suppliers: [7], supplier_names: ['上海供应商'], note: '', created_by_name: '张采购',
    created_at: '2026-11-27T02:00:00Z', closed_at: null, lines: [], ...fields,
  }
}

async function mountPage(component: object, path: string, permissions: string[],
  routes: Record<string, (request: RecordedRequest) => Reply>) {
  const requests = mockApi((recorded) => {
    const handler = routes[`${recorded.method} ${recorded.url}`]
    if (handler) return handler(recorded)
    if (recorded.url === 'warehouses/') return [200, page([{ id: 1, code: 'WH1', name: '一号仓', is_active: true }])]
    if (recorded.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: recorded.url, fields: {} }]
  })
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions,
    modules: [{ code: 'purchasing', name: '采购' }, { code: 'sales', name: '销售' }] }))
  const stub = { template: '<div />' }
  const router = createRouter({ history: createMemoryHistory(), routes: [
    { path: '/purchasing/rfqs/:id', name: 'purchasing-rfq', component: stub },
    { path: '/purchasing/rfqs', name: 'purchasing-rfqs', component: stub },
    { path: '/sales/settings', name: 'sales-settings', component: stub },
  ] })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, requests }
}

async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

describe('document pages use their own labels', () => {
  it('询价单 is closed with 关闭询价单 and reports 询价单已关闭', async () => {
    let current = rfq()
    const { wrapper, requests } = await mountPage(RfqView, '/purchasing/rfqs/5', ['purchasing.view', 'purchasing.edit'], {
      'GET rfqs/5/': () => [200, current],
      'POST rfqs/5/close/': () => {
        current = rfq({ state: 'closed', closed_at: '2026-11-27T03:00:00Z' })
        return [200, current]
      },
    })
    const close = () => wrapper.find('[data-testid="document-close"]')
    await settled(() => expect(close().exists()).toBe(true))
    expect(close().text()).toBe('关闭询价单')
    await close().trigger('click')
    await settled(() => expect(requests.some((r) => r.method === 'POST' && r.url.endsWith('/close/'))).toBe(true))
    await settled(() => expect(ElMessage.success).toHaveBeenCalledWith('询价单已关闭'))
    expect(wrapper.text()).not.toContain('关闭订单')
  })

  it('销售设置 saves with 保存, not 保存草稿', async () => {
    const { wrapper, requests } = await mountPage(SalesSettingsView, '/sales/settings', ['sales.view', 'sales.configure'], {
      'GET sales/settings/': () => [200, { availability_policy: 'block', credit_policy: 'off', allocate_on_arrival: true }],
      'PATCH sales/settings/': (request) => [200, request.body],
    })
    const save = wrapper.find('[data-testid="settings-save"]')
    expect(save.text()).toBe('保存')
    await save.trigger('click')
    await settled(() => expect(ElMessage.success).toHaveBeenCalledWith('已保存'))
    expect(requests.filter((r) => r.method === 'PATCH')).toHaveLength(1)
  })
})
