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
