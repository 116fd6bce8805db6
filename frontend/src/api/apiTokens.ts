import { http, postConfig, type PostOptions } from './client'
import { postAction, readResource } from './resource'
import type { Id } from './types'

export interface ApiToken {
  id: Id
  name: string
  prefix: string
  user: Id
  user_name: string
  organization: Id
  created_at: string
  expires_at: string | null
  last_used_at: string | null
  revoked_at: string | null
  is_active: boolean
}

/** The answer to a create: the only time the plaintext token is shown. */
export interface CreatedApiToken extends ApiToken {
  token: string
}

export interface ApiTokenInput {
  name: string
  expires_at: string | null
}

const url = 'api-tokens/'

export const apiTokensApi = {
  ...readResource<ApiToken>(url),
  create: (body: ApiTokenInput, options?: PostOptions) =>
    http.post<CreatedApiToken>(url, body, postConfig(options)).then((r) => r.data),
  revoke: (id: Id) => postAction<ApiToken>(`${url}${id}/revoke/`),
}
