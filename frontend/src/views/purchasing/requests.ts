import type { PurchaseRequest, RequestChoice } from '@/api/purchasing'
import type { Id } from '@/api/types'

/** One row of the 转采购订单 dialog: an open line of an approved request. */
export interface ConvertRow {
  line: Id
  requestNumber: string
  label: string
  unitName: string
  /** what is still open, in the request line's unit (the default) */
  open: number
  quantity: number | null
  supplier: Id | null
  supplierName: string
  selected: boolean
}

/** The open lines of the requests, each with its suggested supplier and what is still open (in its unit). */
export function convertRows(requests: PurchaseRequest[]): ConvertRow[] {
  const rows: ConvertRow[] = []
  for (const request of requests) {
    if (request.state !== 'approved' && request.state !== 'partially_done') continue
    for (const line of request.lines) {
      const openBase = Number(line.open_quantity)
      if (!(openBase > 0)) continue
      const perBase = Number(line.base_quantity) ? Number(line.quantity) / Number(line.base_quantity) : 1
      const open = Math.round(openBase * perBase * 10000) / 10000
      rows.push({
        line: line.id, requestNumber: request.number, label: `${line.product_code} ${line.product_name}`,
        unitName: line.unit_name, open, quantity: open, supplier: line.supplier, supplierName: line.supplier_name ?? '',
        selected: true,
      })
    }
  }
  return rows
}

/** What the dialog sends: the chosen rows; a quantity only when changed (else the server orders exactly what is open). */
export function convertChoices(rows: ConvertRow[]): RequestChoice[] {
  return rows.filter((row) => row.selected).map((row) => ({
    request_line: row.line,
    supplier: row.supplier,
    ...(row.quantity !== null && row.quantity !== row.open ? { quantity: row.quantity } : {}),
  }))
}
