import type { ModuleAlert } from '@mosaic/reporting';
import { COST_TYPES } from '../projects.objects.ts';

export const BUDGET_OVERRUN_KEY = 'projects.budget_overrun';

/**
 * 项目预算超支, a KPI alert of the report engine on the 项目预算执行 report:
 * one row per project and cost type from the cost ledger, `overrun` = actual −
 * that type's budget, raised when above 0 (so a cost with no budget is an
 * overrun). The engine raises a row once when it crosses and clears it when a
 * reversal brings it back, and tells the project's manager — else its owner —
 * besides whoever the admin adds. Installed once per tenant; HR/PMO edit the
 * threshold, recipients or pause it under 报表 → 预警 like any alert.
 */
export const BUDGET_OVERRUN_ALERT: ModuleAlert = {
  key: BUDGET_OVERRUN_KEY,
  report: {
    name: '项目预算执行（按成本类型）',
    description: '项目成本台账按项目和成本类型汇总，与该类型预算比较；项目预算超支预警以此为准。',
    definition: {
      source: 'project_cost',
      rows: [
        { field: 'project.code', label: { zh: '项目编号', en: 'Project' } }, { field: 'project.name', label: { zh: '项目名称', en: 'Project name' } },
        { field: 'cost_type', label: { zh: '成本类型', en: 'Cost type' } },
        // Who answers for the row: the alert notifies the first of these that is set.
        { field: 'project.manager', label: { zh: '项目经理', en: 'Manager' } }, { field: 'project.owner_id', label: { zh: '负责人', en: 'Owner' } },
      ],
      measures: [
        { name: 'actual', fn: 'sum', field: 'amount', label: { zh: '实际', en: 'Actual' } },
        // Each row has one cost type, so exactly one of these is set: that type's budget on the project.
        ...COST_TYPES.map((type) => ({ name: `budget_${type}`, fn: 'max' as const, field: `project.budget_${type}`, filter: { cost_type: { eq: type } } })),
        { name: 'budget', formula: `COALESCE(${COST_TYPES.map((type) => `budget_${type}`).join(', ')}, 0)`, label: { zh: '预算', en: 'Budget' } },
        { name: 'overrun', formula: 'actual - budget', label: { zh: '超支', en: 'Overrun' } },
      ],
      sort: [{ by: 'project.code' }, { by: 'cost_type' }],
    },
  },
  alert: { name: '项目预算超支', measure: 'overrun', op: 'gt', threshold: 0, notifyUserIds: [], notifyRowUsers: ['project.manager', 'project.owner_id'], everyMinutes: 60 },
};
