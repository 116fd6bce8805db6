import { DOMWrapper, flushPromises, mount } from '@vue/test-utils'
import { AxiosHeaders, type AxiosAdapter, type AxiosResponse } from 'axios'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { http } from '@/api/client'
import type { ApprovableType, ApprovalRequest, ApprovalRule, ApprovalStep } from '@/api/workflow'
import ApprovalHistory from '@/components/ApprovalHistory.vue'
import ApprovalsBadge from '@/layouts/ApprovalsBadge.vue'
import { buildMenu, moduleRoutes, modules } from '@/modules'
import { useApprovalsStore } from '@/stores/approvals'
import { useSessionStore } from '@/stores/session'
import ApprovalRequestView from '@/views/workflow/ApprovalRequestView.vue'
import ApprovalRuleDialog from '@/views/workflow/ApprovalRuleDialog.vue'
import ApprovalsView from '@/views/workflow/ApprovalsView.vue'
import { amountText, levelsOf, waitingTime } from '@/views/workflow/common'
import {
  errorAt, newCondition, ruleFormOf, ruleInput, rowOnlyError, setConditionField, setConditionOperator, swapRowErrors,
} from '@/views/workflow/rule'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the dialogs and messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
  // jsdom has no layout: a form's automatic label width is NaN when it unmounts
  const warn = console.warn.bind(console)
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('unexpected width')) warn(...args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const NOW = new Date('2026-11-20T10:00:00Z').getTime()

const PURCHASE_ORDER: ApprovableType = {
  code: 'purchase_order',
  label: '采购订单',
  fields: [
    { code: 'amount', label: '金额（本位币）', kind: 'number', operators: ['gte', 'gt', 'lte', 'lt', 'between'] },
    { code: 'currency', label: '币种', kind: 'code', operators: ['in', 'not_in'] },
    { code: 'partner', label: '往来单位', kind: 'record', operators: ['in', 'not_in'] },
    { code: 'warehouse', label: '仓库', kind: 'record', operators: ['in', 'not_in'] },
    { code: 'category', label: '商品分类', kind: 'records', operators: ['in', 'not_in'] },
    { code: 'below_price_floor', label: '低于底价', kind: 'flag', operators: ['is'] },
  ],
}
const TYPES = [PURCHASE_ORDER]

function step(fields: Partial<ApprovalStep>): ApprovalStep {
  return { id: 1, level: 0, approver: 2, approver_name: '王经理', decision: 'pending', comment: '', decided_at: null, ...fields }
}

function approval(fields: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 31, document_type: 'purchase_order', document_type_label: '采购订单', document_id: 9, document_number: 'PO20261120001',
    summary: '华东商贸 · 3 行', base_amount: '68000.00', currency: 'CNY', rule: 4, rule_name: '大额采购', state: 'pending',
    levels: [
      { name: '部门经理', mode: 'any', approvers: [{ type: 'manager', name: '提交人的直属上级' }] },
      { name: '财务', mode: 'all', approvers: [{ type: 'role', id: 6, name: '会计' }] },
    ],
    current_level: 0, level_name: '部门经理', allow_self_approval: false, submitted_by: 5, submitted_by_name: '采购员小李',
    submitted_at: '2026-11-20T07:00:00Z', waiting_since: '2026-11-20T07:00:00Z', decided_at: null, reason: '',
    steps: [step({ id: 1, level: 0 }), step({ id: 2, level: 1, approver: 3, approver_name: '赵会计' }),
      step({ id: 3, level: 1, approver: 4, approver_name: '钱会计' })],
    can_decide: true, can_withdraw: false,
    ...fields,
  }
}

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((request) => {
    const key = `${request.method} ${request.url}`
    const handler = routes[key]
    if (handler) return handler(request)
    if (request.url === 'approval-rules/document-types/') return [200, TYPES]
    if (request.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: key, fields: {} }]
  })
}

const stub = { template: '<div />' }

