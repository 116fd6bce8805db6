import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

/** A product category; the tree is given by `parent`. */
export interface Category {
  id: Id
  code: string
  name: string
  parent: Id | null
  parent_name: string | null
  is_active: boolean
}

export type CategoryInput = Pick<Category, 'code' | 'name' | 'parent' | 'is_active'>

const url = 'categories/'

export const categoriesApi = { ...editableResource<Category, CategoryInput>(url), remove: removeFrom(url) }
