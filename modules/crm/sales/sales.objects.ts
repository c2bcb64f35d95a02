import type { TCreateField, TCreateObject } from '@mosaic/meta';

const f = (apiName: string, type: TCreateField['type'], zh: string, en: string, extra: Partial<TCreateField> = {}): TCreateField =>
  ({ apiName, type, label: { zh, en }, ...extra });
const label = (zh: string, en: string) => ({ zh, en });

/** `2026-Q4`: the only period form a target takes (the forecast API reads the same). */
export const QUARTER_RE = '^[0-9]{4}-Q[1-4]$';
const CURRENCY_RE = '^[A-Z]{3}$';

/**
 * Sales management (issue 7 §2–3, the audit's gaps): targets per rep or team
 * and quarter, the CRM's settings (customer tier thresholds), and whether an
 * activity's next follow-up was done. Installed with crm_sales (after selling
 * and automation: tiers read invoices, the tier job is a schedule rule).
 */
export const SALES_MGMT_OBJECTS: TCreateObject[] = [
  {
    apiName: 'sales_target', label: label('销售目标', 'Sales target'), module: 'crm', titleField: 'period',
    fields: [
      // The owner (record scope "own") is the rep and the department the rep's or the team (scopeLink: the records
      // layer copies them, and the trigger in sales.install.ts for other paths); a write is checked against the
      // writer's create/edit scope after that (@mosaic/access writeScope): a manager sets targets in their tree.
      { apiName: 'rep', type: 'user', label: label('销售员', 'Rep'), indexed: true, config: { scopeLink: 'owner' } },
      { apiName: 'team', type: 'department', label: label('销售团队', 'Team'), indexed: true, config: { scopeLink: 'department' } },
      f('period', 'text', '季度', 'Quarter', { required: true, indexed: true, config: { regex: QUARTER_RE, maxLength: 7 } }),
      f('amount', 'money', '目标金额', 'Target amount', { required: true, config: { min: 0 } }),
      // amount's currency as a plain field (the trigger copies it; read-only), so the 销售目标 report can group by it.
      f('currency', 'text', '币种', 'Currency', { indexed: true, config: { regex: CURRENCY_RE, maxLength: 3 } }),
    ],
    rules: [{
      name: 'rep_or_team', field: 'rep',
      formula: 'OR(AND(ISBLANK(rep), NOT(ISBLANK(team))), AND(NOT(ISBLANK(rep)), ISBLANK(team)))',
      message: label('目标须指定销售员或销售团队（二选一）', 'A target is for a rep or for a team: set exactly one'),
    }],
  },
  {
    // One row per tenant (seeded on install; the services read the oldest).
    apiName: 'crm_settings', label: label('客户关系设置', 'CRM settings'), module: 'crm', titleField: 'tier_a_min',
    fields: [
      f('tier_a_min', 'decimal', 'A 类客户营收下限', 'Tier A from revenue', { required: true, defaultValue: '1000000', config: { scale: 2, min: 0 } }),
      f('tier_b_min', 'decimal', 'B 类客户营收下限', 'Tier B from revenue', { required: true, defaultValue: '200000', config: { scale: 2, min: 0 } }),
      f('tier_months', 'integer', '营收统计月数', 'Revenue window (months)', { required: true, defaultValue: 12, config: { min: 1, max: 60 } }),
    ],
    rules: [{ name: 'a_above_b', field: 'tier_a_min', formula: 'tier_a_min >= tier_b_min', message: label('A 类下限不能低于 B 类下限', 'Tier A must start at or above tier B') }],
  },
  {
    apiName: 'opportunity', label: label('商机', 'Opportunity'), module: 'crm',
    // 销售周期: whole days from creation to won, in the tenant's calendar (blank until won); not stored, so it is never stale.
    fields: [
      f('cycle_days', 'formula', '销售周期(天)', 'Sales cycle (days)', { config: { formula: 'DAYS(won_at, created_at)', stored: false } }),
      // amount's currency as a plain field (amount is money; the trigger in sales.install.ts copies it, read-only;
      // a `currency` written through the API is amount's: opportunity-currency.ts). Forecasts group by it.
      f('currency', 'text', '币种', 'Currency', { config: { regex: CURRENCY_RE, maxLength: 3 } }),
    ],
  },
  {
    apiName: 'activity', label: label('跟进记录', 'Activity'), module: 'crm',
    // Set when a later activity is logged on the same lead, customer or opportunity (trigger), or by hand.
    fields: [f('followup_done', 'boolean', '已跟进', 'Follow-up done', { defaultValue: false, indexed: true })],
  },
];
