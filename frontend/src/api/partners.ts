import type { CustomValues } from './customFields'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export type PaymentTerms = 'immediate' | 'net' | 'month_end'

export const PAYMENT_TERMS: PaymentTerms[] = ['immediate', 'net', 'month_end']

export interface PartnerContact {
  name: string
  position: string
  phone: string
  email: string
  is_primary: boolean
}

export interface PartnerAddress {
  label: string
  contact: string
  phone: string
  address: string
  is_default: boolean
}

/** A supplier, a customer or both. Amounts come as text. */
export interface Partner {
  id: Id
  code: string
  name: string
  short_name: string
  pinyin: string
  is_supplier: boolean
  is_customer: boolean
  customer_group: string
  /** 统一社会信用代码, checksum-validated by the server */
  credit_code: string
  invoice_address: string
  invoice_phone: string
  bank_name: string
  bank_account: string
  currency: Id | null
  payment_terms: PaymentTerms
  payment_days: number
  credit_limit: string | null
  sales_price_list: Id | null
  purchase_price_list: Id | null
  /** member user ids */
  salesperson: Id | null
  salesperson_name: string | null
  purchaser: Id | null
  opening_receivable: string
  opening_payable: string
  is_active: boolean
  contacts: PartnerContact[]
  addresses: PartnerAddress[]
  custom: CustomValues
  created_at: string
}

type Decimal = string | number

export interface PartnerInput {
  code: string
  name: string
  short_name: string
  pinyin: string
  is_supplier: boolean
  is_customer: boolean
  customer_group: string
  credit_code: string
  invoice_address: string
  invoice_phone: string
  bank_name: string
  bank_account: string
  currency: Id | null
  payment_terms: PaymentTerms
  payment_days: number
  credit_limit: Decimal | null
  sales_price_list: Id | null
  purchase_price_list: Id | null
  salesperson: Id | null
  purchaser: Id | null
  opening_receivable: Decimal
  opening_payable: Decimal
  is_active: boolean
  contacts: PartnerContact[]
  addresses: PartnerAddress[]
  custom: CustomValues
}

const url = 'partners/'

export const partnersApi = { ...editableResource<Partner, PartnerInput>(url), remove: removeFrom(url) }
