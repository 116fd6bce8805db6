import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse } from 'axios'
import { http } from '@/api/client'
import type { Me } from '@/api/types'

export interface RecordedRequest {
  method: string
  url: string
  params: Record<string, unknown>
  body: unknown
  headers: Record<string, string>
}

/** [status, body, headers] or 'network' for a request that never gets an answer. */
export type Reply = [number, unknown?, Record<string, string>?] | 'network'

const originalAdapter = http.defaults.adapter

/** Puts the real adapter back (after each test, from setup.ts). */
export function restoreApi(): void {
  http.defaults.adapter = originalAdapter
}

/** Answers every request of the API client from `reply`, recording what was sent. */
export function mockApi(reply: (request: RecordedRequest) => Reply) {
  const requests: RecordedRequest[] = []
  const adapter: AxiosAdapter = async (config) => {
    const request: RecordedRequest = {
      method: (config.method ?? 'get').toUpperCase(),
      url: config.url ?? '',
      params: (config.params ?? {}) as Record<string, unknown>,
      body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
      headers: AxiosHeaders.from(config.headers).toJSON() as Record<string, string>,
    }
    requests.push(request)
    const answer = reply(request)
    if (answer === 'network') throw new AxiosError('Network Error', 'ERR_NETWORK', config)
    const [status, data = null, headers = {}] = answer
    const response: AxiosResponse = { data, status, statusText: '', headers, config, request: {} }
    if (status >= 400) throw new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, response)
    return response
  }
  http.defaults.adapter = adapter
  return requests
}

export function makeMe(overrides: Partial<Me> = {}): Me {
  const demo = { id: 1, code: 'DEMO', name: '演示贸易有限公司', kind: 'company' as const, parent: null }
  return {
    id: 1,
    username: 'admin',
    display_name: '系统管理员',
    email: '',
    language: 'zh-hans',
    is_superuser: false,
    organization: demo,
    organizations: [demo, { id: 2, code: 'DEMO-SH', name: '演示贸易上海分公司', kind: 'branch', parent: 1 }],
    roles: [{ id: 1, code: 'admin', name: '管理员' }],
    permissions: ['settings.view', 'settings.create', 'settings.edit', 'settings.export'],
    can_see_costs: true,
    modules: [{ code: 'settings', name: '设置' }],
    ...overrides,
  }
}

export function page<T>(results: T[], count = results.length) {
  return { count, next: null, previous: null, results }
}
