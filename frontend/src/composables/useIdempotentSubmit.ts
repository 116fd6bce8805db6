import { ref } from 'vue'
import { ApiError, newIdempotencyKey } from '@/api/client'

/**
 * Runs one form submission with an `Idempotency-Key`. The key is kept while the outcome is
 * unknown (network error, timeout, 5xx), so a retry cannot create a second document; it is
 * dropped after a success or a definite refusal (4xx), when the user will change the form.
 * A second submit while one is in flight joins it instead of sending again.
 */
export function useIdempotentSubmit<T>(action: (idempotencyKey: string) => Promise<T>) {
  const submitting = ref(false)
  let key: string | null = null
  let inFlight: Promise<T> | null = null

  async function run(currentKey: string): Promise<T> {
    submitting.value = true
    try {
      const result = await action(currentKey)
      key = null
      return result
    } catch (error) {
      if (!(error instanceof ApiError && error.outcomeUnknown)) key = null
      throw error
    } finally {
      submitting.value = false
      inFlight = null
    }
  }

  function submit(): Promise<T> {
    key ??= newIdempotencyKey()
    inFlight ??= run(key)
    return inFlight
  }

  /** Starts a new submission (e.g. when the dialog opens for another record). */
  function reset(): void {
    key = null
  }

  return { submit, submitting, reset }
}
