import type { PostOptions } from './client'
import { editableResource, postAction, removeFrom } from './resource'
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
}

export type UserUpdate = Partial<Pick<User, 'display_name' | 'email' | 'phone' | 'is_active' | 'roles'>>

const url = 'users/'

export const usersApi = {
  ...editableResource<User, UserCreate, UserUpdate>(url),
  /** Removes the user from the active organization (the account stays). */
  remove: removeFrom(url),
  setPassword: (id: Id, password: string, options?: PostOptions) =>
    postAction(`${url}${id}/set-password/`, { password }, options),
}
