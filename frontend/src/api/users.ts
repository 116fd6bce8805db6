import type { PostOptions } from './client'
import { editableResource, postAction, readResource, removeFrom } from './resource'
import type { Id, Language } from './types'

export interface User {
  id: Id
  username: string
  display_name: string
  email: string
  phone: string
  is_active: boolean
  language: Language
  roles: Id[]
  role_names: string[]
  /** the member's manager (直属上级) in this organization: approvals can be addressed to them */
  manager: Id | null
  manager_name: string | null
  last_login: string | null
  date_joined: string
}

export interface UserCreate {
  username: string
  display_name: string
  email: string
  phone: string
  password: string
  roles: Id[]
  manager?: Id | null
}

export type UserUpdate = Partial<Pick<User, 'display_name' | 'email' | 'phone' | 'is_active' | 'roles' | 'manager'>>

const url = 'users/'

export const usersApi = {
  ...editableResource<User, UserCreate, UserUpdate>(url),
  /** Removes the user from the active organization (the account stays). */
  remove: removeFrom(url),
  setPassword: (id: Id, password: string, options?: PostOptions) =>
    postAction(`${url}${id}/set-password/`, { password }, options),
}

/** An active member, as any member may list them (`members/`): for picking an approver or a manager. */
export interface Member {
  id: Id
  username: string
  name: string
  manager: Id | null
}

export const membersApi = readResource<Member>('members/')
