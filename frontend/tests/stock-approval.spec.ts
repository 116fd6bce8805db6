import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { StockDocument } from '@/api/inventory'
import type { ApprovalRequest } from '@/api/workflow'
import { useSessionStore } from '@/stores/session'
import StockDocumentView from '@/views/inventory/StockDocumentView.vue'
import ApprovalRequestView from '@/views/workflow/ApprovalRequestView.vue'
import { documentPage } from '@/views/workflow/common'
import { makeMe, mockApi, page, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the dialogs and messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessageBox, 'confirm').mockResolvedValue('confirm' as never)
  const warn = console.warn.bind(console)
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('unexpected width')) warn(...args)
  })
})
afterEach(() => {
  vi.restoreAllMocks()
})

const INVENTORY = ['inventory.view', 'inventory.create', 'inventory.edit', 'inventory.post']

function issue(fields: Partial<StockDocument> = {}): StockDocument {
  return {
    id: 7, kind: 'issue', number: '', state: 'draft', business_date: '2026-11-20', warehouse: 1, warehouse_name: '一号仓',
    to_warehouse: null, to_warehouse_name: null, two_step: false, reason: 'damage', note: '', created_by_name: '赵仓管',
    created_at: '2026-11-20T07:00:00Z', shipped_on: null, received_on: null, posted_at: null, reversal_of: null, reversed_by: null,
    lines: [{ id: 70, product: 3, product_code: 'P3', product_name: '螺丝刀', unit: 1, unit_name: '个', quantity: '4.0000',
      base_quantity: '4.0000', location: null, to_location: null, lot: null, lot_code: '', production_date: null, expiry_date: null,
      serial: '' }],
    ...fields,
  } as StockDocument
}

function request(fields: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 31, document_type: 'other_issue', document_type_label: '其他出库单', document_id: 7, document_number: '',
    summary: '报损 · 一号仓 · 螺丝刀', base_amount: '8.00', currency: 'CNY', rule: 4, rule_name: '报损审批', state: 'pending',
    levels: [{ name: '经理', mode: 'any', approvers: [{ type: 'role', id: 2, name: '经理' }] }],
    current_level: 0, level_name: '经理', allow_self_approval: false, submitted_by: 2, submitted_by_name: '赵仓管',
    submitted_at: '2026-11-20T07:00:00Z', waiting_since: '2026-11-20T07:00:00Z', decided_at: null, reason: '',
    steps: [{ id: 1, level: 0, approver: 5, approver_name: '王经理', decision: 'pending', comment: '', decided_at: null }],
    can_decide: false, can_withdraw: true,
    ...fields,
  }
}

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((recorded) => {
    const handler = routes[`${recorded.method} ${recorded.url}`]
    if (handler) return handler(recorded)
    if (recorded.url === 'warehouses/') return [200, page([{ id: 1, code: 'WH1', name: '一号仓', is_active: true }])]
    if (recorded.method === 'GET' && recorded.url.startsWith('products/')) return [404, { code: 'not_found', message: '', fields: {} }]
    if (recorded.method === 'GET') return [200, page([])]
    return [404, { code: 'not_found', message: recorded.url, fields: {} }]
  })
}

const stub = { template: '<div />' }

