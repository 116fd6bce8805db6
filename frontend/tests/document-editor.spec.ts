import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it, vi } from 'vitest'
import { h, ref } from 'vue'
import type { WarehouseAvailability } from '@/api/inventory'
import type { Product } from '@/api/products'
import DocumentEditor from '@/components/DocumentEditor.vue'
import { applyScan, bringForward, nextCell, parseCell, type DocumentColumn } from '@/components/documentEditor'
import { buildMenu, moduleRoutes, modules } from '@/modules'
import AvailabilityCell from '@/views/inventory/AvailabilityCell.vue'
import {
  applyCountScan, applyProductScan, availabilityState, baseQuantity, countDifference, lineFromServer, lineToInput, newCountRow, newStockLine,
  requestedByProduct, unitFactor, unitOptions, type CountRow, type ProductScan,
} from '@/views/inventory/stockLines'

const global = { plugins: [ElementPlus] }

// 可口可乐: base unit 个 (1), 箱 (3) = 24 个
const cola = { id: 1, base_unit: 1, base_unit_name: '个', units: [{ unit: 3, unit_name: '箱', factor: '24.000000' }] } as Product

const columns: DocumentColumn[] = [
  { prop: 'product', label: 'inventory.line.product' },
  { prop: 'availability', label: 'inventory.line.available', editable: false },
  { prop: 'quantity', label: 'inventory.line.quantity' },
  { prop: 'location', label: 'inventory.line.location' },
]

describe('moving through the lines', () => {
  it('goes to the next editable cell, then the next line, and asks for a new line after the last', () => {
    expect(nextCell(columns, { row: 0, prop: 'product' }, 2)).toEqual({ row: 0, prop: 'quantity' })
    expect(nextCell(columns, { row: 0, prop: 'location' }, 2)).toEqual({ row: 1, prop: 'product' })
    expect(nextCell(columns, { row: 1, prop: 'location' }, 2)).toBe('add')
    expect(nextCell([{ prop: 'a', label: 'inventory.line.unit', editable: false }], { row: 0, prop: 'a' }, 1)).toBeNull()
    expect(parseCell('12:unit_cost')).toEqual({ row: 12, prop: 'unit_cost' })
    expect(parseCell(undefined)).toBeNull()
    // at phone width the quantity comes right after the product
    expect(bringForward(columns, ['quantity']).map((column) => column.prop)).toEqual(['product', 'quantity', 'availability', 'location'])
  })
})

describe('lines from scans', () => {
  const scanOf = (values: Partial<ProductScan> = {}): ProductScan => ({
    product: 1, label: 'SP0001 可口可乐', unit: 1, tracking: 'none', location: 13, to_location: null, lot: null, lot_code: '', ...values,
  })

  it('adds one to the line of the same product, unit and bin; a new line otherwise', () => {
    const lines = [newStockLine()]
    expect(applyProductScan(lines, scanOf())).toEqual({ index: 0, added: true }) // the empty line is used first
    expect(applyProductScan(lines, scanOf())).toEqual({ index: 0, added: false })
    expect(lines[0]).toMatchObject({ product: 1, quantity: 2, location: 13, unit: 1 })
    expect(applyProductScan(lines, scanOf({ location: 14 }))).toEqual({ index: 1, added: true })
    expect(applyProductScan(lines, scanOf({ unit: 3 }))).toEqual({ index: 2, added: true }) // a case barcode counts cases
    expect(applyProductScan(lines, scanOf({ location: null }))).toEqual({ index: 0, added: false }) // no bin yet: any line
    expect(lines.map((line) => line.quantity)).toEqual([3, 1, 1])
  })

  it('keeps lots apart, and gives every serial-tracked piece a line of its own', () => {
    const lines = [newStockLine({ product: 1, unit: 1, quantity: 5, location: 13, lot: 7, lot_code: 'L1' })]
    expect(applyProductScan(lines, scanOf({ lot: 7 }))).toEqual({ index: 0, added: false })
    expect(applyProductScan(lines, scanOf({ lot_code: 'NEW-LOT' }))).toEqual({ index: 1, added: true })
    expect(applyProductScan(lines, scanOf({ lot_code: 'NEW-LOT' }))).toEqual({ index: 1, added: false })
    expect(applyProductScan(lines, scanOf({ tracking: 'serial' }))).toEqual({ index: 2, added: true })
    expect(applyProductScan(lines, scanOf({ tracking: 'serial' }))).toEqual({ index: 3, added: true })
    expect(lines.map((line) => line.quantity)).toEqual([6, 2, 1, 1])
  })

  it('is generic: match, increment, create, and reuse of an empty line', () => {
    const rows = [{ code: 'A', n: 1 }, { code: '', n: 0 }]
    const options = (code: string) => ({
      matches: (row: { code: string }) => row.code === code,
      increment: (row: { n: number }) => void (row.n += 1),
      create: () => ({ code, n: 1 }),
      isEmpty: (row: { code: string }) => !row.code,
    })
    expect(applyScan(rows, options('A'))).toEqual({ index: 0, added: false })
    expect(applyScan(rows, options('B'))).toEqual({ index: 1, added: true })
    expect(applyScan(rows, options('C'))).toEqual({ index: 2, added: true })
    expect(rows).toEqual([{ code: 'A', n: 2 }, { code: 'B', n: 1 }, { code: 'C', n: 1 }])
  })
})

