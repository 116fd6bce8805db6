import { describe, expect, it } from 'vitest'
import type { SupplierInvoiceLine } from '@/api/purchasing'
import { expenseLine, lineBody, previewAmounts, rowOf } from '@/views/purchasing/invoiceLines'

function saved(fields: Partial<SupplierInvoiceLine>): SupplierInvoiceLine {
  return {
    id: 1, receipt_line: null, receipt_number: null, product: null, product_code: null, product_name: null, account: 8,
    account_code: '5602', account_name: '管理费用', description: '运费', department: '', project: '', quantity: '1.0000',
    unit_price: '100.000000', tax_percent: '9.00', tax_inclusive: false, net_amount: '100.00', tax_amount: '9.00',
    gross_amount: '109.00', receipt_value: '0.00', variance: '0.00', variance_to_stock: '0.00', ordered_quantity: null,
    received_quantity: null, order_price: null, invoice_price: '100.000000', price_difference: null, beyond_tolerance: [],
    ...fields,
  }
}

describe('supplier invoice lines (采购发票明细)', () => {
  it('sends an expense line with its account and description, a line of goods with its receipt line', () => {
    const expense = { ...expenseLine(), account: 8, description: '运费', unit_price: 100, tax_percent: 9 }
    expect(lineBody(expense)).toEqual({ account: 8, description: '运费', department: '', project: '', quantity: 1,
      unit_price: 100, tax_percent: 9, tax_inclusive: false })
    const goods = { ...expenseLine(), receipt_line: 3, quantity: 10, unit_price: 10, tax_percent: 13 }
    expect(lineBody(goods)).toEqual({ receipt_line: 3, quantity: 10, unit_price: 10, tax_percent: 13, tax_inclusive: false })
  })

  it('shows a saved expense line by its account, a line of goods by its product', () => {
    expect(rowOf(saved({ department: '销售部' }))).toMatchObject({ accountLabel: '5602 管理费用', label: '',
      dimensions: { department: 'optional' }, received: null })
    expect(rowOf(saved({ account: null, account_code: null, account_name: null, receipt_line: 4, product: 2,
      product_code: 'SP1', product_name: '商品' })).label).toBe('SP1 商品')
  })

  it('previews the totals of expense lines, rounding per line, tax-inclusive prices split', () => {
    const lines = [
      { ...expenseLine(), unit_price: 100, tax_percent: 9 },
      { ...expenseLine(), quantity: 2, unit_price: 21.2, tax_percent: 9, tax_inclusive: true },
      { ...expenseLine(), unit_price: null },
    ]
    expect(previewAmounts(lines)).toEqual({ net: '138.90', tax: '12.50', gross: '151.40' })
  })
})
