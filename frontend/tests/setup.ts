import { config, disableAutoUnmount, enableAutoUnmount } from '@vue/test-utils'
import { afterEach, beforeEach } from 'vitest'
import { configureClient } from '@/api/client'
import { currentLocale, i18n, setLocale, toServerLanguage } from '@/i18n'
import { modules, registerModuleMessages } from '@/modules'
import { restoreApi } from './mockApi'

registerModuleMessages(modules)
config.global.plugins = [i18n]
// files share one environment (isolate: false): re-arm for this file
disableAutoUnmount()
enableAutoUnmount(afterEach)

// jsdom has no canvas (ECharts measures text with one and falls back without) and no layout.
HTMLCanvasElement.prototype.getContext = (() => null) as typeof HTMLCanvasElement.prototype.getContext
globalThis.ResizeObserver ??= class {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

afterEach(restoreApi)

beforeEach(() => {
  localStorage.clear()
  document.cookie = 'csrftoken=; expires=Thu, 01 Jan 1970 00:00:00 GMT'
  setLocale('zh-CN')
  configureClient({
    language: () => toServerLanguage(currentLocale()),
    fallbackMessage: (code) => i18n.global.t(`errors.${code}`),
    onUnauthorized: () => {},
  })
})
