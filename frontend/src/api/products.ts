import { http } from './client'
import type { CustomValues } from './customFields'
import { fetchLabels, type LabelRequest } from './labels'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export type CostingMethod = 'moving_average' | 'fifo' | 'monthly_average'
export type Tracking = 'none' | 'lot' | 'serial'

export const COSTING_METHODS: CostingMethod[] = ['moving_average', 'fifo', 'monthly_average']
export const TRACKINGS: Tracking[] = ['none', 'lot', 'serial']

/** An alternative unit: 1 `unit` = `factor` base units (箱 = 24 个). */
export interface ProductUnit {
  unit: Id
  unit_name?: string
  /** decimal as text */
  factor: string
}

export interface ProductBarcode {
  barcode: string
  /** ean13, ean8, upca or code128, found by the server */
  symbology?: string
  /** the unit the barcode is printed on (a case barcode), or null for the base unit */
  unit: Id | null
}

/** Decimals come as text ("5.680000"). */
export interface Product {
  id: Id
  code: string
  name: string
  specification: string
  category: Id | null
  category_name: string | null
  brand: string
  base_unit: Id
  base_unit_name: string
  /** 助记码: pinyin initials of the name unless typed */
  pinyin: string
  tax_rate: Id | null
  costing_method: CostingMethod
  tracking: Tracking
  shelf_life_days: number | null
  safety_stock: string
  reorder_point: string
  reorder_quantity: string
  max_stock: string | null
  default_supplier: Id | null
  default_supplier_name: string | null
  /** absent for users whose roles may not see costs */
  purchase_price?: string
  sale_price: string
  price_floor: string
  allow_negative_stock: boolean
  is_active: boolean
  units: ProductUnit[]
  barcodes: ProductBarcode[]
  custom: CustomValues
  has_image: boolean
  created_at: string
  updated_at: string
}

type Decimal = string | number

/** What a form sends: `units` and `barcodes` replace the lists; an empty `pinyin` is generated. */
export interface ProductInput {
  code: string
  name: string
  specification: string
  category: Id | null
  brand: string
  base_unit: Id | null
  pinyin: string
  tax_rate: Id | null
  costing_method: CostingMethod
  tracking: Tracking
  shelf_life_days: number | null
  safety_stock: Decimal
  reorder_point: Decimal
  reorder_quantity: Decimal
  max_stock: Decimal | null
  default_supplier: Id | null
  purchase_price?: Decimal
  sale_price: Decimal
  price_floor: Decimal
  allow_negative_stock: boolean
  is_active: boolean
  units: { unit: Id | null; factor: Decimal | null }[]
  barcodes: { barcode: string; unit: Id | null }[]
  custom: CustomValues
}

const url = 'products/'

/**
 * Uploads made in this page, per product: replacing an image changes neither the product's
 * `updated_at` nor the image URL, and the server lets browsers cache the image for minutes.
 */
const imageUploads = new Map<Id, number>()

export const productsApi = {
  ...editableResource<Product, ProductInput>(url),
  remove: removeFrom(url),
  /** The picker's search: active products matching code, name, pinyin, spec or barcode; exact code/barcode first. */
  search: (q: string, limit = 20) =>
    http.get<Product[]>(`${url}search/`, { params: { q, limit } }).then((r) => r.data),
  /** Where the image is shown from; the query changes with each upload (the browser caches the image). */
  imageUrl: (id: Id, version = '') => {
    const stamp = [version, imageUploads.get(id)].filter(Boolean).join('-')
    return `/api/v1/${url}${id}/image/${stamp ? `?v=${encodeURIComponent(stamp)}` : ''}`
  },
  uploadImage: (id: Id, file: File) => {
    const body = new FormData()
    body.append('image', file)
    return http.post<Product>(`${url}${id}/image/`, body).then((r) => {
      imageUploads.set(id, Date.now())
      return r.data
    })
  },
  labels: (body: LabelRequest) => fetchLabels(url, body),
}
