import type { StockCountLine, StockDocumentKind, StockDocumentLine, StockDocumentLineInput } from '@/api/inventory'
import type { Product, Tracking } from '@/api/products'
import type { Id } from '@/api/types'
import { applyScan } from '@/components/documentEditor'
import { toNumber } from '@/utils/decimal'

/**
 * The lines of stock documents and counts as the editor holds them, and what happens to them:
 * a scan adds or increments a line, quantities convert to the base unit, availability is
 * compared with what all lines of a product ask for. Pure functions: the pages call them.
 */

/** Quantities have 4 decimal places: previews round like that to avoid 0.30000000000000004. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000
}

/** One line of a receipt, issue or transfer in the editor. */
export interface StockLineRow {
  /** client-side identity (highlights, v-for keys) */
  key: number
  product: Id | null
  /** "SP0001 可口可乐 330ml" */
  label: string
  unit: Id | null
  quantity: number | null
  location: Id | null
  to_location: Id | null
  /** an existing lot */
  lot: Id | null
  /** the number of a lot to create (receipts) when `lot` is null; the lot's number otherwise */
  lot_code: string
  production_date: string | null
  expiry_date: string | null
  serial: string
  unit_cost: number | null
  /** the quantity in the base unit as the server computed it (saved lines) */
  base_quantity: string | null
}

let lastKey = 0

export function newStockLine(values: Partial<StockLineRow> = {}): StockLineRow {
  return {
    key: ++lastKey, product: null, label: '', unit: null, quantity: null, location: null, to_location: null, lot: null,
    lot_code: '', production_date: null, expiry_date: null, serial: '', unit_cost: null, base_quantity: null, ...values,
  }
}

export function lineFromServer(line: StockDocumentLine): StockLineRow {
  return newStockLine({
    product: line.product,
    label: `${line.product_code ?? ''} ${line.product_name ?? ''}`.trim(),
    unit: line.unit,
    quantity: toNumber(line.quantity),
    location: line.location,
    to_location: line.to_location,
    lot: line.lot,
    lot_code: line.lot_code ?? '',
    production_date: line.production_date ?? null,
    expiry_date: line.expiry_date ?? null,
    serial: line.serial ?? '',
    unit_cost: toNumber(line.unit_cost),
    base_quantity: line.base_quantity ?? null,
  })
}

/** A line nobody filled in: dropped before saving. */
export function isEmptyLine(line: StockLineRow): boolean {
  return line.product === null && !line.quantity
}

/** What the API takes for a line; the unit cost only on receipts and only for those who see costs. */
export function lineToInput(line: StockLineRow, kind: StockDocumentKind, withCost: boolean): StockDocumentLineInput {
  const input: StockDocumentLineInput = {
    product: line.product as Id,
    quantity: line.quantity,
    serial: line.serial.trim(),
  }
  // omitted, not null: the base unit; on a receipt the warehouse itself, elsewhere stock where it is
  if (line.unit !== null) input.unit = line.unit
  if (line.location !== null) input.location = line.location
  if (kind === 'transfer' && line.to_location !== null) input.to_location = line.to_location
  if (line.lot !== null) input.lot = line.lot
  else if (line.lot_code.trim()) {
    input.lot_code = line.lot_code.trim()
    if (kind === 'receipt') {
      input.production_date = line.production_date
      input.expiry_date = line.expiry_date
    }
  }
  if (kind === 'receipt' && withCost) input.unit_cost = line.unit_cost
  return input
}

/** Units a line may use: the base unit and the product's alternative units (箱 = 24 个). */
export function unitOptions(product: Pick<Product, 'base_unit' | 'base_unit_name' | 'units'> | undefined): { value: Id; label: string }[] {
  if (!product) return []
  return [
    { value: product.base_unit, label: product.base_unit_name },
    ...product.units.map((unit) => ({
      value: unit.unit,
      label: `${unit.unit_name ?? unit.unit}（${Number(unit.factor)}${product.base_unit_name}）`,
    })),
  ]
}

/** Base units in one `unit` of the product (1 for the base unit; null for a unit it does not have). */
export function unitFactor(product: Pick<Product, 'base_unit' | 'units'> | undefined, unit: Id | null): number | null {
  if (!product) return null
  if (unit === null || unit === product.base_unit) return 1
  const found = product.units.find((candidate) => candidate.unit === unit)
  return found ? Number(found.factor) : null
}

/** The line's quantity in the base unit (0 when unknown). */
export function baseQuantity(line: Pick<StockLineRow, 'quantity' | 'unit'>, product: Pick<Product, 'base_unit' | 'units'> | undefined): number {
  const factor = unitFactor(product, line.unit)
  return factor === null || !line.quantity ? 0 : round4(line.quantity * factor)
}

