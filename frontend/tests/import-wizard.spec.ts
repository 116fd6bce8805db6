import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ImportJob } from '@/api/imports'
import ImportWizard from '@/views/masterdata/ImportWizard.vue'
import {
  canApply, mappingBody, mappingSelection, missingRequired, progressPercent, stepOf, takenElsewhere,
} from '@/views/masterdata/importWizard'
import { mockApi } from './mockApi'

const columns = [
  { field: 'code', label: '商品编码', required: true },
  { field: 'name', label: '商品名称', required: true },
  { field: 'base_unit', label: '基本单位', required: true },
  { field: 'specification', label: '规格型号', required: false },
]

function job(overrides: Partial<ImportJob> = {}): ImportJob {
  return {
    id: 7, target: 'products', filename: 'goods.xlsx', headers: ['编码', '名称', '单位', '颜色'],
    mapping: { 0: 'code', 1: 'name' }, status: 'uploaded', total_rows: 2, processed_rows: 0, progress: { done: 0, total: 2 },
    created_count: 0, updated_count: 0, error_count: 0, errors: [], message: '', columns, created_at: '', finished_at: null,
    ...overrides,
  }
}

describe('import wizard logic', () => {
  it('opens a job at its step', () => {
    expect(stepOf(null)).toBe('file')
    expect(stepOf(job())).toBe('mapping')
    expect(stepOf(job({ status: 'checking' }))).toBe('check')
    expect(stepOf(job({ status: 'checked' }))).toBe('check')
    expect(stepOf(job({ status: 'applying' }))).toBe('apply')
    expect(stepOf(job({ status: 'done' }))).toBe('apply')
  })

  it('turns the suggested mapping into one field per column and back', () => {
    const selection = mappingSelection(job())
    expect(selection).toEqual(['code', 'name', '', ''])
    expect(missingRequired(columns, selection).map((column) => column.field)).toEqual(['base_unit'])
    selection[2] = 'base_unit'
    expect(missingRequired(columns, selection)).toEqual([])
    expect(mappingBody(selection)).toEqual({ 0: 'code', 1: 'name', 2: 'base_unit' })
    expect([...takenElsewhere(selection, 2)]).toEqual(['code', 'name'])
  })

  it('measures the progress and allows the import only after a clean check', () => {
    expect(progressPercent(job({ progress: { done: 500, total: 2000 } }))).toBe(25)
    expect(progressPercent(job({ progress: { done: 0, total: 0 } }))).toBe(0)
    expect(canApply(job({ status: 'checked', error_count: 0 }))).toBe(true)
    expect(canApply(job({ status: 'checked', error_count: 3 }))).toBe(false)
    expect(canApply(job({ status: 'uploaded' }))).toBe(false)
  })
})

describe('ImportWizard', () => {
  afterEach(() => vi.useRealTimers())

  const text = () => document.body.textContent?.replace(/\s+/g, ' ') ?? ''
  /** Chooses the field of one column of the file in its el-select. */
  const mapColumn = async (wrapper: ReturnType<typeof mount>, index: number, field: string) => {
    wrapper.findAllComponents({ name: 'ElSelect' })[index].vm.$emit('update:modelValue', field)
    await flushPromises()
  }
  const click = (testid: string) => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.click()

  it('maps the columns, checks, then imports in the background with a progress bar', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    let polls = 0
    const requests = mockApi((request) => {
      if (request.url === 'imports/7/check/') {
        const body = request.body as { mapping: Record<string, string> }
        if (!Object.values(body.mapping).includes('base_unit')) {
          return [200, job({ status: 'checked', mapping: body.mapping, error_count: 1,
            errors: [{ row: 3, column: '单位', field: 'base_unit', message: '未知单位“盒”' }] })]
        }
        return [200, job({ status: 'checked', mapping: body.mapping })]
      }
      if (request.url === 'imports/7/apply/') return [200, job({ status: 'applying', progress: { done: 0, total: 2 } })]
      if (request.url !== 'imports/7/') return [200, { csrf_token: 'x' }]
      polls++
      return [200, polls < 2 ? job({ status: 'applying', progress: { done: 1, total: 2 } })
        : job({ status: 'done', created_count: 1, updated_count: 1, progress: { done: 2, total: 2 } })]
    })
    const wrapper = mount(ImportWizard, {
      props: { modelValue: false, job: job({ mapping: { 0: 'code', 1: 'name', 2: 'base_unit' } }), pollInterval: 50 },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    expect(text()).toContain('必填字段都已对应')

    // without the unit column a required field is missing: no check yet
    await mapColumn(wrapper, 2, '')
    expect(text()).toContain('请为必填字段选择对应的列：基本单位')
    expect(document.querySelector<HTMLButtonElement>('[data-testid="import-check"]')?.disabled).toBe(true)
    await mapColumn(wrapper, 2, 'base_unit')
    click('import-check')
    await flushPromises()
    expect(requests.at(-1)?.body).toEqual({ mapping: { 0: 'code', 1: 'name', 2: 'base_unit' } })
    expect(text()).toContain('全部 2 行数据有效')

    click('import-apply')
    await flushPromises()
    expect(document.querySelector('[data-testid="import-progress"]')).not.toBeNull()
    expect(text()).toContain('已处理 0 / 2 行')
    vi.advanceTimersByTime(50)
    await flushPromises()
    expect(text()).toContain('已处理 1 / 2 行')
    vi.advanceTimersByTime(50)
    await flushPromises()
    expect(text()).toContain('新增 1 条，更新 1 条')
    expect(wrapper.emitted('imported')).toHaveLength(1)
    expect(requests.filter((request) => request.url === 'imports/7/')).toHaveLength(2)
  })

  it('lists every row error of a dry run (row, column, message) and offers no import', async () => {
    mockApi(() => [200, job({ status: 'checked', error_count: 1,
      errors: [{ row: 3, column: '单位', field: 'base_unit', message: '未知单位“盒”' }] })])
    const wrapper = mount(ImportWizard, { props: { modelValue: false, job: job() }, global: { plugins: [ElementPlus] },
      attachTo: document.body })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    await mapColumn(wrapper, 2, 'base_unit')
    click('import-check')
    await flushPromises()
    const errors = document.querySelector('[data-testid="import-errors"]')
    expect(errors?.textContent).toContain('3')
    expect(errors?.textContent).toContain('单位')
    expect(errors?.textContent).toContain('未知单位“盒”')
    expect(text()).toContain('发现 1 处错误，未写入任何数据')
    expect(document.querySelector('[data-testid="import-apply"]')).toBeNull()
  })
})