async function mountWith(component: object, path: string, options: { permissions?: string[]; props?: Record<string, unknown> } = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({
    id: 2, permissions: options.permissions ?? [], modules: [{ code: 'workflow', name: '审批' }],
  }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/workflow/approvals', name: 'workflow-approvals', component: stub },
      { path: '/workflow/approvals/:id', name: 'workflow-request', component: stub },
      { path: '/purchasing/orders/:id', name: 'purchasing-order', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, {
    props: options.props,
    global: { plugins: [ElementPlus, pinia, router], stubs: {} },
    attachTo: document.body,
  })
  await flushPromises()
  return { wrapper, router }
}

async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

describe('workflow helpers', () => {
  it('says how long a request has waited, in minutes, hours, then days', () => {
    const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString()
    expect(waitingTime(ago(0), NOW)).toEqual({ key: 'workflow.time.justNow', n: 0 })
    expect(waitingTime(ago(25), NOW)).toEqual({ key: 'workflow.time.minutes', n: 25 })
    expect(waitingTime(ago(180), NOW)).toEqual({ key: 'workflow.time.hours', n: 3 })
    expect(waitingTime(ago(47 * 60), NOW)).toEqual({ key: 'workflow.time.hours', n: 47 })
    expect(waitingTime(ago(4 * 24 * 60 + 5), NOW)).toEqual({ key: 'workflow.time.days', n: 4 })
  })

  it('writes amounts with thousands separators', () => {
    expect(amountText('68000.00')).toBe('68,000.00')
    expect(amountText('1234567.5')).toBe('1,234,567.50')
    expect(amountText('-50')).toBe('-50.00')
    expect(amountText(null)).toBe('')
  })

  it('tells each level of a request how far it got', () => {
    expect(levelsOf(approval()).map((level) => [level.state, level.steps.length])).toEqual([['current', 1], ['waiting', 2]])
    expect(levelsOf(approval({ current_level: 1 })).map((level) => level.state)).toEqual(['done', 'current'])
    const rejected = approval({ state: 'rejected', steps: [step({ decision: 'rejected', comment: '价格偏高' })] })
    expect(levelsOf(rejected).map((level) => level.state)).toEqual(['rejected', 'closed'])
    expect(levelsOf(approval({ state: 'approved', current_level: 2 })).map((level) => level.state)).toEqual(['done', 'done'])
  })
})

describe('approval rule form', () => {
  const RULE: ApprovalRule = {
    id: 4, name: '大额采购', document_type: 'purchase_order', document_type_label: '采购订单', priority: 10,
    conditions: [
      { field: 'amount', operator: 'gt', value: '50000' },
      { field: 'currency', operator: 'in', value: ['USD', 'EUR'] },
      { field: 'warehouse', operator: 'not_in', value: [3] },
      { field: 'below_price_floor', operator: 'is', value: false },
    ],
    levels: [
      { name: '部门经理', mode: 'any', approvers: [{ type: 'manager', name: '提交人的直属上级' }] },
      { name: '财务', mode: 'all', approvers: [{ type: 'role', id: 6, name: '会计' }, { type: 'user', id: 9, name: '张总' }] },
    ],
    allow_self_approval: false, is_active: true, description: '',
  }

  it('reads a rule and gives it back as the API takes it: approvers without names, the manager without an id', () => {
    const form = ruleFormOf(RULE, TYPES)
    expect(form.levels[1].approvers.map(({ type, id, name }) => ({ type, id, name })))
      .toEqual([{ type: 'role', id: 6, name: '会计' }, { type: 'user', id: 9, name: '张总' }])
    expect(ruleInput(form, TYPES)).toEqual({
      name: '大额采购', document_type: 'purchase_order', priority: 10, is_active: true, allow_self_approval: false, description: '',
      conditions: RULE.conditions,
      levels: [
        { name: '部门经理', mode: 'any', approvers: [{ type: 'manager' }] },
        { name: '财务', mode: 'all', approvers: [{ type: 'role', id: 6 }, { type: 'user', id: 9 }] },
      ],
    })
  })

  it('gives a condition the operator and empty value of its field, and keeps a number when it becomes a range', () => {
    const condition = newCondition(PURCHASE_ORDER.fields[0])
    expect([condition.field, condition.operator, condition.value]).toEqual(['amount', 'gte', ''])
    condition.value = '50000'
    setConditionOperator(condition, 'number', 'between')
    expect(condition.value).toEqual(['50000', ''])
    setConditionOperator(condition, 'number', 'lt')
    expect(condition.value).toBe('50000')
    setConditionField(condition, PURCHASE_ORDER.fields[1])
    expect([condition.field, condition.operator, condition.value]).toEqual(['currency', 'in', []])
    setConditionField(condition, PURCHASE_ORDER.fields[5])
    expect([condition.operator, condition.value]).toEqual(['is', true])
  })

  it('finds the error of a control at its path or below, and moves errors with their rows', () => {
    const errors = { 'conditions.0.value.1': '应为数字', 'levels.1.approvers': '至少一个审批人', 'levels.0.unknown': '未知键' }
    expect(errorAt(errors, 'conditions.0.value')).toBe('应为数字')
    expect(errorAt(errors, 'conditions.0.field')).toBeUndefined()
    expect(rowOnlyError(errors, 'levels.0', ['name', 'mode', 'approvers'])).toBe('未知键')
    expect(rowOnlyError(errors, 'levels.1', ['name', 'mode', 'approvers'])).toBeUndefined()
    swapRowErrors(errors, 'levels', 0, 1)
    expect(errors).toEqual({ 'conditions.0.value.1': '应为数字', 'levels.0.approvers': '至少一个审批人', 'levels.1.unknown': '未知键' })
  })
})

describe('待我审批', () => {
  it('lists what waits for me with the document, amount, submitter and waiting time, and counts it for the badge', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW)
    const requests = answer({
      'GET approval-requests/inbox/': () => [200, page([approval(), approval({ id: 32, document_number: '', document_id: 12,
        summary: '', base_amount: null, waiting_since: '2026-11-17T09:00:00Z' })])],
    })
    const { wrapper, router } = await mountWith(ApprovalsView, '/workflow/approvals?tab=inbox')
    expect(requests.find((request) => request.url === 'approval-requests/inbox/')?.params).toEqual({ page: 1, page_size: 20 })
    const cards = wrapper.findAll('[data-testid="approval-card"]')
    expect(cards).toHaveLength(2)
    expect(cards[0].text()).toContain('采购订单')
    expect(cards[0].text()).toContain('PO20261120001')
    expect(cards[0].text()).toContain('华东商贸 · 3 行')
    expect(cards[0].find('[data-testid="approval-card-amount"]').text()).toBe('金额 68,000.00')
    expect(cards[0].text()).toContain('提交人：采购员小李')
    expect(cards[0].find('[data-testid="approval-card-waiting"]').text()).toBe('已等待 3 小时')
    expect(cards[0].text()).toContain('当前：部门经理')
    expect(cards[1].text()).toContain('#12')
    expect(cards[1].find('[data-testid="approval-card-waiting"]').text()).toBe('已等待 3 天')
    expect(useApprovalsStore().pending).toBe(2)
    // no "all" tab without workflow.view
    expect(wrapper.find('[data-testid="approvals-tab-all"]').exists()).toBe(false)

    await cards[0].trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/workflow/approvals/31')
  })

  it('shows what I submitted and, with workflow.view, every request by state', async () => {
    const requests = answer({
      'GET approval-requests/': () => [200, page([approval({ state: 'rejected', decided_at: '2026-11-20T08:00:00Z',
        reason: '价格偏高' })])],
    })
    const { wrapper } = await mountWith(ApprovalsView, '/workflow/approvals?tab=mine', { permissions: ['workflow.view'] })
    const listed = () => requests.filter((request) => request.url === 'approval-requests/').at(-1)?.params
    expect(listed()).toEqual({ page: 1, page_size: 20, submitted_by: 2 })
    expect(wrapper.find('[data-testid="approval-state"]').text()).toBe('已驳回')

    wrapper.findComponent<{ $emit: (event: string, value: string) => void }>('.el-tabs').vm.$emit('update:modelValue', 'all')
    await flushPromises()
    expect(listed()).toEqual({ page: 1, page_size: 20 })
    wrapper.findComponent<{ $emit: (event: string, value: string) => void }>('[data-testid="approvals-state"]')
      .vm.$emit('update:modelValue', 'pending')
    await flushPromises()
    expect(listed()).toMatchObject({ state: 'pending' })
  })
})

