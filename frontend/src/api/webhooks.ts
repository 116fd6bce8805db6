import { http, postConfig, type PostOptions } from './client'
import { readResource, removeFrom } from './resource'
import type { Id } from './types'

/**
 * Webhooks (docs/design/workflow.md, Webhooks): endpoints of the organization (a URL, http or
 * https only, the event types it receives, the secret that signs each body with HMAC-SHA256,
 * generated when not given) and the delivery log with re-send. All `workflow.configure`.
 */
export interface WebhookEndpoint {
  id: Id
  name: string
  url: string
  event_types: string[]
  /** only in the answer to the create or update that set it: reads never carry it */
  secret?: string
  is_active: boolean
  created_at: string
}

/** What a form sends; `secret` only when it is set or changed (the server generates one otherwise). */
export interface WebhookInput {
  name: string
  url: string
  event_types: string[]
  is_active: boolean
  secret?: string
}

export interface WebhookEventType {
  code: string
  label: string
}

export type DeliveryStatus = 'pending' | 'sending' | 'retrying' | 'succeeded' | 'failed'
export const DELIVERY_STATUSES: DeliveryStatus[] = ['pending', 'sending', 'retrying', 'succeeded', 'failed']

export interface WebhookDelivery {
  id: Id
  endpoint: Id
  endpoint_name: string
  event_id: string
  event_type: string
  /** the exact JSON body sent */
  body: string
  status: DeliveryStatus
  attempts: number
  response_code: number | null
  /** the first 2 KB of the answer */
  response_body: string
  error: string
  created_at: string
  last_attempt_at: string | null
  next_retry_at: string | null
  delivered_at: string | null
  resent_from: Id | null
}

const url = 'webhooks/'

export const webhooksApi = {
  ...readResource<WebhookEndpoint>(url),
  create: (body: WebhookInput, options?: PostOptions) =>
    http.post<WebhookEndpoint>(url, body, postConfig(options)).then((r) => r.data),
  update: (id: Id, body: Partial<WebhookInput>) => http.patch<WebhookEndpoint>(`${url}${id}/`, body).then((r) => r.data),
  remove: removeFrom(url),
  eventTypes: () => http.get<WebhookEventType[]>(`${url}event-types/`).then((r) => r.data),
  /** Queues a `webhook.test` event to the endpoint (202); the delivery shows in the log. */
  sendTest: (id: Id, options?: PostOptions) =>
    http.post<WebhookDelivery>(`${url}${id}/send-test/`, {}, postConfig(options)).then((r) => r.data),
}

const deliveriesUrl = 'webhook-deliveries/'

export const webhookDeliveriesApi = {
  ...readResource<WebhookDelivery>(deliveriesUrl),
  /** Sends the same event again as a new delivery (same event id and body). */
  resend: (id: Id, options?: PostOptions) =>
    http.post<WebhookDelivery>(`${deliveriesUrl}${id}/resend/`, {}, postConfig(options)).then((r) => r.data),
}
