import { http } from './client'
import { editableResource, removeFrom } from './resource'
import type { Id } from './types'

export interface Role {
  id: Id
  code: string
  name: string
  description: string
  is_builtin: boolean
  permissions: string[]
  can_see_costs: boolean
  member_count: number
}

export type RoleInput = Pick<Role, 'code' | 'name' | 'description' | 'permissions' | 'can_see_costs'>

export interface PermissionCatalogue {
  modules: { code: string; name: string; exists: boolean }[]
  actions: { code: string; name: string }[]
}

const url = 'roles/'

export const rolesApi = {
  ...editableResource<Role, RoleInput>(url),
  remove: removeFrom(url),
  catalogue: () => http.get<PermissionCatalogue>('permissions/').then((r) => r.data),
}
