import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import { makeMe, mockApi } from './mockApi'

async function landing(path: string): Promise<string> {
  const router = createAppRouter(createMemoryHistory())
  await router.push(path)
  return router.currentRoute.value.fullPath
}

describe('route guard', () => {
  beforeEach(() => setActivePinia(createPinia()))

  it('sends a visitor without a session to /login, keeping the target', async () => {
    mockApi(() => [401, { code: 'not_authenticated', message: '', fields: {} }])
    expect(await landing('/settings/users')).toBe('/login?next=/settings/users')
    expect(await landing('/')).toBe('/login')
  })

  it('opens a page the user may see', async () => {
    mockApi(() => [200, makeMe()])
    expect(await landing('/settings/roles')).toBe('/settings/roles')
  })

  it('shows 403 when the permission is missing', async () => {
    mockApi(() => [200, makeMe({ permissions: ['purchasing.view'] })])
    expect(await landing('/settings/roles')).toBe('/403')
  })

  it('opens the API tokens to every logged-in user', async () => {
    mockApi(() => [200, makeMe({ permissions: [], modules: [] })])
    expect(await landing('/settings/api-tokens')).toBe('/settings/api-tokens')
  })

  it('shows 403 when the server does not list the module', async () => {
    mockApi(() => [200, makeMe({ modules: [] })])
    expect(await landing('/settings/roles')).toBe('/403')
  })

  it('opens a page about cost only to a role that may see costs, with its permission', async () => {
    const inventory = { modules: [{ code: 'inventory', name: '库存' }] }
    mockApi(() => [200, makeMe({ ...inventory, permissions: ['inventory.view', 'finance.view'], can_see_costs: true })])
    expect(await landing('/inventory/cost-adjustments/new')).toBe('/inventory/cost-adjustments/new')
    setActivePinia(createPinia())
    mockApi(() => [200, makeMe({ ...inventory, permissions: ['inventory.view', 'finance.view'], can_see_costs: false })])
    expect(await landing('/inventory/periods')).toBe('/403')
    setActivePinia(createPinia())
    mockApi(() => [200, makeMe({ ...inventory, permissions: ['inventory.view'], can_see_costs: true })])
    expect(await landing('/inventory/revaluations')).toBe('/403')
  })

  it('leaves /login for the requested page once logged in', async () => {
    const requests = mockApi(() => [200, makeMe()])
    expect(await landing('/login?next=/settings/audit')).toBe('/login?next=/settings/audit')
    expect(requests).toEqual([])
    useSessionStore().adopt(makeMe())
    expect(await landing('/login?next=/settings/audit')).toBe('/settings/audit')
    expect(await landing('/login?next=//evil.example')).toBe('/')
  })
})
