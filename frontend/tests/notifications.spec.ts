import { DOMWrapper, flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import ElementPlus, { ElMessage, ElMessageBox } from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Alert, AlertKind } from '@/api/alerts'
import type { Notification, NotificationPreference } from '@/api/notifications'
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@/api/webhooks'
import NotificationsBell from '@/layouts/NotificationsBell.vue'
import { buildMenu, moduleRoutes, modules } from '@/modules'
import { useNotificationsStore } from '@/stores/notifications'
import { useSessionStore } from '@/stores/session'
import AlertKindsSettings from '@/views/workflow/AlertKindsSettings.vue'
import AlertsView from '@/views/workflow/AlertsView.vue'
import NotificationPreferences from '@/views/workflow/NotificationPreferences.vue'
import NotificationsView from '@/views/workflow/NotificationsView.vue'
import WebhookDeliveries from '@/views/workflow/WebhookDeliveries.vue'
import WebhookDialog from '@/views/workflow/WebhookDialog.vue'
import WebhooksView from '@/views/workflow/WebhooksView.vue'
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

const NOW = new Date('2026-11-20T10:00:00Z').getTime()
const body = () => new DOMWrapper(document.body)
const input = (testid: string) => body().find(`input[data-testid="${testid}"], [data-testid="${testid}"] input`)
const posts = (requests: RecordedRequest[]) => requests.filter((request) => request.method !== 'GET')
const lastParams = (requests: RecordedRequest[], url: string) => requests.filter((r) => r.url === url).at(-1)?.params

function notification(fields: Partial<Notification> = {}): Notification {
  return {
    id: 5, event_type: 'alert.inventory.low_stock', title: '低库存：脉动 330ml', body: '上海总仓 可用 3，安全库存 5',
    document_type: '', document_id: null, link: '/inventory/low-stock?product=12&warehouse=3',
    created_at: '2026-11-20T07:00:00Z', read_at: null, ...fields,
  }
}

function alert(fields: Partial<Alert> = {}): Alert {
  return {
    id: 7, kind: 'inventory.low_stock', kind_label: '低库存', key: '12:3', title: '低库存：脉动 330ml', detail: '上海总仓 可用 3',
    document_type: '', document_id: null, link: '/inventory/low-stock?product=12&warehouse=3', raised_at: '2026-11-20T07:00:00Z',
    cleared_at: null, is_open: true, acknowledged_by: null, acknowledged_by_name: null, acknowledged_at: null, ...fields,
  }
}

const KINDS: AlertKind[] = [
  { code: 'inventory.low_stock', label: '低库存', view_permission: 'inventory.view', threshold_label: '', default_threshold: null,
    link: '/inventory/low-stock', is_enabled: true, threshold: null, open_alerts: 2 },
  { code: 'workflow.approval_waiting', label: '审批等待过久', view_permission: '', threshold_label: '小时', default_threshold: 24,
    link: '/workflow/approvals', is_enabled: true, threshold: 24, open_alerts: 0 },
]

const EVENT_TYPES: WebhookEventType[] = [
  { code: 'alert.inventory.low_stock', label: '预警：低库存' },
  { code: 'approval.approved', label: '您的单据已通过审批' },
  { code: 'approval.requested', label: '有单据等待您审批' },
]

function endpoint(fields: Partial<WebhookEndpoint> = {}): WebhookEndpoint {
  return {
    id: 3, name: 'ERP 同步', url: 'https://hooks.example.com/jxc', event_types: ['approval.approved'], secret: 'a'.repeat(64),
    is_active: true, created_at: '2026-11-01T00:00:00Z', ...fields,
  }
}

function delivery(fields: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 9, endpoint: 3, endpoint_name: 'ERP 同步', event_id: '0b6f7c2e-1111-4a4a-9c9c-123456789abc', event_type: 'approval.approved',
    body: '{"id":"0b6f7c2e","type":"approval.approved"}', status: 'failed', attempts: 5, response_code: 500,
    response_body: 'Internal Server Error', error: 'HTTP 500', created_at: '2026-11-20T08:00:00Z',
    last_attempt_at: '2026-11-20T08:02:30Z', next_retry_at: null, delivered_at: null, resent_from: null, ...fields,
  }
}

