import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { currentLocale, i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { makeMe, mockApi } from './mockApi'

describe('session store', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    document.cookie = 'csrftoken=x'
  })

  it('hasPermission follows the permissions of the active organization', () => {
    const session = useSessionStore()
    expect(session.hasPermission('settings.view')).toBe(false)
    session.adopt(makeMe({ permissions: ['settings.view'] }))
    expect(session.hasPermission('settings.view')).toBe(true)
    expect(session.hasPermission('settings.edit')).toBe(false)
    session.adopt(makeMe({ permissions: [], is_superuser: true }))
    expect(session.hasPermission('settings.edit')).toBe(true)
    session.clear()
    expect(session.hasPermission('settings.view')).toBe(false)
  })

  it('exposes canSeeCosts and the server modules', () => {
    const session = useSessionStore()
    session.adopt(makeMe({ can_see_costs: false }))
    expect(session.canSeeCosts).toBe(false)
    expect(session.moduleCodes).toEqual(['settings'])
  })

  it('logs in after fetching the CSRF cookie and takes the user’s language', async () => {
    const requests = mockApi((request) => [200, request.url === 'auth/login/' ? makeMe({ language: 'en' }) : {}])
    const session = useSessionStore()
    await session.login('admin', 'pw')
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET auth/csrf/', 'POST auth/login/'])
    expect(requests[1].body).toEqual({ username: 'admin', password: 'pw' })
    expect(session.isAuthenticated).toBe(true)
    expect(currentLocale()).toBe('en')
  })

  it('keeps a language picked on the login page and remembers it for the user', async () => {
    const requests = mockApi((request) => {
      if (request.url === 'auth/login/') return [200, makeMe({ language: 'zh-hans' })]
      return [200, request.url === 'me/' ? makeMe({ language: 'en' }) : {}]
    })
    const session = useSessionStore()
    await session.setLanguage('en')
    await session.login('admin', 'pw')
    expect(requests.at(-1)).toMatchObject({ method: 'PATCH', url: 'me/', body: { language: 'en' } })
    expect(currentLocale()).toBe('en')
  })

  it('treats 401 on me/ as logged out', async () => {
    mockApi(() => [401, { code: 'not_authenticated', message: '', fields: {} }])
    const session = useSessionStore()
    expect(await session.fetchMe()).toBeNull()
    expect(session.loaded).toBe(true)
    expect(session.isAuthenticated).toBe(false)
  })

  it('remembers the language on the server when logged in', async () => {
    const requests = mockApi((request) => [200, makeMe({ language: (request.body as { language: 'en' }).language })])
    const session = useSessionStore()
    session.adopt(makeMe())
    await session.setLanguage('en')
    expect(requests[0]).toMatchObject({ method: 'PATCH', url: 'me/', body: { language: 'en' } })
    expect(i18n.global.t('nav.dashboard')).toBe('Dashboard')
    expect(localStorage.getItem('jxc.language')).toBe('en')
  })

  it('switches the organization', async () => {
    const requests = mockApi(() => [200, makeMe({ organization: makeMe().organizations[1] })])
    const session = useSessionStore()
    session.adopt(makeMe())
    await session.switchOrganization(2)
    expect(requests[0]).toMatchObject({ method: 'POST', url: 'me/switch-organization/', body: { organization: 2 } })
    expect(session.organization?.code).toBe('DEMO-SH')
  })
})
