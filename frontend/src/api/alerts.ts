import { http, postConfig, type PostOptions } from './client'
import { readResource } from './resource'
import type { Id } from './types'

/**
 * 预警 (docs/design/workflow.md, Alerts): occurrences of the alert kinds the user's roles may view,
 * open until their condition ends (`state=open|cleared`, `kind=`, `acknowledged=`), acknowledged by
 * a user; and the kinds with this organization's setting of each (on/off and the threshold;
 * `workflow.configure` to change).
 */
export interface Alert {
  id: Id
  kind: string
  kind_label: string
  key: string
  title: string
  detail: string
  document_type: string
  document_id: Id | null
  /** the UI path that shows it (a list with filters or the document) */
  link: string
  raised_at: string
  cleared_at: string | null
  is_open: boolean
  acknowledged_by: Id | null
  acknowledged_by_name: string | null
  acknowledged_at: string | null
}

export type AlertState = 'open' | 'cleared'

const url = 'alerts/'

export const alertsApi = {
  ...readResource<Alert>(url),
  acknowledge: (id: Id, options?: PostOptions) =>
    http.post<Alert>(`${url}${id}/acknowledge/`, {}, postConfig(options)).then((r) => r.data),
}

export interface AlertKind {
  code: string
  label: string
  view_permission: string
  /** what the threshold counts (天, 小时…); empty when the kind has none */
  threshold_label: string
  default_threshold: number | null
  link: string
  is_enabled: boolean
  threshold: number | null
  open_alerts: number
}

export type AlertKindInput = Partial<Pick<AlertKind, 'is_enabled' | 'threshold'>>

const kindsUrl = 'alert-kinds/'

export const alertKindsApi = {
  list: () => http.get<AlertKind[]>(kindsUrl).then((r) => r.data),
  update: (code: string, body: AlertKindInput) =>
    http.patch<AlertKind>(`${kindsUrl}${encodeURIComponent(code)}/`, body).then((r) => r.data),
}
