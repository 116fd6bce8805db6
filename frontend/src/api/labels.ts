import { http } from './client'
import type { Id } from './types'

/** Label sheets and label-printer rolls the server can lay labels out on. */
export type LabelLayout = 'a4-3x8' | 'a4-4x10' | 'roll-60x40' | 'roll-50x30'

export const LABEL_LAYOUTS: LabelLayout[] = ['a4-3x8', 'a4-4x10', 'roll-60x40', 'roll-50x30']

export interface LabelRequest {
  ids: Id[]
  layout: LabelLayout
  copies: number
  show_price?: boolean
}

/** `POST <list>labels/`: the labels of the chosen records as a PDF. */
export function fetchLabels(listUrl: string, body: LabelRequest): Promise<Blob> {
  return http.post<Blob>(`${listUrl}labels/`, body, { responseType: 'blob', timeout: 0 }).then((r) => r.data)
}
