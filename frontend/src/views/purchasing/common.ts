import { computed } from 'vue'
import type { PurchaseDocumentKind } from '@/api/purchasing'
import { useSessionStore } from '@/stores/session'
import { trimDecimal } from '@/utils/decimal'

/** The organization's business day (one definition for the UI: `@/utils/dates`). */
export { today } from '@/utils/dates'

/** What the user may do in purchasing (`purchasing.<action>`) and whether costs are shown. */
export function usePurchasingAccess() {
  const session = useSessionStore()
  return {
    canCreate: computed(() => session.hasPermission('purchasing.create')),
    canEdit: computed(() => session.hasPermission('purchasing.edit')),
    canApprove: computed(() => session.hasPermission('purchasing.approve')),
    canPay: computed(() => session.hasPermission('finance.create')),
    /** 付款 of an approved payment request posts the payment: finance's post permission */
    canPostPayment: computed(() => session.hasPermission('finance.post')),
    canSeeCosts: computed(() => session.canSeeCosts),
  }
}

/** Route names of each kind's list and editor. */
export const PURCHASE_ROUTES: Record<PurchaseDocumentKind, { list: string; editor: string }> = {
  order: { list: 'purchasing-orders', editor: 'purchasing-order' },
  receipt: { list: 'purchasing-receipts', editor: 'purchasing-receipt' },
  invoice: { list: 'purchasing-invoices', editor: 'purchasing-invoice' },
  return: { list: 'purchasing-returns', editor: 'purchasing-return' },
  landed: { list: 'purchasing-landeds', editor: 'purchasing-landed' },
}

/** A quantity as people read it: "10.0000" → "10". */
export function qty(value: string | number | null | undefined): string {
  return trimDecimal(value)
}

