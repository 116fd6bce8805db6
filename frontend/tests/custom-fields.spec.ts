import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import type { CustomFieldDefinition, CustomFieldType } from '@/api/customFields'
import CustomFieldInput from '@/components/CustomFieldInput.vue'
import { customColumns, customFilterQuery, customFormValues, customPayload } from '@/utils/customFields'

function definition(field_type: CustomFieldType, overrides: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition {
  return { id: 1, target: 'product', key: field_type, label: field_type, field_type, choices: [], required: false, position: 0,
    is_active: true, ...overrides }
}

const colour = definition('choice', { key: 'colour', label: '颜色', choices: ['红', '绿'] })
const all = [definition('text'), definition('number'), definition('date'), colour, definition('boolean', { required: true })]

function mountInput(field: CustomFieldDefinition, modelValue: unknown) {
  return mount(CustomFieldInput, { props: { definition: field, modelValue } as never, global: { plugins: [ElementPlus] } })
}

describe('custom field values', () => {
  it('prepares form values, the payload, filters and list columns by type', () => {
    const values = customFormValues(all, { number: '12.50', colour: '红' })
    expect(values).toEqual({ text: null, number: 12.5, date: null, colour: '红', boolean: false })
    expect(customPayload(all, { ...values, text: '' })).toEqual({ text: null, number: 12.5, date: null, colour: '红', boolean: false })
    expect(customFilterQuery({ colour: '红', text: '' })).toEqual({ 'custom.colour': '红' })
    const [, number, , choice, yesNo] = customColumns<{ custom: Record<string, string | number | boolean | null> }>(all)
    expect(choice).toMatchObject({ prop: 'custom.colour', text: '颜色' })
    expect(number.formatter?.({ custom: { number: '12.5000' } })).toBe('12.5')
    expect(yesNo.formatter?.({ custom: { boolean: true } })).toBe('是')
  })
})

describe('CustomFieldInput', () => {
  it('renders the input of each type and gives back the typed value', async () => {
    const text = mountInput(definition('text'), 'abc')
    await text.find('input').setValue('蓝色款')
    expect(text.emitted('update:modelValue')?.at(-1)).toEqual(['蓝色款'])

    const number = mountInput(definition('number'), 3)
    expect(number.findComponent({ name: 'ElInputNumber' }).exists()).toBe(true)
    number.findComponent({ name: 'ElInputNumber' }).vm.$emit('update:modelValue', 4.25)
    expect(number.emitted('update:modelValue')?.at(-1)).toEqual([4.25])

    expect(mountInput(definition('date'), '2026-11-26').findComponent({ name: 'ElDatePicker' }).exists()).toBe(true)

    const choice = mountInput(colour, '蓝')
    const options = choice.findAllComponents({ name: 'ElOption' }).map((option) => option.props('value'))
    expect(options).toEqual(['红', '绿', '蓝']) // a stored choice no longer offered still shows

    const yesNo = mountInput(definition('boolean'), null)
    yesNo.findComponent({ name: 'ElSwitch' }).vm.$emit('update:modelValue', true)
    expect(yesNo.emitted('update:modelValue')?.at(-1)).toEqual([true])
  })
})
