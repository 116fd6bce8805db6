import { currentLocale, i18n } from '@/i18n'

/** Times are stored in UTC and shown in the organization's time zone (DESIGN: default Asia/Shanghai). */
export const TIME_ZONE = 'Asia/Shanghai'

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  return new Intl.DateTimeFormat(currentLocale(), {
    timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso))
}

/** A value of an audit change or a cell, readable: 是/否, lists joined, （空） for nothing. */
export function formatValue(value: unknown): string {
  const { t } = i18n.global
  if (value === null || value === undefined || value === '') return t('common.empty')
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no')
  if (Array.isArray(value)) return value.length ? value.map(formatValue).join('、') : t('common.empty')
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Label of a model field from the common `fields` messages, or the field name itself. */
export function fieldLabel(field: string): string {
  const key = `fields.${field}`
  return i18n.global.te(key) ? i18n.global.t(key) : field
}

/** Message of anything thrown by an API call. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
