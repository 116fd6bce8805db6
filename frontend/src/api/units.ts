import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

/** A unit of measure; `decimal_places` is how many decimals a quantity in it may have (件 0, kg 3). */
export interface Unit {
  id: Id
  code: string
  name: string
  decimal_places: number
  is_active: boolean
}

export type UnitInput = Omit<Unit, 'id'>

const url = 'units/'

export const unitsApi = { ...editableResource<Unit, UnitInput>(url), remove: removeFrom(url) }
