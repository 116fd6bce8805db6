/** What following scans apply to, shown as a chip of the scan panel (当前库位：A-01). */
export interface ScanChip {
  key: string
  label: string
  value: string | null
}

/** The outcome of the last scan, as the scan panel says it. */
export interface ScanFeedback {
  type: 'success' | 'error' | 'info'
  text: string
}
