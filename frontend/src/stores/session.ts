import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { ApiError } from '@/api/client'
import { sessionApi } from '@/api/session'
import type { Id, Me } from '@/api/types'
import { fromServerLanguage, setLocale, toServerLanguage, type UiLocale } from '@/i18n'

/** Who is logged in, in which organization, with which permissions and language. */
export const useSessionStore = defineStore('session', () => {
  const me = ref<Me | null>(null)
  /** True once the server has said whether there is a session. */
  const loaded = ref(false)

  const isAuthenticated = computed(() => me.value !== null)
  const organization = computed(() => me.value?.organization ?? null)
  const canSeeCosts = computed(() => me.value?.can_see_costs ?? false)
  const moduleCodes = computed(() => me.value?.modules.map((module) => module.code) ?? [])

  function hasPermission(permission: string): boolean {
    return !!me.value && (me.value.is_superuser || me.value.permissions.includes(permission))
  }

  /** Takes a `me` body from the server; its language is the user's remembered choice. */
  function adopt(body: Me): void {
    me.value = body
    loaded.value = true
    setLocale(fromServerLanguage(body.language))
  }

  function clear(): void {
    me.value = null
    loaded.value = true
  }

  async function fetchMe(): Promise<Me | null> {
    try {
      adopt(await sessionApi.me())
    } catch (error) {
      if (!(error instanceof ApiError) || ![401, 403].includes(error.status)) throw error
      clear()
    }
    return me.value
  }

  /** A language picked on the login page wins over the one the server remembered. */
  let chosenBeforeLogin: UiLocale | null = null

  async function login(username: string, password: string): Promise<void> {
    await sessionApi.csrf()
    const body = await sessionApi.login(username, password)
    adopt(body)
    const chosen = chosenBeforeLogin
    chosenBeforeLogin = null
    if (chosen && chosen !== fromServerLanguage(body.language)) await setLanguage(chosen)
  }

  async function logout(): Promise<void> {
    await sessionApi.logout()
    clear()
  }

  async function switchOrganization(organization: Id): Promise<void> {
    adopt(await sessionApi.switchOrganization(organization))
  }

  /** Switches the UI language now and, when logged in, remembers it for the user on the server. */
  async function setLanguage(locale: UiLocale): Promise<void> {
    setLocale(locale)
    if (me.value) adopt(await sessionApi.updateMe({ language: toServerLanguage(locale) }))
    else chosenBeforeLogin = locale
  }

  return {
    me, loaded, isAuthenticated, organization, canSeeCosts, moduleCodes,
    hasPermission, adopt, clear, fetchMe, login, logout, switchOrganization, setLanguage,
  }
})