/** An API whose answers wait until the test releases them (to look at the page while a request is in flight). */
function slowApi(reply: (request: RecordedRequest) => Reply) {
  const requests: RecordedRequest[] = []
  const waiting: (() => void)[] = []
  const adapter: AxiosAdapter = async (config) => {
    const request: RecordedRequest = {
      method: (config.method ?? 'get').toUpperCase(), url: config.url ?? '',
      params: (config.params ?? {}) as Record<string, unknown>,
      body: typeof config.data === 'string' ? JSON.parse(config.data) : config.data,
      headers: AxiosHeaders.from(config.headers).toJSON() as Record<string, string>,
    }
    requests.push(request)
    if (request.method === 'POST') await new Promise<void>((resolve) => waiting.push(resolve))
    const answer = reply(request)
    if (answer === 'network') throw new Error('network')
    const [status, data = null] = answer
    const response: AxiosResponse = { data, status, statusText: '', headers: {}, config, request: {} }
    if (status >= 400) {
      const { AxiosError } = await import('axios')
      throw new AxiosError(`status ${status}`, 'ERR_BAD_RESPONSE', config, {}, response)
    }
    return response
  }
  http.defaults.adapter = adapter
  return { requests, release: () => waiting.splice(0).forEach((resolve) => resolve()) }
}

