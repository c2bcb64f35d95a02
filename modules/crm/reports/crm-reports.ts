import { Decimal } from '@mosaic/kernel';
import { runReport, type TReportDefinition } from '@mosaic/reporting';
import type { RecordsCtx } from '@mosaic/records';

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

export async function winRate(ctx: RecordsCtx): Promise<Record<string, unknown>> {
  const r = await runReport(ctx, WIN_RATE);
  return { rows: r.rows };
}

function byKey(rows: Record<string, unknown>[], key: string, value: string): Map<string, unknown> {
  return new Map(rows.filter((r) => !r.$totals).map((r) => [String(r[key]), r[value]]));
}
