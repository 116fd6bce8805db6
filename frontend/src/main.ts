import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import { createPinia } from 'pinia'
import { createApp } from 'vue'
import { configureClient } from '@/api/client'
import { currentLocale, i18n, setLocale, toServerLanguage } from '@/i18n'
import { modules, registerModuleMessages } from '@/modules'
import { createAppRouter } from '@/router'
import { useSessionStore } from '@/stores/session'
import App from './App.vue'

const pinia = createPinia()
registerModuleMessages(modules)
setLocale(currentLocale())
const router = createAppRouter()

configureClient({
  language: () => toServerLanguage(currentLocale()),
  fallbackMessage: (code) => i18n.global.t(`errors.${code}`),
  onUnauthorized: () => {
    // the session ended while the app was open (expired, logged out elsewhere)
    const session = useSessionStore(pinia)
    if (!session.isAuthenticated) return
    session.clear()
    void router.push({ name: 'login', query: { next: router.currentRoute.value.fullPath } })
  },
})

createApp(App).use(pinia).use(i18n).use(ElementPlus).use(router).mount('#app')
