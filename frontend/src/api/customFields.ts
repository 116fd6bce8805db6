import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export type CustomFieldTarget = 'product' | 'partner'
export type CustomFieldType = 'text' | 'number' | 'date' | 'choice' | 'boolean'

export const CUSTOM_FIELD_TARGETS: CustomFieldTarget[] = ['product', 'partner']
export const CUSTOM_FIELD_TYPES: CustomFieldType[] = ['text', 'number', 'date', 'choice', 'boolean']

/** An admin-defined field of products or partners; values live in the record's `custom` object. */
export interface CustomFieldDefinition {
  id: Id
  target: CustomFieldTarget
  /** the key in `custom` and in `?custom.<key>=` filters */
  key: string
  label: string
  field_type: CustomFieldType
  choices: string[]
  required: boolean
  position: number
  is_active: boolean
}

export type CustomFieldInput = Omit<CustomFieldDefinition, 'id'>

/** Target, key and type are fixed once the field exists. */
export type CustomFieldUpdate = Pick<CustomFieldDefinition, 'label' | 'choices' | 'required' | 'position' | 'is_active'>

/** Stored values: text, a number or date as text, a choice, a boolean. */
export type CustomValue = string | number | boolean | null
export type CustomValues = Record<string, CustomValue>

const url = 'custom-fields/'

const resource = editableResource<CustomFieldDefinition, CustomFieldInput, CustomFieldUpdate>(url)

export const customFieldsApi = {
  ...resource,
  remove: removeFrom(url),
  /** The active fields of one target, in their order. */
  activeFor: (target: CustomFieldTarget) =>
    resource.list({ target, is_active: 'true', page_size: 200 }).then((page) => page.results),
}
