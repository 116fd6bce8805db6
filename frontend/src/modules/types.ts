import type { Component } from 'vue'
import type { RouteComponent, RouteRecordRaw } from 'vue-router'
import type { LocaleMessages } from '@/i18n'

/** Menu order of the module groups: 采购 销售 库存 财务 报表 基础资料 审批 设置. */
export const MODULE_ORDER = {
  purchasing: 10,
  sales: 20,
  inventory: 30,
  finance: 40,
  reporting: 50,
  masterdata: 60,
  workflow: 65,
  settings: 70,
} as const

export type ModuleCode = keyof typeof MODULE_ORDER

export interface ModuleMenuItem {
  /** Route name; the menu item's test id is `nav-<name>`. */
  name: string
  path: string
  titleKey: string
  /**
   * Permission that shows the entry; `<module>.view` when absent. `null`: every logged-in user
   * may open the page, whatever their modules (e.g. their own API tokens).
   */
  permission?: string | null
  /**
   * The page is about cost (values, unit costs): only users whose roles may see costs
   * (`me.can_see_costs`) get the entry and the route, on top of the permission.
   */
  costs?: boolean
  /** The entry sits under a heading of the module's menu (报表: the module's reports), after the plain entries. */
  section?: 'reports'
}

export interface ModuleDefinition {
  code: ModuleCode
  icon: Component
  order: number
  titleKey: string
  menu: ModuleMenuItem[]
  routes: RouteRecordRaw[]
  /** Messages of the module, registered under its code: `t('<code>.…')`. */
  messages: LocaleMessages
}

/** One page of a module: a menu entry and its route. */
export interface ModulePage extends ModuleMenuItem {
  component: RouteComponent | (() => Promise<RouteComponent>)
  /** Props of the page's component (one view for several pages, e.g. the kind of document). */
  props?: Record<string, unknown>
  /** false: a route without a menu entry (a document opened from its list). */
  menu?: boolean
  /** The menu entry highlighted on a page without one (its list's path). */
  activeMenu?: string
}

/** Builds a module whose menu entries and routes come from one list of pages. */
export function defineModule(options: {
  code: ModuleCode
  icon: Component
  pages: ModulePage[]
  messages: LocaleMessages
}): ModuleDefinition {
  const { code, icon, pages, messages } = options
  return {
    code,
    icon,
    order: MODULE_ORDER[code],
    titleKey: `${code}.title`,
    menu: pages.filter((page) => page.menu !== false)
      .map(({ name, path, titleKey, permission, costs, section }) => ({ name, path, titleKey, permission, ...(costs ? { costs } : {}),
        ...(section ? { section } : {}) })),
    routes: pages.map((page) => ({
      path: page.path,
      name: page.name,
      component: page.component,
      ...(page.props ? { props: page.props } : {}),
      meta: {
        ...(page.permission === null
          ? { titleKey: page.titleKey }
          : { module: code, permission: page.permission ?? `${code}.view`, titleKey: page.titleKey }),
        ...(page.costs ? { costs: true } : {}),
        ...(page.activeMenu ? { activeMenu: page.activeMenu } : {}),
      },
    })) as RouteRecordRaw[],
    messages,
  }
}
