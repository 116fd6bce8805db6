import type { RouteLocationNormalizedLoaded } from 'vue-router'
import type { useSessionStore } from '@/stores/session'

type Session = Pick<ReturnType<typeof useSessionStore>, 'moduleCodes' | 'hasPermission' | 'canSeeCosts'>

/**
 * May the user open this route: its module is on the server's list, the permission is held and,
 * for a page about cost, the user's roles may see costs.
 */
export function canAccess(route: Pick<RouteLocationNormalizedLoaded, 'meta'>, session: Session): boolean {
  const { module, permission, costs } = route.meta
  return (!module || session.moduleCodes.includes(module)) && (!permission || session.hasPermission(permission))
    && (!costs || session.canSeeCosts)
}

/** A `?next=` target that stays inside the app. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}
