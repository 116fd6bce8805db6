/** Shapes shared by every endpoint of the JXC API (docs/api-foundation.md). */

export interface ErrorBody {
  code: string
  message: string
  fields: Record<string, string[]>
}

export interface Page<T> {
  count: number
  next: string | null
  previous: string | null
  results: T[]
}

/** Query of a list endpoint: paging, search, ordering and any filter. */
export type ListQuery = Record<string, string | number | boolean | null | undefined>

export type Id = number

export type Language = 'zh-hans' | 'en'

export interface OrganizationRef {
  id: Id
  code: string
  name: string
  kind: 'company' | 'branch'
  parent: Id | null
}

export interface RoleRef {
  id: Id
  code: string
  name: string
}

export interface ModuleRef {
  code: string
  name: string
}

export interface Me {
  id: Id
  username: string
  display_name: string
  email: string
  language: Language
  is_superuser: boolean
  organization: OrganizationRef | null
  organizations: OrganizationRef[]
  roles: RoleRef[]
  permissions: string[]
  can_see_costs: boolean
  modules: ModuleRef[]
}

/** 发送邮件: what the server answers; `job` (202) when a background job sends it */
export interface EmailAnswer {
  job?: string | null
  to: string[]
  cc: string[]
}
