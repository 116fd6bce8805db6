/**
 * A preview of the 助记码 the server generates from a name (pinyin initials, other characters kept,
 * lower case, no spaces). The browser's Chinese collation orders characters by pinyin, so the
 * first character of each initial's range tells a character's initial; a few polyphonic
 * characters come out differently from the server, which has the last word.
 */
const INITIALS = 'abcdefghjklmnopqrstwxyz'
const FIRST_OF_INITIAL = '阿八嚓哒妸发旮哈讥咔垃呣拏噢妑七呥仨他穵夕丫帀'
const HAN = /[\u3400-\u9fff]/

let collator: Intl.Collator | null = null

function initialOf(char: string): string {
  collator ??= new Intl.Collator('zh-Hans-CN')
  let initial = ''
  for (let index = 0; index < FIRST_OF_INITIAL.length; index++) {
    if (collator.compare(FIRST_OF_INITIAL[index], char) > 0) break
    initial = INITIALS[index]
  }
  return initial || char
}

export function pinyinInitials(text: string): string {
  return Array.from(text, (char) => (HAN.test(char) ? initialOf(char) : char.toLowerCase()))
    .join('')
    .replace(/\s+/g, '')
    .slice(0, 128)
}

/**
 * The stored 助记码 is the one the server generates from `source` (so an editor leaves the field
 * empty, showing the preview, and the server generates it again when the name changes).
 */
export function isGeneratedPinyin(stored: string, source: string): boolean {
  return !stored || stored === pinyinInitials(source)
}
