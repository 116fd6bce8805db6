import axios, { AxiosError, AxiosHeaders, type AxiosRequestConfig } from 'axios'
import type { ErrorBody, ListQuery } from './types'

/** The one HTTP client of the UI. Every call goes through it. */
export const http = axios.create({
  baseURL: '/api/v1/',
  withCredentials: true,
  timeout: 60_000,
})

const UNSAFE_METHODS = new Set(['post', 'put', 'patch', 'delete'])
export const IDEMPOTENCY_HEADER = 'Idempotency-Key'

/** Error of any API call, normalized to the documented body `{code, message, fields}`. */
export class ApiError extends Error implements ErrorBody {
  readonly status: number
  readonly code: string
  readonly fields: Record<string, string[]>

  constructor(status: number, body: ErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.status = status
    this.code = body.code
    this.fields = body.fields
  }

  /** The server never answered (network error, timeout, 5xx): the same request may be retried. */
  get outcomeUnknown(): boolean {
    return this.status === 0 || this.status >= 500
  }
}

let languageHeader = (): string => 'zh-hans'
let fallbackMessage = (code: 'network_error' | 'server_error'): string => code
let onUnauthorized = (): void => {}

/** Wire the client to the app: current language, translated fallbacks, what to do on 401. */
export function configureClient(options: {
  language: () => string
  fallbackMessage: (code: 'network_error' | 'server_error') => string
  onUnauthorized: () => void
}): void {
  languageHeader = options.language
  fallbackMessage = options.fallbackMessage
  onUnauthorized = options.onUnauthorized
}

export function readCookie(name: string): string | null {
  const prefix = `${name}=`
  const found = document.cookie.split(';').map((part) => part.trim()).find((part) => part.startsWith(prefix))
  return found ? decodeURIComponent(found.slice(prefix.length)) : null
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 16).toString(16)).join('')
  const variant = '89ab'[Math.floor(Math.random() * 4)]
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${variant}${hex(3)}-${hex(12)}`
}

/** Unsafe requests need the `csrftoken` cookie; fetch it once when it is missing. */
async function csrfToken(): Promise<string | null> {
  const token = readCookie('csrftoken')
  if (token) return token
  const { data } = await http.get<{ csrf_token: string }>('auth/csrf/')
  return readCookie('csrftoken') ?? data.csrf_token
}

http.interceptors.request.use(async (config) => {
  const headers = AxiosHeaders.from(config.headers)
  headers.set('Accept-Language', languageHeader())
  const method = (config.method ?? 'get').toLowerCase()
  if (UNSAFE_METHODS.has(method)) {
    const token = await csrfToken()
    if (token) headers.set('X-CSRFToken', token)
  }
  if (method === 'post' && !headers.has(IDEMPOTENCY_HEADER)) headers.set(IDEMPOTENCY_HEADER, newIdempotencyKey())
  config.headers = headers
  return config
})

function isErrorBody(data: unknown): data is ErrorBody {
  return typeof data === 'object' && data !== null && typeof (data as ErrorBody).code === 'string'
    && typeof (data as ErrorBody).message === 'string'
}

/** Turns anything thrown by axios (or a blob error body) into an ApiError. */
export async function normalizeError(error: unknown): Promise<ApiError> {
  if (error instanceof ApiError) return error
  const response = error instanceof AxiosError ? error.response : undefined
  if (!response) return new ApiError(0, { code: 'network_error', message: fallbackMessage('network_error'), fields: {} })
  let data: unknown = response.data
  if (data instanceof Blob) {
    try { data = JSON.parse(await data.text()) } catch { data = null }
  }
  if (isErrorBody(data)) return new ApiError(response.status, { ...data, fields: data.fields ?? {} })
  return new ApiError(response.status, { code: 'server_error', message: fallbackMessage('server_error'), fields: {} })
}

http.interceptors.response.use(undefined, async (error: unknown) => {
  const apiError = await normalizeError(error)
  if (apiError.status === 401) onUnauthorized()
  throw apiError
})

/** Options of a POST: pass `idempotencyKey` to retry one submission with the same key. */
export interface PostOptions {
  idempotencyKey?: string
}

export function postConfig(options: PostOptions = {}): AxiosRequestConfig {
  return options.idempotencyKey ? { headers: { [IDEMPOTENCY_HEADER]: options.idempotencyKey } } : {}
}

/** Drops empty values so that `?search=&kind=` never reaches the server. */
export function cleanQuery(query: ListQuery): Record<string, string | number | boolean> {
  const result: Record<string, string | number | boolean> = {}
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') result[key] = value
  }
  return result
}

function fileNameFrom(disposition: string | undefined, fallback: string): string {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i)
  if (encoded) return decodeURIComponent(encoded[1])
  const plain = disposition?.match(/filename="?([^";]+)"?/i)
  return plain ? plain[1] : fallback
}

/** Saves a blob as a file through a temporary link. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.appendChild(link)
  link.click()
  link.remove()
  URL.revokeObjectURL(url)
}

/** `GET <url>?<query>` as a file; the server's file name wins over `fallbackName`. */
export async function downloadFile(url: string, query: ListQuery, fallbackName: string): Promise<void> {
  // a whole list can take the server a while: no client-side timeout
  const response = await http.get<Blob>(url, { params: cleanQuery(query), responseType: 'blob', timeout: 0 })
  saveBlob(response.data, fileNameFrom(response.headers['content-disposition'] as string | undefined, fallbackName))
}

/** `GET <list url>export/?<query>` and save the workbook; the server's file name wins. */
export async function downloadExport(listUrl: string, query: ListQuery, baseName: string): Promise<void> {
  const params = { ...query }
  delete params.page
  delete params.page_size
  const today = new Date().toISOString().slice(0, 10).replaceAll('-', '')
  await downloadFile(`${listUrl}export/`, params, `${baseName}-${today}.xlsx`)
}

/**
 * Shows a file the server renders (a PDF) in a new tab. The tab is opened at once, while the
 * click still counts as the user's gesture (popup blockers), and pointed at the blob when it
 * arrives; where no tab may open, the file is saved instead.
 */
export async function openInNewTab(load: () => Promise<Blob>, fallbackName: string): Promise<void> {
  const tab = window.open('', '_blank')
  let blob: Blob
  try {
    blob = await load()
  } catch (error) {
    tab?.close()
    throw error
  }
  if (!tab) {
    saveBlob(blob, fallbackName)
    return
  }
  const url = URL.createObjectURL(blob)
  tab.location.href = url
  // the tab has loaded the document long before; the URL only keeps the blob in memory
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