describe('审批单', () => {
  const button = (wrapper: Awaited<ReturnType<typeof mountWith>>['wrapper'], name: string) =>
    wrapper.find<HTMLButtonElement>(`button[data-testid="request-${name}"]`)

  it('shows the levels and approves once, naming the level seen, with the buttons disabled while in flight', async () => {
    const api = slowApi((request) => {
      if (request.method === 'GET') return [200, approval()]
      return [200, approval({ current_level: 1, can_decide: false, level_name: '财务',
        steps: [step({ decision: 'approved', comment: '同意', decided_at: '2026-11-20T09:00:00Z' }),
          step({ id: 2, level: 1, approver: 3, approver_name: '赵会计' })] })]
    })
    const { wrapper } = await mountWith(ApprovalRequestView, '/workflow/approvals/31')
    expect(wrapper.find('[data-testid="page-title"]').text()).toBe('采购订单 PO20261120001')
    expect(wrapper.find('[data-testid="request-amount"]').text()).toBe('68,000.00')
    expect(wrapper.find('[data-testid="approval-level-0"]').attributes('data-state')).toBe('current')
    expect(wrapper.find('[data-testid="approval-level-1"]').text()).toContain('赵会计')
    expect(wrapper.find('[data-testid="approval-level-1"]').text()).toContain('会签')

    await wrapper.find('textarea[data-testid="request-comment"]').setValue(' 同意 ')
    await button(wrapper, 'approve').trigger('click')
    await button(wrapper, 'approve').trigger('click')
    await flushPromises()
    expect(button(wrapper, 'approve').element.disabled).toBe(true)
    expect(button(wrapper, 'reject').element.disabled).toBe(true)
    await button(wrapper, 'reject').trigger('click')
    const posts = () => api.requests.filter((request) => request.method === 'POST')
    expect(posts()).toHaveLength(1)
    expect(posts()[0].url).toBe('approval-requests/31/approve/')
    expect(posts()[0].body).toEqual({ comment: '同意', level: 0 })
    expect(posts()[0].headers['Idempotency-Key']).toBeTruthy()

    api.release()
    await settled(() => expect(wrapper.find('[data-testid="approval-level-0"]').attributes('data-state')).toBe('done'))
    expect(ElMessage.success).toHaveBeenCalledWith('已同意')
    // no longer this user's to decide: the buttons go
    expect(button(wrapper, 'approve').exists()).toBe(false)
    expect(wrapper.find('[data-testid="approval-step-1"]').text()).toContain('同意')
  })

  it('needs a comment to reject, then sends it with the level', async () => {
    const requests = answer({
      'GET approval-requests/31/': () => [200, approval({ current_level: 1, level_name: '财务' })],
      'POST approval-requests/31/reject/': () => [200, approval({ state: 'rejected', reason: '价格偏高', can_decide: false,
        decided_at: '2026-11-20T09:30:00Z' })],
    })
    const { wrapper } = await mountWith(ApprovalRequestView, '/workflow/approvals/31')
    await button(wrapper, 'reject').trigger('click')
    await flushPromises()
    expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0)
    await settled(() => expect(wrapper.find('[data-testid="request-decision"] .el-form-item__error').text()).toBe('驳回须填写原因'))

    await wrapper.find('textarea[data-testid="request-comment"]').setValue('价格偏高')
    await button(wrapper, 'reject').trigger('click')
    await flushPromises()
    const post = requests.find((request) => request.method === 'POST')
    expect(post?.url).toBe('approval-requests/31/reject/')
    expect(post?.body).toEqual({ comment: '价格偏高', level: 1 })
    expect(wrapper.find('[data-testid="approval-state"]').text()).toBe('已驳回')
    expect(wrapper.find('[data-testid="request-reason"]').text()).toBe('价格偏高')
  })

  it("shows the server's message when the request was already decided, and the request as it is now", async () => {
    let decided = false
    answer({
      'GET approval-requests/31/': () => [200, decided ? approval({ current_level: 1, can_decide: false }) : approval()],
      'POST approval-requests/31/approve/': () => {
        decided = true
        return [400, { code: 'already_decided', message: '该审批单已处理。', fields: {} }]
      },
    })
    const { wrapper } = await mountWith(ApprovalRequestView, '/workflow/approvals/31')
    await button(wrapper, 'approve').trigger('click')
    await flushPromises()
    expect(ElMessage.error).toHaveBeenCalledWith('该审批单已处理。')
    expect(button(wrapper, 'approve').exists()).toBe(false)
  })
})

