import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it, vi } from 'vitest'
import ScanPanel from '@/components/ScanPanel.vue'
import { useScanQueue } from '@/composables/useScanQueue'
import { toneNotes } from '@/utils/beep'
import { findLocation, findLot, isEditable, resolveScan, WedgeDetector, type ScanContext } from '@/utils/scanner'

/** Feeds keys `gap` ms apart, starting at `start`; answers what Enter gave. */
function type(detector: WedgeDetector, text: string, gap: number, start = 1000): string | null {
  let time = start
  let result: string | null = null
  for (const key of [...text, 'Enter']) {
    result = detector.feed(key, time)
    time += gap
  }
  return result
}

describe('WedgeDetector', () => {
  it('takes a fast burst ended by Enter as a scan', () => {
    expect(type(new WedgeDetector(), '6900000000014', 8)).toBe('6900000000014')
  })

  it('ignores typing at a person’s pace, short codes and Enter after a pause', () => {
    expect(type(new WedgeDetector(), 'SP0001', 120)).toBeNull()
    expect(type(new WedgeDetector(), 'A1', 5)).toBeNull()
    const detector = new WedgeDetector()
    for (const [index, key] of [...'LOCSHA01'].entries()) detector.feed(key, 1000 + index * 5)
    expect(detector.feed('Enter', 2000)).toBeNull()
  })

  it('starts over after a pause, ignores Shift, and is reset by other keys', () => {
    const detector = new WedgeDetector()
    detector.feed('x', 0) // typed by a person long before
    expect(type(detector, 'ABCD', 5, 500)).toBe('ABCD')
    const shifted = new WedgeDetector()
    shifted.feed('Shift', 0)
    expect(['L', 'Shift', 'O', 'T', '1', 'Enter'].map((key, index) => shifted.feed(key, index * 4)).at(-1)).toBe('LOT1')
    const broken = new WedgeDetector()
    ;['A', 'B', 'ArrowLeft', 'C', 'Enter'].forEach((key, index) => broken.feed(key, index * 4))
    expect(broken.feed('Enter', 30)).toBeNull()
  })
})

const bins = [
  { id: 13, code: 'SH-A-01', barcode: 'LOCSHA01', name: 'A-01' },
  { id: 14, code: 'SH-A-02', barcode: '', name: 'A-02' },
]
const szBins = [{ id: 31, code: 'SZ-A-01', barcode: 'LOCSZA01', name: 'A-01' }]
const lots = [{ id: 7, code: 'L20261101' }]

describe('finding what a code is', () => {
  it('finds a bin by its barcode or (any case) its code, a lot by its number', () => {
    expect(findLocation('LOCSHA01', bins)?.id).toBe(13)
    expect(findLocation(' sh-a-02 ', bins)?.id).toBe(14)
    expect(findLocation('', bins)).toBeUndefined()
    expect(findLot('L20261101', lots)?.id).toBe(7)
    expect(findLot('l20261101', lots)).toBeUndefined()
  })

  function context(overrides: Partial<ScanContext<(typeof bins)[number], string>> = {}): ScanContext<(typeof bins)[number], string> {
    return { locations: bins, current: null, allowNewLot: true, ...overrides }
  }
  const current = (tracking: 'none' | 'lot' | 'serial', has: { lot?: boolean; serial?: boolean } = {}) => ({
    product: 'milk', tracking, lots, hasLot: has.lot ?? false, hasSerial: has.serial ?? false,
  })

  it('tells a bin from a product without asking the server', async () => {
    const lookup = vi.fn(async () => 'cola')
    expect(await resolveScan('LOCSHA01', context(), lookup)).toMatchObject({ kind: 'location', side: 'from', location: { id: 13 } })
    expect(await resolveScan('LOCSZA01', context({ toLocations: szBins }), lookup))
      .toMatchObject({ kind: 'location', side: 'to', location: { id: 31 } })
    expect(lookup).not.toHaveBeenCalled()
    expect(await resolveScan('6900000000014', context(), lookup)).toEqual({ kind: 'product', product: 'cola' })
    expect(lookup).toHaveBeenCalledWith('6900000000014')
  })

  it('takes a lot number of the current product before asking for a product', async () => {
    const lookup = vi.fn(async () => undefined)
    expect(await resolveScan('L20261101', context({ current: current('lot') }), lookup)).toEqual({ kind: 'lot', lot: lots[0] })
    expect(lookup).not.toHaveBeenCalled()
    // the same number means nothing for a product without lots
    expect(await resolveScan('L20261101', context({ current: current('none') }), lookup)).toEqual({ kind: 'unknown', code: 'L20261101' })
  })

  it('makes an unknown code the new lot of a receipt line, or the serial number the line lacks', async () => {
    const none = async () => undefined
    expect(await resolveScan('B2026-9', context({ current: current('lot') }), none)).toEqual({ kind: 'new-lot', code: 'B2026-9' })
    expect(await resolveScan('B2026-9', context({ current: current('lot'), allowNewLot: false }), none)).toMatchObject({ kind: 'unknown' })
    expect(await resolveScan('B2026-9', context({ current: current('lot', { lot: true }) }), none)).toMatchObject({ kind: 'unknown' })
    expect(await resolveScan('SN-0001', context({ current: current('serial') }), none)).toEqual({ kind: 'serial', serial: 'SN-0001' })
    expect(await resolveScan('SN-0002', context({ current: current('serial', { serial: true }) }), none)).toMatchObject({ kind: 'unknown' })
  })

  it('knows the fields people type into', () => {
    const input = document.createElement('input')
    const readonly = document.createElement('input')
    readonly.readOnly = true
    const checkbox = Object.assign(document.createElement('input'), { type: 'checkbox' })
    expect([input, readonly, checkbox, document.createElement('textarea'), document.createElement('button'), null].map(isEditable))
      .toEqual([true, false, false, true, false, false])
  })

  it('has a high tone for success and two low ones for an error', () => {
    expect(toneNotes('success')).toHaveLength(1)
    expect(toneNotes('error').map(([frequency]) => frequency).every((frequency) => frequency < toneNotes('success')[0][0])).toBe(true)
  })
})

