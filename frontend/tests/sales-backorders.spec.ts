import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { BackorderAllocation } from '@/api/sales'
import type { ListQuery } from '@/api/types'
import { setLocale } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import BackorderAllocate from '@/views/sales/BackorderAllocate.vue'
import { makeMe, mockApi } from './mockApi'

// Test files share their modules (isolate: false): spy on the messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
})
afterEach(() => {
  vi.restoreAllMocks()
  setLocale('zh-CN')
})

function allocation(fields: Partial<BackorderAllocation>): BackorderAllocation {
  return {
    order_id: 7, order_number: 'XS20261126-0001', line_id: 70, position: 0, product_id: 5, product_code: 'P1',
    product_name: '商品P1', warehouse_id: 1, quantity: '3.0000', backorder: '2.0000', presale: false, ...fields,
  }
}

async function mountButton(query: ListQuery) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions: ['sales.view', 'sales.edit'], modules: [{ code: 'sales', name: '销售' }] }))
  const wrapper = mount(BackorderAllocate, { props: { query }, global: { plugins: [ElementPlus, pinia] },
    attachTo: document.body })
  await flushPromises()
  return wrapper
}

const WAIT = { timeout: 4000, interval: 50 }
// the last one: a dialog of an earlier test may still be in the body
const inBody = (testid: string) => [...document.body.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)].at(-1) ?? null

describe('分配库存 (backorders report)', () => {
  it('shows what each line got, a presale line marked as covered by stock on hand', async () => {
    const requests = mockApi(() => [200, [
      allocation({ presale: true, order_number: 'XS20261126-0002', quantity: '4.0000', backorder: '1.0000' }),
      allocation({}),
    ]])
    const wrapper = await mountButton({ warehouse: 1, product: 5 })
    await wrapper.find('[data-testid="backorders-allocate"]').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(inBody('backorders-allocated')?.textContent).toContain('XS20261126-0002')
    }, WAIT)
    expect(requests.at(-1)?.body).toEqual({ warehouse: 1, products: [5] })
    expect(wrapper.emitted('done')).toHaveLength(1)
    const rows = [...document.body.querySelectorAll('[data-testid="backorders-allocated"] tbody tr')]
    const cells = rows.map((row) => [...row.querySelectorAll('td')].map((td) => td.textContent?.replace(/\s+/g, ' ').trim()))
    expect(cells).toEqual([
      ['XS20261126-0002', 'P1', '商品P1', '预售到货 4', '1'],
      ['XS20261126-0001', 'P1', '商品P1', '3', '2'],
    ])
    expect(inBody('backorders-presale-0')).not.toBeNull()
    expect(inBody('backorders-presale-1')).toBeNull()
    wrapper.unmount()
  })

  it('reads in English too', async () => {
    mockApi(() => [200, [allocation({ presale: true })]])
    const wrapper = await mountButton({})
    setLocale('en')
    await flushPromises()
    await wrapper.find('[data-testid="backorders-allocate"]').trigger('click')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(inBody('backorders-presale-0')?.textContent).toBe('Presale in stock')
    }, WAIT)
    wrapper.unmount()
  })
})
