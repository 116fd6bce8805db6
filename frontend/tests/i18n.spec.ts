import { describe, expect, it } from 'vitest'
import en from '@/i18n/en'
import zhCN from '@/i18n/zh-CN'
import { modules } from '@/modules'

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`])
}

describe('messages', () => {
  it('common zh-CN and en have the same keys', () => {
    expect(keys(en)).toEqual(keys(zhCN))
  })

  it.each(modules.map((module) => [module.code, module] as const))('module %s has complete zh-CN and en', (_, module) => {
    expect(keys(module.messages.en)).toEqual(keys(module.messages['zh-CN']))
    expect(keys(module.messages['zh-CN'])).toContain('title')
  })

  it('uses no vue-i18n special characters by accident', () => {
    const texts = [zhCN, en, ...modules.flatMap((m) => [m.messages['zh-CN'], m.messages.en])].flatMap((messages) =>
      keys(messages).map((key) => key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], messages)))
    for (const text of texts) expect(String(text)).not.toMatch(/[@|$]/)
  })
})
