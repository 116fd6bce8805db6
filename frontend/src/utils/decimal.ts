/** Decimals travel as text ("5.680000"); these show and edit them. */

/** "5.680000" → "5.68", "48.0000" → "48"; keeps at least `minDecimals` places ("5.6" → "5.60" with 2). */
export function trimDecimal(value: string | number | null | undefined, minDecimals = 0): string {
  if (value === null || value === undefined || value === '') return ''
  const text = String(value)
  if (!/^-?\d+(\.\d+)?$/.test(text)) return text
  const [whole, fraction = ''] = text.split('.')
  let kept = fraction.replace(/0+$/, '')
  if (kept.length < minDecimals) kept = kept.padEnd(minDecimals, '0')
  return kept ? `${whole}.${kept}` : whole
}

/** A money amount for a list cell: two decimals at least, more when the price has them. */
export function formatMoney(value: string | number | null | undefined): string {
  return trimDecimal(value, 2)
}

/** Text from the API → the number an el-input-number edits (null stays null). */
export function toNumber(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
}
