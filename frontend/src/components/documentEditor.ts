import type { GridColumn } from './editableGrid'

/**
 * The generic parts of a business document's editor (DocumentEditor.vue): its line columns, the
 * actions of its status bar, its totals, moving through the lines by keyboard, and adding or
 * incrementing a line from a scan. Purchasing and sales use the same pieces.
 */

/** A column of the lines; `editable: false` marks a shown-only column that Enter skips. */
export interface DocumentColumn extends GridColumn {
  editable?: boolean
}

/** A button of the status bar (保存草稿, 过账, 红字冲销 …), shown by the page from state and permission. */
export interface DocumentAction {
  key: string
  /** the text of the button, translated */
  label: string
  type?: 'primary' | 'success' | 'warning' | 'danger' | 'default'
  visible: boolean
  disabled?: boolean
  /** a question asked first (translated); the action runs when the user agrees */
  confirm?: string
  testid?: string
  run: () => unknown
}

/** A figure under the lines (合计数量, 金额 …). */
export interface DocumentTotal {
  key: string
  label: string
  value: string
}

export interface CellPosition {
  row: number
  prop: string
}

/**
 * Where Enter goes from a cell: the next editable column of the row, then the first editable
 * column of the next row; `'add'` after the last cell of the last row (a new line is wanted).
 */
export function nextCell(columns: readonly DocumentColumn[], from: CellPosition, rowCount: number): CellPosition | 'add' | null {
  const editable = columns.filter((column) => column.editable !== false).map((column) => column.prop)
  if (!editable.length) return null
  const position = editable.indexOf(from.prop)
  if (position >= 0 && position < editable.length - 1) return { row: from.row, prop: editable[position + 1] }
  if (from.row < rowCount - 1) return { row: from.row + 1, prop: editable[0] }
  return 'add'
}

/** The columns with `props` moved right after the first one (at phone width, what is typed comes first). */
export function bringForward<C extends { prop: string }>(columns: readonly C[], props: readonly string[]): C[] {
  const moved = props.map((prop) => columns.find((column) => column.prop === prop)).filter((column): column is C => !!column)
  const rest = columns.filter((column) => !props.includes(column.prop))
  return [...rest.slice(0, 1), ...moved, ...rest.slice(1)]
}

/** Parses a cell's `data-cell="<row>:<prop>"`. */
export function parseCell(value: string | null | undefined): CellPosition | null {
  const match = value?.match(/^(\d+):(.+)$/)
  return match ? { row: Number(match[1]), prop: match[2] } : null
}

/**
 * Adds one scanned unit: the first line `matches` accepts gets `increment`ed; otherwise an empty
 * line (no product yet) is filled with `create()`, or a new line is appended. Answers the index
 * of the line that changed and whether it is new.
 */
export function applyScan<L>(
  lines: L[],
  options: {
    matches: (line: L) => boolean
    increment: (line: L) => void
    create: () => L
    isEmpty: (line: L) => boolean
  },
): { index: number; added: boolean } {
  const found = lines.findIndex(options.matches)
  if (found >= 0) {
    options.increment(lines[found] as L)
    return { index: found, added: false }
  }
  const empty = lines.findIndex(options.isEmpty)
  if (empty >= 0) {
    lines.splice(empty, 1, options.create())
    return { index: empty, added: true }
  }
  lines.push(options.create())
  return { index: lines.length - 1, added: true }
}

/** Same content (for "unsaved changes"): the JSON of what would be sent. */
export function sameContent(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
