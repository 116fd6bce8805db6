import type { ImportColumn, ImportJob, ImportMapping, ImportStatus } from '@/api/imports'

/** The wizard's steps: choose a file → map its columns → check (dry run) → import. */
export const STEPS = ['file', 'mapping', 'check', 'apply'] as const
export type WizardStep = (typeof STEPS)[number]

/** Where a job stands in the wizard (a job from the history opens at its step). */
export function stepOf(job: ImportJob | null): WizardStep {
  if (!job) return 'file'
  switch (job.status) {
    case 'uploaded':
      return 'mapping'
    case 'checking':
    case 'checked':
    case 'failed':
      return 'check'
    default:
      return 'apply'
  }
}

/** The server is working on the job: poll it. */
export function isRunning(status: ImportStatus): boolean {
  return status === 'checking' || status === 'applying'
}

/** The field chosen for each column of the file ('' = not imported), from the job's mapping. */
export function mappingSelection(job: Pick<ImportJob, 'headers' | 'mapping'>): string[] {
  return job.headers.map((_header, index) => job.mapping[String(index)] ?? '')
}

/** The selection as the server wants it: `{column index: field}`, unmapped columns left out. */
export function mappingBody(selection: readonly string[]): ImportMapping {
  const mapping: ImportMapping = {}
  selection.forEach((field, index) => {
    if (field) mapping[String(index)] = field
  })
  return mapping
}

/** Required fields no column is mapped to. */
export function missingRequired(columns: readonly ImportColumn[], selection: readonly string[]): ImportColumn[] {
  return columns.filter((column) => column.required && !selection.includes(column.field))
}

/** A field may take one column only: the fields other columns already took. */
export function takenElsewhere(selection: readonly string[], index: number): Set<string> {
  return new Set(selection.filter((field, other) => field && other !== index))
}

/** Percentage of the rows the running job has done. */
export function progressPercent(job: Pick<ImportJob, 'progress'>): number {
  const { done, total } = job.progress
  return total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0
}

/** The checked file can be imported: checked without a single error. */
export function canApply(job: Pick<ImportJob, 'status' | 'error_count'> | null): boolean {
  return !!job && job.status === 'checked' && job.error_count === 0
}