describe('approval rule editor', () => {
  const HostedDialog = defineComponent({
    props: { rule: { type: Object, default: null } },
    emits: ['saved'],
    setup(props, { emit }) {
      return () => h(ApprovalRuleDialog, {
        modelValue: true, rule: props.rule as ApprovalRule | null, types: TYPES, onSaved: (rule: ApprovalRule) => emit('saved', rule),
      })
    },
  })

  function choices(request: RecordedRequest): Reply | undefined {
    if (request.url === 'roles/') return [200, page([{ id: 6, code: 'accountant', name: '会计' }, { id: 7, code: 'manager', name: '经理' }])]
    if (request.url === 'members/') return [200, page([{ id: 9, username: 'zhang', name: '张总', manager: null }])]
    return undefined
  }

  type Emitter = { $emit: (event: string, value: unknown) => void }

  /** The dialog is teleported to <body>: its DOM is looked up there, its components in the tree. */
  function dialogParts(wrapper: Awaited<ReturnType<typeof mountWith>>['wrapper']) {
    const body = new DOMWrapper(document.body)
    const find = (testid: string) => body.find(`[data-testid="${testid}"]`)
    const input = (testid: string) => body.find(`input[data-testid="${testid}"], [data-testid="${testid}"] input`)
    const control = (name: string, testid: string) => {
      const found = wrapper.findAllComponents({ name }).find((component) => component.attributes('data-testid') === testid)
      if (!found) throw new Error(`no ${name} ${testid}`)
      return found as unknown as { vm: Emitter }
    }
    const choose = async (testid: string, value: unknown, name = 'ElSelect') => {
      control(name, testid).vm.$emit('update:modelValue', value)
      await nextTick()
    }
    // (the message sits in a transition group, stubbed in tests)
    const errorOf = (testid: string) =>
      body.find(`[data-testid="${testid}"] > .el-form-item__content > transition-group-stub > .el-form-item__error`)
    return { find, input, choose, errorOf }
  }

  it('builds conditions and levels and saves them; a field error shows next to its control', async () => {
    let saved = 0
    const requests = mockApi((request) => {
      const found = choices(request)
      if (found) return found
      if (request.method === 'POST' && request.url === 'approval-rules/') {
        saved += 1
        if (saved === 1) {
          return [400, { code: 'invalid_level', message: 'levels.1.approvers.0.id: 请选择审批人。', fields: {
            'levels.1.approvers.0.id': ['请选择审批人。'], 'conditions.0.value.1': ['应为数字。'] } }]
        }
        return [201, { id: 8, document_type_label: '采购订单', ...(request.body as object) }]
      }
      return request.method === 'GET' ? [200, page([])] : [404, { code: 'not_found', message: '', fields: {} }]
    })
    const { wrapper } = await mountWith(HostedDialog, '/workflow/rules')
    const { find, input, choose, errorOf } = dialogParts(wrapper)

    await input('rule-name').setValue('大额采购')
    // the only registered type is chosen already: amount ≥ … is the first condition offered
    await find('condition-add').trigger('click')
    expect(find('condition-0-value').attributes('data-widget')).toBe('number')
    await choose('condition-0-operator', 'between')
    expect(find('condition-0-value').attributes('data-widget')).toBe('range')
    await input('condition-low').setValue('50000')
    await input('condition-high').setValue('abc')

    await find('condition-add').trigger('click')
    expect(find('condition-1-value').attributes('data-widget')).toBe('codes')
    await choose('condition-codes', ['usd'])

    // level 1: the submitter's manager; level 2 (added): 会签 by a role and a user; moved first and back
    await choose('approver-0-0-type', 'manager')
    expect(find('approver-0-0-id').exists()).toBe(false)
    await find('level-add').trigger('click')
    await input('level-1-name').setValue('财务')
    await choose('level-1-mode', 'all', 'ElRadioGroup')
    await choose('approver-1-0-id', 6)
    await find('level-1-approver-add').trigger('click')
    await choose('approver-1-1-type', 'user')
    await choose('approver-1-1-id', 9)
    await find('level-1-up').trigger('click')
    expect((input('level-0-name').element as HTMLInputElement).value).toBe('财务')
    await find('level-0-down').trigger('click')

    await find('dialog-submit').trigger('click')
    await flushPromises()
    const post = requests.find((request) => request.method === 'POST')
    expect(post?.body).toEqual({
      name: '大额采购', document_type: 'purchase_order', priority: 100, is_active: true, allow_self_approval: false, description: '',
      conditions: [
        { field: 'amount', operator: 'between', value: ['50000', 'abc'] },
        { field: 'currency', operator: 'in', value: ['USD'] },
      ],
      levels: [
        { name: '', mode: 'any', approvers: [{ type: 'manager' }] },
        { name: '财务', mode: 'all', approvers: [{ type: 'role', id: 6 }, { type: 'user', id: 9 }] },
      ],
    })

    // the errors sit next to the control they name, nowhere else; the message names no path
    await settled(() => {
      expect(errorOf('condition-0-value-item').text()).toBe('应为数字。')
      expect(errorOf('approver-1-0-id-item').text()).toBe('请选择审批人。')
    })
    expect(errorOf('condition-0-operator-item').exists()).toBe(false)
    expect(errorOf('approver-1-1-id-item').exists()).toBe(false)
    expect(errorOf('level-1-approvers-item').exists()).toBe(false)
    expect(ElMessage.error).toHaveBeenCalledWith('请选择审批人。')

    // the first condition goes: its errors go with it
    await find('condition-0-remove').trigger('click')
    await settled(() => expect(errorOf('condition-0-value-item').exists()).toBe(false))
    await find('dialog-submit').trigger('click')
    await flushPromises()
    expect(wrapper.emitted('saved')).toHaveLength(1)
    expect(requests.filter((request) => request.method === 'POST').at(-1)?.body).toMatchObject({
      conditions: [{ field: 'currency', operator: 'in', value: ['USD'] }] })
  })

  it('shows the names of the approvers of a saved rule, and an error of a whole level', async () => {
    const requests = mockApi((request) => {
      if (request.url === 'roles/') return [403, { code: 'permission_denied', message: '无权限', fields: {} }]
      if (request.method === 'PUT') {
        return [400, { code: 'invalid_level', message: 'levels.0.approvers: 至少需要一个审批人。',
          fields: { 'levels.0.approvers': ['至少需要一个审批人。'] } }]
      }
      return [200, page([])]
    })
    const rule: ApprovalRule = {
      id: 4, name: '底价审批', document_type: 'purchase_order', document_type_label: '采购订单', priority: 10,
      conditions: [{ field: 'below_price_floor', operator: 'is', value: true }],
      levels: [{ name: '销售经理', mode: 'any', approvers: [{ type: 'role', id: 7, name: '销售经理' }] }],
      allow_self_approval: false, is_active: true, description: '',
    }
    const { wrapper } = await mountWith(HostedDialog, '/workflow/rules', { props: { rule } })
    const { find, input, errorOf } = dialogParts(wrapper)
    expect((input('rule-name').element as HTMLInputElement).value).toBe('底价审批')
    expect(find('condition-0-value').attributes('data-widget')).toBe('flag')
    // roles/ refused (no settings.view): the saved choice still shows by its name
    const picker = wrapper.findAllComponents({ name: 'ElSelect' })
      .find((component) => component.attributes('data-testid') === 'approver-0-0-id')
    expect(picker?.text()).toContain('销售经理')

    await find('approver-0-0-remove').trigger('click')
    await find('dialog-submit').trigger('click')
    await flushPromises()
    const put = requests.find((request) => request.method === 'PUT')
    expect(put?.url).toBe('approval-rules/4/')
    expect(put?.body).toMatchObject({ conditions: [{ field: 'below_price_floor', operator: 'is', value: true }],
      levels: [{ name: '销售经理', mode: 'any', approvers: [] }] })
    await settled(() => expect(errorOf('level-0-approvers-item').text()).toBe('至少需要一个审批人。'))
  })
})

