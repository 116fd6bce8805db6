/**
 * The dates the finance reports were last shown for, kept while the app runs: going back from a
 * ledger or a voucher to the trial balance shows the same dates again (each page mounts anew).
 */
export interface DateRange {
  from: string
  to: string
}

let lastRange: DateRange | null = null

export function rememberRange(range: DateRange): void {
  lastRange = { ...range }
}

export function rememberedRange(): DateRange | null {
  return lastRange ? { ...lastRange } : null
}

/** Forgets the dates (a new organization, a test). */
export function forgetRange(): void {
  lastRange = null
}
