import { http } from './client'
import { editableResource } from './resource'
import type { Id } from './types'

export type NumberSeriesReset = 'never' | 'yearly' | 'monthly' | 'daily'

export const RESETS: NumberSeriesReset[] = ['never', 'yearly', 'monthly', 'daily']

export interface NumberSeries {
  id: Id
  doc_type: string
  doc_type_name: string
  pattern: string
  reset: NumberSeriesReset
  next_preview: string
  is_active: boolean
}

export type NumberSeriesInput = Pick<NumberSeries, 'doc_type' | 'pattern' | 'reset' | 'is_active'>

/** Only the pattern and the active flag change after creation. */
export type NumberSeriesUpdate = Pick<NumberSeries, 'pattern' | 'is_active'>

const url = 'number-series/'

export const numberSeriesApi = {
  ...editableResource<NumberSeries, NumberSeriesInput, NumberSeriesUpdate>(url),
  docTypes: () => http.get<{ code: string; name: string }[]>(`${url}doc-types/`).then((r) => r.data),
}
