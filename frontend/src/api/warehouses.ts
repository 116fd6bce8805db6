import { fetchLabels, type LabelRequest } from './labels'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export interface Warehouse {
  id: Id
  code: string
  name: string
  address: string
  keeper: Id | null
  keeper_name: string | null
  allow_negative_stock: boolean
  is_active: boolean
}

export type WarehouseInput = Omit<Warehouse, 'id' | 'keeper_name'>

/** `warehouse` is each warehouse's root location; the others are the organization's virtual locations. */
export type LocationKind = 'warehouse' | 'zone' | 'bin' | 'supplier' | 'customer' | 'inventory_loss' | 'scrap' | 'transit'

export const LOCATION_KINDS: LocationKind[] = ['warehouse', 'zone', 'bin', 'supplier', 'customer', 'inventory_loss', 'scrap', 'transit']

/** A storage location (库区 zone → 库位 bin) or a system location, which is read-only. */
export interface Location {
  id: Id
  code: string
  name: string
  kind: LocationKind
  warehouse: Id | null
  warehouse_name: string | null
  parent: Id | null
  barcode: string
  is_virtual: boolean
  is_active: boolean
}

/** Zones go under a warehouse root, bins under a root or a zone; the warehouse follows the parent. */
export interface LocationInput {
  code: string
  name: string
  kind: 'zone' | 'bin'
  parent: Id | null
  barcode: string
  is_active: boolean
}

/** Only zones and bins are edited (and deleted) by people. */
export function isEditableLocation(location: Pick<Location, 'kind'>): boolean {
  return location.kind === 'zone' || location.kind === 'bin'
}

const url = 'warehouses/'
const locationsUrl = 'locations/'

export const warehousesApi = { ...editableResource<Warehouse, WarehouseInput>(url), remove: removeFrom(url) }

export const locationsApi = {
  ...editableResource<Location, LocationInput>(locationsUrl),
  remove: removeFrom(locationsUrl),
  labels: (body: LabelRequest) => fetchLabels(locationsUrl, body),
}
