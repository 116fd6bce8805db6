import type { Id } from '@/api/types'

let lastKey = 0

/** A client-side identity for lines (highlights, v-for keys). */
export function nextKey(): number {
  return ++lastKey
}

export interface StockFigure {
  on_hand: string
  available: string
  incoming: string
}

/** "现存 10 / 可用 8 / 在途 5", as numbers without trailing zeros. */
export function stockText(figure: StockFigure | null | undefined): string {
  if (!figure) return ''
  const n = (value: string) => String(Number(value))
  return `${n(figure.on_hand)} / ${n(figure.available)} / ${n(figure.incoming)}`
}

/** The preview of a line's total before the server computes it (the server decides). */
export function previewGross(quantity: number | null, price: number | null, discount: number, taxPercent: number,
  inclusive: boolean): number {
  if (!quantity || price === null) return 0
  const amount = quantity * price * (100 - discount) / 100
  return inclusive ? amount : amount * (1 + taxPercent / 100)
}

export type { Id }
