import type { RouteRecordRaw } from 'vue-router'
import { registerMessages } from '@/i18n'
import finance from './finance'
import inventory from './inventory'
import masterdata from './masterdata'
import purchasing from './purchasing'
import sales from './sales'
import settings from './settings'
import workflow from './workflow'
import type { ModuleDefinition, ModuleMenuItem } from './types'

/**
 * The business modules known to this UI. Adding one: write `src/modules/<code>/index.ts`
 * (a `defineModule(...)` with its pages and messages) and list it here; the router,
 * the menu and the messages are assembled from this list.
 */
export const modules: ModuleDefinition[] = [purchasing, sales, inventory, finance, masterdata, workflow, settings]

export interface MenuGroup {
  code: string
  icon: ModuleDefinition['icon']
  titleKey: string
  items: ModuleMenuItem[]
}

/**
 * The menu the user sees: modules registered here AND listed by the server in `me.modules`,
 * with the entries the user's permissions allow (pages about cost only when `canSeeCosts`);
 * empty groups are dropped.
 */
export function buildMenu(
  definitions: readonly ModuleDefinition[],
  serverModules: readonly string[],
  hasPermission: (permission: string) => boolean,
  canSeeCosts = false,
): MenuGroup[] {
  return definitions
    .filter((module) => serverModules.includes(module.code))
    .slice()
    .sort((a, b) => a.order - b.order)
    .map((module) => ({
      code: module.code,
      icon: module.icon,
      titleKey: module.titleKey,
      items: module.menu.filter((item) => (!item.costs || canSeeCosts)
        && (item.permission === null || hasPermission(item.permission ?? `${module.code}.view`))),
    }))
    .filter((group) => group.items.length > 0)
}

export function moduleRoutes(definitions: readonly ModuleDefinition[]): RouteRecordRaw[] {
  return definitions.flatMap((module) => module.routes)
}

export function registerModuleMessages(definitions: readonly ModuleDefinition[]): void {
  for (const module of definitions) registerMessages(module.code, module.messages)
}
