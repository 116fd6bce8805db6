import { downloadFile, http, postConfig, type PostOptions } from './client'
import { readResource } from './resource'
import type { Id } from './types'

export type ImportTarget = 'products' | 'partners' | 'categories'
export type ImportStatus = 'uploaded' | 'checking' | 'checked' | 'applying' | 'done' | 'failed'

export const IMPORT_TARGETS: ImportTarget[] = ['products', 'partners', 'categories']
export const IMPORT_STATUSES: ImportStatus[] = ['uploaded', 'checking', 'checked', 'applying', 'done', 'failed']

/** A field the file's columns may be mapped to. */
export interface ImportColumn {
  field: string
  label: string
  required: boolean
}

/** One problem of one row: `row` is the spreadsheet row number (the header is row 1). */
export interface ImportRowError {
  row: number
  column: string
  field: string
  message: string
}

/** `{column index (as text): field}` */
export type ImportMapping = Record<string, string>

export interface ImportJob {
  id: Id
  target: ImportTarget
  filename: string
  headers: string[]
  mapping: ImportMapping
  status: ImportStatus
  total_rows: number
  processed_rows: number
  progress: { done: number; total: number }
  created_count: number
  updated_count: number
  error_count: number
  /** the first 1000 errors */
  errors: ImportRowError[]
  message: string
  columns: ImportColumn[]
  created_at: string
  finished_at: string | null
}

const url = 'imports/'

export const importsApi = {
  ...readResource<ImportJob>(url),
  upload: (target: ImportTarget, file: File, options?: PostOptions) => {
    const body = new FormData()
    body.append('target', target)
    body.append('file', file)
    return http.post<ImportJob>(url, body, { ...postConfig(options), timeout: 0 }).then((r) => r.data)
  },
  /** Dry run: lists every row's errors, writes nothing (big files continue in the background). */
  check: (id: Id, mapping: ImportMapping) => http.post<ImportJob>(`${url}${id}/check/`, { mapping }, { timeout: 0 }).then((r) => r.data),
  /** Writes every row or nothing. */
  apply: (id: Id, mapping: ImportMapping) => http.post<ImportJob>(`${url}${id}/apply/`, { mapping }, { timeout: 0 }).then((r) => r.data),
  downloadTemplate: (target: ImportTarget, name: string) => downloadFile(`${url}template/`, { target }, `${name}.xlsx`),
}
