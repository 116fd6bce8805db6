import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus, { ElMessage } from 'element-plus'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, reactive, ref } from 'vue'
import EmailDocumentDialog from '@/components/EmailDocumentDialog.vue'
import { mockApi, type RecordedRequest, type Reply } from './mockApi'

// Test files share their modules (isolate: false): spy on the messages, never mock modules.
beforeEach(() => {
  vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
})
afterEach(() => {
  vi.restoreAllMocks()
})

const URL = 'purchase-orders/7/email/'

async function mountDialog(reply: (request: RecordedRequest) => Reply,
  props: Record<string, unknown> | (() => Record<string, unknown>) = {}) {
  const all = mockApi((request) => (request.method === 'GET' ? [200, {}] : reply(request)))
  const requests = { get posts() { return all.filter((request) => request.method === 'POST') } }
  const open = ref(false)
  const sent: [string | null, unknown][] = []
  const Host = defineComponent(() => () => {
    const { default: slot, ...rest } = typeof props === 'function' ? props() : props
    return h(EmailDocumentDialog, {
      modelValue: open.value, 'onUpdate:modelValue': (value: boolean) => { open.value = value },
      url: URL, title: '发送采购订单 CG-1', attachment: '采购订单 PDF 将作为附件发送', ...rest,
      onSent: (job: string | null, answer: unknown) => sent.push([job, answer]),
    }, slot ? { default: slot as () => unknown } : undefined)
  })
  const wrapper = mount(Host, { global: { plugins: [ElementPlus] }, attachTo: document.body })
  open.value = true
  await flushPromises()
  const input = (id: string) => document.querySelector<HTMLInputElement>(
    `input[data-testid="${id}"], textarea[data-testid="${id}"], [data-testid="${id}"] input, [data-testid="${id}"] textarea`)!
  const fill = async (id: string, value: string) => {
    const element = input(id)
    element.value = value
    element.dispatchEvent(new Event('input'))
    await flushPromises()
  }
  const submit = async () => {
    document.querySelector<HTMLButtonElement>('[data-testid="dialog-submit"]')!.click()
    await flushPromises()
  }
  return { wrapper, requests, open, sent, input, fill, submit }
}

