import { dropShippedDefault, type ModuleManifest } from '@mosaic/meta';
import { CRM_OBJECTS, CRM_SALES_OBJECTS } from './crm.objects.ts';
import { installCrm } from './crm.install.ts';
import { seedCrm, seedCrmRules } from './crm.seed.ts';
import { crmRoutes } from './crm.routes.ts';
import './leads/lead-intake.actions.ts';
import './pool/pool.actions.ts';
import './service/sla.actions.ts';
import './quotes/quote-print.template.ts';
import './service/ticket-assign.actions.ts';
import { SERVICE_OBJECTS, SERVICE_SALES_OBJECTS } from './service/service.objects.ts';
import { mergeObjectDefs } from './shared/merge-object-defs.ts';
import { QUOTE_PRICING_OBJECTS } from './quotes/quote-pricing.objects.ts';
import { CONTRACT_PLAN_OBJECTS } from './contracts/contract-plan.objects.ts';
import { OPPORTUNITY_PRODUCT_OBJECTS } from './pipeline/opportunity-products.objects.ts';
import './sales/sales.actions.ts';
import './sales/currency-check.ts';
import './sales/opportunity-currency.ts';
import { installSalesMgmt, registerSalesTargetRules } from './sales/sales.install.ts';

/**
 * 客户关系 — marketing, sales force automation, service, the 360° view.
 * Installed first (selling needs customers); the objects that stand on the
 * supply chain (quotes with items, products on opportunities) and the rules
 * that need the task object come with crmSalesModule, after selling and automation.
 */
export const crmModule: ModuleManifest = {
  name: 'crm',
  label: { zh: '客户关系', en: 'CRM' },
  depends: [],
  menu: { group: 'crm', label: { zh: '客户关系', en: 'CRM' }, order: 10 },
  objects: mergeObjectDefs(CRM_OBJECTS, SERVICE_OBJECTS, CONTRACT_PLAN_OBJECTS),
  async afterInstall(db, store, tenantId) {
    await installCrm(db, store, tenantId);
    await seedCrm(db, store, tenantId);
  },
  routes: crmRoutes,
};

export const crmSalesModule: ModuleManifest = {
  name: 'crm_sales',
  label: { zh: '客户关系（报价）', en: 'CRM (quotes)' },
  depends: ['crm', 'selling', 'automation'],
  menu: { group: 'crm', label: { zh: '客户关系', en: 'CRM' }, order: 11 },
  objects: mergeObjectDefs(CRM_SALES_OBJECTS, SERVICE_SALES_OBJECTS, QUOTE_PRICING_OBJECTS, OPPORTUNITY_PRODUCT_OBJECTS),
  async afterInstall(db, store, tenantId) {
    await installCrm(db, store, tenantId);
    await seedCrmRules(db, store, tenantId);
    await installSalesMgmt(db, store, tenantId);
    // quote.currency shipped with default 'CNY': gone, so a new quote is in the company's currency.
    await dropShippedDefault(db, store, tenantId, 'quote', 'currency', 'CNY');
  },
  register: registerSalesTargetRules,
};
