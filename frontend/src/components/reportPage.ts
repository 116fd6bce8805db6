import type { Component } from 'vue'
import type { RouteLocationRaw } from 'vue-router'

/** The filters a report page can show; each is a query parameter of the same name (`period`: date_from and date_to). */
export type ReportFilter = 'period' | 'customer' | 'supplier' | 'product' | 'category' | 'salesperson' | 'purchaser' | 'warehouse'
  | 'channel' | 'overdue'

/** How a cell shows its value: quantities and amounts are right-aligned, a flag reads yes / no. */
export type ReportColumnKind = 'text' | 'qty' | 'money' | 'price' | 'percent' | 'date' | 'flag'

export interface ReportColumn {
  prop: string
  /** i18n key of the header. */
  label: string
  kind?: ReportColumnKind
  width?: number
}

/**
 * A chart over the rows: a bar per row (`category` on the axis, a bar for each of `values`, the largest `limit` rows),
 * or a line per value of `seriesBy` along `category` (e.g. a price per product over months).
 */
export interface ReportChart {
  type: 'bar' | 'line'
  category: string
  values: { prop: string; label: string }[]
  seriesBy?: string
  limit?: number
}

export interface ReportDefinition {
  /** Test ids (`report-<name>-…`) and the export file's name. */
  name: string
  url: string
  /** i18n key of the page title. */
  title: string
  /** i18n key of a line under the title that says what the figures are. */
  hint?: string
  filters: ReportFilter[]
  /** Group-by choices of a summary (the first is the default): the key, code and name columns follow the choice. */
  groupBy?: string[]
  columns: ReportColumn[]
  chart?: ReportChart
  exportPermission: string
  /** A button beside the export that acts on the report's rows (props: `query`, the filters; emits `done` to reload). */
  action?: Component
  /** Where a row leads (its document), if anywhere. */
  link?: (row: Record<string, unknown>) => RouteLocationRaw | null
}

const NUMERIC: ReportColumnKind[] = ['qty', 'money', 'price', 'percent']

export function isNumeric(kind: ReportColumnKind | undefined): boolean {
  return kind !== undefined && NUMERIC.includes(kind)
}

/** The first day of this month and today, as the date pickers write them. */
export function thisMonth(now = new Date()): { from: string; to: string } {
  const pad = (n: number) => String(n).padStart(2, '0')
  const today = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
  return { from: `${today.slice(0, 8)}01`, to: today }
}

/** Rows of a line chart: one series per value of `seriesBy`, aligned on the sorted categories. */
export function lineSeries(rows: Record<string, unknown>[], category: string, seriesBy: string, value: string):
  { categories: string[]; series: { name: string; data: (number | null)[] }[] } {
  const categories = [...new Set(rows.map((row) => String(row[category])))].sort()
  const byName = new Map<string, (number | null)[]>()
  for (const row of rows) {
    const name = String(row[seriesBy])
    if (!byName.has(name)) byName.set(name, categories.map(() => null))
    const figure = row[value]
    byName.get(name)![categories.indexOf(String(row[category]))] = figure === null || figure === undefined ? null : Number(figure)
  }
  return { categories, series: [...byName].map(([name, data]) => ({ name, data })) }
}
