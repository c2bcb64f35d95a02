import { AppError } from '@mosaic/kernel';
import type { RecordsCtx } from '@mosaic/records';
import { nextBucketStart } from '../report.period.ts';
import { parseDefinition, runReport, type RunOptions } from '../report.run.ts';
import type { Bucket, ReportParams } from '../report.schema.ts';
import { forecastSeries, type ForecastResult } from './holt-winters.ts';

const SEASON: Record<Bucket, number> = { day: 7, week: 52, month: 12, quarter: 4, year: 1 };

export interface ReportForecast extends Omit<ForecastResult, 'forecast'> {
  measure: string;
  bucket: Bucket;
  history: { period: string; value: number }[];
  forecast: { period: string; value: number; lo: number; hi: number }[];
}

/**
 * Forecast of a report that is a series: one date-bucket dimension (month,
 * week, …) and a numeric measure. Buckets with no records count as 0; the
 * next `periods` buckets are forecast with Holt-Winters (season 12 for months,
 * 52 for weeks, 4 for quarters, 7 for days), with a 95 % interval and the
 * back-test MAPE. MRP (issue: production) takes `forecast` as demand.
 *
 *   GET /api/v1/reports/{id}/forecast?periods=6
 *   → { measure: "qty", bucket: "month", history: [{ period: "2025-01-01", value: 120 }, …],
 *       forecast: [{ period: "2026-07-01", value: 181.4, lo: 150.2, hi: 212.6 }, …], mape: 6.3, model: "holt_winters_additive", … }
 */
export async function forecastReport(ctx: RecordsCtx, definition: unknown, params: ReportParams, periods: number, measure?: string, opts: RunOptions = {}): Promise<ReportForecast> {
  if (!Number.isInteger(periods) || periods < 1 || periods > 60) throw new AppError('BAD_REQUEST', 'periods: a whole number from 1 to 60', { field: 'periods' });
  const def = parseDefinition(definition);
  const dims = [...(def.rows ?? []), ...(def.columns ?? [])];
  if (dims.length !== 1 || !dims[0].bucket) throw new AppError('BAD_REQUEST', 'A forecast needs a report with exactly one date-bucket dimension (e.g. order_date by month).', { field: 'rows' });
  const bucket = dims[0].bucket;
  const name = measure ?? def.measures[0].name;
  if (!def.measures.some((m) => m.name === name)) throw new AppError('BAD_REQUEST', `measure: the report has no measure "${name.slice(0, 60)}"`, { field: 'measure' });
  // The series in time order, whatever the report's own sort, top-N or totals.
  const series = { ...def, rows: dims, columns: undefined, totals: false, limit: undefined, sort: undefined, compare: undefined };
  const result = await runReport(ctx, series, params, opts);
  const key = result.columns[0].key;
  // A series of money in several currencies has no one figure per period to fit (nor one unit to forecast in).
  const currencies = new Set(result.rows.map((r) => r[`${name}$currency`]).filter((c) => c != null));
  const mixed = result.rows.filter((r) => r[`${name}$mixed`] === true).map((r) => String(r[key]).slice(0, 10));
  if (mixed.length || currencies.size > 1) {
    throw new AppError('BAD_REQUEST', `measure: ${name} is money in several currencies (${mixed.length ? mixed.slice(0, 3).join(', ') : [...currencies].sort().join(', ')}); filter the report to one currency to forecast it`, { field: 'measure' });
  }
  const byPeriod = new Map(result.rows.filter((r) => r[key] !== null).map((r) => [String(r[key]).slice(0, 10), toNumber(r[name])]));
  const history: { period: string; value: number }[] = [];
  const first = [...byPeriod.keys()].sort()[0];
  const last = [...byPeriod.keys()].sort().at(-1);
  for (let p = first; p && last && p <= last; p = nextBucketStart(p, bucket)) history.push({ period: p, value: byPeriod.get(p) ?? 0 });
  const fit = forecastSeries(history.map((h) => h.value), periods, SEASON[bucket]);
  let next = last ? nextBucketStart(last, bucket) : null;
  const forecast = fit.forecast.map((f) => {
    const period = next ?? '';
    next = next ? nextBucketStart(next, bucket) : null;
    return { period, ...f };
  });
  return { ...fit, measure: name, bucket, history, forecast };
}

function toNumber(v: unknown): number {
  if (v === null || v === undefined) return 0;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new AppError('BAD_REQUEST', 'measure: a forecast needs a numeric measure', { field: 'measure' });
  return n;
}
