import { describe, expect, it } from 'vitest'
import type { PurchaseRequest, PurchaseRequestLine } from '@/api/purchasing'
import { buildMenu, modules } from '@/modules'
import { convertChoices, convertRows } from '@/views/purchasing/requests'

function line(fields: Partial<PurchaseRequestLine>): PurchaseRequestLine {
  return {
    id: 11, product: 5, product_code: 'SP0020', product_name: '脉动 330ml', unit: 2, unit_name: '箱', base_unit_name: '瓶',
    quantity: '2.0000', base_quantity: '48.0000', supplier: 7, supplier_name: '上海供应商', needed_by: null,
    ordered_quantity: '0.0000', open_quantity: '48.0000', note: '', ...fields,
  }
}

function request(fields: Partial<PurchaseRequest>): PurchaseRequest {
  return {
    id: 1, number: 'QG20261127-0001', state: 'approved', business_date: '2026-11-27', department: '生产部', requester: 3,
    requester_name: '张三', warehouse: 1, warehouse_name: '上海总仓', needed_by: null, note: '', created_by_name: '张三',
    created_at: '2026-11-27T08:00:00Z', approved_at: null, closed_at: null, lines: [], stock: {}, ...fields,
  }
}

describe('转采购订单 dialog rows', () => {
  it('lists the open lines of approved requests in their own unit, with the suggested supplier', () => {
    const rows = convertRows([
      request({ lines: [line({}), line({ id: 12, ordered_quantity: '36.0000', open_quantity: '12.0000', supplier: null,
        supplier_name: null }), line({ id: 13, ordered_quantity: '48.0000', open_quantity: '0.0000' })] }),
      request({ id: 2, state: 'draft', lines: [line({ id: 21 })] }),
    ])
    expect(rows.map((row) => [row.line, row.open, row.unitName, row.supplier])).toEqual([[11, 2, '箱', 7], [12, 0.5, '箱', null]])
  })

  it('sends the chosen rows, with a quantity only when it was changed', () => {
    const rows = convertRows([request({ lines: [line({}), line({ id: 12 }), line({ id: 13 })] })])
    rows[1].quantity = 1
    rows[1].supplier = 9
    rows[2].selected = false
    expect(convertChoices(rows)).toEqual([
      { request_line: 11, supplier: 7 },
      { request_line: 12, supplier: 9, quantity: 1 },
    ])
  })

  it('needs no purchasing permission for the request pages (once the server lists the module)', () => {
    const menu = buildMenu(modules, ['purchasing'], (permission: string) => permission === 'workflow.view', false)
    const names = menu.flatMap((group) => group.items.map((item) => item.name))
    expect(names).toContain('purchasing-requests')
    expect(names).not.toContain('purchasing-orders')
  })
})
