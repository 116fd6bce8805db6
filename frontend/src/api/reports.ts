import { cleanQuery, downloadFile, http } from './client'
import type { ListQuery } from './types'

/** A report's answer: its rows, the sums of its figures (the totals row), and whether rows were cut (5000 at most). */
export interface ReportAnswer<Row = Record<string, unknown>> {
  rows: Row[]
  totals: Record<string, string>
  truncated: boolean
}

/** `GET <url>?<filters>` and `GET <url>export/?<filters>` (the same rows as an Excel file). */
export function reportApi<Row = Record<string, unknown>>(url: string) {
  return {
    url,
    get: (query: ListQuery) => http.get<ReportAnswer<Row>>(url, { params: cleanQuery(query) }).then((r) => r.data),
    download: (query: ListQuery, fallbackName: string) => downloadFile(`${url}export/`, query, fallbackName),
  }
}
