import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it } from 'vitest'
import { defineComponent } from 'vue'
import { useI18n } from 'vue-i18n'
import LanguageSwitch from '@/components/LanguageSwitch.vue'
import { elementLocale } from '@/i18n'
import { useSessionStore } from '@/stores/session'
import { makeMe, mockApi } from './mockApi'

const Page = defineComponent({
  components: { LanguageSwitch },
  setup: () => ({ t: useI18n().t }),
  template: '<div><h1>{{ t("nav.dashboard") }}</h1><p>{{ t("settings.users.title") }}</p><LanguageSwitch /></div>',
})

async function choose(testid: string): Promise<void> {
  const item = document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)
  expect(item).not.toBeNull()
  item!.click()
  await flushPromises()
}

describe('language switch', () => {
  it('switches messages, Element Plus and the server-side choice', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    useSessionStore().adopt(makeMe())
    document.cookie = 'csrftoken=x'
    const requests = mockApi((request) => [200, makeMe({ language: (request.body as { language: 'en' }).language })])
    const wrapper = mount(Page, { global: { plugins: [ElementPlus, pinia] }, attachTo: document.body })
    expect(wrapper.text()).toContain('工作台')
    expect(wrapper.text()).toContain('用户管理')

    await wrapper.find('[data-testid="lang-switch"]').trigger('click')
    await choose('lang-en')
    expect(wrapper.find('h1').text()).toBe('Dashboard')
    expect(wrapper.find('p').text()).toBe('Users')
    expect(elementLocale.value.name).toBe('en')
    expect(document.documentElement.lang).toBe('en')
    expect(requests.map((r) => [r.method, r.url, r.body])).toEqual([['PATCH', 'me/', { language: 'en' }]])

    await choose('lang-zh')
    expect(wrapper.find('h1').text()).toBe('工作台')
    expect(elementLocale.value.name).toBe('zh-cn')
    expect(requests.at(-1)?.body).toEqual({ language: 'zh-hans' })
  })

  it('before login, only remembers the choice in this browser', async () => {
    const pinia = createPinia()
    setActivePinia(pinia)
    const requests = mockApi(() => [500])
    const wrapper = mount(Page, { global: { plugins: [ElementPlus, pinia] }, attachTo: document.body })
    await choose('lang-en')
    expect(wrapper.find('h1').text()).toBe('Dashboard')
    expect(localStorage.getItem('jxc.language')).toBe('en')
    expect(requests).toEqual([])
  })
})
