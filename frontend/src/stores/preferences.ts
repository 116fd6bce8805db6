import { defineStore } from 'pinia'
import { ref } from 'vue'

const STORAGE_KEY = 'jxc.hiddenColumns'

function load(): Record<string, string[]> {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string[]>) : {}
  } catch {
    return {}
  }
}

/** Per-browser choices of the user: the hidden columns of each list. */
export const usePreferencesStore = defineStore('preferences', () => {
  const hiddenColumns = ref<Record<string, string[]>>(load())

  /** The columns the user hid in a list, or undefined when they never chose. */
  function hiddenIn(list: string): string[] | undefined {
    return hiddenColumns.value[list]
  }

  function setHidden(list: string, columns: string[]): void {
    hiddenColumns.value = { ...hiddenColumns.value, [list]: columns }
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(hiddenColumns.value))
    } catch {
      // storage full or disabled: the choice lasts for this page only
    }
  }

  return { hiddenColumns, hiddenIn, setHidden }
})
