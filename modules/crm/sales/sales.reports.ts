import type { TReportDefinition } from '@mosaic/reporting';

/**
 * Sales management as report-engine definitions. Installed per tenant as
 * shared reports (sales.install.ts) so they are listed, put on dashboards and
 * edited like any other; the CRM's API runs the same definitions as the
 * caller, so every figure counts only the records the caller's scope shows.
 */

const FROM = { var: '$param.from' };
const TO = { var: '$param.to' };
const QUARTER_PARAMS: TReportDefinition['params'] = [
  { name: 'from', type: 'date', required: true, label: { zh: '开始日期', en: 'From' } },
  { name: 'to', type: 'date', required: true, label: { zh: '结束日期', en: 'To' } },
];
/** Open: neither won nor lost (moveStage stamps won_at / lost_at on entering such a stage). */
// Parameters replace a condition's whole value, so a window is two conditions (not between [from, to]).
const inWindow = (field: string) => [{ [field]: { gte: FROM } }, { [field]: { lte: TO } }];
const OPEN_CLOSING_IN_WINDOW = { and: [{ won_at: { eq: null } }, { lost_at: { eq: null } }, ...inWindow('expected_close_date')] };
// won_at is a date-time: plain dates on it are whole days in the tenant's zone (lte "to" = before the next day starts).
const WON_IN_WINDOW = { and: inWindow('won_at') };

/**
 * 加权销售预测: per rep (or team), for open opportunities expected to close in
 * the window Σ amount × stage probability (the opportunity's probability,
 * copied from its stage on every move), and what was won in the window.
 */
function forecast(by: 'owner_id' | 'department_id'): TReportDefinition {
  return {
    source: 'opportunity',
    params: QUARTER_PARAMS,
    filter: { or: [OPEN_CLOSING_IN_WINDOW, WON_IN_WINDOW] },
    // Amounts of different currencies are never added here: one row per currency — `currency`, amount's
    // currency kept by trigger (sales.install.ts), the column tenants' saved reports group by —;
    // the forecast API converts them (forecast.service.ts).
    rows: [{ field: by }, { field: 'currency' }],
    measures: [
      { name: 'open_count', fn: 'count', filter: OPEN_CLOSING_IN_WINDOW, label: { zh: '在谈商机数', en: 'Open deals' } },
      { name: 'open_amount', fn: 'sum', field: 'amount', filter: OPEN_CLOSING_IN_WINDOW, label: { zh: '在谈金额', en: 'Open amount' } },
      { name: 'weighted', fn: 'sum', field: 'weighted_amount', filter: OPEN_CLOSING_IN_WINDOW, label: { zh: '加权金额', en: 'Weighted amount' } },
      { name: 'won_count', fn: 'count', filter: WON_IN_WINDOW, label: { zh: '赢单数', en: 'Deals won' } },
      { name: 'won', fn: 'sum', field: 'amount', filter: WON_IN_WINDOW, label: { zh: '赢单金额', en: 'Won amount' } },
    ],
    totals: true,
  };
}

export const FORECAST_BY_REP = forecast('owner_id');
export const FORECAST_BY_TEAM = forecast('department_id');

/**
 * 销售目标: one row per rep or team, one column per currency. Targets are
 * converted at the rate as of the quarter's last day, which is not known when
 * they are set and which the report engine cannot look up; so the report never
 * adds 1,000 USD to 5,000 CNY as 6,000 — each currency is its own column, and
 * the company-currency sheet with totals and attainment is the forecast API's.
 */
export const TARGETS: TReportDefinition = {
  source: 'sales_target',
  params: [{ name: 'period', type: 'text', required: true, label: { zh: '季度', en: 'Quarter' } }],
  filter: { period: { eq: { var: '$param.period' } } },
  rows: [{ field: 'rep' }, { field: 'team' }],
  columns: [{ field: 'currency' }],
  measures: [{ name: 'target', fn: 'sum', field: 'amount', label: { zh: '目标金额', en: 'Target' } }],
  // No totals: the engine's ROLLUP ends in a grand total over every column, i.e. over currencies.
};

