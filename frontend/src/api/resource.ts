import { cleanQuery, http, postConfig, type PostOptions } from './client'
import type { Id, ListQuery, Page } from './types'

/** What a list page needs from an endpoint: its URL (for the export) and a paginated list. */
export interface ListSource<T> {
  url: string
  list(query?: ListQuery): Promise<Page<T>>
}

export function readResource<T>(url: string) {
  return {
    url,
    list: (query: ListQuery = {}) => http.get<Page<T>>(url, { params: cleanQuery(query) }).then((r) => r.data),
    retrieve: (id: Id) => http.get<T>(`${url}${id}/`).then((r) => r.data),
  }
}

export function editableResource<T, TCreate, TUpdate = Partial<TCreate>>(url: string) {
  return {
    ...readResource<T>(url),
    create: (body: TCreate, options?: PostOptions) => http.post<T>(url, body, postConfig(options)).then((r) => r.data),
    update: (id: Id, body: TUpdate) => http.patch<T>(`${url}${id}/`, body).then((r) => r.data),
  }
}

export function removeFrom(url: string) {
  return (id: Id) => http.delete(`${url}${id}/`).then(() => undefined)
}

/** POST to a detail action such as `users/{id}/set-password/`. */
export function postAction<T = void>(url: string, body: unknown = {}, options?: PostOptions): Promise<T> {
  return http.post<T>(url, body, postConfig(options)).then((r) => r.data)
}
