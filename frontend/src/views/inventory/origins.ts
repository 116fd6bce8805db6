import { i18n } from '@/i18n'

/**
 * What kind of document a move comes from, readable: by its origin (`app.model` of the line) and,
 * for stock documents, the prefix of its number (QR 其他入库, QC 其他出库, DB 调拨).
 */
const PREFIXES: [string, string][] = [['QR', 'receipt'], ['QC', 'issue'], ['DB', 'transfer']]

export function originKey(originType: string, reference = ''): string {
  if (originType === 'inventory.stockdocumentline') {
    const kind = PREFIXES.find(([prefix]) => reference.startsWith(prefix))?.[1]
    return kind ? `inventory.origins.${kind}` : 'inventory.origins.document'
  }
  if (originType === 'inventory.stockcountline') return 'inventory.origins.count'
  if (originType === 'inventory.costadjustmentline') return 'inventory.origins.costAdjustment'
  return `inventory.origins.${originType.replace(/\W/g, '_')}`
}

export function originLabel(originType: string, reference = ''): string {
  const key = originKey(originType, reference)
  return i18n.global.te(key) ? i18n.global.t(key) : originType
}

/**
 * The kinds of move 进销存汇总表 splits receipts and issues by (`by_kind` of its rows): `transfer`,
 * `other`, or the origin type of the moves (`inventory.stockcountline` …; later modules add theirs).
 * In the order the report shows them: purchasing, sales, then what inventory makes, anything new,
 * and `other` last.
 */
const KIND_ORDER = [
  'inventory.stockdocumentline', 'transfer', 'inventory.stockcountline', 'inventory.costadjustmentline', 'inventory.settlement',
]
const MODULE_ORDER = ['purchas', 'sale']

function kindRank(kind: string): number {
  if (kind === 'other') return 1000
  const module = MODULE_ORDER.findIndex((prefix) => kind.startsWith(prefix))
  if (module >= 0) return module
  const known = KIND_ORDER.indexOf(kind)
  return known >= 0 ? 10 + known : 100
}

/** The kinds in the report's order (unknown ones by name, among themselves). */
export function sortMoveKinds(kinds: Iterable<string>): string[] {
  return [...new Set(kinds)].sort((a, b) => kindRank(a) - kindRank(b) || a.localeCompare(b))
}

/** A kind of move, readable: `inventory.kinds.<kind>`, else the origin's label, else the code. */
export function moveKindLabel(kind: string): string {
  const key = `inventory.kinds.${kind.replace(/\W/g, '_')}`
  return i18n.global.te(key) ? i18n.global.t(key) : originLabel(kind)
}
