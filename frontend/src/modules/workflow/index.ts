import { Stamp } from '@element-plus/icons-vue'
import en from '@/i18n/workflow/en'
import zhCN from '@/i18n/workflow/zh-CN'
import { defineModule } from '../types'

/**
 * 审批 (workflow): the approvals page (待我审批, 我提交的, 全部审批单) with a request's levels and steps
 * and the approve / reject buttons, and the approval rules (审批规则) per document type.
 * Anyone may be an approver or a submitter, so the approvals pages need a login only (the
 * server shows each user their own requests; 全部 needs `workflow.view`); the rules need
 * `workflow.view` to read and `workflow.configure` to change.
 * 消息中心 (the user's notifications and 通知设置) and 预警 (the alerts of the kinds the user's roles may
 * view; 预警设置 inside for `workflow.configure`) need a login only; Webhook needs `workflow.configure`.
 */
export default defineModule({
  code: 'workflow',
  icon: Stamp,
  pages: [
    { name: 'workflow-approvals', path: '/workflow/approvals', titleKey: 'workflow.approvals.title', permission: null,
      component: () => import('@/views/workflow/ApprovalsView.vue') },
    { name: 'workflow-request', path: '/workflow/approvals/:id', titleKey: 'workflow.request.title', permission: null,
      menu: false, activeMenu: '/workflow/approvals', component: () => import('@/views/workflow/ApprovalRequestView.vue') },
    { name: 'workflow-rules', path: '/workflow/rules', titleKey: 'workflow.rules.title',
      component: () => import('@/views/workflow/ApprovalRulesView.vue') },
    { name: 'workflow-notifications', path: '/workflow/notifications', titleKey: 'workflow.notifications.title', permission: null,
      component: () => import('@/views/workflow/NotificationsView.vue') },
    { name: 'workflow-alerts', path: '/workflow/alerts', titleKey: 'workflow.alerts.title', permission: null,
      component: () => import('@/views/workflow/AlertsView.vue') },
    { name: 'workflow-webhooks', path: '/workflow/webhooks', titleKey: 'workflow.webhooks.title', permission: 'workflow.configure',
      component: () => import('@/views/workflow/WebhooksView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
