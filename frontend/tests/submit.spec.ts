import { ElMessage } from 'element-plus'
import { describe, expect, it, vi } from 'vitest'
import { ApiError } from '@/api/client'
import { useFormSubmit } from '@/composables/useFormSubmit'
import { useIdempotentSubmit } from '@/composables/useIdempotentSubmit'

const networkError = () => new ApiError(0, { code: 'network_error', message: 'offline', fields: {} })
const refusal = (fields: Record<string, string[]> = {}) =>
  new ApiError(400, { code: 'validation_error', message: '输入有误', fields })

describe('useIdempotentSubmit', () => {
  it('keeps the key across retries while the outcome is unknown', async () => {
    const keys: string[] = []
    const action = vi.fn(async (key: string) => {
      keys.push(key)
      if (keys.length < 3) throw networkError()
      return 'created'
    })
    const { submit } = useIdempotentSubmit(action)
    await expect(submit()).rejects.toThrow('offline')
    await expect(submit()).rejects.toThrow('offline')
    await expect(submit()).resolves.toBe('created')
    expect(new Set(keys).size).toBe(1)
  })

  it('takes a new key after a success or a refusal', async () => {
    const keys: string[] = []
    let fail = true
    const { submit } = useIdempotentSubmit(async (key) => {
      keys.push(key)
      if (fail) throw refusal()
      return key
    })
    await expect(submit()).rejects.toBeInstanceOf(ApiError)
    fail = false
    await submit()
    await submit()
    expect(new Set(keys).size).toBe(3)
  })

  it('joins a second submit while the first is in flight', async () => {
    let resolve: (value: string) => void = () => {}
    const action = vi.fn(() => new Promise<string>((r) => (resolve = r)))
    const { submit, submitting } = useIdempotentSubmit(action)
    const first = submit()
    const second = submit()
    expect(submitting.value).toBe(true)
    resolve('done')
    expect(await Promise.all([first, second])).toEqual(['done', 'done'])
    expect(action).toHaveBeenCalledOnce()
    expect(submitting.value).toBe(false)
  })
})

describe('useFormSubmit', () => {
  it('puts field errors under their fields and the form error in a message', async () => {
    const message = vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    const { submit, fieldErrors } = useFormSubmit(async () => {
      throw refusal({ username: ['该用户名已存在', '太短'], non_field_errors: ['密码太弱'] })
    })
    expect(await submit()).toEqual({ ok: false })
    expect({ ...fieldErrors }).toEqual({ username: '该用户名已存在 太短' })
    expect(message).toHaveBeenCalledWith('密码太弱')
    message.mockRestore()
  })

  it('clears old errors and returns the value on success', async () => {
    vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    let fail = true
    const { submit, fieldErrors } = useFormSubmit(async () => {
      if (fail) throw refusal({ name: ['必填'] })
      return 42
    })
    await submit()
    expect(fieldErrors.name).toBe('必填')
    fail = false
    expect(await submit()).toEqual({ ok: true, value: 42 })
    expect({ ...fieldErrors }).toEqual({})
  })
})

describe('useFormSubmit with nested errors', () => {
  it('puts `units.0.factor` under its key and shows the message without the path', async () => {
    const message = vi.spyOn(ElMessage, 'error').mockImplementation((() => undefined) as never)
    const { submit, fieldErrors } = useFormSubmit(async () => {
      throw new ApiError(400, { code: 'validation_error', message: 'units.0.factor: 换算率必须大于零',
        fields: { 'units.0.factor': ['换算率必须大于零'], 'custom.colour': ['请选择'] } })
    })
    await submit()
    expect({ ...fieldErrors }).toEqual({ 'units.0.factor': '换算率必须大于零', 'custom.colour': '请选择' })
    expect(message).toHaveBeenCalledWith('换算率必须大于零')
    message.mockRestore()
  })
})
