import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ReceiptTolerance } from '@/api/purchasing'
import { useSessionStore } from '@/stores/session'
import InvoiceTolerancesView from '@/views/purchasing/InvoiceTolerancesView.vue'
import TolerancesView from '@/views/purchasing/TolerancesView.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

async function mountView(component: object, routes: Record<string, (request: RecordedRequest) => Reply>, permissions: string[]) {
  const requests = mockApi((request) => routes[`${request.method} ${request.url}`]?.(request) ?? [200, page([])])
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions, modules: [{ code: 'purchasing', name: '采购' }] }))
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/', component: { template: '<div />' } }] })
  await router.push('/')
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, requests }
}

const cells = (wrapper: ReturnType<typeof mount>, testid: string) =>
  wrapper.findAll(`[data-testid="${testid}"] .el-table__body tr`).map((row) => row.findAll('td').map((cell) => cell.text()))

describe('the tolerance pages share one table', () => {
  it('超收容差 shows the supplier and product names, not their ids, and adds a row', async () => {
    let rows: ReceiptTolerance[] = [{ id: 1, product: 5, product_name: '脉动 330ml', supplier: null, supplier_name: null, percent: '3.00', above: 'block' },
      { id: 2, product: null, product_name: null, supplier: 7, supplier_name: '上海供应商', percent: '10.00', above: 'approval' }]
    const { wrapper, requests } = await mountView(TolerancesView, {
      'GET receipt-tolerances/': () => [200, page(rows)],
      'POST receipt-tolerances/': (request) => {
        rows = [...rows, { id: 3, product: null, product_name: null, supplier: null, supplier_name: null, percent: '1', above: 'block' }]
        return [201, { id: 3, ...(request.body as object) }]
      },
    }, ['purchasing.view', 'purchasing.approve'])
    expect(cells(wrapper, 'tolerances')).toEqual([
      ['脉动 330ml', '', '3.00', '禁止入库', '删除'],
      ['', '上海供应商', '10.00', '需审批', '删除'],
    ])
    await wrapper.find('[data-testid="tolerance-add"]').trigger('click')
    await flushPromises()
    expect(requests.find((request) => request.method === 'POST')?.body).toEqual(
      { product: null, supplier: null, percent: '0', above: 'block' })
    expect(cells(wrapper, 'tolerances')).toHaveLength(3)
  })

  it('发票容差 keeps its columns; without the approve permission there is no form and no delete', async () => {
    const { wrapper } = await mountView(InvoiceTolerancesView, {
      'GET invoice-tolerances/': () => [200, page([
        { id: 1, supplier: null, supplier_name: null, price_percent: '2.00', quantity_percent: null }])],
    }, ['purchasing.view'])
    expect(wrapper.find('[data-testid="invoice-tolerance-add"]').exists()).toBe(false)
    expect(cells(wrapper, 'invoice-tolerances')).toEqual([['默认', '2.00', '不检查', '']])
  })
})
