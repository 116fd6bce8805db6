import { http } from './client'
import type { AuditEntry } from './audit'

export interface DashboardFigures {
  users: number
  organizations: number
  roles: number
  active_tokens: number
  audit_events_today: number
}

export interface Dashboard {
  figures: DashboardFigures
  activity: { date: string; count: number }[]
  recent: AuditEntry[]
}

export const dashboardApi = {
  get: () => http.get<Dashboard>('dashboard/').then((r) => r.data),
}
