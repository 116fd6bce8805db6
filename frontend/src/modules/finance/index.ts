import { Money } from '@element-plus/icons-vue'
import en from '@/i18n/finance/en'
import zhCN from '@/i18n/finance/zh-CN'
import { defineModule } from '../types'

/**
 * 财务 (general ledger): vouchers (记账凭证) and their editor, the two reports (科目余额表, 明细账),
 * the chart of accounts with its account roles, posting rules (凭证模板) and accounting periods.
 * Every page needs `finance.view`; writes are gated in the pages (create/edit/post/configure/export).
 */
export default defineModule({
  code: 'finance',
  icon: Money,
  pages: [
    { name: 'finance-vouchers', path: '/finance/vouchers', titleKey: 'finance.voucher.list',
      component: () => import('@/views/finance/VouchersView.vue') },
    { name: 'finance-voucher', path: '/finance/vouchers/:id', titleKey: 'finance.voucher.title', menu: false,
      activeMenu: '/finance/vouchers', component: () => import('@/views/finance/VoucherView.vue') },
    { name: 'finance-trial-balance', path: '/finance/trial-balance', titleKey: 'finance.trialBalance.title',
      component: () => import('@/views/finance/TrialBalanceView.vue') },
    { name: 'finance-account-ledger', path: '/finance/account-ledger', titleKey: 'finance.ledger.title',
      component: () => import('@/views/finance/AccountLedgerView.vue') },
    { name: 'finance-accounts', path: '/finance/accounts', titleKey: 'finance.accounts.title',
      component: () => import('@/views/finance/AccountsView.vue') },
    { name: 'finance-posting-rules', path: '/finance/posting-rules', titleKey: 'finance.rules.title',
      component: () => import('@/views/finance/PostingRulesView.vue') },
    { name: 'finance-periods', path: '/finance/periods', titleKey: 'finance.periods.title',
      component: () => import('@/views/finance/PeriodsView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
