import { computed } from 'vue'
import type { Router } from 'vue-router'
import type { StockDocumentKind } from '@/api/inventory'
import { stockCountsApi, stockDocumentsApi } from '@/api/inventory'
import { costAdjustmentsApi } from '@/api/valuation'
import type { Location } from '@/api/warehouses'
import { locationsApi, warehousesApi } from '@/api/warehouses'
import type { Warehouse } from '@/api/warehouses'
import { useSessionStore } from '@/stores/session'
import { today } from '@/utils/dates'
import { trimDecimal } from '@/utils/decimal'
import { loadOptions } from '@/views/masterdata/common'
import { COST_ADJUSTMENT_ORIGIN, COST_ADJUSTMENT_ROUTES } from './valuation'

/** The organization's business day (one definition for the UI: `@/utils/dates`). */
export { today } from '@/utils/dates'

/** What the user may do in inventory (`inventory.<action>`) and whether costs are shown. */
export function useInventoryAccess() {
  const session = useSessionStore()
  return {
    canCreate: computed(() => session.hasPermission('inventory.create')),
    canEdit: computed(() => session.hasPermission('inventory.edit')),
    canPost: computed(() => session.hasPermission('inventory.post')),
    canExport: computed(() => session.hasPermission('inventory.export')),
    canSeeCosts: computed(() => session.canSeeCosts),
  }
}

/** Route names of each kind's list and editor. */
export const DOCUMENT_ROUTES: Record<StockDocumentKind, { list: string; editor: string; path: string }> = {
  receipt: { list: 'inventory-receipts', editor: 'inventory-receipt', path: '/inventory/receipts' },
  issue: { list: 'inventory-issues', editor: 'inventory-issue', path: '/inventory/issues' },
  transfer: { list: 'inventory-transfers', editor: 'inventory-transfer', path: '/inventory/transfers' },
}

export const COUNT_ORIGIN = 'inventory.stockcountline'
export const DOCUMENT_ORIGIN = 'inventory.stockdocumentline'

/** A quantity as people read it: "10.0000" → "10". */
export function qty(value: string | number | null | undefined): string {
  return trimDecimal(value)
}

/** Active warehouses, for selects. */
export function loadWarehouses(): Promise<Warehouse[]> {
  return loadOptions(warehousesApi, { is_active: 'true' })
}

/** The real locations of a warehouse (its root, zones and bins), in code order. */
export async function loadLocations(warehouse: number | null | undefined): Promise<Location[]> {
  if (!warehouse) return []
  const all = await loadOptions(locationsApi, { warehouse, is_active: 'true', ordering: 'code' })
  return all.filter((location) => !location.is_virtual)
}

/** "上海总仓 / A 区 / A-01": a location with the names of its parents. */
export function locationPath(location: Location, byId: ReadonlyMap<number, Location>): string {
  const names: string[] = []
  let current: Location | undefined = location
  for (let guard = 0; current && guard < 10; guard++) {
    names.unshift(current.name)
    current = current.parent ? byId.get(current.parent) : undefined
  }
  return names.join(' / ')
}

/**
 * Opens the document a move or ledger row refers to (by its number): a stock document, a count or
 * (for those who may see it) a cost adjustment in its editor; anything else (documents of other
 * modules) as its moves.
 */
export async function openReference(router: Router, reference: string, originType: string): Promise<void> {
  const session = useSessionStore()
  if (originType === DOCUMENT_ORIGIN) {
    const found = (await stockDocumentsApi.list({ search: reference, page_size: 5 })).results.find((doc) => doc.number === reference)
    if (found) {
      await router.push({ name: DOCUMENT_ROUTES[found.kind].editor, params: { id: found.id } })
      return
    }
  } else if (originType === COUNT_ORIGIN) {
    const found = (await stockCountsApi.list({ search: reference, page_size: 5 })).results.find((count) => count.number === reference)
    if (found) {
      await router.push({ name: 'inventory-count', params: { id: found.id } })
      return
    }
  } else if (originType === COST_ADJUSTMENT_ORIGIN && session.canSeeCosts && session.hasPermission('finance.view')) {
    const found = (await costAdjustmentsApi.list({ search: reference, page_size: 5 })).results.find((doc) => doc.number === reference)
    if (found) {
      await router.push({ name: COST_ADJUSTMENT_ROUTES.editor, params: { id: found.id } })
      return
    }
  }
  await router.push({ name: 'inventory-moves', query: { reference } })
}

/** The first day of the current month (YYYY-MM-DD). */
export function firstOfMonth(): string {
  return `${today().slice(0, 8)}01`
}

/** The expiry date of a lot produced on `production` for a shelf life of `days` (a preview; the server keeps what is sent). */
export function expiryFrom(production: string | null, days: number | null | undefined): string | null {
  if (!production || !days) return null
  const date = new Date(`${production}T00:00:00Z`)
  if (Number.isNaN(date.getTime())) return null
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}

/** How soon a lot expires: 'expired', 'soon' (within 30 days) or ''. */
export function expiryState(expiry: string | null | undefined, now = today()): 'expired' | 'soon' | '' {
  if (!expiry) return ''
  if (expiry < now) return 'expired'
  const limit = new Date(`${now}T00:00:00Z`)
  limit.setUTCDate(limit.getUTCDate() + 30)
  return expiry <= limit.toISOString().slice(0, 10) ? 'soon' : ''
}

/**
 * A new document's page opens again at its own address (the app re-mounts a page whose URL
 * changes): the errors shown at that moment are handed over to the new page through this.
 */
let carried: { id: number; fields: Record<string, string> } | null = null

export function carryErrors(id: number, fields: Record<string, string>): void {
  carried = Object.keys(fields).length ? { id, fields: { ...fields } } : null
}

export function takeCarriedErrors(id: number): Record<string, string> {
  const fields = carried?.id === id ? carried.fields : {}
  carried = null
  return fields
}
