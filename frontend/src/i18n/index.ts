import { computed } from 'vue'
import { createI18n } from 'vue-i18n'
import 'dayjs/locale/zh-cn'
import elementEn from 'element-plus/es/locale/lang/en'
import elementZhCn from 'element-plus/es/locale/lang/zh-cn'
import type { Language } from '@/api/types'
import en from './en'
import zhCN from './zh-CN'

export const LOCALES = ['zh-CN', 'en'] as const
export type UiLocale = (typeof LOCALES)[number]

/** Messages of one namespace in every UI language. */
export type LocaleMessages = Record<UiLocale, object>

const STORAGE_KEY = 'jxc.language'

export function toServerLanguage(locale: UiLocale): Language {
  return locale === 'en' ? 'en' : 'zh-hans'
}

export function fromServerLanguage(language: string | null | undefined): UiLocale {
  return language === 'en' ? 'en' : 'zh-CN'
}

function storedLocale(): UiLocale {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh-CN'
  } catch {
    return 'zh-CN'
  }
}

export const i18n = createI18n({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
})

export function currentLocale(): UiLocale {
  return i18n.global.locale.value as UiLocale
}

/** Switches the UI language (messages, Element Plus, <html lang>) and remembers it on this browser. */
export function setLocale(locale: UiLocale): void {
  i18n.global.locale.value = locale
  document.documentElement.lang = locale
  try {
    localStorage.setItem(STORAGE_KEY, locale)
  } catch {
    // private mode: the choice lasts for this page only
  }
}

/** Adds the messages of a module under its own namespace (`settings.users.title`). */
export function registerMessages(namespace: string, messages: LocaleMessages): void {
  for (const locale of LOCALES) i18n.global.mergeLocaleMessage(locale, { [namespace]: messages[locale] })
}

/** The Element Plus locale that follows the UI language (for <el-config-provider>). */
export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elementEn : elementZhCn))
