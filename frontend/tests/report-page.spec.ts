import { describe, expect, it } from 'vitest'
import { isNumeric, lineSeries, thisMonth } from '@/components/reportPage'
import { PURCHASE_REPORTS } from '@/views/purchasing/reports'
import { SALES_REPORTS } from '@/views/sales/reports'

describe('report pages', () => {
  it('draws a line per product along the sorted months, a gap where a month has no price', () => {
    const rows = [
      { product_name: '可乐', month: '2026-12', average_price: '11.000000' },
      { product_name: '可乐', month: '2026-11', average_price: '10.000000' },
      { product_name: '雪碧', month: '2026-12', average_price: '8.500000' },
    ]
    expect(lineSeries(rows, 'month', 'product_name', 'average_price')).toEqual({
      categories: ['2026-11', '2026-12'],
      series: [{ name: '可乐', data: [10, 11] }, { name: '雪碧', data: [null, 8.5] }],
    })
  })

  it('opens on this month, and aligns figures right', () => {
    expect(thisMonth(new Date(2026, 10, 27))).toEqual({ from: '2026-11-01', to: '2026-11-27' })
    expect(isNumeric('money')).toBe(true)
    expect(isNumeric('text')).toBe(false)
  })

  it('asks each report its own endpoint and exports with its module permission', () => {
    for (const report of Object.values(SALES_REPORTS)) {
      expect(report.exportPermission).toBe('sales.export')
      expect(report.url).toBe(`${report.name}/`)
    }
    for (const report of Object.values(PURCHASE_REPORTS)) {
      expect(report.exportPermission).toBe('purchasing.export')
      expect(report.url).toBe(`${report.name}/`)
    }
  })
})
