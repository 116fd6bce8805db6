import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import type { StockMove } from '@/api/inventory'
import { i18n, setLocale } from '@/i18n'
import CostExplanation from '@/views/inventory/CostExplanation.vue'
import { costSteps, explainCost, explainStep, moveDirection, rawStep } from '@/views/inventory/costExplanation'

const t = (key: string, params?: Record<string, unknown>) => (params ? i18n.global.t(key, params) : i18n.global.t(key))
const texts = (explanation: unknown, context = {}) => explainCost(explanation, t, context).map((step) => step.text)

describe('cost explanation in words', () => {
  it('moving average: a receipt re-averages, an issue leaves at the average', () => {
    expect(texts([{ kind: 'average', before: '5.000000', after: '6.500000' }])).toEqual(['移动加权平均：单位成本 5.00 → 6.50'])
    expect(texts([{ kind: 'average', unit_cost: '5.123456' }])).toEqual(['移动加权平均：按平均单位成本 5.123456 出库'])
  })

  it('FIFO: the layer a receipt makes, the layers an issue takes, and stock issued below zero', () => {
    expect(texts([{ kind: 'layer', source: 'new:0', quantity: '10.0000', value: '50.00' }], { direction: 'in' }))
      .toEqual(['先进先出：本次入库形成成本层，数量 10，金额 50.00'])
    // replayed, a receipt's layer is named by its own move id
    expect(texts([{ kind: 'layer', source: '77', quantity: '10', value: '50.00' }], { moveId: 77 }))
      .toEqual(['先进先出：本次入库形成成本层，数量 10，金额 50.00'])
    expect(texts([
      { kind: 'layer', source: '123', quantity: '4.0000', value: '20.00' },
      { kind: 'layer', source: 'new:1', quantity: '1', value: '6.00' },
      { kind: 'layer', source: 'opening', quantity: '2', value: '9.00' },
      { kind: 'below_zero', quantity: '3.0000', unit_cost: '4.000000', value: '12.00' },
    ], { moveId: 200, direction: 'out' })).toEqual([
      '先进先出：取自入库 #123，数量 4，金额 20.00',
      '先进先出：取自同一单据的入库，数量 1，金额 6.00',
      '先进先出：取自期初结存，数量 2，金额 9.00',
      '负库存出库 3，按最近成本 4.00 暂估，金额 12.00',
    ])
  })

  it('adjustments, receipts sent back, transfers, cost adjustments and the month-end average', () => {
    expect(texts([
      { kind: 'adjustment', value: '-1.50', reason: 'settles stock issued below zero' },
      { kind: 'adjustment', reason: 'settles stock issued below zero', receipt: 55 },
      { kind: 'adjustment', value: '2.00' },
      { kind: 'adjustment', value: '2.00', reason: '手工' },
    ])).toEqual([
      '冲抵此前负库存出库的暂估成本，金额 -1.50',
      '冲抵此前负库存出库的暂估成本，由入库 #55 结算',
      '存货金额调整，金额 2.00',
      '存货金额调整（手工），金额 2.00',
    ])
    expect(texts([{ kind: 'original_cost', value: '50.00', taken: '50.00' }])).toEqual(['退回入库：按原入库成本 50.00 冲回'])
    expect(texts([{ kind: 'original_cost', value: '50.00', taken: '42.00' }]))
      .toEqual(['退回入库：原入库成本 50.00，按库存剩余金额实际冲回 42.00'])
    expect(texts([{ kind: 'carried', unit_cost: '5.000000' }])).toEqual(['调拨：按单位成本 5.00 随货转移，存货金额不变'])
    expect(texts([
      { kind: 'revaluation', before: '5.000000', after: '6.000000' },
      { kind: 'revaluation', layers: 2 },
      { kind: 'revaluation' },
      { kind: 'month_average', unit_cost: '13.000000' },
    ])).toEqual([
      '成本调整：单位成本 5.00 → 6.00',
      '成本调整：按数量分摊到 2 个成本层',
      '成本调整：冲抵负库存出库的暂估成本',
      '月末一次加权平均，单位成本 13.00',
    ])
  })

  it('marks what later re-valuations appended as notes', () => {
    const steps = explainCost([
      { kind: 'average', unit_cost: '6.000000' },
      { kind: 'revalued', cause: 'backdated', reference: 'TZ20261020-0001' },
      { kind: 'revalued', cause: 'month_close', reference: '2026-09' },
      { kind: 'revalued', cause: 'import', reference: '' },
      { kind: 'month_close', month: '2026-09', quantity_in: '20.0000', value_in: '260.00' },
    ], t)
    expect(steps.map((step) => step.note)).toEqual([false, true, true, true, true])
    expect(steps.map((step) => step.text)).toEqual([
      '移动加权平均：按平均单位成本 6.00 出库',
      '后补单据重算（单号 TZ20261020-0001）',
      '月末结账重算（2026-09）',
      '成本重算（import）',
      '2026-09 月末结账：本月可供发出数量 20，金额 260.00',
    ])
  })

  it('shows an unknown kind, or a known one without its fields, as its raw fields', () => {
    const [unknown, broken, odd] = explainCost([
      { kind: 'fx_gain', rate: '7.1', value: '3.00', detail: { a: 1 } },
      { kind: 'average' },
      'not a step',
    ], t)
    expect(unknown).toEqual({ kind: 'fx_gain', text: 'fx_gain：rate=7.1，value=3.00，detail={"a":1}', note: false, known: false })
    expect(broken.text).toBe('average：—')
    expect(broken.known).toBe(false)
    expect(odd.text).toBe('?：value=not a step')
    expect(explainStep({ kind: 'something_new' }, t)).toBeNull()
    expect(rawStep({ kind: 'x', n: 2 }, t)).toBe('x：n=2')
  })

  it('has nothing to say about a missing or malformed explanation', () => {
    expect(costSteps(undefined)).toEqual([])
    expect(costSteps('average')).toEqual([])
    expect(explainCost(null, t)).toEqual([])
  })

  it('speaks English too', () => {
    setLocale('en')
    expect(texts([
      { kind: 'average', before: '5', after: '6.5' },
      { kind: 'layer', source: '123', quantity: '4', value: '20' },
      { kind: 'month_average', unit_cost: '13' },
      { kind: 'revalued', cause: 'backdated', reference: 'TZ1' },
      { kind: 'adjustment', value: '2.00' },
    ], { direction: 'out' })).toEqual([
      'Moving average: unit cost 5.00 → 6.50',
      'FIFO: 4 taken from receipt #123, value 20.00',
      'Monthly weighted average, unit cost 13.00',
      'Re-valued after a back-dated document (TZ1)',
      'Stock value adjustment, value 2.00',
    ])
  })

  it('tells receipts from issues by the flow the ledger recorded', () => {
    expect(moveDirection({ flow: 'in' })).toBe('in')
    expect(moveDirection({ flow: 'out' })).toBe('out')
    expect(moveDirection({ flow: 'internal' })).toBeNull()
    // an unknown flow (a newer server) is neither, whatever the warehouses
    expect(moveDirection({ flow: 'elsewhere' } as unknown as Pick<StockMove, 'flow'>)).toBeNull()
  })

  it('names the layer a receipt makes from its flow, even with a warehouse on both sides', () => {
    // a receipt from a location that belongs to a warehouse (e.g. a count's gain) is still a receipt
    const layer = [{ kind: 'layer', source: '123', quantity: '2', value: '10.00' }]
    expect(texts(layer, { direction: moveDirection({ flow: 'in' }) })).toEqual(['先进先出：本次入库形成成本层，数量 2，金额 10.00'])
    expect(texts(layer, { direction: moveDirection({ flow: 'out' }) })).toEqual(['先进先出：取自入库 #123，数量 2，金额 10.00'])
  })
})

