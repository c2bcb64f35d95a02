import type { FilterNode } from '../../../api/types.ts';

/**
 * GET /api/v1/crm/reports/forecast?period=2026-Q4&by=rep|team (modules/crm/sales/forecast.service.ts):
 * per rep (the opportunity's owner) or team (department, sub-teams rolled up) the open deals closing
 * in the quarter (count, amount, Σ amount × probability), what was won in it, the target, and
 * attainment = won / target, forecastAttainment = (weighted + won) / target (fractions "0.4000",
 * null without a target). Money as decimal strings in the reply's `currency`. Pure, no React.
 */
export type ForecastBy = 'rep' | 'team';

export interface ForecastRow {
  rep?: string | null;
  team?: string | null;
  name: string | null;
  openCount: number;
  openAmount: string;
  weighted: string;
  wonCount: number;
  won: string;
  forecast: string;
  target: string | null;
  attainment: string | null;
  forecastAttainment: string | null;
}

export interface ForecastReply {
  period: string;
  /** Every amount's currency: the company's (targets and deals in others are converted at the rate as of the quarter's end). */
  currency: string;
  from: string;
  to: string;
  by: ForecastBy;
  rows: ForecastRow[];
  total: ForecastRow;
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

export function isQuarter(s: string | null | undefined): s is string {
  return !!s && QUARTER.test(s);
}

/** The quarter a day (YYYY-MM-DD) falls in: 2026-11-24 → 2026-Q4. */
export function quarterOf(day: string): string {
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter `n` quarters after (or before, n < 0) `period`. */
export function shiftQuarter(period: string, n: number): string {
  const m = QUARTER.exec(period);
  if (!m) return period;
  const index = Number(m[1]) * 4 + Number(m[2]) - 1 + n;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** The quarters offered by the picker: two years back, one ahead, newest first. */
export function quarterChoices(current: string): string[] {
  return Array.from({ length: 13 }, (_, i) => shiftQuarter(current, 4 - i));
}

/**
 * The opportunities behind a rep's figure, as a list filter (the list page's ?drill=): won = won in
 * the quarter, open = neither won nor lost and expected to close in it — the forecast report's own
 * conditions (sales.reports.ts), so the list's count is the figure's count. A rep row without an
 * owner matches opportunities without one. Team rows roll sub-teams up, which a filter on
 * department_id cannot say: they get no links.
 */
export function drillFilter(row: ForecastRow, part: 'won' | 'open', window: { from: string; to: string }): FilterNode | null {
  if (!('rep' in row)) return null;
  const owner: FilterNode = row.rep ? { field: 'owner_id', op: 'eq', value: row.rep } : { field: 'owner_id', op: 'isNull', value: true };
  if (part === 'won') return { and: [owner, { field: 'won_at', op: 'between', value: [window.from, window.to] }] };
  return {
    and: [
      owner,
      { field: 'won_at', op: 'isNull', value: true },
      { field: 'lost_at', op: 'isNull', value: true },
      { field: 'expected_close_date', op: 'between', value: [window.from, window.to] },
    ],
  };
}

export const opportunitiesUrl = (filter: FilterNode) => `/o/opportunity?drill=${encodeURIComponent(JSON.stringify(filter))}`;
