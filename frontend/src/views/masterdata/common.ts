import { ElMessage } from 'element-plus'
import { computed } from 'vue'
import type { ListQuery, Page } from '@/api/types'
import { i18n } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { confirmAction } from '@/utils/confirm'
import { errorMessage } from '@/utils/format'

/** What the user may do in master data (`masterdata.<action>`). */
export function useMasterdataAccess() {
  const session = useSessionStore()
  return {
    canCreate: computed(() => session.hasPermission('masterdata.create')),
    canEdit: computed(() => session.hasPermission('masterdata.edit')),
    canConfigure: computed(() => session.hasPermission('masterdata.configure')),
  }
}

/** Asks, deletes, says so and reloads; the server refuses records in use with a message. */
export async function deleteRecord(name: string, remove: () => Promise<void>, after: () => unknown): Promise<void> {
  const { t } = i18n.global
  if (!(await confirmAction(t('masterdata.deleteConfirm', { name })))) return
  try {
    await remove()
    ElMessage.success(t('common.deleted'))
    await after()
  } catch (error) {
    ElMessage.error(errorMessage(error))
  }
}

/** The whole of a short list (units, categories, tax rates…) for selects; [] and a message on failure. */
export async function loadOptions<T>(source: { list: (query?: ListQuery) => Promise<Page<T>> }, query: ListQuery = {}): Promise<T[]> {
  try {
    return (await source.list({ page_size: 1000, ...query })).results
  } catch (error) {
    ElMessage.error(errorMessage(error))
    return []
  }
}
