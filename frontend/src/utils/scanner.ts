/**
 * Barcode scanners in keyboard-wedge mode type the code much faster than a person and end it
 * with Enter. `WedgeDetector` tells such a burst from typing; `resolveScan` decides what a code
 * is on a stock page: a bin (库位), a lot of the current product, a product, or — on a receipt —
 * a new lot number or a serial number for the current line.
 */

export interface WedgeOptions {
  /** Longest pause between two keys of one scan, in ms (scanners: 1–30 ms; people: 80 ms and more). */
  maxGap?: number
  /** Shortest code taken as a scan. */
  minLength?: number
}

/** Keys that do not break a scan (some scanners send Shift for capitals). */
const NEUTRAL_KEYS = new Set(['Shift', 'CapsLock'])

export class WedgeDetector {
  private buffer = ''
  private last = 0
  private readonly maxGap: number
  private readonly minLength: number

  constructor(options: WedgeOptions = {}) {
    this.maxGap = options.maxGap ?? 50
    this.minLength = options.minLength ?? 4
  }

  /** Feeds one keydown (`key`, time in ms); answers the code when Enter ends a fast burst, else null. */
  feed(key: string, time: number): string | null {
    if (key === 'Enter') {
      const code = this.buffer
      const quick = time - this.last <= this.maxGap
      this.reset()
      return quick && code.length >= this.minLength ? code : null
    }
    if (NEUTRAL_KEYS.has(key)) return null
    if (key.length !== 1) {
      this.reset()
      return null
    }
    // a pause: what came before was typed by a person; this key may start a scan
    if (this.buffer && time - this.last > this.maxGap) this.buffer = ''
    this.buffer += key
    this.last = time
    return null
  }

  reset(): void {
    this.buffer = ''
    this.last = 0
  }
}

/** What a bin needs for scanning: its id, code and printed barcode. */
export interface ScannableLocation {
  id: number
  code: string
  barcode: string
}

export interface ScannableLot {
  id: number
  code: string
}

/** The location whose barcode is the code, or whose code is (any case). */
export function findLocation<L extends ScannableLocation>(code: string, locations: readonly L[]): L | undefined {
  const wanted = code.trim()
  if (!wanted) return undefined
  const lower = wanted.toLowerCase()
  return locations.find((location) => location.barcode && location.barcode === wanted)
    ?? locations.find((location) => location.code.toLowerCase() === lower)
}

export function findLot<T extends ScannableLot>(code: string, lots: readonly T[]): T | undefined {
  const wanted = code.trim()
  return wanted ? lots.find((lot) => lot.code === wanted) : undefined
}

/** The line a scan works on, as far as resolving codes is concerned. */
export interface ScanLine<P> {
  product: P
  tracking: 'none' | 'lot' | 'serial'
  /** the known lots of the product */
  lots: readonly ScannableLot[]
  hasLot: boolean
  hasSerial: boolean
}

export interface ScanContext<L extends ScannableLocation, P> {
  /** Bins (and zones) of the warehouse the goods come from or go into. */
  locations: readonly L[]
  /** A transfer's destination: a bin here sets where the goods go. */
  toLocations?: readonly L[]
  current: ScanLine<P> | null
  /** Receipts may create a lot from a number that is nothing else. */
  allowNewLot: boolean
}

export type ScanResult<L, P> =
  | { kind: 'location'; location: L; side: 'from' | 'to' }
  | { kind: 'lot'; lot: ScannableLot }
  | { kind: 'product'; product: P }
  | { kind: 'new-lot'; code: string }
  | { kind: 'serial'; serial: string }
  | { kind: 'unknown'; code: string }

/**
 * What a scanned code is, in this order: a bin (it never looks like a product), a lot of the
 * current product, a product (asked to the server by `lookupProduct`), then — for the current line
 * only — a new lot number (receipts) or a serial number it still lacks.
 */
export async function resolveScan<L extends ScannableLocation, P>(
  code: string,
  context: ScanContext<L, P>,
  lookupProduct: (code: string) => Promise<P | undefined>,
): Promise<ScanResult<L, P>> {
  const text = code.trim()
  const from = findLocation(text, context.locations)
  if (from) return { kind: 'location', location: from, side: 'from' }
  const to = context.toLocations ? findLocation(text, context.toLocations) : undefined
  if (to) return { kind: 'location', location: to, side: 'to' }
  const current = context.current
  const lot = current && current.tracking === 'lot' ? findLot(text, current.lots) : undefined
  if (lot) return { kind: 'lot', lot }
  const product = await lookupProduct(text)
  if (product !== undefined) return { kind: 'product', product }
  if (current?.tracking === 'lot' && !current.hasLot && context.allowNewLot) return { kind: 'new-lot', code: text }
  if (current?.tracking === 'serial' && !current.hasSerial) return { kind: 'serial', serial: text }
  return { kind: 'unknown', code: text }
}

/** Is the element one people type into (where a wedge scan must not be taken away)? */
export function isEditable(element: Element | null): boolean {
  if (!element) return false
  const tag = element.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag === 'INPUT') {
    const { type, readOnly } = element as HTMLInputElement
    // a select's input is read-only: nothing typed lands in it
    return !readOnly && !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(type)
  }
  return (element as HTMLElement).isContentEditable === true
}