describe('ApprovalHistory', () => {
  it("shows every submission of a document with each approver's decision, comment and the reason", async () => {
    const requests = answer({
      'GET approval-requests/history/': (request) => [200, request.params.document_id === 9
        ? [
            approval({ id: 40, state: 'approved', current_level: 2, decided_at: '2026-11-21T02:00:00Z', steps: [
              step({ id: 11, decision: 'approved', comment: '可以', decided_at: '2026-11-21T01:00:00Z' }),
              step({ id: 12, level: 1, approver: 3, approver_name: '赵会计', decision: 'approved', decided_at: '2026-11-21T02:00:00Z' }),
              step({ id: 13, level: 1, approver: 4, approver_name: '钱会计', decision: 'approved', decided_at: '2026-11-21T02:00:00Z' }),
            ] }),
            approval({ id: 31, state: 'rejected', reason: '价格偏高', decided_at: '2026-11-20T08:00:00Z', steps: [
              step({ id: 1, decision: 'rejected', comment: '价格偏高', decided_at: '2026-11-20T08:00:00Z' }),
              step({ id: 2, level: 1, approver: 3, approver_name: '赵会计', decision: 'skipped' }),
            ] }),
          ]
        : []],
    })
    const { wrapper } = await mountWith(ApprovalHistory, '/workflow/approvals', {
      props: { documentType: 'purchase_order', documentId: 9 },
    })
    expect(requests.find((request) => request.url === 'approval-requests/history/')?.params)
      .toEqual({ document_type: 'purchase_order', document_id: 9 })
    const latest = wrapper.find('[data-testid="approval-history-40"]')
    expect(latest.find('[data-testid="approval-state"]').text()).toBe('已通过')
    expect(latest.text()).toContain('采购员小李')
    expect(latest.find('[data-testid="approval-step-11"]').text()).toContain('王经理')
    expect(latest.find('[data-testid="approval-step-11"] [data-testid="approval-step-comment"]').text()).toBe('可以')
    expect(latest.findAll('[data-decision="approved"]')).toHaveLength(3)
    const first = wrapper.find('[data-testid="approval-history-31"]')
    expect(first.find('[data-testid="approval-history-reason"]').text()).toBe('原因：价格偏高')
    expect(first.find('[data-testid="approval-step-1"]').attributes('data-decision')).toBe('rejected')
    expect(first.find('[data-testid="approval-step-2"]').text()).toContain('无需审批')
    expect(first.find('[data-testid="approval-level-1"]').attributes('data-state')).toBe('closed')

    await (wrapper as unknown as { setProps: (props: object) => Promise<void> }).setProps({ documentId: 10 })
    await flushPromises()
    expect(wrapper.text()).toContain('暂无审批记录')
  })

  it('shows why the history cannot be shown', async () => {
    answer({
      'GET approval-requests/history/': () => [403, { code: 'permission_denied', message: '您的角色无权查看这些单据。', fields: {} }],
    })
    const { wrapper } = await mountWith(ApprovalHistory, '/workflow/approvals', { props: { documentType: 'purchase_order', documentId: 9 } })
    expect(wrapper.find('[data-testid="approval-history-error"]').text()).toContain('您的角色无权查看这些单据。')
  })
})

