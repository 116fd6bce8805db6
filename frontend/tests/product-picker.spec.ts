import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AxiosAdapter } from 'axios'
import { h } from 'vue'
import { http } from '@/api/client'
import type { Product } from '@/api/products'
import ProductPicker from '@/components/ProductPicker.vue'
import { exactMatch, productLabel } from '@/components/productPicker'
import { mockApi, type RecordedRequest } from './mockApi'

function product(id: number, code: string, name: string, barcodes: string[] = []): Product {
  return {
    id, code, name, specification: '330ml', base_unit_name: '个', barcodes: barcodes.map((barcode) => ({ barcode, unit: null })),
  } as Product
}

const cola = product(1, 'SP0001', '可口可乐 330ml', ['6900000000014'])
const sprite = product(4, 'SP0004', '雪碧 330ml', ['6900000000045'])
const scanned = product(9, 'SP0009', '芬达 1.25L', ['6901234567892'])

describe('exactMatch', () => {
  it('finds the product whose code (any case) or barcode is exactly the query', () => {
    expect(exactMatch([cola, sprite], 'sp0004')).toBe(sprite)
    expect(exactMatch([cola, sprite], ' 6900000000014 ')).toBe(cola)
    expect(exactMatch([cola, sprite], 'SP000')).toBeUndefined()
    expect(exactMatch([cola, sprite], '')).toBeUndefined()
    expect(productLabel(cola)).toBe('SP0001 可口可乐 330ml')
  })
})

describe('ProductPicker', () => {
  let requests: RecordedRequest[]
  let answer: Product[]

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    answer = [cola, sprite]
    requests = mockApi(() => [200, answer])
  })
  afterEach(() => vi.useRealTimers())

  /** The picker inside a parent that, like FormDialog, would submit on Enter. */
  function mountPicker() {
    const submitted = vi.fn()
    const parent = mount({
      render: () => h('div', { onKeydown: (event: KeyboardEvent) => event.key === 'Enter' && submitted() }, [
        h(ProductPicker, { modelValue: null, debounce: 200 }),
      ]),
    }, { global: { plugins: [ElementPlus] }, attachTo: document.body })
    const picker = parent.findComponent(ProductPicker)
    const input = picker.find('input')
    const press = async (key: string) => {
      await input.trigger('keydown', { key })
      await flushPromises()
    }
    return { picker, input, press, submitted }
  }

  const options = () => Array.from(document.querySelectorAll('[data-testid="product-option"]'))
    .map((li) => Array.from(li.children, (cell) => cell.textContent?.trim()).join(' '))

  it('searches as one types and shows code, name, specification and unit', async () => {
    const { input } = mountPicker()
    await input.setValue('kkkl')
    expect(requests).toHaveLength(0)
    vi.advanceTimersByTime(200)
    await flushPromises()
    expect(requests[0]).toMatchObject({ url: 'products/search/', params: { q: 'kkkl', limit: 20 } })
    expect(options()).toEqual(['SP0001 可口可乐 330ml 330ml 个', 'SP0004 雪碧 330ml 330ml 个'])
  })

  it('moves with the arrow keys and takes the highlighted product on Enter, without submitting the form', async () => {
    const { picker, input, press, submitted } = mountPicker()
    await input.setValue('330')
    vi.advanceTimersByTime(200)
    await flushPromises()
    await press('ArrowDown')
    await press('Enter')
    expect(picker.emitted('update:modelValue')).toEqual([[4]])
    expect(picker.emitted('select')?.[0]).toEqual([sprite])
    expect((input.element as HTMLInputElement).value).toBe('SP0004 雪碧 330ml')
    expect(submitted).not.toHaveBeenCalled()
  })

  it('takes a scanned barcode at once on its exact match, even when it is not the first result', async () => {
    answer = [cola, scanned]
    const { picker, input, press } = mountPicker()
    await input.setValue('6901234567892')
    await press('Enter') // the scanner's Enter comes before the search would start
    expect(requests).toHaveLength(1)
    expect(picker.emitted('select')?.[0]).toEqual([scanned])
  })

  it('does not guess on a fast Enter without an exact match: it says so', async () => {
    const { picker, input, press } = mountPicker()
    await input.setValue('69012')
    await press('Enter')
    expect(picker.emitted('select')).toBeUndefined()
    expect(picker.emitted('not-found')).toEqual([['69012']])
    answer = []
    await input.setValue('nothing-like-it')
    await press('Enter')
    expect(document.body.textContent).toContain('没有编码或条码为“nothing-like-it”的商品')
  })
  it('takes the product of a code confirmed with Enter even when the input is left before the answer comes', async () => {
    let answerNow: () => void = () => undefined
    const slow: AxiosAdapter = (config) => new Promise((resolve) => {
      answerNow = () => resolve({ data: [cola, scanned], status: 200, statusText: '', headers: {}, config, request: {} })
    })
    http.defaults.adapter = slow
    const { picker, input, press } = mountPicker()
    await input.setValue('6901234567892')
    await press('Enter') // a scan, its answer still on the way
    await input.trigger('blur') // straight on to the quantity
    vi.advanceTimersByTime(500)
    await flushPromises()
    answerNow()
    await flushPromises()
    expect(picker.emitted('select')?.[0]).toEqual([scanned])
    expect((input.element as HTMLInputElement).value).toBe('SP0009 芬达 1.25L')
  })

  it('shows the chosen product again when a code confirmed with Enter and left is not found', async () => {
    let answerNow: () => void = () => undefined
    http.defaults.adapter = (config) => new Promise((resolve) => {
      answerNow = () => resolve({ data: [], status: 200, statusText: '', headers: {}, config, request: {} })
    })
    const { picker, input, press } = mountPicker()
    await input.setValue('NO-SUCH-CODE')
    await press('Enter')
    await input.trigger('blur')
    vi.advanceTimersByTime(500)
    answerNow()
    await flushPromises()
    expect(picker.emitted('select')).toBeUndefined()
    expect(picker.emitted('not-found')).toEqual([['NO-SUCH-CODE']])
    expect((input.element as HTMLInputElement).value).toBe('')
  })
})
