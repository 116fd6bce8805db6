import { Setting } from '@element-plus/icons-vue'
import en from '@/i18n/settings/en'
import zhCN from '@/i18n/settings/zh-CN'
import { defineModule } from '../types'

export default defineModule({
  code: 'settings',
  icon: Setting,
  pages: [
    { name: 'settings-users', path: '/settings/users', titleKey: 'settings.users.title',
      component: () => import('@/views/settings/UsersView.vue') },
    { name: 'settings-roles', path: '/settings/roles', titleKey: 'settings.roles.title',
      component: () => import('@/views/settings/RolesView.vue') },
    { name: 'settings-organizations', path: '/settings/organizations', titleKey: 'settings.organizations.title',
      component: () => import('@/views/settings/OrganizationsView.vue') },
    // every user manages their own tokens (the user menu's 我的 API 令牌): login is enough
    { name: 'settings-api-tokens', path: '/settings/api-tokens', titleKey: 'settings.apiTokens.title', permission: null,
      component: () => import('@/views/settings/ApiTokensView.vue') },
    { name: 'settings-number-series', path: '/settings/number-series', titleKey: 'settings.numberSeries.title',
      component: () => import('@/views/settings/NumberSeriesView.vue') },
    { name: 'settings-audit', path: '/settings/audit', titleKey: 'settings.audit.title',
      component: () => import('@/views/settings/AuditView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
