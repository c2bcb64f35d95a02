import type { ModuleManifest } from '@mosaic/meta';
import { HR_OBJECTS } from './hr.objects.ts';
import { installHrIndexes } from './hr.install.ts';
import { registerPayrollRunHooks } from './payroll/payroll-run.hooks.ts';
import { registerLeaveRequestHooks } from './leave/leave.service.ts';
import { hrRoutes } from './hr.routes.ts';
import { registerPayslipTemplate } from './payroll/payslip.print.ts';
import { registerCompanySetUp } from '@mosaic/identity';
import { systemGuard } from '@mosaic/access';
import { seedHrRules, SYSTEM_USER_ID } from './people-rules/people-rules.seed.ts';
import { seedCompanyChecklists, systemActor } from './checklist/checklist.seed.ts';
import { installChecklistIndex, registerChecklistUniqueRule } from './checklist/checklist.install.ts';
import { CHECKLIST_OBJECTS } from './checklist/checklist.objects.ts';

/** 人力资源 — employees, attendance, leave and China payroll (五险一金, 累计预扣法 IIT), posted to finance. */
export const hrModule: ModuleManifest = {
  name: 'hr',
  label: { zh: '人力资源', en: 'Human resources' },
  depends: ['finance'],
  menu: { group: 'hr', label: { zh: '人事', en: 'HR' }, order: 40 },
  objects: HR_OBJECTS,
  afterInstall: installHrIndexes,
  register() {
    registerPayrollRunHooks();
    registerLeaveRequestHooks();
    registerPayslipTemplate();
  },
  routes: hrRoutes,
};

/**
 * HR's shipped automation rules (入职/离职清单, 劳动合同到期提醒) and the checklist templates the
 * first two read (hr_checklist_template): installed after the automation module, whose rules
 * engine and `task` object they need — hence a manifest of their own.
 */
export const hrRulesModule: ModuleManifest = {
  name: 'hr_rules',
  label: { zh: '人力资源规则', en: 'HR rules' },
  depends: ['hr', 'automation'],
  menu: { group: 'hr', label: { zh: '人事', en: 'HR' }, order: 40 },
  objects: CHECKLIST_OBJECTS,
  async afterInstall(db, store, tenantId) {
    await seedHrRules(db, store, tenantId);
    await installChecklistIndex(db, store, tenantId);
  },
  register() {
    registerChecklistUniqueRule();
    // A company created at runtime gets the default checklists in its creating transaction, so its first hire gets one.
    registerCompanySetUp('hr_rules', async ({ tx, ctx, company }) => {
      const a = ctx.guard.actor;
      await seedCompanyChecklists(tx, { db: ctx.db, store: ctx.store, guard: systemGuard(systemActor(a.tenantId, SYSTEM_USER_ID, company.id, a.timeZone)) });
    });
  },
};
