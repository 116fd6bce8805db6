/** A column of an EditableGrid: its cell is the `#cell-<prop>` slot. */
export interface GridColumn {
  prop: string
  /** i18n key of the header. */
  label: string
  width?: number
  minWidth?: number
  required?: boolean
}
