import { describe, expect, it } from 'vitest'
import { previewNumber } from '@/utils/numberPattern'

describe('previewNumber', () => {
  const day = new Date(2026, 10, 6)

  it('fills the date tokens and the sequence', () => {
    expect(previewNumber('CG{yyyyMMdd}-{seq:4}', day)).toBe('CG20261106-0001')
    expect(previewNumber('XS{yy}{MM}{dd}{seq:3}', day, 27)).toBe('XS261106027')
    expect(previewNumber('{yyyy}/{yyyyMM}/{seq}', day)).toBe('2026/202611/1')
  })

  it('leaves unknown tokens as they are', () => {
    expect(previewNumber('A{foo}-{seq:2}', day)).toBe('A{foo}-01')
  })
})
