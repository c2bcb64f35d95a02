// The HR module's public API.
export { hrModule, hrRulesModule } from './module.ts';
export { physical, type Physical } from './physical.ts';
export { PAYROLL_ACCOUNTS } from './payroll/payroll-run.hooks.ts';
export * as payrollRules from './payroll/payroll.rules.ts';
export { approveWithoutFlow } from './approve-without-flow.ts';
export { accountIdsOrThrow } from './gl-accounts.ts';
export { checkFilingEmployee, registerFilingEmployeeCheck } from './filing-employee.ts';
