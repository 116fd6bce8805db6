import type { Id } from '@/api/types'
import type {
  ApprovableType, ApprovalRule, ApprovalRuleInput, ApproverType, Condition, ConditionField, ConditionKind, LevelMode,
} from '@/api/workflow'
import type { FieldErrors } from '@/utils/nestedErrors'

/**
 * The approval rule editor's form: conditions (field → operator → value by the field's kind) and
 * ordered levels of approvers, read from a rule and turned back into the API's shape.
 */

/** A condition's value as the editor holds it: text for numbers, a pair for between, codes or ids for lists, a flag. */
export type ConditionValue = string | [string, string] | string[] | Id[] | boolean

export interface ConditionForm {
  /** a stable key for v-for while rows come and go */
  key: number
  field: string
  operator: string
  value: ConditionValue
}

export interface ApproverForm {
  key: number
  type: ApproverType
  id: Id | null
  /** the role's or user's name as the server gave it (a choice the pickers may not list) */
  name: string
}

export interface LevelForm {
  key: number
  name: string
  mode: LevelMode
  approvers: ApproverForm[]
}

export interface RuleForm {
  name: string
  document_type: string
  priority: number
  is_active: boolean
  allow_self_approval: boolean
  description: string
  conditions: ConditionForm[]
  levels: LevelForm[]
}

let nextKey = 1
const key = () => nextKey++

/** The kind of a field when the document type does not say (a type no longer registered). */
const KNOWN_KINDS: Record<string, ConditionKind> = {
  amount: 'number', discount_rate: 'number', currency: 'code', partner: 'record', warehouse: 'record',
  category: 'records', below_price_floor: 'flag', credit_limit_exceeded: 'flag',
}

const KIND_OPERATORS: Record<ConditionKind, string[]> = {
  number: ['gte', 'gt', 'lte', 'lt', 'between'],
  code: ['in', 'not_in'],
  record: ['in', 'not_in'],
  records: ['in', 'not_in'],
  flag: ['is'],
}

/** A condition field of a document type; one the type does not offer is described from its code. */
export function conditionField(types: readonly ApprovableType[], documentType: string, code: string): ConditionField {
  const found = types.find((type) => type.code === documentType)?.fields.find((field) => field.code === code)
  if (found) return found
  const kind = KNOWN_KINDS[code] ?? 'number'
  return { code, label: code, kind, operators: KIND_OPERATORS[kind] }
}

/** The empty value of a kind and operator. */
export function defaultValue(kind: ConditionKind, operator: string): ConditionValue {
  if (kind === 'number') return operator === 'between' ? ['', ''] : ''
  if (kind === 'flag') return true
  return []
}

export function newCondition(field?: ConditionField): ConditionForm {
  if (!field) return { key: key(), field: '', operator: '', value: '' }
  const operator = field.operators[0] ?? ''
  return { key: key(), field: field.code, operator, value: defaultValue(field.kind, operator) }
}

/** Another field: its first operator and an empty value. */
export function setConditionField(condition: ConditionForm, field: ConditionField): void {
  condition.field = field.code
  condition.operator = field.operators[0] ?? ''
  condition.value = defaultValue(field.kind, condition.operator)
}

/** Another operator: a number keeps its value when it becomes the low end of a range, and back. */
export function setConditionOperator(condition: ConditionForm, kind: ConditionKind, operator: string): void {
  const before = condition.operator
  condition.operator = operator
  if (kind !== 'number' || (before === 'between') === (operator === 'between')) return
  const value = condition.value
  if (operator === 'between') condition.value = [typeof value === 'string' ? value : '', '']
  else condition.value = Array.isArray(value) ? String(value[0] ?? '') : ''
}

export function newApprover(type: ApproverType = 'role'): ApproverForm {
  return { key: key(), type, id: null, name: '' }
}

export function newLevel(): LevelForm {
  return { key: key(), name: '', mode: 'any', approvers: [newApprover()] }
}

export function emptyRuleForm(documentType = ''): RuleForm {
  return {
    name: '', document_type: documentType, priority: 100, is_active: true, allow_self_approval: false, description: '',
    conditions: [], levels: [newLevel()],
  }
}

function conditionValueOf(condition: Condition, kind: ConditionKind): ConditionValue {
  const { value, operator } = condition
  if (kind === 'number') {
    if (operator === 'between') return Array.isArray(value) ? [String(value[0] ?? ''), String(value[1] ?? '')] : ['', '']
    return value === null || value === undefined ? '' : String(value)
  }
  if (kind === 'flag') return value === true
  if (!Array.isArray(value)) return []
  return kind === 'code' ? value.map(String) : value.filter((item): item is number => typeof item === 'number')
}

