import { Decimal } from '@mosaic/kernel';
import { runReport, type TReportDefinition } from '@mosaic/reporting';
import type { RecordsCtx } from '@mosaic/records';
import { assertRatesAvailable, callerCurrency, foreignOf, ratesToday } from '../shared/currency.ts';

/**
 * CRM analytics as report-engine definitions (data an admin could save as
 * reports): they run through runReport, so each viewer counts only the
 * opportunities their access rights show them.
 */
export const STAGE_REACH: TReportDefinition = {
  source: 'opportunity_stage_log',
  params: [{ name: 'pipeline', type: 'uuid', required: true }],
  filter: { 'to_stage.pipeline': { eq: { var: '$param.pipeline' } } },
  rows: [{ field: 'to_stage' }],
  measures: [{ name: 'reached', fn: 'count_distinct', field: 'opportunity' }],
};

export const STAGE_DAYS: TReportDefinition = {
  source: 'opportunity_stage_log',
  params: [{ name: 'pipeline', type: 'uuid', required: true }],
  filter: { 'from_stage.pipeline': { eq: { var: '$param.pipeline' } } },
  rows: [{ field: 'from_stage' }],
  measures: [{ name: 'avg_days', fn: 'avg', field: 'days_in_from' }],
};

export const OPEN_BY_STAGE: TReportDefinition = {
  source: 'opportunity',
  params: [{ name: 'pipeline', type: 'uuid', required: true }],
  filter: { pipeline: { eq: { var: '$param.pipeline' } } },
  rows: [{ field: 'stage' }],
  measures: [{ name: 'count', fn: 'count' }, { name: 'amount', fn: 'sum', field: 'amount' }],
};

export const WIN_RATE: TReportDefinition = {
  source: 'opportunity',
  rows: [{ field: 'owner_id' }],
  measures: [
    { name: 'won', fn: 'count', filter: { won_at: { ne: null } } },
    { name: 'lost', fn: 'count', filter: { lost_at: { ne: null } } },
    { name: 'won_amount', fn: 'sum', field: 'amount', filter: { won_at: { ne: null } } },
    { name: 'win_rate', formula: 'won / (won + lost)' },
    { name: 'avg_deal', formula: 'won_amount / won' },
  ],
  sort: [{ by: 'won', desc: true }],
};

/**
 * 销售漏斗: per stage of the pipeline, in order — how many opportunities
 * reached it (every opportunity starts in the first stage), the conversion
 * from the stage before, how long they stayed on average, and what is open there now.
 */
export async function funnel(ctx: RecordsCtx, pipeline: string): Promise<Record<string, unknown>> {
  const stages = (await runReport(ctx, { source: 'crm_stage', filter: { pipeline }, rows: [{ field: 'id' }, { field: 'name' }, { field: 'sequence' }, { field: 'outcome' }], measures: [{ name: 'n', fn: 'count' }], sort: [{ by: 'sequence' }] })).rows;
  const reach = byKey((await runReport(ctx, STAGE_REACH, { pipeline })).rows, 'to_stage', 'reached');
  const days = byKey((await runReport(ctx, STAGE_DAYS, { pipeline })).rows, 'from_stage', 'avg_days');
  const open = (await runReport(ctx, OPEN_BY_STAGE, { pipeline })).rows;
  const total = open.filter((r) => !r.$totals).reduce((s, r) => s + Number(r.count ?? 0), 0);
  let previous: number | null = null;
  const rows = stages.filter((s) => !s.$totals).map((s, i) => {
    const reached = i === 0 ? total : Number(reach.get(String(s.id)) ?? 0);
    const row = {
      stage: s.id, name: s.name, outcome: s.outcome, reached,
      conversion: previous ? new Decimal(reached).div(previous).toFixed(4) : null,
      avgDays: days.get(String(s.id)) == null ? null : new Decimal(String(days.get(String(s.id)))).toFixed(2),
      openNow: Number(open.find((o) => o.stage === s.id)?.count ?? 0),
    };
    if (s.outcome !== 'lost') previous = reached; // the lost stage is a side exit, not the next step
    return row;
  });
  return { pipeline, stages: rows };
}

/** Won amounts per rep and amount's currency (amount is money), for winRate to convert. */
export const WON_BY_CURRENCY: TReportDefinition = {
  source: 'opportunity',
  filter: { won_at: { ne: null } },
  rows: [{ field: 'owner_id' }, { field: 'amount.currency' }],
  measures: [{ name: 'won_amount', fn: 'sum', field: 'amount' }],
};

const ccyOf = (row: Record<string, unknown>) => (row['amount.currency'] as string | null)?.trim() || null;

/**
 * 赢单率 per rep. The report engine never adds amounts of different currencies (a rep's won_amount is empty
 * then), so when any won deal is in another currency, won_amount and avg_deal are recomputed in the company's
 * currency: each currency's sum at today's rate (shared/currency.ts; 422 naming `currency` without one), then added.
 */
export async function winRate(ctx: RecordsCtx): Promise<Record<string, unknown>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const [r, amounts] = await Promise.all([runReport(ctx, WIN_RATE), runReport(ctx, WON_BY_CURRENCY)]);
  const base = await callerCurrency(ctx);
  const foreign = foreignOf(base, amounts.rows.map(ccyOf));
  if (!foreign.length) return { rows: r.rows };
  assertRatesAvailable(objects, base, foreign);
  const rates = await ratesToday(ctx, objects, base, foreign);
  const won = new Map<unknown, Decimal>();
  for (const a of amounts.rows) {
    const converted = new Decimal(String(a.won_amount ?? '0')).times(rates.get(ccyOf(a) || base)!).toDecimalPlaces(2);
    won.set(a.owner_id, (won.get(a.owner_id) ?? new Decimal(0)).plus(converted));
  }
  const rows = r.rows.map((row) => {
    const amount = won.get(row.owner_id) ?? new Decimal(0);
    return { ...row, won_amount: amount.toFixed(2), avg_deal: Number(row.won) ? amount.div(Number(row.won)).toFixed(2) : null };
  });
  return { rows, currency: base };
}

function byKey(rows: Record<string, unknown>[], key: string, value: string): Map<string, unknown> {
  return new Map(rows.filter((r) => !r.$totals).map((r) => [String(r[key]), r[value]]));
}
