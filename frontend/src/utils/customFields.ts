import type { CustomFieldDefinition, CustomValue, CustomValues } from '@/api/customFields'
import type { ListColumn } from '@/components/listColumns'
import { i18n } from '@/i18n'
import { trimDecimal } from './decimal'

/** A custom field's value for a cell or a read-out: 是/否, trimmed numbers, text as it is. */
export function formatCustomValue(definition: Pick<CustomFieldDefinition, 'field_type'>, value: CustomValue | undefined): string {
  if (value === null || value === undefined || value === '') return ''
  if (definition.field_type === 'boolean') return i18n.global.t(value === true || value === 'true' ? 'common.yes' : 'common.no')
  if (definition.field_type === 'number') return trimDecimal(value as string | number)
  return String(value)
}

/** One extra list column per active custom field, headed with its label (`custom.<key>`). */
export function customColumns<T extends { custom: CustomValues }>(definitions: readonly CustomFieldDefinition[]): ListColumn<T>[] {
  return definitions.map((definition) => ({
    prop: `custom.${definition.key}`,
    label: '',
    text: definition.label,
    minWidth: 110,
    formatter: (row: T) => formatCustomValue(definition, row.custom?.[definition.key]),
  }))
}

/** The values a form starts from: the record's, with a required yes/no field defaulting to no. */
export function customFormValues(definitions: readonly CustomFieldDefinition[], values: CustomValues | undefined): CustomValues {
  const result: CustomValues = {}
  for (const definition of definitions) {
    const value = values?.[definition.key]
    if (definition.field_type === 'boolean') result[definition.key] = value === undefined || value === null ? (definition.required ? false : null) : value === true || value === 'true'
    else if (definition.field_type === 'number') result[definition.key] = value === undefined || value === null || value === '' ? null : Number(value)
    else result[definition.key] = value ?? null
  }
  return result
}

/** What a form sends in `custom`: every active field, an empty one as null (the server drops it). */
export function customPayload(definitions: readonly CustomFieldDefinition[], values: CustomValues): CustomValues {
  const result: CustomValues = {}
  for (const definition of definitions) {
    const value = values[definition.key]
    result[definition.key] = value === undefined || value === '' ? null : value
  }
  return result
}

/** List filters on custom fields: `{colour: '红'}` → `{'custom.colour': '红'}`, empty ones left out. */
export function customFilterQuery(values: Record<string, string>): Record<string, string> {
  const query: Record<string, string> = {}
  for (const [key, value] of Object.entries(values)) if (value !== '' && value !== null && value !== undefined) query[`custom.${key}`] = value
  return query
}
