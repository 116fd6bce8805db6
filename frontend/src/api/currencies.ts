import { http } from './client'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

/** A currency; the organization's base currency (CNY) has `is_base` and the rate 1. */
export interface Currency {
  id: Id
  code: string
  name: string
  symbol: string
  decimal_places: number
  is_base: boolean
  is_active: boolean
}

export type CurrencyInput = Omit<Currency, 'id' | 'is_base'>

/** Units of base currency per unit of `currency` on `date`. */
export interface ExchangeRate {
  id: Id
  currency: Id
  currency_code: string
  date: string
  /** decimal as text */
  rate: string
}

export interface ExchangeRateInput {
  currency: Id
  date: string
  rate: string | number
}

export interface RateOnDate {
  currency: string
  date: string
  rate: string
}

const url = 'currencies/'

export const currenciesApi = {
  ...editableResource<Currency, CurrencyInput>(url),
  remove: removeFrom(url),
  /** The rate in force on a date (the latest on or before it); 400 when there is none. */
  rateOn: (id: Id, date?: string) =>
    http.get<RateOnDate>(`${url}${id}/rate/`, { params: date ? { date } : {} }).then((r) => r.data),
}

const ratesUrl = 'exchange-rates/'

export const exchangeRatesApi = {
  ...editableResource<ExchangeRate, ExchangeRateInput>(ratesUrl),
  remove: removeFrom(ratesUrl),
}
