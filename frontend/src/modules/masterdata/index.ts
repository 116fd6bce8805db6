import { Goods } from '@element-plus/icons-vue'
import en from '@/i18n/masterdata/en'
import zhCN from '@/i18n/masterdata/zh-CN'
import { defineModule } from '../types'

export default defineModule({
  code: 'masterdata',
  icon: Goods,
  pages: [
    { name: 'masterdata-products', path: '/masterdata/products', titleKey: 'masterdata.products.title',
      component: () => import('@/views/masterdata/ProductsView.vue') },
    { name: 'masterdata-partners', path: '/masterdata/partners', titleKey: 'masterdata.partners.title',
      component: () => import('@/views/masterdata/PartnersView.vue') },
    { name: 'masterdata-categories', path: '/masterdata/categories', titleKey: 'masterdata.categories.title',
      component: () => import('@/views/masterdata/CategoriesView.vue') },
    { name: 'masterdata-warehouses', path: '/masterdata/warehouses', titleKey: 'masterdata.warehouses.title',
      component: () => import('@/views/masterdata/WarehousesView.vue') },
    { name: 'masterdata-price-lists', path: '/masterdata/price-lists', titleKey: 'masterdata.priceLists.title',
      component: () => import('@/views/masterdata/PriceListsView.vue') },
    { name: 'masterdata-units', path: '/masterdata/units', titleKey: 'masterdata.units.title',
      component: () => import('@/views/masterdata/UnitsView.vue') },
    { name: 'masterdata-tax-rates', path: '/masterdata/tax-rates', titleKey: 'masterdata.taxRates.title',
      component: () => import('@/views/masterdata/TaxRatesView.vue') },
    { name: 'masterdata-currencies', path: '/masterdata/currencies', titleKey: 'masterdata.currencies.title',
      component: () => import('@/views/masterdata/CurrenciesView.vue') },
    { name: 'masterdata-custom-fields', path: '/masterdata/custom-fields', titleKey: 'masterdata.customFields.title',
      permission: 'masterdata.configure', component: () => import('@/views/masterdata/CustomFieldsView.vue') },
    { name: 'masterdata-imports', path: '/masterdata/imports', titleKey: 'masterdata.imports.title',
      component: () => import('@/views/masterdata/ImportsView.vue') },
  ],
  messages: { 'zh-CN': zhCN, en },
})
