/** The placeholders of a number-series pattern (docs/api-foundation.md). */
export const PATTERN_TOKENS = ['yyyy', 'yy', 'MM', 'dd', 'yyyyMMdd', 'yyyyMM', 'seq'] as const

/** Client-side preview of a pattern for a date and sequence; the server's `next_preview` is the truth. */
export function previewNumber(pattern: string, date: Date, sequence = 1): string {
  const yyyy = String(date.getFullYear())
  const MM = String(date.getMonth() + 1).padStart(2, '0')
  const dd = String(date.getDate()).padStart(2, '0')
  const values: Record<string, string> = { yyyy, yy: yyyy.slice(2), MM, dd, yyyyMMdd: yyyy + MM + dd, yyyyMM: yyyy + MM }
  return pattern.replace(/\{(\w+)(?::(\d+))?\}/g, (token, name: string, digits?: string) => {
    if (name === 'seq') return String(sequence).padStart(Number(digits ?? 1), '0')
    return values[name] ?? token
  })
}