describe('what a line sends and asks', () => {
  it('sends a new lot with its dates on a receipt, an existing lot by id, and leaves out what is not chosen', () => {
    const line = newStockLine({ product: 1, unit: 3, quantity: 2, lot_code: ' L1 ', production_date: '2026-11-01',
      expiry_date: '2026-11-16', unit_cost: 100 })
    expect(lineToInput(line, 'receipt', true)).toEqual({ product: 1, unit: 3, quantity: 2, serial: '', lot_code: 'L1',
      production_date: '2026-11-01', expiry_date: '2026-11-16', unit_cost: 100 })
    expect(lineToInput(line, 'receipt', false)).not.toHaveProperty('unit_cost')
    expect(lineToInput(newStockLine({ product: 1, quantity: 1, lot: 7, lot_code: 'L1', location: 13, to_location: 31 }), 'transfer', true))
      .toEqual({ product: 1, quantity: 1, serial: '', lot: 7, location: 13, to_location: 31 })
    // nothing chosen: the server takes the base unit and the stock where it is
    expect(lineToInput(newStockLine({ product: 1, quantity: 1 }), 'issue', true)).toEqual({ product: 1, quantity: 1, serial: '' })
  })

  it('keeps the new lot of a saved draft receipt, dates and all, and sends it back as it came', () => {
    const saved = {
      id: 5, product: 1, product_code: 'SP0001', product_name: '可口可乐', unit: 1, quantity: '2.0000', location: null,
      to_location: null, lot: null, lot_code: 'L9', production_date: '2026-11-01', expiry_date: null, serial: '',
    }
    const row = lineFromServer(saved)
    expect([row.lot, row.lot_code, row.production_date, row.expiry_date]).toEqual([null, 'L9', '2026-11-01', null])
    expect(lineToInput(row, 'receipt', false)).toEqual({ product: 1, unit: 1, quantity: 2, serial: '', lot_code: 'L9',
      production_date: '2026-11-01', expiry_date: null })
  })

  it('converts to the base unit and adds up what all lines of a product ask', () => {
    expect(unitFactor(cola, 3)).toBe(24)
    expect(unitFactor(cola, 1)).toBe(1)
    expect(unitFactor(cola, 99)).toBeNull()
    expect(baseQuantity({ quantity: 1.5, unit: 3 }, cola)).toBe(36)
    expect(unitOptions(cola)).toEqual([{ value: 1, label: '个' }, { value: 3, label: '箱（24个）' }])
    const lines = [newStockLine({ product: 1, unit: 3, quantity: 2 }), newStockLine({ product: 1, unit: 1, quantity: 0.1 }),
      newStockLine({ product: 1, unit: 1, quantity: 0.2 }), newStockLine()]
    expect(requestedByProduct(lines, new Map([[1, cola]]))).toEqual(new Map([[1, 48.3]]))
  })
})

