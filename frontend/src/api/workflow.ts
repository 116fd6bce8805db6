import { cleanQuery, http, postConfig, type PostOptions } from './client'
import { editableResource, readResource, removeFrom } from './resource'
import type { Id, ListQuery, Page } from './types'

/**
 * The workflow API (审批): approval rules per document type (审批规则: conditions on the document and
 * ordered levels of approvers) and approval requests (审批单: the inbox 待我审批, approve, reject,
 * withdraw, a document's approval history). See docs/design/workflow.md.
 * Permissions: `workflow.view` reads the rules and every request; `workflow.configure` writes rules.
 * Who may decide a request is settled by its levels, not by a permission (`can_decide`).
 */

/** Kinds of condition fields; each takes its own operators and value. */
export type ConditionKind = 'number' | 'code' | 'record' | 'records' | 'flag'

export type ConditionOperator = 'gte' | 'gt' | 'lte' | 'lt' | 'between' | 'in' | 'not_in' | 'is'

/**
 * One condition: `value` is a number as text for gte/gt/lte/lt, `[low, high]` for between, a list
 * of currency codes or of ids (partner, warehouse, category) for in/not_in, true/false for is.
 */
export interface Condition {
  field: string
  operator: ConditionOperator | string
  value: unknown
}

export type ApproverType = 'role' | 'user' | 'manager'

/** A role, a named user, or the submitter's manager (no id); `name` comes from the server only. */
export interface Approver {
  type: ApproverType
  id?: Id | null
  name?: string | null
}

export type LevelMode = 'any' | 'all'

/** One level: `any` (或签) — one approval decides it; `all` (会签) — every approver must approve. */
export interface Level {
  name: string
  mode: LevelMode
  approvers: Approver[]
}

export interface ApprovalRule {
  id: Id
  name: string
  document_type: string
  document_type_label: string
  /** rules are tried from the lowest number up; the first that matches applies */
  priority: number
  conditions: Condition[]
  levels: Level[]
  allow_self_approval: boolean
  is_active: boolean
  description: string
}

export type ApprovalRuleInput = Omit<ApprovalRule, 'id' | 'document_type_label'>

/** A condition field a document type offers, with the operators its kind takes. */
export interface ConditionField {
  code: string
  label: string
  kind: ConditionKind
  operators: string[]
}

/** A document type an app registered for approval. */
export interface ApprovableType {
  code: string
  label: string
  fields: ConditionField[]
}

const rulesUrl = 'approval-rules/'

export const approvalRulesApi = {
  ...editableResource<ApprovalRule, ApprovalRuleInput>(rulesUrl),
  update: (id: Id, body: Partial<ApprovalRuleInput>) => http.put<ApprovalRule>(`${rulesUrl}${id}/`, body).then((r) => r.data),
  remove: removeFrom(rulesUrl),
  documentTypes: () => http.get<ApprovableType[]>(`${rulesUrl}document-types/`).then((r) => r.data),
}

export type RequestState = 'pending' | 'approved' | 'rejected' | 'withdrawn'
export const REQUEST_STATES: RequestState[] = ['pending', 'approved', 'rejected', 'withdrawn']

export type StepDecision = 'pending' | 'approved' | 'rejected' | 'skipped'

/** One approver's part in one level of a request. */
export interface ApprovalStep {
  id: Id
  level: number
  approver: Id
  approver_name: string
  decision: StepDecision
  comment: string
  decided_at: string | null
}

export interface ApprovalRequest {
  id: Id
  document_type: string
  document_type_label: string
  document_id: Id
  document_number: string
  summary: string
  /** the document's total in the organization's base currency, as text */
  base_amount: string | null
  /** the code of the document's own currency */
  currency: string
  rule: Id | null
  rule_name: string
  state: RequestState
  /** the rule's levels as copied at submit */
  levels: Level[]
  /** the level (from 0) waiting for a decision */
  current_level: number
  level_name: string
  allow_self_approval: boolean
  submitted_by: Id
  submitted_by_name: string
  submitted_at: string
  /** when the current level started waiting */
  waiting_since: string
  decided_at: string | null
  /** the reason of a rejection or withdrawal */
  reason: string
  steps: ApprovalStep[]
  /** the current user may approve or reject it now */
  can_decide: boolean
  /** the current user submitted it and it is still pending */
  can_withdraw: boolean
}

/** What an approver sends: the comment (required to reject) and the level they saw. */
export interface Decision {
  comment: string
  level: number | null
}

const requestsUrl = 'approval-requests/'

export const approvalRequestsApi = {
  /** Requests the user submitted or is an approver of; every request with `workflow.view`. */
  ...readResource<ApprovalRequest>(requestsUrl),
  /** 待我审批: pending requests the user may decide now, oldest waiting first. */
  inbox: (query: ListQuery = {}) => http.get<Page<ApprovalRequest>>(`${requestsUrl}inbox/`, { params: cleanQuery(query) }).then((r) => r.data),
  /** How many requests wait for the user (the header badge). */
  inboxCount: () => approvalRequestsApi.inbox({ page_size: 1 }).then((found) => found.count),
  /** A document's approval history: each submission with every approver's decision. */
  history: (documentType: string, documentId: Id) =>
    http.get<ApprovalRequest[]>(`${requestsUrl}history/`, { params: { document_type: documentType, document_id: documentId } })
      .then((r) => r.data),
  approve: (id: Id, body: Decision, options?: PostOptions) =>
    http.post<ApprovalRequest>(`${requestsUrl}${id}/approve/`, body, postConfig(options)).then((r) => r.data),
  reject: (id: Id, body: Decision, options?: PostOptions) =>
    http.post<ApprovalRequest>(`${requestsUrl}${id}/reject/`, body, postConfig(options)).then((r) => r.data),
  /** 撤回: the submitter takes back a pending request; the document returns to draft. */
  withdraw: (id: Id, comment: string, options?: PostOptions) =>
    http.post<ApprovalRequest>(`${requestsUrl}${id}/withdraw/`, { comment }, postConfig(options)).then((r) => r.data),
}
