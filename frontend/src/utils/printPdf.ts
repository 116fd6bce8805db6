import { ElMessage } from 'element-plus'
import { openInNewTab } from '@/api/client'
import { errorMessage } from '@/utils/format'

/** 打印: opens the document's PDF (rendered by the server) in a new tab; a failure is shown, not thrown. */
export async function printPdf(load: () => Promise<Blob>, fallbackName: string): Promise<void> {
  try {
    await openInNewTab(load, fallbackName)
  } catch (error) {
    ElMessage.error(errorMessage(error))
  }
}
