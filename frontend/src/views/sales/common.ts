import { computed } from 'vue'
import { useSessionStore } from '@/stores/session'
import { trimDecimal } from '@/utils/decimal'

/** The organization's business day (one definition for the UI: `@/utils/dates`). */
export { today } from '@/utils/dates'

/**
 * What the user may do with a kind of sales document and whether costs are shown. Orders are the sales
 * module's (`sales.<action>`); deliveries and returns are drafted and posted by the warehouse
 * (`inventory.<action>`), invoices by finance (`finance.<action>`), as the server checks.
 */
export function useSalesAccess(module: 'sales' | 'inventory' | 'finance' = 'sales') {
  const session = useSessionStore()
  return {
    canCreate: computed(() => session.hasPermission(`${module}.create`)),
    canEdit: computed(() => session.hasPermission(`${module}.edit`)),
    canPost: computed(() => session.hasPermission(`${module}.post`)),
    canCreateDelivery: computed(() => session.hasPermission('inventory.create')),
    canCreateInvoice: computed(() => session.hasPermission('finance.create')),
    /** 收订金 posts a receipt: finance's post */
    canReceiveDeposit: computed(() => session.hasPermission('finance.post')),
    canConfigure: computed(() => session.hasPermission('sales.configure')),
    canSeeCosts: computed(() => session.canSeeCosts),
  }
}

/** A quantity as people read it: "10.0000" → "10". */
export function qty(value: string | number | null | undefined): string {
  return trimDecimal(value)
}

let lastKey = 0
export function nextKey(): number {
  return ++lastKey
}

/** The numbers the server sends with four places, as numbers for the inputs. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null
  const parsed = Number(value)
  return Number.isFinite(parsed) ? parsed : null
}

/** The module whose permissions create and post each kind of document. */
export const DOCUMENT_MODULE = { quotations: 'sales', orders: 'sales', deliveries: 'inventory', invoices: 'finance', returns: 'inventory' } as const

export const ROUTES = {
  quotations: { list: 'sales-quotations', editor: 'sales-quotation' },
  orders: { list: 'sales-orders', editor: 'sales-order' },
  deliveries: { list: 'sales-deliveries', editor: 'sales-delivery' },
  invoices: { list: 'sales-invoices', editor: 'sales-invoice' },
  returns: { list: 'sales-returns', editor: 'sales-return' },
} as const
