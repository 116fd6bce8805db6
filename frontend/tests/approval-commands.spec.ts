import { flushPromises, mount } from '@vue/test-utils'
import { ElMessage } from 'element-plus'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref, shallowRef } from 'vue'
import { createMemoryHistory, createRouter } from 'vue-router'
import { useApprovalCommands } from '@/views/purchasing/approvalCommands'

// The commands the 请购单 and 付款申请 pages share (submit through approval, simple state changes).

beforeEach(() => {
  vi.spyOn(ElMessage, 'success').mockImplementation((() => undefined) as never)
})
afterEach(() => {
  vi.restoreAllMocks()
})

interface Doc { id: number; state: string }

async function setUp(path: string, answers: { saved?: boolean; submitted?: Doc | Error }) {
  const stub = { template: '<div />' }
  const router = createRouter({ history: createMemoryHistory(), routes: [
    { path: '/requests/new', name: 'requests-new', component: stub },
    { path: '/requests/:id', name: 'request', component: stub },
  ] })
  await router.push(path)
  await router.isReady()
  const doc = shallowRef<Doc | null>(null)
  const adopted: Doc[] = []
  const shown: unknown[] = []
  const reload = vi.fn(async () => undefined)
  const saveDraft = vi.fn(async () => {
    if (answers.saved !== false) doc.value = { id: 5, state: 'draft' }
    return answers.saved !== false
  })
  const submitCommand = { submit: vi.fn(async () => {
    if (answers.submitted instanceof Error) throw answers.submitted
    return answers.submitted as Doc
  }) }
  let commands!: ReturnType<typeof useApprovalCommands<Doc>>
  const Host = defineComponent(() => {
    commands = useApprovalCommands<Doc>({
      doc, adopt: (document) => { adopted.push(document); doc.value = document },
      errors: { clear: () => { shown.length = 0 }, show: (error) => { shown.push(error) } },
      saveDraft, submitCommand, historyPanel: ref({ reload }), routeName: 'request',
    })
    return () => h('div')
  })
  mount(Host, { global: { plugins: [router] } })
  return { commands, router, adopted, shown, reload, saveDraft, submitCommand }
}

describe('the approval commands of the purchasing requests', () => {
  it('submit saves quietly, in place, then submits; approved at once, it says so and moves to the address', async () => {
    const { commands, router, adopted, reload, saveDraft } = await setUp('/requests/new',
      { submitted: { id: 5, state: 'approved' } })
    await commands.submit()
    await flushPromises()
    expect(saveDraft).toHaveBeenCalledWith(true, false)
    expect(adopted).toEqual([{ id: 5, state: 'approved' }])
    expect(reload).toHaveBeenCalledTimes(1)
    expect(ElMessage.success).toHaveBeenCalledWith('无需审批，已审核')
    expect(router.currentRoute.value.fullPath).toBe('/requests/5')
  })

  it('submitted for approval, it says so; a save that fails submits nothing', async () => {
    const first = await setUp('/requests/5', { submitted: { id: 5, state: 'submitted' } })
    await first.commands.submit()
    expect(ElMessage.success).toHaveBeenCalledWith('已提交审批')
    const second = await setUp('/requests/new', { saved: false, submitted: { id: 5, state: 'submitted' } })
    await second.commands.submit()
    expect(second.submitCommand.submit).not.toHaveBeenCalled()
    expect(second.router.currentRoute.value.fullPath).toBe('/requests/new')
  })

  it('a refused command shows the error on the form and changes nothing', async () => {
    const refused = new Error('refused')
    const { commands, adopted, shown, reload } = await setUp('/requests/5', { submitted: refused })
    await commands.submit()
    expect(shown).toEqual([refused])
    expect(adopted).toEqual([])
    expect(reload).not.toHaveBeenCalled()
    await commands.simple({ submit: async () => ({ id: 5, state: 'cancelled' }) }, 'purchasing.document.cancelled')
    expect(adopted).toEqual([{ id: 5, state: 'cancelled' }])
    expect(shown).toEqual([])
    expect(ElMessage.success).toHaveBeenCalledWith('已作废')
  })
})
