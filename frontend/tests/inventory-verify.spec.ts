import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import { countByCheck, describeProblem } from '@/views/inventory/verify'
import VerifyView from '@/views/inventory/VerifyView.vue'
import { mockApi } from './mockApi'

const global = { plugins: [ElementPlus] }

describe('consistency check problems', () => {
  it('names the check, fills the figures into the message and lists the rows involved', () => {
    expect(describeProblem({ check: 'balance_equals_ledger', balance: 12, on_hand: '5.0000', ledger: '4.0000' })).toEqual({
      check: 'balance_equals_ledger',
      checkLabel: '现存量与明细',
      message: '现存量 5 与出入库明细合计 4 不符',
      rows: [{ field: 'balance', label: '现存量记录', value: '#12' }],
    })
    // a ledger total without a stock record: product, location and lot (0 = none)
    expect(describeProblem({ check: 'balance_equals_ledger', missing_balance: [3, 7, 0], ledger: '2.0000' })).toMatchObject({
      message: '出入库明细合计 2，但没有对应的现存量记录',
      rows: [{ field: 'missing_balance', label: '商品/库位/批次', value: '#3 / #7 / —' }],
    })
  })

  it('reads a pair of figures (quantity / value) as one', () => {
    expect(describeProblem({ check: 'valuation_equals_ledger', product: 5, valuation: ['2.0000', '10.000000'],
      ledger: ['3.0000', '15.000000'] })).toMatchObject({
      message: '存货数量/金额 2 / 10 与出入库明细合计 3 / 15 不符',
      rows: [{ field: 'product', label: '商品', value: '#5' }],
    })
  })

  it('shows a check the UI does not know with all its fields, and a message the server sends as it is', () => {
    expect(describeProblem({ check: 'something_new', row: 4, total: '1.5000' })).toEqual({
      check: 'something_new',
      checkLabel: 'something_new',
      message: '',
      rows: [{ field: 'row', label: '仓库库存记录', value: '#4' }, { field: 'total', label: 'total', value: '1.5000' }],
    })
    expect(describeProblem({ check: 'negative_stock', row: 4, on_hand: '-1.0000', message: '负库存' })).toMatchObject({
      message: '负库存',
      rows: [{ field: 'row', value: '#4' }, { field: 'on_hand', value: '-1' }],
    })
  })

  it('counts the problems of each check', () => {
    expect(countByCheck([{ check: 'warehouse_frozen' }, { check: 'negative_stock' }, { check: 'warehouse_frozen' }])).toEqual([
      { check: 'warehouse_frozen', label: '仓库冻结汇总', count: 2 },
      { check: 'negative_stock', label: '负库存', count: 1 },
    ])
  })
})

describe('VerifyView', () => {
  it('runs the check on demand and shows the consistent result, then the problems', async () => {
    let body: unknown = { consistent: true, problems: [] }
    const requests = mockApi(() => [200, body])
    const wrapper = mount(VerifyView, { global, attachTo: document.body })
    expect(requests).toHaveLength(0) // nothing runs before the button is pressed
    expect(wrapper.find('[data-testid="verify-result"]').attributes('data-state')).toBe('none')

    await wrapper.find('[data-testid="verify-run"]').trigger('click')
    await flushPromises()
    expect(requests[0]).toMatchObject({ method: 'GET', url: 'stock/verify/' })
    expect(wrapper.find('[data-testid="verify-consistent"]').text()).toContain('库存数据一致')

    body = { consistent: false, problems: [{ check: 'warehouse_frozen', row: 9, frozen: '3.0000', balances: '0.0000' }] }
    await wrapper.find('[data-testid="verify-run"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[data-testid="verify-result"]').attributes('data-state')).toBe('problems')
    expect(wrapper.find('[data-testid="verify-inconsistent"]').text()).toContain('发现 1 个问题')
    const table = wrapper.find('[data-testid="verify-problems"]').text()
    expect(table).toContain('仓库冻结汇总')
    expect(table).toContain('仓库冻结 3 与各库位冻结合计 0 不符')
    expect(table).toContain('仓库库存记录：#9')
  })
})
