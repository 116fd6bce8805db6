import { http, postConfig, type PostOptions } from './client'
import { readResource } from './resource'
import type { Id } from './types'

/**
 * 通知 (docs/design/workflow.md, Notifications): the user's own in-app inbox in the active
 * organization (newest first; `read_at__isnull=true` for the unread), the header's unread count,
 * mark read, and the user's preferences per event type (in-app on and e-mail off unless changed).
 * Every member has their own: no module permission is needed.
 */
export interface Notification {
  id: Id
  event_type: string
  title: string
  body: string
  document_type: string
  document_id: Id | null
  /** the UI path that shows what it is about, e.g. `/workflow/approvals/31`; may carry a query */
  link: string
  created_at: string
  read_at: string | null
}

/** The answer of mark-read and mark-all-read: how many were marked, how many stay unread. */
export interface Marked {
  marked: number
  unread: number
}

const url = 'notifications/'

export const notificationsApi = {
  ...readResource<Notification>(url),
  unreadCount: () => http.get<{ unread: number }>(`${url}unread-count/`).then((r) => r.data.unread),
  markRead: (ids: Id[], options?: PostOptions) =>
    http.post<Marked>(`${url}mark-read/`, { ids }, postConfig(options)).then((r) => r.data),
  markAllRead: (options?: PostOptions) =>
    http.post<Marked>(`${url}mark-all-read/`, {}, postConfig(options)).then((r) => r.data),
}

/** One event type the user may receive, with their channels. */
export interface NotificationPreference {
  event_type: string
  label: string
  in_app: boolean
  email: boolean
}

export type PreferenceChannel = 'in_app' | 'email'

const preferencesUrl = 'notification-preferences/'

export const notificationPreferencesApi = {
  list: () => http.get<NotificationPreference[]>(preferencesUrl).then((r) => r.data),
  update: (eventType: string, body: Partial<Record<PreferenceChannel, boolean>>) =>
    http.patch<NotificationPreference>(`${preferencesUrl}${encodeURIComponent(eventType)}/`, body).then((r) => r.data),
}
