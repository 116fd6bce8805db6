import { createRouter, createWebHistory, type RouteRecordRaw, type Router, type RouterHistory } from 'vue-router'
import AppLayout from '@/layouts/AppLayout.vue'
import { moduleRoutes, modules } from '@/modules'
import { useSessionStore } from '@/stores/session'
import LoginView from '@/views/LoginView.vue'
import { canAccess, safeNext } from './access'

export function appRoutes(routesOfModules: RouteRecordRaw[]): RouteRecordRaw[] {
  return [
    { path: '/login', name: 'login', component: LoginView, meta: { public: true, titleKey: 'login.title' } },
    {
      path: '/',
      component: AppLayout,
      children: [
        { path: '', name: 'dashboard', component: () => import('@/views/DashboardView.vue'),
          meta: { titleKey: 'dashboard.title' } },
        ...routesOfModules,
        { path: '403', name: 'forbidden', component: () => import('@/views/ForbiddenView.vue'),
          meta: { titleKey: 'forbidden.title' } },
        { path: ':pathMatch(.*)*', name: 'not-found', component: () => import('@/views/NotFoundView.vue'),
          meta: { titleKey: 'notFound.title' } },
      ],
    },
  ]
}

/** The app's router: unauthenticated → /login, missing permission or module → the 403 page. */
export function createAppRouter(
  history: RouterHistory = createWebHistory('/'),
  routesOfModules: RouteRecordRaw[] = moduleRoutes(modules),
): Router {
  const router = createRouter({ history, routes: appRoutes(routesOfModules) })
  router.beforeEach(async (to) => {
    const session = useSessionStore()
    // public pages do not ask me/: its 401 would be the first thing in a fresh browser's console
    if (to.meta.public) return to.name === 'login' && session.isAuthenticated ? safeNext(to.query.next) : true
    if (!session.loaded) await session.fetchMe().catch(() => session.clear())
    if (!session.isAuthenticated) return { name: 'login', query: to.fullPath === '/' ? {} : { next: to.fullPath } }
    return canAccess(to, session) ? true : { name: 'forbidden' }
  })
  return router
}
