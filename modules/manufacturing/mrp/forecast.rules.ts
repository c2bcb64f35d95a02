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