describe('the shared 发送邮件 dialog', () => {
  it('starts with the default address, splits the addresses and posts them with the extra fields', async () => {
    const { requests, open, sent, input, fill, submit } = await mountDialog(
      () => [200, { to: ['a@x.example', 'b@x.example'], cc: ['c@x.example'] }],
      { defaultTo: 'wang@supplier.example', extra: { suppliers: [3] } })
    expect(input('email-to').value).toBe('wang@supplier.example')
    await fill('email-to', 'a@x.example, b@x.example；')
    await fill('email-cc', 'c@x.example')
    await fill('email-message', '请确认交期。')
    await submit()
    expect(requests.posts).toHaveLength(1)
    expect(requests.posts[0]).toMatchObject({ method: 'POST', url: URL,
      body: { to: ['a@x.example', 'b@x.example'], cc: ['c@x.example'], message: '请确认交期。', suppliers: [3] } })
    expect(ElMessage.success).toHaveBeenCalledWith('已发送给 a@x.example, b@x.example')
    expect(open.value).toBe(false)
    expect(sent).toEqual([[null, { to: ['a@x.example', 'b@x.example'], cc: ['c@x.example'] }]])
  })

  it('a queued send (202) says so and emits the job id', async () => {
    const { sent, submit } = await mountDialog(() => [202, { job: 'abc123', to: ['k@customer.example'], cc: [] }])
    await submit()
    expect(ElMessage.success).toHaveBeenCalledWith('已加入发送队列：k@customer.example')
    expect(sent[0][0]).toBe('abc123')
  })

  it('an error on one address is shown on its field and the dialog stays open', async () => {
    const { open, sent, fill, submit } = await mountDialog(() => [400,
      { code: 'invalid', message: '输入有误', fields: { 'cc.1': ['“x” 不是邮箱地址。'], message: ['太长'] } }])
    await fill('email-cc', 'ok@x.example x')
    await submit()
    expect(open.value).toBe(true)
    expect(sent).toHaveLength(0)
    await vi.waitFor(async () => {
      await flushPromises()
      const errors = [...document.querySelectorAll('.el-form-item__error')].map((element) => element.textContent?.trim())
      expect(errors).toEqual(['“x” 不是邮箱地址。', '太长'])
    }, { timeout: 4000, interval: 50 })
  })

  it('field errors are shown at their fields only; a field error goes once that field changes', async () => {
    const { fill, submit } = await mountDialog(() => [400,
      { code: 'invalid', message: 'cc.1: “x” 不是邮箱地址。', fields: { 'cc.1': ['“x” 不是邮箱地址。'], message: ['太长'] } }])
    const shown = () => [...document.querySelectorAll('.el-form-item__error')].map((element) => element.textContent?.trim())
    await fill('email-cc', 'ok@x.example x')
    await submit()
    await vi.waitFor(async () => {
      await flushPromises()
      expect(shown()).toEqual(['“x” 不是邮箱地址。', '太长'])
    }, { timeout: 4000, interval: 50 })
    expect(ElMessage.error).not.toHaveBeenCalled()
    await fill('email-cc', 'ok@x.example y@x.example')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(shown()).toEqual(['太长'])
    }, { timeout: 4000, interval: 50 })
    await fill('email-message', '短一些')
    await vi.waitFor(async () => {
      await flushPromises()
      expect(shown()).toEqual([])
    }, { timeout: 4000, interval: 50 })
  })

  it('errors without a field of the form are told in a message', async () => {
    let reply: Reply = [400, { code: 'invalid', message: '该单据没有可发送的联系人。', fields: {} }]
    const { submit } = await mountDialog(() => reply)
    await submit()
    expect(ElMessage.error).toHaveBeenCalledWith('该单据没有可发送的联系人。')
    reply = [400, { code: 'invalid', message: 'x', fields: { non_field_errors: ['已作废的单据不能发送。'], to: ['必填'] } }]
    await submit()
    expect(ElMessage.error).toHaveBeenLastCalledWith('已作废的单据不能发送。')
    reply = [400, { code: 'invalid', message: 'x', fields: { document: ['单据已关闭。'] } }]
    await submit()
    expect(ElMessage.error).toHaveBeenLastCalledWith('单据已关闭。')
    expect(ElMessage.error).toHaveBeenCalledTimes(3)
  })

  it('the fields of the slot (those of extra) are placed by the slot, and their error goes once they change', async () => {
    const extra = reactive({ suppliers: [3] as number[] })
    let slotErrors: Record<string, string> = {}
    const { submit } = await mountDialog(() => [400, { code: 'invalid', message: 'suppliers.0: 不是询价供应商。',
      fields: { 'suppliers.0': ['不是询价供应商。'] } }], () => ({ extra: { suppliers: extra.suppliers },
      // the slot shows the suppliers' error, as the RFQ page does
      default: ({ errors }: { errors: Record<string, string> }) => { slotErrors = { ...errors }; return h('div') } }))
    await submit()
    await flushPromises()
    expect(ElMessage.error).not.toHaveBeenCalled()
    expect(slotErrors).toEqual({ 'suppliers.0': '不是询价供应商。' })
    extra.suppliers = [4]
    await vi.waitFor(async () => {
      await flushPromises()
      expect(slotErrors).toEqual({})
    }, { timeout: 4000, interval: 50 })
  })

  it('opened again, the form starts over', async () => {
    const { open, input, fill } = await mountDialog(() => [200, { to: [], cc: [] }], { defaultTo: 'd@x.example' })
    await fill('email-to', 'other@x.example')
    open.value = false
    await flushPromises()
    open.value = true
    await flushPromises()
    expect(input('email-to').value).toBe('d@x.example')
  })
})
