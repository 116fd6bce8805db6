/** The symbology a barcode is valid in, as the server decides it (a preview: the server has the last word). */
export type Symbology = 'ean13' | 'ean8' | 'upca' | 'code128'

/** The GS1 check digit for the digits before it (EAN-8, UPC-A, EAN-13). */
export function gtinCheckDigit(digits: string): string {
  let total = 0
  Array.from(digits).reverse().forEach((digit, index) => (total += Number(digit) * (index % 2 === 0 ? 3 : 1)))
  return String((10 - (total % 10)) % 10)
}

/** Numeric codes of 8, 12 or 13 digits need a right check digit; other printable ASCII is Code 128; null: invalid. */
export function barcodeSymbology(code: string): Symbology | null {
  if (!code || code.length > 48) return null
  if (/^\d+$/.test(code) && [8, 12, 13].includes(code.length)) {
    if (gtinCheckDigit(code.slice(0, -1)) !== code.slice(-1)) return null
    return code.length === 8 ? 'ean8' : code.length === 12 ? 'upca' : 'ean13'
  }
  return /^[\x20-\x7e]+$/.test(code) ? 'code128' : null
}

export const SYMBOLOGY_NAMES: Record<Symbology, string> = { ean13: 'EAN-13', ean8: 'EAN-8', upca: 'UPC-A', code128: 'Code 128' }
