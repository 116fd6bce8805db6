import type { RouteLocationNormalizedLoaded } from 'vue-router'
import type { useSessionStore } from '@/stores/session'

type Session = Pick<ReturnType<typeof useSessionStore>, 'moduleCodes' | 'hasPermission'>

/** May the user open this route: its module is on the server's list and the permission is held. */
export function canAccess(route: Pick<RouteLocationNormalizedLoaded, 'meta'>, session: Session): boolean {
  const { module, permission } = route.meta
  return (!module || session.moduleCodes.includes(module)) && (!permission || session.hasPermission(permission))
}

/** A `?next=` target that stays inside the app. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/'
}
