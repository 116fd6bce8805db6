import { Money } from '@element-plus/icons-vue'
import en from '@/i18n/finance/en'
import zhCN from '@/i18n/finance/zh-CN'
import { defineModule } from '../types'

/**
 * 财务 (general ledger): vouchers (记账凭证) and their editor, receipts and payments (收款单/付款单), the
 * partner ledgers (往来明细 with 核销, 账龄分析, 对账单), the books (科目余额表, 明细账, 总账, 序时账),
 * voucher templates (常用凭证), opening balances (期初余额),
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
    { name: 'finance-payments', path: '/finance/payments', titleKey: 'finance.payments.list',
      component: () => import('@/views/finance/PaymentsView.vue') },
    { name: 'finance-payment', path: '/finance/payments/:id', titleKey: 'finance.payments.title', menu: false,
      activeMenu: '/finance/payments', component: () => import('@/views/finance/PaymentView.vue') },
    { name: 'finance-open-items', path: '/finance/open-items', titleKey: 'finance.openItems.title',
      component: () => import('@/views/finance/OpenItemsView.vue') },
    { name: 'finance-ageing', path: '/finance/ageing', titleKey: 'finance.ageing.title',
      component: () => import('@/views/finance/AgeingView.vue') },
    { name: 'finance-statement', path: '/finance/statement', titleKey: 'finance.statement.title',
      component: () => import('@/views/finance/StatementView.vue') },
    { name: 'finance-trial-balance', path: '/finance/trial-balance', titleKey: 'finance.trialBalance.title',
      component: () => import('@/views/finance/TrialBalanceView.vue') },
    { name: 'finance-account-ledger', path: '/finance/account-ledger', titleKey: 'finance.ledger.title',
      component: () => import('@/views/finance/AccountLedgerView.vue') },
    { name: 'finance-general-ledger', path: '/finance/general-ledger', titleKey: 'finance.generalLedger.title',
      component: () => import('@/views/finance/GeneralLedgerView.vue') },
    { name: 'finance-journal', path: '/finance/journal', titleKey: 'finance.journal.title',
      component: () => import('@/views/finance/JournalView.vue') },
    { name: 'finance-voucher-templates', path: '/finance/voucher-templates', titleKey: 'finance.templates.title',
      component: () => import('@/views/finance/VoucherTemplatesView.vue') },
    { name: 'finance-accounts', path: '/finance/accounts', titleKey: 'finance.accounts.title',
      component: () => import('@/views/finance/AccountsView.vue') },
    { name: 'finance-posting-rules', path: '/finance/posting-rules', titleKey: 'finance.rules.title',
      component: () => import('@/views/finance/PostingRulesView.vue') },
    { name: 'finance-opening-balances', path: '/finance/opening-balances', titleKey: 'finance.opening.title',
      component: () => import('@/views/finance/OpeningBalancesView.vue') },
    { name: 'finance-periods', path: '/finance/periods', titleKey: 'finance.periods.title',
      component: () => import('@/views/finance/PeriodsView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
