/**
 * 大写金额: an amount of money in Chinese capital numerals, as vouchers, invoices and cheques write
 * it (壹仟贰佰叁拾肆元伍角陆分). A preview for the screen, written as the server's voucher PDF
 * writes it (jxc/finance/printing.py, after the People's Bank of China rules for bills):
 *
 * - 壹 before 拾 (10 → 壹拾元整); whole yuan by groups of four digits under 万 and 亿, a run of
 *   zeros inside the number read as one 零 (1001 → 壹仟零壹元, 100010000 → 壹亿零壹万元), zeros
 *   that close a group not read (107000 → 壹拾万柒仟元);
 * - 零 after 元 when the 元 digit is 0 and 角 or 分 follow (1680.32 → 壹仟陆佰捌拾元零叁角贰分), and
 *   a 0 角 before 分 is written (1001.01 → 壹仟零壹元零壹分);
 * - 整 after 元 only, when there are no 角 and 分 (1000 → 壹仟元整, 1.50 → 壹元伍角);
 * - under one 元 the amount starts at its first digit that is not 0 (0.05 → 伍分); zero is 零元整;
 * - 负 before a negative (red-letter) amount.
 */

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖']
const SMALL_UNITS = ['', '拾', '佰', '仟']

/** The amount rounded half up to cents, as its sign, whole yuan (digits) and cents; null when it is no number. */
export function splitAmount(value: string | number | null | undefined): { negative: boolean; yuan: string; cents: number } | null {
  if (value === null || value === undefined) return null
  const text = typeof value === 'number' ? (Number.isFinite(value) ? value.toFixed(4) : '') : value.trim().replace(/[,，\s]/g, '')
  const match = text.match(/^([+-]?)(\d*)(?:\.(\d*))?$/)
  if (!match || (!match[2] && !match[3])) return null
  const negative = match[1] === '-'
  let yuan = (match[2] || '0').replace(/^0+(?=\d)/, '')
  const fraction = (match[3] ?? '').padEnd(3, '0')
  let cents = Number(fraction.slice(0, 2))
  if (Number(fraction[2]) >= 5) cents += 1 // half up on the third decimal
  if (cents === 100) {
    cents = 0
    yuan = addOne(yuan)
  }
  return { negative: negative && (yuan !== '0' || cents > 0), yuan, cents }
}

/** "999" → "1000" on a string of digits (amounts beyond what a double holds exactly stay exact). */
function addOne(digits: string): string {
  const out = digits.split('')
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i] !== '9') {
      out[i] = String(Number(out[i]) + 1)
      return out.join('')
    }
    out[i] = '0'
  }
  return `1${out.join('')}`
}

/** A group of at most four digits: 壹仟零壹, 壹拾, 叁佰零伍 (no leading or trailing 零). */
function fourDigits(group: string): string {
  let result = ''
  let zero = false
  const digits = group.padStart(4, '0')
  for (let i = 0; i < 4; i++) {
    const digit = Number(digits[i])
    if (digit === 0) {
      zero = result !== ''
      continue
    }
    if (zero) result += '零'
    zero = false
    result += DIGITS[digit] + SMALL_UNITS[3 - i]
  }
  return result
}

/** Up to eight digits (leading zeros allowed) with 万: 壹佰万零壹; '' for zero. */
function belowYi(digits: string): string {
  const n = digits.replace(/^0+/, '')
  if (!n) return ''
  if (n.length <= 4) return fourDigits(n)
  const low = n.slice(-4)
  const lowText = fourDigits(low)
  return `${fourDigits(n.slice(0, -4))}万${lowText ? (low[0] === '0' ? '零' : '') + lowText : ''}`
}

/**
 * Whole yuan in capitals, by groups of four digits with 万 and 亿 (壹亿零壹万, 壹拾万亿): a lower part
 * that starts with a zero reads one 零 after the higher part.
 */
function wholeYuan(digits: string): string {
  if (digits.length <= 8) return belowYi(digits)
  const low = digits.slice(-8)
  const lowText = belowYi(low)
  return `${wholeYuan(digits.slice(0, -8))}亿${lowText ? (low[0] === '0' ? '零' : '') + lowText : ''}`
}

/**
 * 大写金额 of an amount ("1234.56", 1234.56): 壹仟贰佰叁拾肆元伍角陆分; 零元整 for zero; '' when the
 * value is no number. Rounds half up to the cent.
 */
export function chineseAmount(value: string | number | null | undefined): string {
  const parts = splitAmount(value)
  if (!parts) return ''
  const { negative, yuan, cents } = parts
  const jiao = Math.floor(cents / 10)
  const fen = cents % 10
  const hasYuan = yuan !== '0'
  if (!hasYuan && cents === 0) return '零元整'
  let result = hasYuan ? `${wholeYuan(yuan)}元` : ''
  if (cents === 0) return `${negative ? '负' : ''}${result}整`
  // the zeros that end the yuan (or a 0 角 before 分) read as one 零 before what follows
  let zero = hasYuan && yuan.endsWith('0')
  if (jiao > 0) {
    result += `${zero ? '零' : ''}${DIGITS[jiao]}角`
    zero = false
  } else {
    zero = hasYuan
  }
  if (fen > 0) result += `${zero ? '零' : ''}${DIGITS[fen]}分`
  return negative ? `负${result}` : result
}