describe('ScanPanel', () => {
  function press(target: EventTarget, keys: string[]): void {
    for (const key of keys) target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
  }

  it('emits what the scanner typed into its input, and a scan made while no field has the cursor', async () => {
    const wrapper = mount(ScanPanel, { global: { plugins: [ElementPlus] }, attachTo: document.body, props: { autofocus: false } })
    const input = wrapper.find('input')
    await input.setValue('LOCSHA01')
    await input.trigger('keydown', { key: 'Enter' })
    expect(wrapper.emitted('scan')).toEqual([['LOCSHA01']])
    expect((input.element as HTMLInputElement).value).toBe('')

    ;(document.activeElement as HTMLElement | null)?.blur()
    press(document.body, [...'6900000000014', 'Enter'])
    expect(wrapper.emitted('scan')?.[1]).toEqual(['6900000000014'])
  })

  it('leaves keys typed into another field alone', () => {
    const wrapper = mount(ScanPanel, { global: { plugins: [ElementPlus] }, attachTo: document.body, props: { autofocus: false } })
    const other = document.createElement('input')
    document.body.appendChild(other)
    other.focus()
    press(other, [...'6900000000014', 'Enter'])
    expect(wrapper.emitted('scan')).toBeUndefined()
    other.remove()
  })

  it('shows what scans apply to and what the last one did', () => {
    const wrapper = mount(ScanPanel, {
      global: { plugins: [ElementPlus] },
      props: { autofocus: false, chips: [{ key: 'location', label: '当前库位', value: 'A-01' }, { key: 'lot', label: '当前批次', value: null }],
        feedback: { type: 'error', text: '未识别的条码：X' } },
    })
    expect(wrapper.find('[data-testid="scan-location"]').text()).toBe('当前库位：A-01')
    expect(wrapper.find('[data-testid="scan-lot"]').text()).toBe('当前批次：未指定')
    expect(wrapper.find('[data-testid="scan-feedback"]').classes()).toContain('is-error')
  })
})

describe('useScanQueue', () => {
  /** A promise the test settles by hand. */
  function deferred(): { promise: Promise<void>; resolve: () => void; reject: (error: Error) => void } {
    let resolve!: () => void
    let reject!: (error: Error) => void
    const promise = new Promise<void>((yes, no) => { resolve = yes; reject = no })
    return { promise, resolve, reject }
  }

  it('holds a scan until the page’s loading is done, then handles the scans in order', async () => {
    const handled: string[] = []
    const queue = useScanQueue(async (code) => { handled.push(code) })
    const loading = deferred()
    queue.after(loading.promise)
    const first = queue.scan(' 6900000000014 ')
    void queue.scan('SN-1')
    await Promise.resolve()
    await Promise.resolve()
    expect(handled).toEqual([])
    loading.resolve()
    await first
    await queue.scan('SN-2')
    expect(handled).toEqual(['6900000000014', 'SN-1', 'SN-2'])
  })

  it('goes on after a failed loading, a failed scan and an empty one', async () => {
    const handled: string[] = []
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const queue = useScanQueue(async (code) => {
      if (code === 'BAD') throw new Error('server down')
      handled.push(code)
    })
    const loading = deferred()
    queue.after(loading.promise).catch(() => undefined)
    void queue.scan('A')
    loading.reject(new Error('not found'))
    void queue.scan('BAD')
    void queue.scan('   ')
    await queue.scan('B')
    expect(handled).toEqual(['A', 'B'])
    expect(errors).toHaveBeenCalledTimes(1)
    errors.mockRestore()
  })
})
