import { ElMessageBox } from 'element-plus'
import { i18n } from '@/i18n'

/** Asks before a destructive action; resolves to false when the user cancels. */
export async function confirmAction(message: string): Promise<boolean> {
  const { t } = i18n.global
  try {
    await ElMessageBox.confirm(message, t('common.notice'), {
      type: 'warning',
      confirmButtonText: t('common.confirm'),
      cancelButtonText: t('common.cancel'),
    })
    return true
  } catch {
    return false
  }
}
