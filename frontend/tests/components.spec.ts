import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import AuditChanges from '@/components/AuditChanges.vue'
import FormDialog from '@/components/FormDialog.vue'
import RecordHistory from '@/components/RecordHistory.vue'
import { mockApi, page } from './mockApi'

const global = { plugins: [ElementPlus] }

describe('AuditChanges', () => {
  it('renders {field: [old, new]} with field labels and readable values, a creation as the new value', () => {
    const wrapper = mount(AuditChanges, {
      global,
      props: { changes: { name: ['采购', '采购员'], can_see_costs: [false, true], roles: [['管理员'], []], custom: [null, 'x'],
        phone: ['021', ''] } },
    })
    expect(wrapper.findAll('li').map((li) => li.text())).toEqual([
      '名称：采购 → 采购员',
      '可看成本与毛利：否 → 是',
      '角色：管理员 → （空）',
      'custom：x',
      '电话：021 → （空）',
    ])
  })
})

describe('RecordHistory', () => {
  it('lists the audit entries of one record in a drawer', async () => {
    const requests = mockApi(() => [200, page([{ id: 3, at: '2026-11-26T02:00:00Z', user: 1, user_name: '系统管理员',
      action: 'update', action_name: '修改', model: 'core.role', model_name: '角色', object_id: '7', object_repr: '采购员',
      changes: { name: ['采购', '采购员'] } }])])
    const wrapper = mount(RecordHistory, { global, props: { model: 'core.role', objectId: 7 }, attachTo: document.body })
    await wrapper.find('[data-testid="record-history"]').trigger('click')
    await flushPromises()
    expect(requests[0]).toMatchObject({ url: 'audit-log/', params: { model: 'core.role', object_id: 7, page_size: 100 } })
    const drawer = document.querySelector('[data-testid="record-history-list"]')
    expect(drawer?.textContent).toContain('系统管理员')
    expect(drawer?.textContent).toContain('名称：采购 → 采购员')
    expect(drawer?.textContent).toContain('2026/11/26 10:00')
  })
})

describe('FormDialog', () => {
  function mountDialog() {
    return mount(FormDialog, {
      global,
      props: { modelValue: true, title: '新建' },
      slots: { default: () => [h('input', { id: 'name' }), h('textarea', { id: 'note' })] },
      attachTo: document.body,
    })
  }

  function pressEnter(selector: string, init: KeyboardEventInit = {}): void {
    document.querySelector(selector)?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, ...init }))
  }

  it('submits on Enter in a field, not in a textarea nor while an IME composes', async () => {
    const wrapper = mountDialog()
    await flushPromises()
    pressEnter('#note')
    pressEnter('#name', { isComposing: true })
    expect(wrapper.emitted('submit')).toBeUndefined()
    pressEnter('#name')
    expect(wrapper.emitted('submit')).toHaveLength(1)
  })

  it('submits from the save button and hides it when read-only', async () => {
    const wrapper = mountDialog()
    await flushPromises()
    document.querySelector<HTMLElement>('[data-testid="dialog-submit"]')?.click()
    expect(wrapper.emitted('submit')).toHaveLength(1)
    await wrapper.setProps({ readonly: true })
    expect(document.querySelector('[data-testid="dialog-submit"]')).toBeNull()
    pressEnter('#name')
    expect(wrapper.emitted('submit')).toHaveLength(1)
  })
})
