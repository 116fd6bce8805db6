import type { InvoiceToleranceKind, SupplierInvoiceLine, SupplierInvoiceLineInput } from '@/api/purchasing'
import type { Id } from '@/api/types'
import { nextKey } from './lines'

/** A row of the supplier invoice's grid: a line of goods (`receipt_line`) or an expense line (费用行: `account`). */
export interface InvoiceLineRow {
  key: number
  receipt_line: Id | null
  receipt_number: string | null
  label: string
  /** an expense line's account, its label and the dimensions it takes (department, project) */
  account: Id | null
  accountLabel: string
  dimensions: Record<string, string>
  description: string
  department: string
  project: string
  quantity: number | null
  unit_price: number | null
  tax_percent: number | null
  tax_inclusive: boolean
  gross_amount: string | null
  receipt_value: string | null
  variance: string | null
  ordered: string | null
  received: string | null
  order_price: string | null
  price_difference: string | null
  beyond: InvoiceToleranceKind[]
}

/** 添加费用行: an empty expense line, quantity 1. */
export function expenseLine(): InvoiceLineRow {
  return { key: nextKey(), receipt_line: null, receipt_number: null, label: '', account: null, accountLabel: '', dimensions: {},
    description: '', department: '', project: '', quantity: 1, unit_price: null, tax_percent: null, tax_inclusive: false,
    gross_amount: null, receipt_value: null, variance: null, ordered: null, received: null, order_price: null,
    price_difference: null, beyond: [] }
}

/** The grid row of a saved line. */
export function rowOf(line: SupplierInvoiceLine): InvoiceLineRow {
  return {
    key: nextKey(), receipt_line: line.receipt_line, receipt_number: line.receipt_number,
    label: line.product_code ? `${line.product_code} ${line.product_name}` : '',
    account: line.account, accountLabel: line.account ? `${line.account_code} ${line.account_name}` : '',
    dimensions: { ...(line.department ? { department: 'optional' } : {}), ...(line.project ? { project: 'optional' } : {}) },
    description: line.description, department: line.department, project: line.project,
    quantity: Number(line.quantity), unit_price: Number(line.unit_price), tax_percent: Number(line.tax_percent),
    tax_inclusive: line.tax_inclusive, gross_amount: line.gross_amount, receipt_value: line.receipt_value, variance: line.variance,
    ordered: line.ordered_quantity, received: line.received_quantity, order_price: line.order_price,
    price_difference: line.price_difference, beyond: line.beyond_tolerance,
  }
}

/** What the server is sent: a receipt line with its quantity, or an expense line with its account and description. */
export function lineBody(line: InvoiceLineRow): SupplierInvoiceLineInput {
  const amounts = { unit_price: line.unit_price ?? 0, tax_percent: line.tax_percent ?? 0, tax_inclusive: line.tax_inclusive }
  if (line.receipt_line !== null) return { receipt_line: line.receipt_line, quantity: line.quantity ?? 0, ...amounts }
  return { account: line.account, description: line.description, department: line.department, project: line.project,
    quantity: line.quantity ?? 0, ...amounts }
}

/** A preview of the totals of lines not saved yet (the server computes the real ones, rounding per line). */
export function previewAmounts(lines: InvoiceLineRow[]): { net: string; tax: string; gross: string } {
  let net = 0
  let gross = 0
  for (const line of lines) {
    if (!line.quantity || line.unit_price === null) continue
    const amount = line.quantity * line.unit_price
    const rate = 1 + (line.tax_percent ?? 0) / 100
    const lineGross = Math.round((line.tax_inclusive ? amount : amount * rate) * 100) / 100
    const lineNet = Math.round((line.tax_inclusive ? amount / rate : amount) * 100) / 100
    net += lineNet
    gross += lineGross
  }
  return { net: net.toFixed(2), tax: (gross - net).toFixed(2), gross: gross.toFixed(2) }
}
