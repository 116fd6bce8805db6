import { ElMessage } from 'element-plus'
import { reactive } from 'vue'
import { ApiError } from '@/api/client'
import { useIdempotentSubmit } from './useIdempotentSubmit'

/** Server errors of a form: `fields` go under their el-form-item (`:error`), the message to ElMessage. */
export function useServerErrors() {
  const fieldErrors = reactive<Record<string, string>>({})

  function clear(): void {
    for (const field of Object.keys(fieldErrors)) delete fieldErrors[field]
  }

  /** Shows the error: its fields under their form items, the rest as a message. With `placed` (the fields the
   * form shows at a form item), a field error it places is shown there only; the message then tells what is left,
   * if anything. */
  function show(error: unknown, placed?: (field: string) => boolean): void {
    if (!(error instanceof ApiError)) throw error
    clear()
    const { non_field_errors: formErrors, ...fields } = error.fields
    for (const [field, messages] of Object.entries(fields)) fieldErrors[field] = messages.join(' ')
    if (placed) {
      const left = [...(formErrors ?? []), ...Object.entries(fields).filter(([field]) => !placed(field))
        .flatMap(([, messages]) => messages)]
      if (left.length) ElMessage.error(left.join(' '))
      else if (!Object.keys(fields).length) ElMessage.error(error.message)
      return
    }
    // "units.0.factor: …" names the field by its path: the form marks the field, the message needs no path
    const first = Object.keys(fields)[0]
    const message = first && error.message.startsWith(`${first}: `) ? error.message.slice(first.length + 2) : error.message
    ElMessage.error(formErrors?.length ? formErrors.join(' ') : message)
  }

  /** Forgets the errors of `name` and of its parts (`to.1`), once the user changes that field. */
  function clearField(name: string): void {
    for (const field of Object.keys(fieldErrors)) {
      if (field === name || field.startsWith(`${name}.`)) delete fieldErrors[field]
    }
  }

  return { fieldErrors, clear, clearField, show }
}

export type SubmitOutcome<T> = { ok: true; value: T } | { ok: false }

/** Submits a form once (idempotent across retries) and shows the server's errors inline. */
export function useFormSubmit<T>(action: (idempotencyKey: string) => Promise<T>) {
  const errors = useServerErrors()
  const idempotent = useIdempotentSubmit(action)

  async function submit(): Promise<SubmitOutcome<T>> {
    errors.clear()
    try {
      return { ok: true, value: await idempotent.submit() }
    } catch (error) {
      errors.show(error)
      return { ok: false }
    }
  }

  /** Clears the errors and forgets the key: call it when the form opens for a new record. */
  function reset(): void {
    errors.clear()
    idempotent.reset()
  }

  return { submit, submitting: idempotent.submitting, fieldErrors: errors.fieldErrors, reset }
}
