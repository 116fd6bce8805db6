import { ElMessage } from 'element-plus'
import type { Ref } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRoute, useRouter } from 'vue-router'
import type { Id } from '@/api/types'

interface Command<T> {
  submit: () => Promise<T>
}

/**
 * The commands of a purchasing request that goes through approval (请购单, 付款申请): submit (saved first,
 * approved at once when no rule applies, the approval history reloaded), the simple state changes (close,
 * cancel, pay) and `attempt`, which shows the server's errors on the form. A new document moves to its own
 * address once it has one (`routeName`).
 */
export function useApprovalCommands<T extends { id: Id; state: string }>(options: {
  doc: Ref<T | null>
  adopt: (document: T) => void
  errors: { clear: () => void; show: (error: unknown) => void }
  saveDraft: (quiet: boolean, navigate: boolean) => Promise<boolean>
  submitCommand: Command<T>
  historyPanel: Ref<{ reload: () => Promise<void> } | undefined>
  routeName: string
}) {
  const { t } = useI18n()
  const route = useRoute()
  const router = useRouter()

  async function attempt<R>(action: () => Promise<R>): Promise<R | null> {
    options.errors.clear()
    try {
      return await action()
    } catch (error) {
      options.errors.show(error)
      return null
    }
  }

  async function moveToOwnAddress(): Promise<void> {
    const id = options.doc.value?.id
    if (id !== undefined && Number(route.params.id) !== id) await router.replace({ name: options.routeName, params: { id } })
  }

  async function submit(): Promise<void> {
    if (!(await options.saveDraft(true, false))) return
    const submitted = await attempt(() => options.submitCommand.submit())
    if (submitted) {
      options.adopt(submitted)
      void options.historyPanel.value?.reload()
      ElMessage.success(t(submitted.state === 'approved' ? 'purchasing.document.approvedAtOnce' : 'purchasing.document.submitted'))
    }
    await moveToOwnAddress()
  }

  async function simple(command: Command<T>, message: string): Promise<void> {
    const done = await attempt(() => command.submit())
    if (done) {
      options.adopt(done)
      ElMessage.success(t(message))
    }
  }

  return { attempt, submit, simple }
}