async function mountPage(component: object, path: string, props: Record<string, unknown> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({
    id: 2, permissions: INVENTORY, modules: [{ code: 'inventory', name: '库存' }, { code: 'workflow', name: '审批' }],
  }))
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/inventory/issues', name: 'inventory-issues', component: stub },
      { path: '/inventory/issues/:id', name: 'inventory-issue', component: stub },
      { path: '/workflow/approvals', name: 'workflow-approvals', component: stub },
      { path: '/workflow/approvals/:id', name: 'workflow-request', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, { props, global: { plugins: [ElementPlus, pinia, router] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, router }
}

async function settled(expectations: () => void): Promise<void> {
  await vi.waitFor(async () => {
    await flushPromises()
    expectations()
  }, { timeout: 4000, interval: 50 })
}

const button = (wrapper: ReturnType<typeof mount>, key: string) => wrapper.find(`[data-testid="document-${key}"]`)

describe('stock documents through approval', () => {
  it('offers 提交审批 and 过账 on a draft; submitted, it waits for approval and the submitter may withdraw it', async () => {
    let current = issue()
    let history: ApprovalRequest[] = []
    const requests = answer({
      'GET stock-documents/7/': () => [200, current],
      'GET approval-requests/history/': () => [200, history],
      'POST stock-documents/7/submit/': () => {
        current = issue({ state: 'submitted' })
        history = [request()]
        return [200, current]
      },
      'POST approval-requests/31/withdraw/': () => {
        current = issue()
        history = [request({ state: 'withdrawn', reason: '', can_withdraw: false })]
        return [200, history[0]]
      },
    })
    const { wrapper } = await mountPage(StockDocumentView, '/inventory/issues/7', { kind: 'issue' })
    await settled(() => expect(button(wrapper, 'submit').exists()).toBe(true))
    expect(button(wrapper, 'submit').text()).toBe('提交审批')
    expect(button(wrapper, 'post').exists()).toBe(true)
    expect(wrapper.find('[data-testid="approval-history"]').isVisible()).toBe(false)  // no history yet: hidden

    await button(wrapper, 'submit').trigger('click')
    await settled(() => expect(wrapper.find('[data-testid="document-awaiting-approval"]').exists()).toBe(true))
    expect(requests.filter((r) => r.method === 'POST').map((r) => r.url)).toEqual(['stock-documents/7/submit/'])
    expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('submitted')
    expect(wrapper.find('[data-testid="document-awaiting-approval"]').text()).toContain('等待审批：经理')
    expect(button(wrapper, 'post').exists()).toBe(false)
    expect(button(wrapper, 'submit').exists()).toBe(false)
    await settled(() => expect(button(wrapper, 'withdraw').exists()).toBe(true))
    expect(wrapper.find('[data-testid="approval-history"]').isVisible()).toBe(true)

    await button(wrapper, 'withdraw').trigger('click')
    await settled(() => expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('draft'))
    expect(requests.some((r) => r.method === 'POST' && r.url === 'approval-requests/31/withdraw/')).toBe(true)
    expect(button(wrapper, 'submit').exists()).toBe(true)
  })

  it('posts an approved document, shows its approval history, and no longer offers to submit it', async () => {
    answer({
      'GET stock-documents/7/': () => [200, issue({ state: 'approved' })],
      'GET approval-requests/history/': () => [200, [request({ state: 'approved', can_withdraw: false })]],
      'POST stock-documents/7/post/': () => [200, issue({ state: 'done', number: 'QC20261120-0001' })],
    })
    const { wrapper } = await mountPage(StockDocumentView, '/inventory/issues/7', { kind: 'issue' })
    await settled(() => expect(wrapper.find('[data-testid="approval-history"]').isVisible()).toBe(true))
    expect(button(wrapper, 'submit').exists()).toBe(false)
    expect(button(wrapper, 'withdraw').exists()).toBe(false)
    await button(wrapper, 'post').trigger('click')
    await settled(() => expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('done'))
  })

  it("shows the server's refusal to post a draft that needs approval", async () => {
    answer({
      'GET stock-documents/7/': () => [200, issue()],
      'GET approval-requests/history/': () => [200, []],
      'POST stock-documents/7/post/': () => [400, {
        code: 'approval_required', message: '该单据需要审批：请先提交审批。', fields: { state: ['该单据需要审批：请先提交审批。'] },
      }],
    })
    const { wrapper } = await mountPage(StockDocumentView, '/inventory/issues/7', { kind: 'issue' })
    await settled(() => expect(button(wrapper, 'post').exists()).toBe(true))
    await button(wrapper, 'post').trigger('click')
    await settled(() => expect(wrapper.text()).toContain('该单据需要审批：请先提交审批。'))
    expect(wrapper.find('[data-testid="document-state"]').attributes('data-state')).toBe('draft')
  })
})

describe('the approval request links to its document', () => {
  it('maps the document types to their pages, and a type without one to none', () => {
    expect(documentPage({ document_type: 'other_issue', document_id: 7 })).toEqual({ name: 'inventory-issue', params: { id: 7 } })
    expect(documentPage({ document_type: 'transfer', document_id: 8 })).toEqual({ name: 'inventory-transfer', params: { id: 8 } })
    expect(documentPage({ document_type: 'purchase_order', document_id: 9 })).toEqual({ name: 'purchasing-order', params: { id: 9 } })
    expect(documentPage({ document_type: 'sales_order', document_id: 10 })).toEqual({ name: 'sales-order', params: { id: 10 } })
    expect(documentPage({ document_type: 'expense_claim', document_id: 11 })).toBeNull()
  })

  it('opens the document from the request', async () => {
    answer({ 'GET approval-requests/31/': () => [200, request({ can_decide: true, can_withdraw: false })] })
    const { wrapper, router } = await mountPage(ApprovalRequestView, '/workflow/approvals/31')
    await settled(() => expect(wrapper.find('[data-testid="request-open-document"]').exists()).toBe(true))
    await wrapper.find('[data-testid="request-open-document"]').trigger('click')
    await settled(() => expect(router.currentRoute.value.fullPath).toBe('/inventory/issues/7'))
  })
})
