import { editableResource } from './resource'
import type { Id } from './types'

export interface Organization {
  id: Id
  code: string
  name: string
  kind: 'company' | 'branch'
  parent: Id | null
  parent_name: string | null
  tax_id: string
  address: string
  phone: string
  is_active: boolean
  created_at: string
}

export interface OrganizationInput {
  code: string
  name: string
  parent?: Id | null
  tax_id: string
  address: string
  phone: string
  is_active?: boolean
}

export const organizationsApi = editableResource<Organization, OrganizationInput>('organizations/')
