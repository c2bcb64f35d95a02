import { installObjects, type ModuleManifest } from '@mosaic/meta';
import { installModuleAlert } from '@mosaic/reporting';
import { PROJECT_LINKS, PROJECT_OBJECTS } from './projects.objects.ts';
import { registerCostCollection } from './timesheet/cost-collection.hooks.ts';
import { registerExpenseClaimHooks } from './expense-claim/expense-claim.hooks.ts';
import { registerPurchaseCostHooks } from './purchase/purchase-cost.hooks.ts';
import { projectsRoutes } from './projects.routes.ts';
import { BUDGET_OVERRUN_ALERT } from './project/budget-overrun.alert.ts';

/** 项目管理 — projects with budgets by cost type, WBS tasks, timesheets, expense claims, milestones billed through selling, profit. */
export const projectsModule: ModuleManifest = {
  name: 'projects',
  label: { zh: '项目管理', en: 'Projects' },
  depends: ['hr', 'crm', 'stock', 'selling', 'buying', 'finance'],
  menu: { group: 'projects', label: { zh: '项目', en: 'Projects' }, order: 45 },
  objects: PROJECT_OBJECTS,
  async afterInstall(db, store, tenantId) {
    // A `project` link on stock entries, sales invoices and purchase order/invoice lines, so issues and invoices can be attributed (adds only what is missing).
    await installObjects({ db, store, tenantId, userId: null }, PROJECT_LINKS);
    // Budget vs actual alerts live in the report engine (once per tenant; an admin's edits stay).
    await installModuleAlert(db, store, tenantId, BUDGET_OVERRUN_ALERT);
  },
  register() {
    registerCostCollection();
    registerExpenseClaimHooks();
    registerPurchaseCostHooks();
  },
  routes: projectsRoutes,
};