describe('approvals in the app', () => {
  it('registers the module: the approvals pages need a login only, the rules need workflow.view', () => {
    const workflow = modules.find((module) => module.code === 'workflow')
    expect(workflow?.menu.map((item) => item.name))
      .toEqual(['workflow-approvals', 'workflow-rules', 'workflow-notifications', 'workflow-alerts', 'workflow-webhooks'])
    const routes = moduleRoutes(modules)
    expect(routes.find((route) => route.name === 'workflow-approvals')?.meta).toEqual({ titleKey: 'workflow.approvals.title' })
    expect(routes.find((route) => route.name === 'workflow-rules')?.meta).toMatchObject({ module: 'workflow', permission: 'workflow.view' })
    const can = (...permissions: string[]) => (permission: string) => permissions.includes(permission)
    expect(buildMenu(modules, ['workflow'], can('workflow.view')).map((group) => [group.code, group.items.map((item) => item.name)]))
      .toEqual([['workflow', ['workflow-approvals', 'workflow-rules', 'workflow-notifications', 'workflow-alerts']]])
    expect(buildMenu(modules, [], can()).map((group) => group.code)).toEqual([])
  })

  it('puts the number of my pending approvals in the header, linking to the inbox', async () => {
    answer({ 'GET approval-requests/inbox/': () => [200, page([approval()], 3)] })
    const { wrapper } = await mountWith(ApprovalsBadge, '/workflow/approvals/31')
    const badge = wrapper.find('[data-testid="approvals-badge"]')
    expect(badge.attributes('href')).toBe('/workflow/approvals')
    expect(badge.find('.el-badge__content').text()).toBe('3')
    expect(badge.attributes('aria-label')).toBe('待我审批: 3')
  })
})
