/**
 * Server errors of nested records come flat: `units.0.factor`, `barcodes.1.barcode`,
 * `custom.colour`, `items.12.price` (docs/api-foundation.md). These helpers put them on the right
 * row and field, keep them there when rows are removed, and find what the form shows nowhere.
 */
export type FieldErrors = Record<string, string>

/** The error of one field of one row: `rowError(errors, 'units', 0, 'factor')` reads `units.0.factor`. */
export function rowError(errors: FieldErrors, list: string, index: number, field: string): string | undefined {
  return errors[`${list}.${index}.${field}`]
}

/** The errors under a prefix, keyed by the rest: `errorsUnder(errors, 'custom')` → `{colour: '…'}`. */
export function errorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const result: FieldErrors = {}
  const start = `${prefix}.`
  for (const [field, message] of Object.entries(errors)) {
    if (field.startsWith(start)) result[field.slice(start.length)] = message
  }
  return result
}

/** An error of the list as a whole (`units`) or of a row without a field (`units.2`, `units.2.non_field_errors`). */
export function listErrors(errors: FieldErrors, list: string): string[] {
  const messages: string[] = []
  for (const [field, message] of Object.entries(errors)) {
    if (field === list || field === `${list}.non_field_errors`) messages.push(message)
    const row = field.match(new RegExp(`^${escape(list)}\\.(\\d+)(?:\\.non_field_errors)?$`))
    if (row) messages.push(`#${Number(row[1]) + 1}: ${message}`)
  }
  return messages
}

/** Indices of the rows of a list that have an error. */
export function rowsWithErrors(errors: FieldErrors, list: string): number[] {
  const rows = new Set<number>()
  const pattern = new RegExp(`^${escape(list)}\\.(\\d+)(\\.|$)`)
  for (const field of Object.keys(errors)) {
    const match = field.match(pattern)
    if (match) rows.add(Number(match[1]))
  }
  return [...rows].sort((a, b) => a - b)
}

/** A row was removed: drop its errors and move the errors of the rows after it up by one. */
export function removeRowErrors(errors: FieldErrors, list: string, index: number): void {
  const pattern = new RegExp(`^${escape(list)}\\.(\\d+)(.*)$`)
  const moved: FieldErrors = {}
  for (const [field, message] of Object.entries(errors)) {
    const match = field.match(pattern)
    if (!match) continue
    delete errors[field]
    const row = Number(match[1])
    if (row > index) moved[`${list}.${row - 1}${match[2]}`] = message
    else if (row < index) moved[field] = message
  }
  Object.assign(errors, moved)
}

/** The first segment of a field path: the form section it belongs to (`units.0.factor` → `units`). */
export function topField(field: string): string {
  return field.split('.')[0]
}

/** The first section (in the order given) that holds an error, to switch a tabbed form to it. */
export function firstSectionWithError(errors: FieldErrors, sections: Record<string, readonly string[]>): string | undefined {
  const fields = new Set(Object.keys(errors).map(topField))
  return Object.entries(sections).find(([, names]) => names.some((name) => fields.has(name)))?.[0]
}

/** Messages of errors on fields the form does not show (so that none goes unseen). */
export function unplacedErrors(errors: FieldErrors, isPlaced: (field: string) => boolean): string[] {
  return Object.entries(errors)
    .filter(([field]) => field !== 'non_field_errors' && !isPlaced(field))
    .map(([field, message]) => `${field}: ${message}`)
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
