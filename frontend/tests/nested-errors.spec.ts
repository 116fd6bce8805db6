import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import { h, reactive } from 'vue'
import EditableGrid from '@/components/EditableGrid.vue'
import {
  errorsUnder, firstSectionWithError, listErrors, removeRowErrors, rowError, rowsWithErrors, unplacedErrors,
} from '@/utils/nestedErrors'

// as the server sends them (flattened DRF details and service errors)
const serverErrors = () => ({
  code: '该编码已存在',
  'units.0.factor': '换算率必须大于零',
  'barcodes.1.barcode': '条码已属于其他商品',
  'barcodes.2.barcode': '条码重复',
  'custom.colour': '请选择一个选项',
  units: '辅助单位不能超过 20 个',
})

describe('nested error mapping', () => {
  it('reads the error of a row field and the errors under a prefix', () => {
    const errors = serverErrors()
    expect(rowError(errors, 'units', 0, 'factor')).toBe('换算率必须大于零')
    expect(rowError(errors, 'units', 1, 'factor')).toBeUndefined()
    expect(errorsUnder(errors, 'custom')).toEqual({ colour: '请选择一个选项' })
    expect(rowsWithErrors(errors, 'barcodes')).toEqual([1, 2])
    expect(listErrors(errors, 'units')).toEqual(['辅助单位不能超过 20 个'])
    expect(listErrors({ 'items.3.non_field_errors': '重复' }, 'items')).toEqual(['#4: 重复'])
  })

  it('moves the errors of later rows up when a row is removed', () => {
    const errors: Record<string, string> = serverErrors()
    removeRowErrors(errors, 'barcodes', 1)
    expect(errors['barcodes.1.barcode']).toBe('条码重复')
    expect(errors['barcodes.2.barcode']).toBeUndefined()
    expect(errors['units.0.factor']).toBe('换算率必须大于零')
  })

  it('finds the first tab with an error and the errors no field shows', () => {
    const sections = { basic: ['code', 'name'], units: ['units', 'barcodes'], custom: ['custom'] }
    expect(firstSectionWithError({ 'barcodes.1.barcode': 'x', 'custom.colour': 'y' }, sections)).toBe('units')
    expect(firstSectionWithError({}, sections)).toBeUndefined()
    expect(unplacedErrors({ code: 'a', weight: 'b', non_field_errors: 'c' }, (field) => field === 'code')).toEqual(['weight: b'])
  })
})

describe('EditableGrid', () => {
  it('shows each error on its row and cell, and keeps it there when a row above is removed', async () => {
    const rows = reactive([{ barcode: 'A' }, { barcode: 'B' }, { barcode: 'C' }])
    const errors = reactive<Record<string, string>>({ 'barcodes.2.barcode': '条码重复' })
    const wrapper = mount(EditableGrid<{ barcode: string }>, {
      props: {
        modelValue: rows, errors, list: 'barcodes', columns: [{ prop: 'barcode', label: 'grid.addRow' }],
        newRow: () => ({ barcode: '' }), testid: 'grid',
      },
      slots: { 'cell-barcode': ({ row }: { row: { barcode: string } }) => h('span', { class: 'value' }, row.barcode) },
      global: { plugins: [ElementPlus] },
    })
    await flushPromises()
    const errorRow = () => wrapper.findAll('.el-table__body tr').findIndex((tr) => tr.find('[data-testid="grid-error"]').exists())
    expect(errorRow()).toBe(2)
    expect(wrapper.find('[data-testid="grid-error"]').text()).toBe('条码重复')
    await wrapper.find('[data-testid="grid-remove-0"]').trigger('click')
    await flushPromises()
    expect(rows.map((row) => row.barcode)).toEqual(['B', 'C'])
    expect({ ...errors }).toEqual({ 'barcodes.1.barcode': '条码重复' })
    expect(errorRow()).toBe(1)
  })
})
