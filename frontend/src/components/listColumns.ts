/** One column of a ListPage. */
export interface ListColumn<T> {
  /** Field of the row shown by default; also the column's id in the column chooser. */
  prop: string
  /** i18n key of the header. */
  label: string
  /** The header as it is (a custom field's label): wins over `label`. */
  text?: string
  width?: number
  minWidth?: number
  /** Server-side sort: true sorts by `prop`, a string names the `ordering` field. */
  sortable?: boolean | string
  /** Hidden until the user shows it in the column chooser. */
  hidden?: boolean
  /** The cell shows all its content (wrapping) instead of one line cut with a tooltip. */
  wrap?: boolean
  /** Text of the cell; a `#cell-<prop>` slot wins over it. */
  formatter?: (row: T) => string
  /** Stays at the left while the table scrolls sideways (not at phone width). */
  fixed?: boolean
  /** Alignment of the cell and header (numbers: 'right'). */
  align?: 'left' | 'center' | 'right'
  /**
   * A group header over these columns (one level): the group is one entry of the column chooser,
   * its children are not sortable and have their own `#cell-<prop>` slots.
   */
  children?: ListColumn<T>[]
}

/** The `ordering` value of an el-table sort-change (null when the sort is cleared). */
export function orderingOf<T>(column: ListColumn<T> | undefined, order: 'ascending' | 'descending' | null): string | null {
  if (!column?.sortable || !order) return null
  const field = typeof column.sortable === 'string' ? column.sortable : column.prop
  return order === 'descending' ? `-${field}` : field
}

/** The header of a column in the current language. */
export function columnTitle<T>(column: ListColumn<T>, t: (key: string) => string): string {
  return column.text ?? t(column.label)
}
