import { Box } from '@element-plus/icons-vue'
import { describe, expect, it } from 'vitest'
import { i18n } from '@/i18n'
import { buildMenu, moduleRoutes, modules } from '@/modules'
import { defineModule, type ModuleDefinition } from '@/modules/types'

const stub = { template: '<div />' }

/** A second module, as the next engineer would add it. */
const purchasing = defineModule({
  code: 'purchasing',
  icon: Box,
  pages: [
    { name: 'purchasing-orders', path: '/purchasing/orders', titleKey: 'purchasing.orders', component: stub },
    { name: 'purchasing-approvals', path: '/purchasing/approvals', titleKey: 'purchasing.approvals',
      permission: 'purchasing.approve', component: stub },
  ],
  messages: { 'zh-CN': { title: '采购' }, en: { title: 'Purchasing' } },
})

const settings = modules.find((module) => module.code === 'settings') as ModuleDefinition
const allModules = [settings, purchasing]
const can = (...permissions: string[]) => (permission: string) => permissions.includes(permission)

describe('module registry', () => {
  it('registers the settings module with its six pages', () => {
    expect(settings.menu.map((item) => item.name)).toEqual([
      'settings-users', 'settings-roles', 'settings-organizations', 'settings-api-tokens',
      'settings-number-series', 'settings-audit',
    ])
  })

  it('shows only modules the server lists, in the module order', () => {
    const everything = can('settings.view', 'purchasing.view', 'purchasing.approve')
    expect(buildMenu(allModules, ['settings', 'purchasing'], everything).map((g) => g.code)).toEqual(['purchasing', 'settings'])
    expect(buildMenu(allModules, ['settings'], everything).map((g) => g.code)).toEqual(['settings'])
    expect(buildMenu([settings], ['settings', 'purchasing'], everything).map((g) => g.code)).toEqual(['settings'])
  })

  it('filters entries by their permission, `<module>.view` by default, and drops empty groups', () => {
    const viewOnly = buildMenu(allModules, ['settings', 'purchasing'], can('purchasing.view'))
    // the API tokens page needs a login only (permission: null)
    expect(viewOnly.map((g) => [g.code, g.items.map((i) => i.name)])).toEqual([
      ['purchasing', ['purchasing-orders']], ['settings', ['settings-api-tokens']]])

    const approver = buildMenu(allModules, ['purchasing'], can('purchasing.approve'))
    expect(approver[0].items.map((i) => i.name)).toEqual(['purchasing-approvals'])

    expect(buildMenu(allModules, ['purchasing'], can())).toEqual([])
  })

  it('shows a page about cost only to users whose roles may see costs, on top of its permission', () => {
    const reports = defineModule({
      code: 'reporting',
      icon: Box,
      pages: [
        { name: 'reporting-sales', path: '/reporting/sales', titleKey: 'reporting.sales', component: stub },
        { name: 'reporting-margins', path: '/reporting/margins', titleKey: 'reporting.margins', permission: 'finance.view', costs: true,
          component: stub },
      ],
      messages: { 'zh-CN': { title: '报表' }, en: { title: 'Reports' } },
    })
    const names = (canSeeCosts: boolean, ...permissions: string[]) =>
      buildMenu([reports], ['reporting'], can(...permissions), canSeeCosts).flatMap((g) => g.items.map((i) => i.name))
    expect(names(true, 'reporting.view', 'finance.view')).toEqual(['reporting-sales', 'reporting-margins'])
    expect(names(false, 'reporting.view', 'finance.view')).toEqual(['reporting-sales'])
    expect(names(true, 'reporting.view')).toEqual(['reporting-sales'])
    // without the flag (the default) no page about cost shows
    expect(buildMenu([reports], ['reporting'], can('reporting.view', 'finance.view')).flatMap((g) => g.items.map((i) => i.name)))
      .toEqual(['reporting-sales'])
    const margins = moduleRoutes([reports]).find((route) => route.name === 'reporting-margins')
    expect(margins?.meta).toEqual({ module: 'reporting', permission: 'finance.view', costs: true, titleKey: 'reporting.margins' })
    expect(moduleRoutes([reports]).find((route) => route.name === 'reporting-sales')?.meta).not.toHaveProperty('costs')
  })

  it('lets every logged-in user open a page without a permission (their API tokens)', () => {
    const tokens = moduleRoutes([settings]).find((route) => route.name === 'settings-api-tokens')
    expect(tokens?.meta).toEqual({ titleKey: 'settings.apiTokens.title' })
  })

  it('registers the master-data module with its pages, custom fields for configurers only', () => {
    const masterdata = modules.find((module) => module.code === 'masterdata') as ModuleDefinition
    expect(masterdata.menu.map((item) => item.name)).toEqual([
      'masterdata-products', 'masterdata-partners', 'masterdata-categories', 'masterdata-warehouses', 'masterdata-price-lists',
      'masterdata-units', 'masterdata-tax-rates', 'masterdata-currencies', 'masterdata-custom-fields', 'masterdata-imports',
    ])
    const menu = buildMenu(modules, ['masterdata'], can('masterdata.view'))
    expect(menu.map((g) => g.code)).toEqual(['masterdata'])
    expect(menu[0].items.map((i) => i.name)).not.toContain('masterdata-custom-fields')
    expect(buildMenu(modules, ['masterdata'], can('masterdata.view', 'masterdata.configure'))[0].items.map((i) => i.name))
      .toContain('masterdata-custom-fields')
  })

  it('gives every module route its module and permission', () => {
    const routes = moduleRoutes(allModules)
    expect(routes.find((r) => r.name === 'settings-users')?.meta).toMatchObject({ module: 'settings', permission: 'settings.view' })
    expect(routes.find((r) => r.name === 'purchasing-approvals')?.meta).toMatchObject({
      module: 'purchasing', permission: 'purchasing.approve' })
  })

  it('registers module messages under the module code', () => {
    expect(i18n.global.t(settings.titleKey)).toBe('设置')
    expect(i18n.global.t('settings.users.title', {}, { locale: 'en' })).toBe('Users')
  })
})
