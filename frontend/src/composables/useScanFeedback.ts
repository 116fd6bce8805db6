import { nextTick, onBeforeUnmount, ref } from 'vue'
import type { ScanFeedback } from '@/components/scanPanel'
import { beep } from '@/utils/beep'

/**
 * What a scan did, seen and heard: the message of the scan panel, a tone, and the line it
 * changed lit up for a moment (and scrolled into view) through the editor's `row-class`.
 */
export function useScanFeedback(flashMs = 1500) {
  const feedback = ref<ScanFeedback | null>(null)
  const flash = ref<{ key: number; type: 'success' | 'error' } | null>(null)
  let timer: ReturnType<typeof setTimeout> | undefined

  function report(type: 'success' | 'error' | 'info', text: string, lineKey?: number): void {
    feedback.value = { type, text }
    beep(type === 'error' ? 'error' : 'success')
    if (lineKey === undefined) return
    flash.value = { key: lineKey, type: type === 'error' ? 'error' : 'success' }
    clearTimeout(timer)
    timer = setTimeout(() => (flash.value = null), flashMs)
    void nextTick(() => {
      const row = document.querySelector('.document-editor__flash, .document-editor__flash-error')
      if (row && typeof row.scrollIntoView === 'function') row.scrollIntoView({ block: 'nearest' })
    })
  }

  function rowClass(line: { key: number }): string {
    if (flash.value?.key !== line.key) return ''
    return flash.value.type === 'error' ? 'document-editor__flash-error' : 'document-editor__flash'
  }

  onBeforeUnmount(() => clearTimeout(timer))
  return { feedback, flash, report, rowClass }
}