/** The editor's form of a rule (a copy: editing it changes nothing until saved). */
export function ruleFormOf(rule: ApprovalRule | null, types: readonly ApprovableType[], documentType = ''): RuleForm {
  if (!rule) return emptyRuleForm(documentType)
  return {
    name: rule.name,
    document_type: rule.document_type,
    priority: rule.priority,
    is_active: rule.is_active,
    allow_self_approval: rule.allow_self_approval,
    description: rule.description ?? '',
    conditions: rule.conditions.map((condition) => {
      const field = conditionField(types, rule.document_type, condition.field)
      return { key: key(), field: condition.field, operator: condition.operator, value: conditionValueOf(condition, field.kind) }
    }),
    levels: rule.levels.map((level) => ({
      key: key(),
      name: level.name ?? '',
      mode: level.mode === 'all' ? 'all' : 'any',
      approvers: level.approvers.map((approver) => ({
        key: key(), type: approver.type, id: approver.id ?? null, name: approver.name ?? '',
      })),
    })),
  }
}

function conditionInput(condition: ConditionForm, kind: ConditionKind): Condition {
  const { field, operator, value } = condition
  let sent: unknown = value
  if (kind === 'number') sent = Array.isArray(value) ? value.map((part) => String(part).trim()) : String(value).trim()
  else if (kind === 'code') sent = (Array.isArray(value) ? value : []).map((code) => String(code).trim().toUpperCase()).filter(Boolean)
  else if (kind === 'record' || kind === 'records') {
    sent = (Array.isArray(value) ? value : []).map((id) => (typeof id === 'string' && /^\d+$/.test(id.trim()) ? Number(id) : id))
  }
  return { field, operator, value: sent }
}

/** What the API takes: numbers as text, codes upper case, approvers without their names (the manager without an id). */
export function ruleInput(form: RuleForm, types: readonly ApprovableType[]): ApprovalRuleInput {
  return {
    name: form.name.trim(),
    document_type: form.document_type,
    priority: form.priority,
    is_active: form.is_active,
    allow_self_approval: form.allow_self_approval,
    description: form.description.trim(),
    conditions: form.conditions.map((condition) =>
      conditionInput(condition, conditionField(types, form.document_type, condition.field).kind)),
    levels: form.levels.map((level) => ({
      name: level.name.trim(),
      mode: level.mode,
      approvers: level.approvers.map((approver) =>
        (approver.type === 'manager' ? { type: 'manager' as const } : { type: approver.type, id: approver.id })),
    })),
  }
}

/** Moves a row up (−1) or down (+1); nothing when it would leave the list. */
export function moveRow<T>(rows: T[], index: number, delta: -1 | 1): boolean {
  const target = index + delta
  if (target < 0 || target >= rows.length) return false
  const [row] = rows.splice(index, 1)
  rows.splice(target, 0, row)
  return true
}

/** Two rows traded places: their errors trade too (`levels.0.name` ↔ `levels.1.name`). */
export function swapRowErrors(errors: FieldErrors, list: string, a: number, b: number): void {
  const pattern = new RegExp(`^${list.replace(/\./g, '\\.')}\\.(\\d+)(.*)$`)
  const moved: FieldErrors = {}
  for (const [field, message] of Object.entries(errors)) {
    const match = field.match(pattern)
    if (!match) continue
    const row = Number(match[1])
    if (row !== a && row !== b) continue
    delete errors[field]
    moved[`${list}.${row === a ? b : a}${match[2]}`] = message
  }
  Object.assign(errors, moved)
}

/** The error of a control: at its path, or anywhere below it (`conditions.0.value.1` belongs to the value). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  const messages = Object.entries(errors)
    .filter(([field]) => field === path || field.startsWith(`${path}.`))
    .map(([, message]) => message)
  return messages.length ? messages.join(' ') : undefined
}

/** An error of a row that no control of it shows (`levels.1`, `conditions.0.unknown`). */
export function rowOnlyError(errors: FieldErrors, path: string, controls: readonly string[]): string | undefined {
  const messages = Object.entries(errors)
    .filter(([field]) => (field === path || field.startsWith(`${path}.`))
      && !controls.some((control) => field === `${path}.${control}` || field.startsWith(`${path}.${control}.`)))
    .map(([, message]) => message)
  return messages.length ? messages.join(' ') : undefined
}