/** 逾期跟进: activities whose next follow-up date has passed with nothing logged since (followup_done). */
export const OVERDUE_FOLLOWUPS: TReportDefinition = {
  source: 'activity',
  filter: { and: [{ next_followup_date: { lt: { var: '$today' } } }, { followup_done: { eq: false } }] },
  rows: [{ field: 'owner_id' }],
  measures: [
    { name: 'overdue', fn: 'count', label: { zh: '逾期跟进', en: 'Overdue follow-ups' } },
    { name: 'oldest', fn: 'min', field: 'next_followup_date', label: { zh: '最早应跟进日', en: 'Oldest due' } },
  ],
  totals: true,
  sort: [{ by: 'overdue', desc: true }],
};

/** 逾期任务: open tasks due before today. */
export const OVERDUE_TASKS: TReportDefinition = {
  source: 'task',
  filter: { and: [{ due_at: { lt: { var: '$today' } } }, { done: { eq: false } }] },
  rows: [{ field: 'owner_id' }],
  measures: [{ name: 'overdue', fn: 'count', label: { zh: '逾期任务', en: 'Overdue tasks' } }],
  totals: true,
  sort: [{ by: 'overdue', desc: true }],
};

/** 线索来源转化率: leads per source and how many became customers. */
export const CONVERSION_BY_SOURCE: TReportDefinition = {
  source: 'lead',
  rows: [{ field: 'source' }],
  measures: [
    { name: 'leads', fn: 'count', label: { zh: '线索数', en: 'Leads' } },
    { name: 'converted', fn: 'count', filter: { state: { eq: 'converted' } }, label: { zh: '已转化', en: 'Converted' } },
    { name: 'conversion', formula: 'converted / leads', label: { zh: '转化率', en: 'Conversion rate' } },
  ],
  sort: [{ by: 'leads', desc: true }],
};

/** 销售员跟进量: activities per rep and kind. */
export const ACTIVITIES_PER_REP: TReportDefinition = {
  source: 'activity',
  params: QUARTER_PARAMS,
  filter: { and: inWindow('occurred_at') },
  rows: [{ field: 'owner_id' }],
  columns: [{ field: 'kind' }],
  measures: [{ name: 'activities', fn: 'count', label: { zh: '跟进次数', en: 'Activities' } }],
};

/** 平均成交金额与销售周期: deals won per rep, their average size and average days from creation to won. */
export const DEAL_SIZE: TReportDefinition = {
  source: 'opportunity',
  params: QUARTER_PARAMS,
  filter: WON_IN_WINDOW,
  // Per currency (amount's, kept in `currency` by trigger), and no totals: the engine would add amounts of different currencies.
  rows: [{ field: 'owner_id' }, { field: 'currency' }],
  measures: [
    { name: 'won_count', fn: 'count', label: { zh: '赢单数', en: 'Deals won' } },
    { name: 'won', fn: 'sum', field: 'amount', label: { zh: '赢单金额', en: 'Won amount' } },
    { name: 'avg_deal', fn: 'avg', field: 'amount', label: { zh: '平均成交金额', en: 'Average deal size' } },
    { name: 'avg_cycle_days', fn: 'avg', field: 'cycle_days', label: { zh: '平均销售周期(天)', en: 'Average sales cycle (days)' } },
  ],
};

/** What sales.install.ts installs as shared reports (by name: an admin's edits stay). */
export const SALES_REPORTS: { name: string; description: string; definition: TReportDefinition }[] = [
  { name: '销售预测（按销售员）', description: '季度加权预测：在谈商机金额 × 阶段赢单率，加上本期赢单金额', definition: FORECAST_BY_REP },
  { name: '销售预测（按团队）', description: '季度加权预测，按商机所属部门汇总', definition: FORECAST_BY_TEAM },
  { name: '销售目标', description: '各销售员、团队的季度目标，按币种分列（不同币种不相加）', definition: TARGETS },
  { name: '逾期跟进（按负责人）', description: '下次跟进日期已过、之后未再跟进的记录', definition: OVERDUE_FOLLOWUPS },
  { name: '逾期任务（按负责人）', description: '截止日期已过仍未完成的任务', definition: OVERDUE_TASKS },
  { name: '线索来源转化率', description: '各来源的线索数、已转化数与转化率', definition: CONVERSION_BY_SOURCE },
  { name: '销售员跟进量', description: '各销售员在期间内的跟进次数，按方式分列', definition: ACTIVITIES_PER_REP },
  { name: '平均成交金额与销售周期', description: '期间内赢单数、赢单金额、平均成交金额与平均销售周期（创建到赢单的天数，按销售员、币种）', definition: DEAL_SIZE }, // 按币种分列
];
