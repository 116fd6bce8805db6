import { defineStore } from 'pinia'
import { ref } from 'vue'
import { approvalRequestsApi } from '@/api/workflow'

/** How many approval requests wait for the user (the header badge); the approvals pages refresh it after a decision. */
export const useApprovalsStore = defineStore('approvals', () => {
  const pending = ref(0)
  let latest = 0

  async function refresh(): Promise<void> {
    const request = ++latest
    try {
      const count = await approvalRequestsApi.inboxCount()
      if (request === latest) pending.value = count
    } catch {
      // the badge is a hint: a failed count leaves the last one
    }
  }

  return { pending, refresh }
})