describe('counting by scanning', () => {
  const row = (values: Partial<CountRow>): CountRow =>
    newCountRow({ product: 1, label: 'SP0001', location: 13, lot: null, book: 6, counted: null, ...values })
  const scan = { product: 1, label: 'SP0001', tracking: 'none' as const, location: 13, lot: null }

  it('adds one to the product’s line (starting from 0), or a line for goods the book does not have', () => {
    const rows = [row({})]
    expect(applyCountScan(rows, scan)).toEqual({ index: 0, added: false })
    expect(applyCountScan(rows, scan)).toEqual({ index: 0, added: false })
    expect(rows[0].counted).toBe(2)
    expect(countDifference(rows[0])).toBe(-4)
    expect(applyCountScan(rows, { ...scan, location: 14 })).toEqual({ index: 1, added: true })
    expect(rows[1]).toMatchObject({ product: 1, location: 14, book: 0, counted: 1 })
    expect(countDifference(rows[1])).toBe(1)
    expect(countDifference(row({}))).toBeNull()
  })

  it('asks for the bin or the lot when the product has several lines, or a new line needs them', () => {
    const rows = [row({ location: 13 }), row({ location: 14 })]
    expect(applyCountScan(rows, { ...scan, location: null })).toEqual({ error: 'need-location' })
    const lotted = [row({ lot: 7 }), row({ lot: 8 })]
    expect(applyCountScan(lotted, scan)).toEqual({ error: 'need-lot' })
    expect(applyCountScan(lotted, { ...scan, lot: 8 })).toEqual({ index: 1, added: false })
    expect(applyCountScan([], { ...scan, tracking: 'lot' })).toEqual({ error: 'need-lot' })
    expect(applyCountScan([], { ...scan, location: null })).toEqual({ error: 'need-location' })
  })
})

describe('availability', () => {
  const figure: WarehouseAvailability = { warehouse: 1, warehouse_name: '上海总仓', on_hand: '12.0000', reserved: '2.0000',
    frozen: '0.0000', available: '10.0000', incoming: '0.0000', projected: '10.0000' }

  it('compares what is available with what the lines ask', () => {
    expect(availabilityState('10.0000', 10)).toBe('ok')
    expect(availabilityState('10.0000', 10.5)).toBe('short')
    expect(availabilityState(undefined, 1)).toBe('unknown')
    // enough, but what is left (10 − 6 = 4) is below the safety stock of 5
    expect(availabilityState('10.0000', 6, '5.0000')).toBe('low')
    expect(availabilityState('10.0000', 5, '5.0000')).toBe('ok')
    expect(availabilityState('10.0000', 0, '50')).toBe('ok')
  })

  it('shows the available quantity, red and marked when the lines ask for more; on hand for receipts', () => {
    const ok = mount(AvailabilityCell, { global, props: { figure, requested: 4, unitName: '个' } })
    expect(ok.text()).toBe('10 个')
    expect(ok.find('.availability').classes()).toContain('is-ok')
    const low = mount(AvailabilityCell, { global, props: { figure, requested: 6, unitName: '个', safetyStock: '5.0000' } })
    expect(low.text()).toBe('10 个（低于安全库存）')
    expect(low.find('.availability').classes()).toContain('is-low')
    const short = mount(AvailabilityCell, { global, props: { figure, requested: 11, unitName: '个' } })
    expect(short.text()).toBe('10 个（不足）')
    expect(short.find('.availability').classes()).toContain('is-short')
    expect(mount(AvailabilityCell, { global, props: { figure, requested: 99, unitName: '个', mode: 'on-hand' } }).text()).toBe('12 个')
    expect(mount(AvailabilityCell, { global, props: { figure: undefined, requested: 0, unitName: '' } }).text()).toBe('…')
    expect(mount(AvailabilityCell, { global, props: { figure: null, requested: 0, unitName: '' } }).text()).toBe('—')
  })

  it('lists incoming (在途) and projected (预计可用) in the tooltip; the cell stays one figure', async () => {
    const coming = { ...figure, on_hand: '2.0000', reserved: '0.0000', available: '2.0000', incoming: '5.0000', projected: '7.0000' }
    const cell = mount(AvailabilityCell, { global, props: { figure: coming, requested: 3, unitName: '瓶' }, attachTo: document.body })
    expect(cell.text()).toBe('2 瓶（不足）')
    await cell.get('[data-testid="line-availability"]').trigger('mouseenter')
    await new Promise((resolve) => setTimeout(resolve, 400)) // the tooltip shows after 300 ms
    await flushPromises()
    const details = document.querySelector('[data-testid="availability-details"]')?.textContent ?? ''
    expect(details).toContain('现存：2')
    expect(details).toContain('在途：5')
    expect(details).toContain('预计可用：7')
    expect(details).toContain('在途到货后够用') // short now, enough once it arrives
  })
})