function answer(routes: Record<string, (request: RecordedRequest) => Reply>) {
  return mockApi((request) => {
    const key = `${request.method} ${request.url}`
    const handler = routes[key]
    if (handler) return handler(request)
    if (request.url === 'notifications/unread-count/') return [200, { unread: 0 }]
    if (request.url === 'alert-kinds/') return [200, KINDS]
    if (request.url === 'webhooks/event-types/') return [200, EVENT_TYPES]
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
      { path: '/', component: stub },
      { path: '/workflow/notifications', name: 'workflow-notifications', component: stub },
      { path: '/workflow/alerts', name: 'workflow-alerts', component: stub },
      { path: '/workflow/webhooks', name: 'workflow-webhooks', component: stub },
      { path: '/workflow/approvals/:id', name: 'workflow-request', component: stub },
      { path: '/inventory/low-stock', name: 'inventory-low-stock', component: stub },
    ],
  })
  await router.push(path)
  await router.isReady()
  const wrapper = mount(component, {
    props: options.props,
    global: { plugins: [ElementPlus, pinia, router] },
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

type Emitter = { $emit: (event: string, value: unknown) => void }
function control(wrapper: VueWrapper, name: string, testid: string): Emitter {
  const found = wrapper.findAllComponents({ name }).find((component) => component.attributes('data-testid') === testid)
  if (!found) throw new Error(`no ${name} ${testid}`)
  return found.vm as unknown as Emitter
}

describe('notifications bell', () => {
  it('shows the unread count, lists the latest and marks one read when it is opened, then opens its page', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(NOW)
    let unread = 3
    const requests = answer({
      'GET notifications/unread-count/': () => [200, { unread }],
      'GET notifications/': () => [200, page([
        notification(),
        notification({ id: 4, event_type: 'approval.requested', title: '待审批：采购订单 PO20261120001', body: '',
          link: '/workflow/approvals/31', created_at: '2026-11-17T09:00:00Z', read_at: '2026-11-18T01:00:00Z' }),
      ], 12)],
      'POST notifications/mark-read/': () => {
        unread = 2
        return [200, { marked: 1, unread: 2 }]
      },
      'POST notifications/mark-all-read/': () => [200, { marked: 2, unread: 0 }],
    })
    const { wrapper, router } = await mountWith(NotificationsBell, '/')
    const bell = wrapper.find('[data-testid="notifications-bell"]')
    expect(bell.find('.el-badge__content').text()).toBe('3')
    expect(bell.attributes('aria-label')).toBe('通知: 3')
    // nothing is listed before the bell is opened
    expect(requests.some((request) => request.url === 'notifications/')).toBe(false)

    await bell.trigger('click')
    await settled(() => expect(body().findAll('[data-testid="notification-item"]')).toHaveLength(2))
    expect(lastParams(requests, 'notifications/')).toEqual({ page_size: 8 })
    const items = body().findAll('[data-testid="notification-item"]')
    expect(items[0].attributes('data-unread')).toBe('true')
    expect(items[0].find('[data-testid="notification-title"]').text()).toBe('低库存：脉动 330ml')
    expect(items[0].find('[data-testid="notification-body"]').text()).toBe('上海总仓 可用 3，安全库存 5')
    expect(items[0].text()).toContain('3 小时前')
    expect(items[1].attributes('data-unread')).toBe('false')
    expect(items[1].text()).toContain('3 天前')

    await items[0].trigger('click')
    await flushPromises()
    const marks = posts(requests)
    expect(marks).toHaveLength(1)
    expect(marks[0].url).toBe('notifications/mark-read/')
    expect(marks[0].body).toEqual({ ids: [5] })
    expect(router.currentRoute.value.fullPath).toBe('/inventory/low-stock?product=12&warehouse=3')
    expect(router.currentRoute.value.query).toEqual({ product: '12', warehouse: '3' })
    await settled(() => expect(bell.find('.el-badge__content').text()).toBe('2'))

    // a read one is opened without marking it again
    await bell.trigger('click')
    await settled(() => expect(body().findAll('[data-testid="notification-item"]')).toHaveLength(2))
    await body().findAll('[data-testid="notification-item"]')[1].trigger('click')
    await flushPromises()
    expect(posts(requests)).toHaveLength(1)
    expect(router.currentRoute.value.fullPath).toBe('/workflow/approvals/31')

    await bell.trigger('click')
    await settled(() => expect(body().findAll('[data-testid="notification-item"]')).toHaveLength(2))
    await body().find('[data-testid="notifications-mark-all"]').trigger('click')
    await flushPromises()
    expect(posts(requests).at(-1)?.url).toBe('notifications/mark-all-read/')
    expect(useNotificationsStore().unread).toBe(0)
    expect(bell.find('.el-badge__content').exists()).toBe(false)
  })
})

describe('消息中心', () => {
  it('lists the unread by default, filters read/all and marks one read', async () => {
    const requests = answer({
      'GET notifications/': (request) => [200, page(request.params.read_at__isnull === 'false'
        ? [notification({ id: 2, read_at: '2026-11-20T08:00:00Z', title: '已读的消息' })]
        : [notification()])],
      'POST notifications/mark-read/': () => [200, { marked: 1, unread: 6 }],
    })
    const { wrapper } = await mountWith(NotificationsView, '/workflow/notifications')
    expect(lastParams(requests, 'notifications/')).toEqual({ page: 1, page_size: 20, read_at__isnull: 'true' })
    expect(wrapper.find('[data-testid="notification-unread"]').text()).toBe('未读')

    await wrapper.find('[data-testid="notification-mark-read"]').trigger('click')
    await flushPromises()
    expect(posts(requests)[0]).toMatchObject({ url: 'notifications/mark-read/', body: { ids: [5] } })
    expect(useNotificationsStore().unread).toBe(6)

    control(wrapper, 'ElRadioGroup', 'notifications-read-filter').$emit('update:modelValue', 'read')
    await flushPromises()
    expect(lastParams(requests, 'notifications/')).toEqual({ page: 1, page_size: 20, read_at__isnull: 'false' })
    expect(wrapper.find('.el-table__body').text()).toContain('已读的消息')
    control(wrapper, 'ElRadioGroup', 'notifications-read-filter').$emit('update:modelValue', 'all')
    await flushPromises()
    expect(lastParams(requests, 'notifications/')).toEqual({ page: 1, page_size: 20 })
  })
})

describe('通知设置', () => {
  const PREFERENCES: NotificationPreference[] = [
    { event_type: 'approval.requested', label: '有单据等待您审批', in_app: true, email: false },
    { event_type: 'alert.inventory.low_stock', label: '预警：低库存', in_app: true, email: false },
  ]

  it('sends only the switched channel of the event type, and puts a refused switch back', async () => {
    const requests = answer({
      'GET notification-preferences/': () => [200, PREFERENCES.map((row) => ({ ...row }))],
      'PATCH notification-preferences/approval.requested/': (request) =>
        [200, { ...PREFERENCES[0], ...(request.body as object) }],
      'PATCH notification-preferences/alert.inventory.low_stock/': () =>
        [400, { code: 'invalid', message: 'in_app: 无法关闭。', fields: { in_app: ['无法关闭。'] } }],
    })
    const { wrapper } = await mountWith(NotificationPreferences, '/workflow/notifications?tab=settings')
    expect(wrapper.findAll('.el-table__body tr').map((row) => row.find('td').text())).toEqual(['有单据等待您审批', '预警：低库存'])
    const email = () => wrapper.find('[data-testid="pref-approval.requested-email"]')
    expect(email().classes()).not.toContain('is-checked')

    await email().trigger('click')
    await flushPromises()
    expect(posts(requests)).toHaveLength(1)
    expect(posts(requests)[0]).toMatchObject({ method: 'PATCH', url: 'notification-preferences/approval.requested/', body: { email: true } })
    expect(email().classes()).toContain('is-checked')
    expect(wrapper.find('[data-testid="pref-approval.requested-in_app"]').classes()).toContain('is-checked')

    const lowStock = () => wrapper.find('[data-testid="pref-alert.inventory.low_stock-in_app"]')
    await lowStock().trigger('click')
    await flushPromises()
    expect(posts(requests)[1]).toMatchObject({ url: 'notification-preferences/alert.inventory.low_stock/', body: { in_app: false } })
    expect(ElMessage.error).toHaveBeenCalledWith('无法关闭。')
    expect(lowStock().classes()).toContain('is-checked')
  })
})

describe('预警', () => {
  it('lists the open alerts with a link to their page, filters by state and kind, and acknowledges one', async () => {
    let acknowledged = false
    const requests = answer({
      'GET alerts/': () => [200, page([acknowledged
        ? alert({ acknowledged_at: '2026-11-20T09:00:00Z', acknowledged_by: 2, acknowledged_by_name: '王经理' })
        : alert()])],
      'POST alerts/7/acknowledge/': () => {
        acknowledged = true
        return [200, alert({ acknowledged_at: '2026-11-20T09:00:00Z' })]
      },
    })
    const { wrapper, router } = await mountWith(AlertsView, '/workflow/alerts')
    expect(lastParams(requests, 'alerts/')).toEqual({ page: 1, page_size: 20, state: 'open' })
    expect(wrapper.find('[data-testid="alert-state"]').text()).toBe('未解除')
    expect(wrapper.find('.el-table__body').text()).toContain('低库存')
    // no settings tab without workflow.configure
    expect(wrapper.find('[data-testid="alert-kinds"]').exists()).toBe(false)
    expect(wrapper.text()).not.toContain('预警设置')

    await wrapper.find('[data-testid="alert-acknowledge"]').trigger('click')
    await flushPromises()
    expect(posts(requests)).toHaveLength(1)
    expect(posts(requests)[0].url).toBe('alerts/7/acknowledge/')
    await settled(() => expect(wrapper.find('[data-testid="alert-acknowledged"]').text()).toContain('王经理'))
    expect(wrapper.find('[data-testid="alert-acknowledge"]').exists()).toBe(false)

    control(wrapper, 'ElSelect', 'alerts-state-filter').$emit('update:modelValue', 'cleared')
    control(wrapper, 'ElSelect', 'alerts-kind-filter').$emit('update:modelValue', 'inventory.low_stock')
    await flushPromises()
    expect(lastParams(requests, 'alerts/')).toEqual({ page: 1, page_size: 20, state: 'cleared', kind: 'inventory.low_stock' })

    await wrapper.find('[data-testid="alert-open"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/inventory/low-stock?product=12&warehouse=3')
  })

  it('lets those who configure turn a kind off and change its threshold, showing a refused value under it', async () => {
    const requests = answer({
      'PATCH alert-kinds/inventory.low_stock/': (request) => [200, { ...KINDS[0], ...(request.body as object) }],
      'PATCH alert-kinds/workflow.approval_waiting/': (request) => ((request.body as { threshold: number }).threshold > 1000
        ? [400, { code: 'invalid', message: 'threshold: 太大了。', fields: { threshold: ['太大了。'] } }]
        : [200, { ...KINDS[1], ...(request.body as object) }]),
    })
    const { wrapper } = await mountWith(AlertKindsSettings, '/workflow/alerts?tab=settings', { permissions: ['workflow.configure'] })
    await wrapper.find('[data-testid="alert-kind-inventory.low_stock-enabled"]').trigger('click')
    await flushPromises()
    expect(posts(requests)[0]).toMatchObject({ method: 'PATCH', url: 'alert-kinds/inventory.low_stock/', body: { is_enabled: false } })
    expect(wrapper.find('[data-testid="alert-kind-inventory.low_stock-enabled"]').classes()).not.toContain('is-checked')
    // the low-stock kind has no threshold
    expect(wrapper.find('[data-testid="alert-kind-inventory.low_stock-threshold"]').exists()).toBe(false)

    const threshold = wrapper.find<HTMLInputElement>('[data-testid="alert-kind-workflow.approval_waiting-threshold"] input')
    await threshold.setValue('48')
    await threshold.trigger('change')
    await flushPromises()
    expect(posts(requests)[1]).toMatchObject({ url: 'alert-kinds/workflow.approval_waiting/', body: { threshold: 48 } })

    await threshold.setValue('5000')
    await threshold.trigger('change')
    await flushPromises()
    expect(posts(requests)[2].body).toEqual({ threshold: 5000 })
    await settled(() => expect(wrapper.find('[data-testid="alert-kind-workflow.approval_waiting-error"]').text()).toBe('太大了。'))
  })
})

describe('webhooks', () => {
  const HostedDialog = defineComponent({
    props: { endpoint: { type: Object, default: null } },
    emits: ['saved'],
    setup(props, { emit }) {
      return () => h(WebhookDialog, {
        modelValue: true, endpoint: props.endpoint as WebhookEndpoint | null, eventTypes: EVENT_TYPES,
        onSaved: (saved: WebhookEndpoint, created: boolean) => emit('saved', saved, created),
      })
    },
  })
  // (the message sits in a transition group, stubbed in tests)
  const errorOf = (testid: string) =>
    body().find(`[data-testid="${testid}"] > .el-form-item__content > transition-group-stub > .el-form-item__error`)

  it('sends the URL and event types of a new endpoint and shows the URL error next to the URL', async () => {
    let tries = 0
    const requests = answer({
      'POST webhooks/': (request) => {
        tries += 1
        if (tries === 1) return [400, { code: 'invalid_url', message: 'url: 请输入 http:// 或 https:// 地址。', fields: { url: ['请输入 http:// 或 https:// 地址。'] } }]
        return [201, endpoint({ id: 12, ...(request.body as object), secret: 'f'.repeat(64) })]
      },
    })
    const { wrapper } = await mountWith(HostedDialog, '/workflow/webhooks', { permissions: ['workflow.configure'] })
    await input('webhook-name').setValue(' ERP 同步 ')
    await input('webhook-url').setValue('ftp://hooks.example.com/jxc')
    control(wrapper, 'ElCheckboxGroup', 'webhook-event-types').$emit('update:modelValue', ['approval.approved', 'approval.requested'])
    await nextTick()
    await body().find('[data-testid="dialog-submit"]').trigger('click')
    await flushPromises()
    expect(posts(requests)[0].url).toBe('webhooks/')
    // no secret typed: the server generates it
    expect(posts(requests)[0].body).toEqual({
      name: 'ERP 同步', url: 'ftp://hooks.example.com/jxc', event_types: ['approval.approved', 'approval.requested'], is_active: true,
    })
    await settled(() => expect(errorOf('webhook-url-item').text()).toBe('请输入 http:// 或 https:// 地址。'))
    expect(errorOf('webhook-name-item').exists()).toBe(false)
    expect(errorOf('webhook-event-types-item').exists()).toBe(false)
    expect(ElMessage.error).toHaveBeenCalledWith('请输入 http:// 或 https:// 地址。')
    expect(wrapper.emitted('saved')).toBeUndefined()

    await input('webhook-url').setValue('https://hooks.example.com/jxc')
    await body().find('[data-testid="dialog-submit"]').trigger('click')
    await flushPromises()
    expect(posts(requests)[1].body).toMatchObject({ url: 'https://hooks.example.com/jxc' })
    expect(wrapper.emitted('saved')?.[0]?.[1]).toBe(true)
  })

  it('sends a regenerated secret of an edited endpoint, and no secret when it is kept', async () => {
    const requests = answer({
      'PATCH webhooks/3/': (request) => [200, endpoint(request.body as object)],
    })
    const { wrapper } = await mountWith(HostedDialog, '/workflow/webhooks', { permissions: ['workflow.configure'], props: { endpoint: endpoint() } })
    expect((input('webhook-url').element as HTMLInputElement).value).toBe('https://hooks.example.com/jxc')
    await body().find('[data-testid="dialog-submit"]').trigger('click')
    await flushPromises()
    expect(posts(requests)[0]).toMatchObject({ method: 'PATCH', url: 'webhooks/3/' })
    expect(posts(requests)[0].body).toEqual({ name: 'ERP 同步', url: 'https://hooks.example.com/jxc', event_types: ['approval.approved'], is_active: true })

    await (wrapper as unknown as { setProps: (props: object) => Promise<void> }).setProps({ endpoint: endpoint({ name: '另一个' }) })
    await body().find('[data-testid="webhook-secret-regenerate"]').trigger('click')
    await body().find('[data-testid="dialog-submit"]').trigger('click')
    await flushPromises()
    const secret = (posts(requests)[1].body as { secret?: string }).secret
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    expect(secret).not.toBe('a'.repeat(64))
  })

  it('sends a test event to an endpoint and re-sends a delivery from the log', async () => {
    const requests = answer({
      'GET webhooks/': () => [200, page([endpoint()])],
      'POST webhooks/3/send-test/': () => [202, delivery({ id: 10, event_type: 'webhook.test', status: 'pending' })],
      'GET webhook-deliveries/': () => [200, page([delivery()])],
      'POST webhook-deliveries/9/resend/': () => [202, delivery({ id: 11, status: 'pending', resent_from: 9 })],
    })
    const { wrapper } = await mountWith(WebhooksView, '/workflow/webhooks', { permissions: ['workflow.configure'] })
    expect(wrapper.find('.el-table__body').text()).toContain('https://hooks.example.com/jxc')
    expect(wrapper.find('.el-table__body').text()).toContain('您的单据已通过审批')
    await wrapper.find('[data-testid="webhook-send-test"]').trigger('click')
    await flushPromises()
    expect(posts(requests).map((request) => [request.method, request.url])).toEqual([['POST', 'webhooks/3/send-test/']])
    expect(ElMessage.success).toHaveBeenCalledWith('测试事件已发送，结果见投递记录')

    await wrapper.find('[data-testid="webhook-log"]').trigger('click')
    await settled(() => expect(wrapper.find('[data-testid="delivery-resend"]').exists()).toBe(true))
    expect(lastParams(requests, 'webhook-deliveries/')).toEqual({ page: 1, page_size: 20, endpoint: 3 })
    await wrapper.find('[data-testid="delivery-resend"]').trigger('click')
    await flushPromises()
    expect(posts(requests).map((request) => [request.method, request.url]))
      .toEqual([['POST', 'webhooks/3/send-test/'], ['POST', 'webhook-deliveries/9/resend/']])
    expect(requests.filter((request) => request.url === 'webhook-deliveries/').length).toBeGreaterThanOrEqual(2)
  })

  it('shows each delivery with its status, attempts, response code, response and error, filtered by status', async () => {
    const requests = answer({
      'GET webhook-deliveries/': () => [200, page([
        delivery(),
        delivery({ id: 8, status: 'succeeded', attempts: 1, response_code: 204, response_body: '', error: '',
          delivered_at: '2026-11-20T07:30:00Z' }),
        delivery({ id: 6, status: 'retrying', attempts: 2, response_code: null, response_body: '', error: '连接超时',
          next_retry_at: '2026-11-20T08:00:20Z' }),
      ])],
    })
    const { wrapper } = await mountWith(WebhookDeliveries, '/workflow/webhooks?tab=deliveries',
      { permissions: ['workflow.configure'], props: { endpoints: [endpoint()] } })
    const statuses = wrapper.findAll('[data-testid="delivery-status"]')
    expect(statuses.map((tag) => [tag.attributes('data-status'), tag.text()]))
      .toEqual([['failed', '失败'], ['succeeded', '已送达'], ['retrying', '等待重试']])
    expect(wrapper.findAll('[data-testid="delivery-response-code"]').map((cell) => cell.text())).toEqual(['500', '204', ''])
    expect(wrapper.findAll('[data-testid="delivery-error"]').map((cell) => cell.text())).toEqual(['HTTP 500', '', '连接超时'])
    const rows = wrapper.findAll('.el-table__body tr')
    expect(rows[0].text()).toContain('Internal Server Error')
    expect(rows[0].text()).toContain('ERP 同步')
    expect(rows[2].text()).toContain('2026/11/20 16:00')

    control(wrapper, 'ElSelect', 'deliveries-status-filter').$emit('update:modelValue', 'failed')
    await flushPromises()
    expect(lastParams(requests, 'webhook-deliveries/')).toEqual({ page: 1, page_size: 20, status: 'failed' })

    await wrapper.find('[data-testid="delivery-detail"]').trigger('click')
    await settled(() => expect(body().find('[data-testid="delivery-body"]').text()).toContain('"type": "approval.approved"'))
    expect(body().find('[data-testid="delivery-response"]').text()).toBe('Internal Server Error')
  })
})

describe('notifications, alerts and webhooks in the app', () => {
  it('adds 消息中心 and 预警 for every user of the module and Webhook for those who configure workflow', () => {
    const routes = moduleRoutes(modules)
    expect(routes.find((route) => route.name === 'workflow-notifications')?.meta).toEqual({ titleKey: 'workflow.notifications.title' })
    expect(routes.find((route) => route.name === 'workflow-alerts')?.meta).toEqual({ titleKey: 'workflow.alerts.title' })
    expect(routes.find((route) => route.name === 'workflow-webhooks')?.meta)
      .toMatchObject({ module: 'workflow', permission: 'workflow.configure' })
    const can = (...permissions: string[]) => (permission: string) => permissions.includes(permission)
    const items = (...permissions: string[]) =>
      buildMenu(modules, ['workflow'], can(...permissions)).flatMap((group) => group.items.map((item) => item.name))
    expect(items('workflow.view')).toEqual(['workflow-approvals', 'workflow-rules', 'workflow-notifications', 'workflow-alerts'])
    expect(items('workflow.view', 'workflow.configure')).toContain('workflow-webhooks')
  })
})
