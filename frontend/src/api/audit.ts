import { readResource } from './resource'
import type { Id } from './types'

export type AuditAction = 'create' | 'update' | 'delete' | 'state'

/** `{field: [old, new]}` */
export type AuditChanges = Record<string, [unknown, unknown]>

export interface AuditEntry {
  id: Id
  at: string
  user: Id | null
  /** null for changes made by the system (set-up, demo data) */
  user_name: string | null
  action: AuditAction
  action_name: string
  model: string
  model_name: string
  object_id: string
  object_repr: string
  changes: AuditChanges
  /** the translated name of each changed field */
  field_labels?: Record<string, string>
}

export const AUDIT_ACTIONS: AuditAction[] = ['create', 'update', 'delete', 'state']

/** The audited models of the foundation, as `app.model`. */
export const AUDITED_MODELS = [
  'core.user', 'core.role', 'core.organization', 'core.apitoken', 'core.numberseries',
  'masterdata.product', 'masterdata.partner', 'masterdata.category', 'masterdata.warehouse', 'masterdata.location',
  'masterdata.pricelist', 'masterdata.unit', 'masterdata.taxrate', 'masterdata.currency', 'masterdata.exchangerate',
  'masterdata.customfielddefinition',
]

export const auditApi = readResource<AuditEntry>('audit-log/')
