import { describe, expect, it } from 'vitest'
import { buildMenu, moduleRoutes, modules } from '@/modules'
import en from '@/i18n/sales/en'
import zhCN from '@/i18n/sales/zh-CN'

function keys(messages: object, prefix = ''): string[] {
  return Object.entries(messages).flatMap(([key, value]) =>
    (typeof value === 'object' && value !== null ? keys(value, `${prefix}${key}.`) : [`${prefix}${key}`]))
}

describe('sales module', () => {
  it('lists quotations, orders, deliveries, invoices, returns, channels and settings first in the menu; documents open under their list', () => {
    const sales = modules.find((module) => module.code === 'sales')
    expect(sales?.menu.filter((item) => !item.section).map((item) => item.name)).toEqual([
      'sales-quotations', 'sales-orders', 'sales-deliveries', 'sales-invoices', 'sales-returns', 'sales-channels',
      'sales-settings',
    ])
    // then the reports (报表), 销售毛利表 among them only for roles that may see costs
    expect(sales?.menu.filter((item) => item.section === 'reports').map((item) => item.name)).toEqual([
      'sales-report-summary', 'sales-report-detail', 'sales-report-profit', 'sales-report-execution', 'sales-report-backorders',
      'sales-report-credit',
    ])
    const allowed = (permission: string) => permission === 'sales.view'
    const names = (costs: boolean) => buildMenu(modules, ['sales'], allowed, costs)[0].items.map((item) => item.name)
    expect(names(false)).not.toContain('sales-report-profit')
    expect(names(false)).toContain('sales-report-summary')
    expect(names(true)).toContain('sales-report-profit')
    expect(moduleRoutes(modules).find((route) => route.name === 'sales-report-profit')?.meta).toMatchObject({ costs: true })
    const editor = moduleRoutes(modules).find((route) => route.name === 'sales-order')
    expect(editor).toMatchObject({ path: '/sales/orders/:id',
      meta: { module: 'sales', permission: 'sales.view', activeMenu: '/sales/orders' } })
    const menu = buildMenu(modules, ['sales', 'inventory'], (permission) => ['sales.view', 'inventory.view'].includes(permission))
    expect(menu.map((group) => group.code)).toEqual(['sales', 'inventory'])
    // a user without sales.view gets no sales group
    expect(buildMenu(modules, ['sales'], () => false)).toEqual([])
  })

  it('has the same messages in Chinese and English', () => {
    expect(keys(en).sort()).toEqual(keys(zhCN).sort())
  })
})
