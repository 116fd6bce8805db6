import { defineStore } from 'pinia'
import { ref } from 'vue'
import { notificationsApi } from '@/api/notifications'

/** How many of the user's notifications are unread (the header bell); mark-read answers set it. */
export const useNotificationsStore = defineStore('notifications', () => {
  const unread = ref(0)
  let latest = 0

  async function refresh(): Promise<void> {
    const request = ++latest
    try {
      const count = await notificationsApi.unreadCount()
      if (request === latest) unread.value = count
    } catch {
      // the bell is a hint: a failed count leaves the last one
    }
  }

  /** The count a mark-read answer gives; an older refresh still in flight no longer overwrites it. */
  function set(count: number): void {
    latest += 1
    unread.value = count
  }

  return { unread, refresh, set }
})
