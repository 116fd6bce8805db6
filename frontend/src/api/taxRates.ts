import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export type TaxKind = 'goods' | 'services'
export type InvoiceType = 'special' | 'ordinary' | 'none'

export const TAX_KINDS: TaxKind[] = ['goods', 'services']
export const INVOICE_TYPES: InvoiceType[] = ['special', 'ordinary', 'none']

/** A tax code: rate (or simplified levy rate) in %, goods or services, invoice type, accounts. */
export interface TaxRate {
  id: Id
  code: string
  name: string
  /** decimal as text, e.g. "13.00" */
  rate: string
  is_levy_rate: boolean
  kind: TaxKind
  invoice_type: InvoiceType
  input_account: string
  output_account: string
  is_active: boolean
}

export type TaxRateInput = Omit<TaxRate, 'id' | 'rate'> & { rate: string | number }

const url = 'tax-rates/'

export const taxRatesApi = { ...editableResource<TaxRate, TaxRateInput>(url), remove: removeFrom(url) }
