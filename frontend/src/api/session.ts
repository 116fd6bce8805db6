import { http, postConfig, type PostOptions } from './client'
import type { Id, Language, Me } from './types'

export const sessionApi = {
  csrf: () => http.get<{ csrf_token: string }>('auth/csrf/').then((r) => r.data),
  login: (username: string, password: string) =>
    http.post<Me>('auth/login/', { username, password }).then((r) => r.data),
  logout: () => http.post('auth/logout/').then(() => undefined),
  me: () => http.get<Me>('me/').then((r) => r.data),
  updateMe: (body: { language?: Language; display_name?: string }) => http.patch<Me>('me/', body).then((r) => r.data),
  switchOrganization: (organization: Id) =>
    http.post<Me>('me/switch-organization/', { organization }).then((r) => r.data),
  changePassword: (body: { old_password: string; new_password: string }, options?: PostOptions) =>
    http.post('me/change-password/', body, postConfig(options)).then(() => undefined),
}