describe('DocumentEditor', () => {
  function mountEditor(run = vi.fn()) {
    const lines = ref([{ key: 1, a: '', b: '' }])
    const wrapper = mount({
      render: () => h(DocumentEditor, {
        title: '其他入库单',
        state: 'draft',
        flow: ['draft', 'done'],
        columns: [{ prop: 'a', label: 'inventory.line.product' }, { prop: 'shown', label: 'inventory.line.available', editable: false },
          { prop: 'b', label: 'inventory.line.quantity' }],
        newLine: () => ({ key: lines.value.length + 1, a: '', b: '' }),
        errors: {},
        lines: lines.value,
        'onUpdate:lines': (value: object[]) => (lines.value = value as typeof lines.value),
        actions: [
          { key: 'post', label: '过账', visible: true, run },
          { key: 'receive', label: '确认收货', visible: false, run },
        ],
        totals: [{ key: 'quantity', label: '数量合计', value: '10' }],
      }, {
        'cell-a': ({ index }: { index: number }) => h('input', { id: `a-${index}` }),
        'cell-shown': () => h('span', 'x'),
        'cell-b': ({ index }: { index: number }) => h('input', { id: `b-${index}` }),
      }),
    }, { global, attachTo: document.body })
    return { wrapper, lines }
  }

  const enter = (id: string) =>
    document.getElementById(id)?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }))

  it('moves the cursor with Enter past shown-only cells, and adds a line after the last cell', async () => {
    const { lines } = mountEditor()
    await flushPromises()
    document.getElementById('a-0')?.focus()
    enter('a-0')
    await flushPromises()
    expect(document.activeElement?.id).toBe('b-0')
    enter('b-0')
    await flushPromises()
    expect(lines.value).toHaveLength(2)
    expect(document.activeElement?.id).toBe('a-1')
  })

  it('shows the actions the page allows, the state, the steps and the totals', async () => {
    const run = vi.fn()
    const { wrapper } = mountEditor(run)
    expect(wrapper.find('[data-testid="document-state"]').text()).toBe('草稿')
    expect(wrapper.find('[data-testid="document-receive"]').exists()).toBe(false)
    await wrapper.find('[data-testid="document-post"]').trigger('click')
    await flushPromises()
    expect(run).toHaveBeenCalledOnce()
    expect(wrapper.find('[data-testid="document-total-quantity"]').text()).toBe('数量合计：10')
    expect(wrapper.findAll('.el-step').map((step) => step.text())).toEqual(['草稿', '已完成'])
  })
})

describe('inventory module', () => {
  it('lists its seventeen pages in the menu; documents open under their list', () => {
    const inventory = modules.find((module) => module.code === 'inventory')
    expect(inventory?.menu.map((item) => item.name)).toEqual([
      'inventory-receipts', 'inventory-issues', 'inventory-transfers', 'inventory-counts', 'inventory-stock', 'inventory-low-stock',
      'inventory-expiring', 'inventory-moves',
      'inventory-ledger', 'inventory-summary', 'inventory-lots', 'inventory-reservations', 'inventory-freezes',
      'inventory-cost-adjustments', 'inventory-revaluations', 'inventory-periods', 'inventory-verify',
    ])
    const editor = moduleRoutes(modules).find((route) => route.name === 'inventory-receipt')
    expect(editor).toMatchObject({ path: '/inventory/receipts/:id', props: { kind: 'receipt' },
      meta: { module: 'inventory', permission: 'inventory.view', activeMenu: '/inventory/receipts' } })
    // the inventory accounting pages need finance.view and a role that may see costs
    expect(buildMenu(modules, ['inventory'], (permission) => permission === 'inventory.view', true)[0].items).toHaveLength(14)
    const accountant = (permission: string) => ['inventory.view', 'finance.view'].includes(permission)
    expect(buildMenu(modules, ['inventory'], accountant, false)[0].items).toHaveLength(14)
    expect(buildMenu(modules, ['inventory'], accountant, true)[0].items).toHaveLength(17)
    const adjustment = moduleRoutes(modules).find((route) => route.name === 'inventory-cost-adjustment')
    expect(adjustment).toMatchObject({ path: '/inventory/cost-adjustments/:id',
      meta: { module: 'inventory', permission: 'finance.view', costs: true, activeMenu: '/inventory/cost-adjustments' } })
  })
})
