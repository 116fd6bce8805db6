import { describe, expect, it, vi } from 'vitest'
import { ApiError, configureClient, downloadExport, http, newIdempotencyKey } from '@/api/client'
import { usersApi } from '@/api/users'
import { currentLocale, i18n, setLocale, toServerLanguage } from '@/i18n'
import { mockApi } from './mockApi'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('API client', () => {
  it('uses /api/v1/ with credentials', () => {
    expect(http.defaults.baseURL).toBe('/api/v1/')
    expect(http.defaults.withCredentials).toBe(true)
  })

  it('sends the csrftoken cookie as X-CSRFToken on unsafe methods only', async () => {
    document.cookie = 'csrftoken=secret123'
    const requests = mockApi(() => [200, {}])
    await http.get('me/')
    await http.post('auth/logout/')
    await http.patch('me/', { language: 'en' })
    await http.delete('users/3/')
    expect(requests.map((r) => r.headers['X-CSRFToken'])).toEqual([undefined, 'secret123', 'secret123', 'secret123'])
  })

  it('fetches the CSRF cookie first when it is missing', async () => {
    const requests = mockApi((request) => {
      if (request.url === 'auth/csrf/') document.cookie = 'csrftoken=fresh'
      return [200, { csrf_token: 'fresh' }]
    })
    await http.post('auth/login/', { username: 'a', password: 'b' })
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual(['GET auth/csrf/', 'POST auth/login/'])
    expect(requests[1].headers['X-CSRFToken']).toBe('fresh')
  })

  it('sends a fresh Idempotency-Key on every POST, or the caller’s key for a retry', async () => {
    document.cookie = 'csrftoken=x'
    const requests = mockApi(() => [201, {}])
    await usersApi.create({ username: 'a', display_name: '', email: '', phone: '', password: 'p', roles: [] })
    await usersApi.create({ username: 'b', display_name: '', email: '', phone: '', password: 'p', roles: [] })
    await usersApi.create({ username: 'c', display_name: '', email: '', phone: '', password: 'p', roles: [] },
      { idempotencyKey: 'retry-key' })
    await http.get('users/')
    await usersApi.update(1, { display_name: 'x' })
    const keys = requests.map((r) => r.headers['Idempotency-Key'])
    expect(keys[0]).toMatch(UUID)
    expect(keys[1]).toMatch(UUID)
    expect(keys[0]).not.toBe(keys[1])
    expect(keys.slice(2)).toEqual(['retry-key', undefined, undefined])
  })

  it('generates UUIDs without crypto.randomUUID', () => {
    vi.stubGlobal('crypto', {})
    try {
      const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()))
      expect(keys.size).toBe(50)
      for (const key of keys) expect(key).toMatch(UUID)
    } finally {
      vi.unstubAllGlobals()
    }
  })

  it('sends Accept-Language of the current UI language', async () => {
    const requests = mockApi(() => [200, {}])
    await http.get('me/')
    setLocale('en')
    await http.get('me/')
    expect(requests.map((r) => r.headers['Accept-Language'])).toEqual(['zh-hans', 'en'])
  })

  it('normalizes a documented error body', async () => {
    mockApi(() => [400, { code: 'validation_error', message: '输入有误', fields: { username: ['该用户名已存在'] } }])
    const error = await http.get('users/').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ApiError)
    expect(error).toMatchObject({ status: 400, code: 'validation_error', message: '输入有误',
      fields: { username: ['该用户名已存在'] }, outcomeUnknown: false })
  })

  it('normalizes a body that is not JSON and a network failure, in the UI language', async () => {
    mockApi(() => [502, '<html>Bad gateway</html>'])
    const server = await http.get('users/').catch((e: unknown) => e)
    expect(server).toMatchObject({ status: 502, code: 'server_error', message: i18n.global.t('errors.server_error'),
      fields: {}, outcomeUnknown: true })
    mockApi(() => 'network')
    const network = await http.get('users/').catch((e: unknown) => e)
    expect(network).toMatchObject({ status: 0, code: 'network_error', message: '无法连接服务器，请检查网络后重试' })
  })

  it('calls the 401 handler', async () => {
    const onUnauthorized = vi.fn()
    configureClient({ language: () => toServerLanguage(currentLocale()), fallbackMessage: (c) => c, onUnauthorized })
    mockApi(() => [401, { code: 'not_authenticated', message: '未登录', fields: {} }])
    await expect(http.get('me/')).rejects.toMatchObject({ code: 'not_authenticated' })
    expect(onUnauthorized).toHaveBeenCalledOnce()
  })

  it('downloads an export with the list filters and the server’s file name', async () => {
    const requests = mockApi(() => [200, new Blob(['xlsx']),
      { 'content-disposition': "attachment; filename*=UTF-8''%E7%94%A8%E6%88%B7.xlsx" }])
    const createObjectURL = vi.fn(() => 'blob:x')
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() })
    const names: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download)
    })
    await downloadExport('users/', { search: '张', ordering: '-username', is_active: 'true', role: '', page: 3 }, '用户管理')
    expect(requests[0].url).toBe('users/export/')
    expect(requests[0].params).toEqual({ search: '张', ordering: '-username', is_active: 'true' })
    expect(names).toEqual(['用户.xlsx'])
    click.mockRestore()
  })

  it('turns a JSON error inside a blob answer into an ApiError', async () => {
    mockApi(() => [403, new Blob([JSON.stringify({ code: 'permission_denied', message: '无权导出', fields: {} })])])
    await expect(downloadExport('users/', {}, 'x')).rejects.toMatchObject({ code: 'permission_denied', message: '无权导出' })
  })
})
