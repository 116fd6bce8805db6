import { http } from './client'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export type PriceListKind = 'sales' | 'purchase'

export const PRICE_LIST_KINDS: PriceListKind[] = ['sales', 'purchase']

/** One price of a list: from `min_quantity` up, `price` less `discount_percent`. */
export interface PriceListItem {
  product: Id
  product_code?: string
  product_name?: string
  min_quantity: string
  price: string
  discount_percent: string
}

/** A sales or purchase price list for one partner, a customer group or everyone, valid between two dates. */
export interface PriceList {
  id: Id
  code: string
  name: string
  kind: PriceListKind
  currency: Id
  tax_included: boolean
  partner: Id | null
  partner_name: string | null
  customer_group: string
  valid_from: string | null
  valid_to: string | null
  is_active: boolean
  items: PriceListItem[]
  item_count: number
}

type Decimal = string | number

export interface PriceListInput {
  code: string
  name: string
  kind: PriceListKind
  currency: Id | null
  tax_included: boolean
  partner: Id | null
  customer_group: string
  valid_from: string | null
  valid_to: string | null
  is_active: boolean
  items: { product: Id | null; min_quantity: Decimal | null; price: Decimal | null; discount_percent: Decimal | null }[]
}

/** The price the server applies for (product, partner, quantity, date). */
export interface PriceQuote {
  price: string
  discount_percent: string
  net_price: string
  tax_included: boolean
  currency: string | null
  source: string
  price_list: Id | null
}

export interface PriceQuery {
  product: Id
  partner?: Id | null
  quantity?: string | number
  date?: string
  kind?: PriceListKind
}

const url = 'price-lists/'

export const priceListsApi = {
  ...editableResource<PriceList, PriceListInput>(url),
  remove: removeFrom(url),
  lookup: (query: PriceQuery) =>
    http.get<PriceQuote>('prices/lookup/', { params: { ...query, partner: query.partner ?? undefined } }).then((r) => r.data),
}
