import { addDays, addMonths } from '@mosaic/kernel';
import { round6 } from './mrp.rules.ts';
import type { Demand } from './mrp.types.ts';

export type ForecastBucket = 'day' | 'week' | 'month' | 'quarter';

/** A demand_forecast row: `qty` of `item` over [start, end) (end exclusive). */
export interface Forecast {
  id: string;
  item: string;
  start: string;
  end: string;
  qty: number;
}

/** What customers ordered of an item due on a day (submitted sales orders, delivered or not). */
export interface OrderedQty {
  item: string;
  date: string;
  qty: number;
}

/** The first day after a period of `bucket` starting on `start`. */
export function periodEnd(start: string, bucket: ForecastBucket): string {
  if (bucket === 'day') return addDays(start, 1);
  if (bucket === 'week') return addDays(start, 7);
  return addMonths(start, bucket === 'quarter' ? 3 : 1);
}

/**
 * Forecast consumption (预测冲销), the usual rule: in each forecast period the
 * demand for an item is max(forecast, ordered). Sales orders are already MRP
 * demand on their own dates, so a forecast adds only what orders have not yet
 * taken of it — forecast − ordered in the period, when positive — due on the
 * period's first day (today for the period under way; a period already over
 * adds nothing: what was not ordered then will not be).
 *
 * `orders` counts every submitted order due in the period, delivered or not:
 * a customer order shipped early in the month consumed that month's forecast
 * as much as one still open. Forecasts of one item and period are summed
 * (rows per warehouse: MRP nets company-wide); periods of one item are not
 * expected to overlap — if they do, each is consumed by the same orders.
 */
export function consumeForecasts(forecasts: Forecast[], orders: OrderedQty[], today: string): Demand[] {
  const byPeriod = new Map<string, Forecast>();
  for (const f of forecasts) {
    const key = `${f.item}|${f.start}|${f.end}`;
    const known = byPeriod.get(key);
    byPeriod.set(key, known ? { ...known, qty: known.qty + f.qty, id: known.id < f.id ? known.id : f.id } : { ...f });
  }
  const orderedOf = new Map<string, OrderedQty[]>();
  for (const o of orders) orderedOf.set(o.item, [...(orderedOf.get(o.item) ?? []), o]);
  const out: Demand[] = [];
  for (const f of byPeriod.values()) {
    if (f.end <= today) continue;
    const ordered = (orderedOf.get(f.item) ?? []).filter((o) => o.date >= f.start && o.date < f.end).reduce((sum, o) => sum + o.qty, 0);
    const left = round6(f.qty - ordered);
    if (left > 1e-9) out.push({ item: f.item, qty: left, date: f.start < today ? today : f.start, ref: { type: 'demand_forecast', id: f.id } });
  }
  return out.sort((a, b) => a.item.localeCompare(b.item) || a.date.localeCompare(b.date));
}

/** Ordered quantity of an item due in a month (first day). */
export interface MonthlySales {
  item: string;
  month: string;
  qty: number;
}

/** A demand_forecast row already there: `source` 'manual' (hand-entered, imported) or 'report' (generated). */
export interface ExistingForecast {
  id: string;
  /** The row's version, for the optimistic-locking update. */
  version: number;
  item: string;
  start: string;
  bucket: ForecastBucket;
  source: string;
}

export interface MonthlyForecastPlan {
  create: { item: string; month: string; qty: number; model: string }[];
  update: { id: string; version: number; item: string; month: string; qty: number; model: string }[];
  /** Months left to the hand-entered forecast there. */
  kept: { item: string; month: string; forecast: string }[];
  /** Items without a sale in the history window: nothing to forecast from. */
  skipped: { item: string; reason: string }[];
}

/**
 * Which monthly forecast rows to write, per item: the series of monthly sales
 * from the item's first month with sales up to the month before `from` (months
 * without sales are 0), forecast `months` ahead by `forecast` (the report
 * engine's forecastSeries, season 12), rounded to the 6 decimals of the qty
 * column and never below 0. A month overlapped by a hand-entered row of the item
 * is kept as it is; one holding a generated row is updated; else a row is created.
 */
export function monthlyForecastRows(input: {
  items: string[];
  from: string;
  months: number;
  sales: MonthlySales[];
  existing: ExistingForecast[];
  forecast: (series: number[], horizon: number, season: number) => { model: string; forecast: { value: number }[] };
}): MonthlyForecastPlan {
  const out: MonthlyForecastPlan = { create: [], update: [], kept: [], skipped: [] };
  for (const item of input.items) {
    const byMonth = new Map(input.sales.filter((s) => s.item === item).map((s) => [s.month, s.qty]));
    const first = [...byMonth.keys()].sort()[0];
    if (!first) {
      out.skipped.push({ item, reason: 'no sales in the history window' });
      continue;
    }
    const series: number[] = [];
    for (let m = first; m < input.from; m = addMonths(m, 1)) series.push(byMonth.get(m) ?? 0);
    const fit = input.forecast(series, input.months, 12);
    const mine = input.existing.filter((e) => e.item === item);
    fit.forecast.forEach((point, i) => {
      const month = addMonths(input.from, i);
      const end = addMonths(month, 1);
      const qty = Math.max(0, round6(point.value));
      const overlaps = mine.filter((e) => e.start < end && periodEnd(e.start, e.bucket) > month);
      const manual = overlaps.find((e) => e.source !== 'report');
      if (manual) return void out.kept.push({ item, month, forecast: manual.id });
      const generated = overlaps.find((e) => e.start === month && e.bucket === 'month');
      if (generated) out.update.push({ id: generated.id, version: generated.version, item, month, qty, model: fit.model });
      else out.create.push({ item, month, qty, model: fit.model });
    });
  }
  return out;
}
