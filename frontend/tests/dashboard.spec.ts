import { flushPromises, mount } from '@vue/test-utils'
import { getInstanceByDom } from 'echarts/core'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import DashboardView from '@/views/DashboardView.vue'
import { mockApi } from './mockApi'

const activity = Array.from({ length: 14 }, (_, day) => ({ date: `2026-11-${String(day + 13).padStart(2, '0')}`, count: day }))

describe('dashboard', () => {
  it('shows the figures, the activity chart and the recent entries from dashboard/', async () => {
    mockApi(() => [200, {
      figures: { users: 8, organizations: 2, roles: 7, active_tokens: 1, audit_events_today: 12 },
      activity,
      recent: [{ id: 5, at: '2026-11-26T02:00:00Z', user: 1, user_name: '系统管理员', action: 'update', action_name: '修改',
        model: 'core.role', model_name: '角色', object_id: '9', object_repr: '采购员', changes: {} }],
    }])
    const wrapper = mount(DashboardView, { global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(wrapper.find('[data-testid="figure-users"]').text()).toContain('8')
    expect(wrapper.find('[data-testid="figure-audit-events-today"]').text()).toContain('12')
    expect(wrapper.find('[data-testid="figure-active-tokens"]').text()).toContain('有效 API 令牌')
    expect(wrapper.find('[data-testid="recent-table"]').text()).toContain('采购员')

    const chart = getInstanceByDom(wrapper.find<HTMLElement>('[data-testid="activity-chart"]').element)
    const option = chart?.getOption() as { series: { data: number[] }[]; xAxis: { data: string[] }[] }
    expect(option.series[0].data).toEqual(activity.map((point) => point.count))
    expect(option.xAxis[0].data[0]).toBe('11-13')
    wrapper.unmount()
    expect(chart?.isDisposed()).toBe(true)
  })
})
