import type { TCreateObject } from '@mosaic/meta';

/**
 * A contract's payment plan (回款计划) in figures (merged into crm's objects by
 * mergeObjectDefs): what the plan schedules and what of it is paid, and a rule
 * that the plan does not schedule more than the contract is worth.
 */
export const CONTRACT_PLAN_OBJECTS: TCreateObject[] = [
  {
    apiName: 'contract_payment', label: { zh: '回款计划', en: 'Payment plan line' }, module: 'crm',
    fields: [{ apiName: 'paid_amount', type: 'formula', label: { zh: '已回款金额', en: 'Paid amount' }, config: { formula: 'IF(paid, amount, 0)' } }],
  },
  {
    apiName: 'contract', label: { zh: '合同', en: 'Contract' }, module: 'crm',
    fields: [
      { apiName: 'planned_total', type: 'rollup', label: { zh: '计划回款合计', en: 'Planned total' }, config: { rollup: { relation: 'payment_plan', field: 'amount', fn: 'sum' } } },
      { apiName: 'paid_total', type: 'rollup', label: { zh: '已回款合计', en: 'Paid total' }, config: { rollup: { relation: 'payment_plan', field: 'paid_amount', fn: 'sum' } } },
      { apiName: 'unpaid_total', type: 'formula', label: { zh: '未回款', en: 'Still to collect' }, config: { formula: 'ROUND(IF(ISBLANK(planned_total), 0, planned_total) - IF(ISBLANK(paid_total), 0, paid_total), 2)' } },
    ],
    rules: [{
      name: 'plan_within_amount', formula: 'OR(ISBLANK(amount), ISBLANK(planned_total), planned_total <= amount)', field: 'payment_plan',
      message: { zh: '回款计划合计不能超过合同金额', en: 'The payment plan must not schedule more than the contract amount' },
    }],
  },
];
