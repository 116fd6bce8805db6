import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { ExpiringRow, LowStockRow, StockSummaryRow } from '@/api/inventory'
import { setLocale } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import ExpiringView from '@/views/inventory/ExpiringView.vue'
import LowStockView from '@/views/inventory/LowStockView.vue'
import { moveKindLabel, sortMoveKinds } from '@/views/inventory/origins'
import StockSummaryView from '@/views/inventory/StockSummaryView.vue'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

const stub = { template: '<div />' }
const WAREHOUSES = [{ id: 1, code: 'WH-SH', name: '上海总仓', is_active: true }]

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((request) => {
    const handler = routes[`${request.method} ${request.url}`]
    if (handler) return handler(request)
    if (request.url === 'warehouses/') return [200, page(WAREHOUSES)]
    return [200, page([])]
  })
}

async function mountView(component: object, canSeeCosts = true) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions: ['inventory.view', 'inventory.export'], can_see_costs: canSeeCosts,
    modules: [{ code: 'inventory', name: '库存' }] }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', component: stub },
      { path: '/inventory/stock', name: 'inventory-stock', component: stub },
      { path: '/inventory/ledger', name: 'inventory-ledger', component: stub },
    ],
  })
  await router.push('/')
  await router.isReady()
  const wrapper = mount(component, { global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

const headers = (wrapper: ReturnType<typeof mount>) => wrapper.findAll('thead th').map((th) => th.text()).filter(Boolean)
const lastParams = (requests: RecordedRequest[], url: string) => requests.filter((r) => r.url === url).at(-1)?.params

function lowRow(fields: Partial<LowStockRow>): LowStockRow {
  return {
    id: 1, product: 5, product_code: 'SP0020', product_name: '脉动 330ml', unit_name: '个', warehouse: 1, warehouse_name: '上海总仓',
    on_hand: '12.0000', reserved: '2.0000', frozen: '1.0000', available: '9.0000', safety_stock: '5.0000', reorder_point: '20.0000',
    reorder_quantity: '50.0000', max_stock: null, status: 'reorder', ...fields,
  }
}

describe('低库存预警', () => {
  it('lists the stock with a coloured status and filters by status', async () => {
    const requests = answer({
      'GET low-stock/': () => [200, page([
        lowRow({ id: 1, status: 'below_safety', available: '3.0000' }),
        lowRow({ id: 2, product_code: 'SP0021', status: 'reorder' }),
        lowRow({ id: 3, product_code: 'SP0022', status: 'above_max', on_hand: '300.0000', max_stock: '200.0000' }),
      ])],
    })
    const { wrapper, router } = await mountView(LowStockView)
    // the server's order (most urgent first): no ordering sent
    expect(lastParams(requests, 'low-stock/')).toEqual({ page: 1, page_size: 20 })
    expect(headers(wrapper)).toEqual(expect.arrayContaining(['预警状态', '现存', '已预留', '冻结', '可用', '安全库存', '再订货点',
      '再订货量', '最高库存']))
    const tags = wrapper.findAll('[data-testid="low-stock-status"]')
    expect(tags.map((tag) => [tag.attributes('data-status'), tag.text()])).toEqual([
      ['below_safety', '低于安全库存'], ['reorder', '达到再订货点'], ['above_max', '高于最高库存']])
    expect(tags.map((tag) => tag.find('.el-tag').classes().find((name) => /^el-tag--(danger|warning|primary)$/.test(name))))
      .toEqual(['el-tag--danger', 'el-tag--warning', 'el-tag--primary'])
    expect(wrapper.find('.el-table__body tr').text()).toContain('50')

    const status = wrapper.findComponent<{ $emit: (event: string, value: string) => void }>('[data-testid="filter-status"]')
    status.vm.$emit('update:modelValue', 'below_safety')
    await flushPromises()
    expect(lastParams(requests, 'low-stock/')).toEqual({ status: 'below_safety', page: 1, page_size: 20 })

    await wrapper.find('[data-testid="low-stock-open"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/inventory/stock?product=5&warehouse=1')
  })
})

function expiringRow(fields: Partial<ExpiringRow>): ExpiringRow {
  return {
    id: 1, product: 5, product_code: 'SP0023', product_name: '元气森林 330ml', unit_name: '个', warehouse: 1, warehouse_name: '上海总仓',
    location: 3, location_code: 'SH-A-03', lot: 8, lot_code: 'L1', expiry_date: '2026-11-01', days_left: 20, on_hand: '6.0000',
    frozen: '0.0000', ...fields,
  }
}

describe('近效期', () => {
  it('asks for 30 days, then the chosen ones, and shows the days left (expired in red, a week or less in orange)', async () => {
    const requests = answer({
      'GET expiring-stock/': () => [200, page([
        expiringRow({ id: 1, lot_code: 'OLD', days_left: -3 }),
        expiringRow({ id: 2, lot_code: 'TODAY', days_left: 0 }),
        expiringRow({ id: 3, lot_code: 'SOON', days_left: 7 }),
        expiringRow({ id: 4, lot_code: 'LATER', days_left: 20 }),
      ])],
    })
    const { wrapper } = await mountView(ExpiringView)
    expect(lastParams(requests, 'expiring-stock/')).toEqual({ within_days: 30, page: 1, page_size: 20 })
    const days = wrapper.findAll('[data-testid="expiring-days-left"]')
    expect(days.map((cell) => [cell.text(), cell.attributes('data-state')])).toEqual([
      ['已过期 3 天', 'expired'], ['今天到期', 'soon'], ['7 天', 'soon'], ['20 天', 'ok']])
    expect(wrapper.find('[data-testid="filter-within-days"]').text()).toContain('30 天内到期')

    const within = wrapper.findComponent<{ $emit: (event: string, value: number) => void }>('[data-testid="filter-within-days"]')
    within.vm.$emit('update:modelValue', 90)
    await flushPromises()
    expect(lastParams(requests, 'expiring-stock/')).toEqual({ within_days: 90, page: 1, page_size: 20 })
  })
})

function summaryRow(fields: Partial<StockSummaryRow>): StockSummaryRow {
  return {
    product: 5, product_code: 'SP0024', product_name: '雀巢咖啡 330ml', warehouse: 1, warehouse_name: '上海总仓',
    opening_quantity: '0.0000', opening_value: '0.00', in_quantity: '10.0000', in_value: '50.00', out_quantity: '4.0000',
    out_value: '20.00', closing_quantity: '6.0000', closing_value: '30.00', by_kind: {}, ...fields,
  }
}

const SUMMARY_ROWS = [
  summaryRow({ by_kind: {
    other: { in_quantity: '1.0000', in_value: '5.00', out_quantity: '0.0000', out_value: '0.00' },
    'inventory.stockcountline': { in_quantity: '0.0000', in_value: '0.00', out_quantity: '4.0000', out_value: '20.00' },
    'inventory.stockdocumentline': { in_quantity: '9.0000', in_value: '45.00', out_quantity: '0.0000', out_value: '0.00' },
  } }),
  summaryRow({ product: 6, product_code: 'SP0025', by_kind: {
    transfer: { in_quantity: '2.0000', in_value: '10.00', out_quantity: '0.0000', out_value: '0.00' },
    'purchasing.purchasereceiptline': { in_quantity: '8.0000', in_value: '40.00', out_quantity: '0.0000', out_value: '0.00' },
  } }),
]

describe('进销存汇总表 by kind of move', () => {
  it('puts the kinds in the report order and names them', () => {
    expect(sortMoveKinds(['other', 'inventory.stockcountline', 'transfer', 'sales.deliveryline', 'inventory.stockdocumentline',
      'inventory.settlement', 'purchasing.purchasereceiptline', 'inventory.costadjustmentline', 'zz.newline', 'transfer']))
      .toEqual(['purchasing.purchasereceiptline', 'sales.deliveryline', 'inventory.stockdocumentline', 'transfer',
        'inventory.stockcountline', 'inventory.costadjustmentline', 'inventory.settlement', 'zz.newline', 'other'])
    expect(['inventory.stockdocumentline', 'transfer', 'inventory.stockcountline', 'inventory.costadjustmentline',
      'inventory.settlement', 'other', 'zz.newline'].map(moveKindLabel))
      .toEqual(['其他出入库', '调拨', '盘点', '成本调整', '负库存结算', '其他', 'zz.newline'])
    setLocale('en')
    expect(moveKindLabel('inventory.stockcountline')).toBe('Stock counts')
  })

  it('adds a group of columns per kind the page has, after the totals, and hides them with the switch', async () => {
    answer({ 'GET stock-summary/': () => [200, page(SUMMARY_ROWS)] })
    const { wrapper } = await mountView(StockSummaryView)
    const groups = () => wrapper.findAll('thead th.list-page__group').map((th) => th.text())
    expect(groups()).toEqual(['purchasing.purchasereceiptline', '其他出入库', '调拨', '盘点', '其他'])
    const all = headers(wrapper)
    expect(all.slice(0, 11)).toEqual(['商品编码', '商品名称', '仓库', '期初数量', '期初金额', '入库数量', '入库金额', '出库数量', '出库金额',
      '期末数量', '期末金额'])
    // under each kind: quantity and value in, quantity and value out
    expect(all.filter((text) => text === '入库金额')).toHaveLength(1 + 5)

    const first = wrapper.findAll('.el-table__body tr')[0].findAll('td').map((td) => td.text())
    // 采购 (none), 其他出入库 9 / 45.00 in, 调拨 (none), 盘点 4 / 20.00 out, 其他 1 / 5.00 in; zeros are blank
    expect(first.slice(11, 31)).toEqual(['', '', '', '', '9', '45.00', '', '', '', '', '', '', '', '', '4', '20.00', '1', '5.00', '', ''])

    await wrapper.find('[data-testid="summary-by-kind"]').trigger('click')
    await flushPromises()
    expect(groups()).toEqual([])
    expect(localStorage.getItem('jxc.stockSummary.byKind')).toBe('false')
  })

  it('shows quantities only for a role that may not see costs', async () => {
    const noValues = SUMMARY_ROWS.map(({ opening_value, in_value, out_value, closing_value, ...row }) => ({ ...row,
      by_kind: Object.fromEntries(Object.entries(row.by_kind).map(([kind, figures]) =>
        [kind, { in_quantity: figures.in_quantity, out_quantity: figures.out_quantity }])) }))
    answer({ 'GET stock-summary/': () => [200, page(noValues.slice(0, 1))] })
    const { wrapper } = await mountView(StockSummaryView, false)
    expect(wrapper.findAll('thead th.list-page__group').map((th) => th.text())).toEqual(['其他出入库', '盘点', '其他'])
    const all = headers(wrapper)
    expect(all.some((text) => text.endsWith('金额'))).toBe(false)
    expect(all.filter((text) => text === '出库数量')).toHaveLength(1 + 3)
  })
})
