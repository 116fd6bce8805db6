import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { usersApi, type User } from '@/api/users'
import type { ListColumn } from '@/components/listColumns'
import ListPage from '@/components/ListPage.vue'
import { usePreferencesStore } from '@/stores/preferences'
import { useSessionStore } from '@/stores/session'
import { makeMe, mockApi, page, type RecordedRequest } from './mockApi'

const users = [
  { id: 1, username: 'zhangsan', display_name: '张三', phone: '13800000000' },
  { id: 2, username: 'lisi', display_name: '李四', phone: '13900000000' },
]

const columns: ListColumn<User>[] = [
  { prop: 'username', label: 'fields.username', sortable: true },
  { prop: 'display_name', label: 'fields.display_name', sortable: 'name' },
  { prop: 'phone', label: 'fields.phone', hidden: true },
]

let requests: RecordedRequest[]

function mountList(props: Record<string, unknown> = {}) {
  const pinia = createPinia()
  setActivePinia(pinia)
  useSessionStore().adopt(makeMe({ permissions: ['settings.view', 'settings.create'] }))
  return mount(ListPage<User>, {
    props: { name: 'test-users', title: 'settings.users.title', source: usersApi, columns, createPermission: 'settings.create',
      ...props },
    slots: { 'cell-username': '<template #cell-username="{ row }"><b class="name">{{ row.username }}</b></template>' },
    global: { plugins: [ElementPlus, pinia] },
  })
}

const lastParams = () => requests.filter((r) => r.url === 'users/').at(-1)?.params

describe('ListPage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    requests = mockApi(() => [200, page(users, 42)])
  })
  afterEach(() => vi.useRealTimers())

  it('loads the first page and renders the rows, custom cells and headers', async () => {
    const wrapper = mountList()
    await flushPromises()
    expect(lastParams()).toEqual({ page: 1, page_size: 20 })
    expect(wrapper.findAll('.name').map((cell) => cell.text())).toEqual(['zhangsan', 'lisi'])
    expect(wrapper.text()).toContain('张三')
    expect(wrapper.text()).toContain('用户管理')
    expect(wrapper.text()).toContain('42')
  })

  it('sends the search after a pause, from page 1', async () => {
    const wrapper = mountList()
    await flushPromises()
    await wrapper.find('input[data-testid="list-search"]').setValue('张')
    await flushPromises()
    expect(lastParams()).toEqual({ page: 1, page_size: 20 })
    vi.advanceTimersByTime(300)
    await flushPromises()
    expect(lastParams()).toEqual({ search: '张', page: 1, page_size: 20 })
  })

  it('turns el-table sorting into `ordering`', async () => {
    const wrapper = mountList()
    await flushPromises()
    const table = wrapper.findComponent({ name: 'ElTable' })
    table.vm.$emit('sort-change', { column: null, prop: 'username', order: 'descending' })
    await flushPromises()
    expect(lastParams()).toEqual({ ordering: '-username', page: 1, page_size: 20 })
    table.vm.$emit('sort-change', { column: null, prop: 'display_name', order: 'ascending' })
    await flushPromises()
    expect(lastParams()).toEqual({ ordering: 'name', page: 1, page_size: 20 })
    table.vm.$emit('sort-change', { column: null, prop: 'display_name', order: null })
    await flushPromises()
    expect(lastParams()).toEqual({ page: 1, page_size: 20 })
  })

  it('reloads with the filters and exports the same criteria', async () => {
    const wrapper = mountList({ filters: { is_active: '' } })
    await flushPromises()
    await wrapper.setProps({ filters: { is_active: 'true' } })
    await flushPromises()
    expect(lastParams()).toEqual({ is_active: 'true', page: 1, page_size: 20 })

    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() })
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {})
    await wrapper.find('[data-testid="list-export"]').trigger('click')
    await flushPromises()
    const exported = requests.find((r) => r.url === 'users/export/')
    expect(exported?.params).toEqual({ is_active: 'true' })
  })

  it('shows the new button only with the create permission', async () => {
    const allowed = mountList()
    expect(allowed.find('[data-testid="list-new"]').exists()).toBe(true)
    await allowed.find('[data-testid="list-new"]').trigger('click')
    expect(allowed.emitted('create')).toHaveLength(1)
    const denied = mountList({ createPermission: 'settings.configure' })
    expect(denied.find('[data-testid="list-new"]').exists()).toBe(false)
    const noExport = mountList({ exportPermission: 'settings.export' })
    expect(noExport.find('[data-testid="list-export"]').exists()).toBe(false)
  })

  it('hides columns by default and as the user chose, per list', async () => {
    const wrapper = mountList()
    await flushPromises()
    const headers = () => wrapper.findAll('th').map((th) => th.text())
    expect(headers()).toEqual(['用户名', '姓名'])
    usePreferencesStore().setHidden('test-users', ['username'])
    await flushPromises()
    expect(headers()).toEqual(['姓名', '电话'])
    expect(JSON.parse(localStorage.getItem('jxc.hiddenColumns') ?? '{}')).toEqual({ 'test-users': ['username'] })
  })

  it('shows a group header over its columns, hidden and shown as one', async () => {
    const grouped: ListColumn<User>[] = [
      { prop: 'username', label: 'fields.username' },
      { prop: 'contact', label: '', text: '联系方式', children: [
        { prop: 'display_name', label: 'fields.display_name' },
        { prop: 'phone', label: 'fields.phone', align: 'right', formatter: (user) => `☎ ${user.phone}` },
      ] },
    ]
    const wrapper = mountList({ columns: grouped })
    await flushPromises()
    const headers = () => wrapper.findAll('th').map((th) => th.text())
    expect(headers()).toEqual(['用户名', '联系方式', '姓名', '电话'])
    expect(wrapper.find('th.list-page__group--contact').text()).toBe('联系方式')
    expect(wrapper.findAll('.el-table__body tr')[0].findAll('td').map((td) => td.text())).toEqual(['zhangsan', '张三', '☎ 13800000000'])
    usePreferencesStore().setHidden('test-users', ['contact'])
    await flushPromises()
    expect(headers()).toEqual(['用户名'])
  })
})
