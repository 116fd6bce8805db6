import type { Product } from '@/api/products'

/** What the picker needs of a product (the search answers whole products). */
export type PickableProduct = Pick<Product, 'id' | 'code' | 'name' | 'specification' | 'base_unit_name' | 'barcodes'>

/** The product whose code (any case) or one of whose barcodes is exactly the query. */
export function exactMatch<P extends PickableProduct>(products: readonly P[], query: string): P | undefined {
  const wanted = query.trim()
  if (!wanted) return undefined
  const lower = wanted.toLowerCase()
  return products.find((product) => product.code.toLowerCase() === lower)
    ?? products.find((product) => product.barcodes.some((barcode) => barcode.barcode === wanted))
}

/** How a chosen product reads in the input: code and name. */
export function productLabel(product: Pick<Product, 'code' | 'name'>): string {
  return `${product.code} ${product.name}`
}