/** What all lines ask of each product, in base units. */
export function requestedByProduct(
  lines: readonly Pick<StockLineRow, 'product' | 'quantity' | 'unit'>[],
  products: ReadonlyMap<Id, Pick<Product, 'base_unit' | 'units'>>,
): Map<Id, number> {
  const totals = new Map<Id, number>()
  for (const line of lines) {
    if (line.product === null) continue
    totals.set(line.product, round4((totals.get(line.product) ?? 0) + baseQuantity(line, products.get(line.product))))
  }
  return totals
}

export type AvailabilityState = 'unknown' | 'ok' | 'low' | 'short'

/**
 * Is there enough: `available` (text from the server, absent while loading) against what the lines
 * ask; 'low' when enough but what is left falls below the product's safety stock.
 */
export function availabilityState(available: string | null | undefined, requested: number,
  safetyStock: string | number | null = null): AvailabilityState {
  const figure = toNumber(available)
  if (figure === null) return 'unknown'
  if (requested > figure + 1e-9) return 'short'
  const safety = toNumber(safetyStock) ?? 0
  return requested > 0 && safety > 0 && figure - requested < safety - 1e-9 ? 'low' : 'ok'
}

/** Where a scanned product goes: its unit (a case barcode is a case), the current bin(s) and lot. */
export interface ProductScan {
  product: Id
  label: string
  unit: Id | null
  tracking: Tracking
  location: Id | null
  to_location: Id | null
  lot: Id | null
  lot_code: string
}

/**
 * A scanned product: one more on the line of the same product, unit, bin and lot (when the scan
 * has them); a serial-tracked product gets a line per piece; otherwise a new line (the empty last
 * line is used first).
 */
export function applyProductScan(lines: StockLineRow[], scan: ProductScan): { index: number; added: boolean } {
  const hasLot = scan.lot !== null || scan.lot_code !== ''
  return applyScan(lines, {
    matches: (line) => scan.tracking !== 'serial'
      && line.product === scan.product
      && line.unit === scan.unit
      && (scan.location === null || line.location === scan.location)
      && (scan.to_location === null || line.to_location === scan.to_location)
      && (!hasLot || (line.lot === scan.lot && (scan.lot !== null || line.lot_code === scan.lot_code))),
    increment: (line) => (line.quantity = round4((line.quantity ?? 0) + 1)),
    create: () => newStockLine({
      product: scan.product, label: scan.label, unit: scan.unit, quantity: 1, location: scan.location,
      to_location: scan.to_location, lot: scan.lot, lot_code: scan.lot_code,
    }),
    isEmpty: isEmptyLine,
  })
}

/** One line of a count in the editor. */
export interface CountRow {
  key: number
  /** absent for a line added here and not saved yet */
  id?: Id
  product: Id
  label: string
  location: Id
  lot: Id | null
  book: number
  counted: number | null
}

export function countRowFromServer(line: StockCountLine): CountRow {
  return {
    key: ++lastKey,
    id: line.id,
    product: line.product,
    label: `${line.product_code} ${line.product_name}`,
    location: line.location,
    lot: line.lot,
    book: toNumber(line.book_quantity) ?? 0,
    counted: toNumber(line.counted_quantity),
  }
}

export function newCountRow(values: Omit<CountRow, 'key'>): CountRow {
  return { key: ++lastKey, ...values }
}

/** Counted − book; null while the line is not counted. */
export function countDifference(row: Pick<CountRow, 'book' | 'counted'>): number | null {
  return row.counted === null ? null : round4(row.counted - row.book)
}

export interface CountScan {
  product: Id
  label: string
  tracking: Tracking
  /** the bin scanned last (or the count's bin) */
  location: Id | null
  lot: Id | null
}

export type CountScanOutcome = { index: number; added: boolean } | { error: 'need-location' | 'need-lot' }

/**
 * A scanned product on a count: one more on its line (a line not counted yet starts at 0). Where
 * the product has several lines (bins, lots), the bin or lot scanned before chooses; goods found
 * where the book has none get a new line, which needs the bin (and the lot, when tracked).
 */
export function applyCountScan(rows: CountRow[], scan: CountScan): CountScanOutcome {
  const candidates = rows
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => row.product === scan.product
      && (scan.location === null || row.location === scan.location)
      && (scan.lot === null || row.lot === scan.lot))
  if (candidates.length === 1) {
    const { row, index } = candidates[0]
    row.counted = round4((row.counted ?? 0) + 1)
    return { index, added: false }
  }
  if (scan.location === null) return { error: 'need-location' }
  if (candidates.length > 1 || (scan.tracking === 'lot' && scan.lot === null)) return { error: 'need-lot' }
  rows.push(newCountRow({ product: scan.product, label: scan.label, location: scan.location, lot: scan.lot, book: 0, counted: 1 }))
  return { index: rows.length - 1, added: true }
}