const move = (fields: Partial<StockMove>): StockMove => ({
  id: 9, business_date: '2026-10-20', reference: 'QC20261020-0001', product: 1, product_code: 'SP0010', product_name: '雪碧',
  flow: 'out', quantity: '4.0000', from_location: 1, from_location_code: 'SH', to_location: 2, to_location_code: 'CUSTOMER',
  from_warehouse: 1, to_warehouse: null, lot: null, lot_code: null, serial_number: null, unit_cost: '5.000000', value: '20.00',
  origin_type: 'inventory.stockdocumentline', origin_id: 1, reversal_of: null, posted_at: '2026-10-20T10:00:00+08:00', ...fields,
})

describe('CostExplanation', () => {
  it('opens the steps and the later notes from the value', async () => {
    const wrapper = mount(CostExplanation, {
      props: { move: move({ cost_explanation: [
        { kind: 'average', unit_cost: '5.000000' },
        { kind: 'revalued', cause: 'backdated', reference: 'TZ20261020-0001' },
      ] }) },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    const link = wrapper.get('[data-testid="move-cost"]')
    expect(link.text()).toBe('20.00')
    await link.trigger('click')
    await new Promise((resolve) => setTimeout(resolve, 50))
    await flushPromises()
    const popup = document.querySelector('[data-testid="cost-explanation"]')
    expect(popup?.textContent).toContain('数量 4，单位成本 5.00，金额 20.00')
    expect([...document.querySelectorAll('[data-testid="cost-step"]')].map((li) => li.textContent))
      .toEqual(['移动加权平均：按平均单位成本 5.00 出库'])
    expect([...document.querySelectorAll('[data-testid="cost-note"]')].map((li) => li.textContent))
      .toEqual(['后补单据重算（单号 TZ20261020-0001）'])
  })

  it('shows the value alone without an explanation (or for a role that sees no costs)', () => {
    const wrapper = mount(CostExplanation, { props: { move: move({ cost_explanation: [] }) }, global: { plugins: [ElementPlus] } })
    expect(wrapper.find('[data-testid="move-cost"]').exists()).toBe(false)
    expect(wrapper.text()).toBe('20.00')
  })
})
