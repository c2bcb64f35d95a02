import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, addMonths, dateOrThrow, parseOrThrow } from '@mosaic/kernel';
import { forecastSeries } from '@mosaic/reporting';
import { createRecords, updateRecords, type RecordsCtx } from '@mosaic/records';
import { mfgTx, todayFor } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { FORECAST_GENERATION_FLAG } from '../mfg-tables.install.ts';
import { orderedByDue } from './mrp.inputs.ts';
import { monthlyForecastRows, type ExistingForecast, type MonthlySales } from './forecast.rules.ts';

export const ZGenerateForecast = z.object({
  items: z.array(z.string().uuid()).min(1).max(500),
  months: z.coerce.number().int().min(1).max(24),
  /** The first month forecast (any day of it); default the current month. History is the months before it. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
}).strict();

/** How far back sales are read: three years, enough for the seasonal model (two seasons of 12 months). */
const HISTORY_MONTHS = 36;

/**
 * POST /api/v1/manufacturing/forecasts/generate { items, months, from? } —
 * demand_forecast rows from the report engine's forecast (packages/reporting:
 * forecastSeries, the Holt-Winters model behind GET /reports/:id/forecast) over
 * each item's past sales per month: ordered quantities of submitted sales
 * orders by due date (delivery date, else order date) — the same dates MRP's
 * forecast consumption counts orders by (forecast.rules.ts), so history and
 * consumption agree. Months without sales count 0, from the item's first month
 * with sales in the last three years up to the month before `from`.
 *
 * Rows are monthly, warehouse empty, source 'report'. A month already holding a
 * hand-entered or edited forecast of the item (source manual — any write but
 * this one's makes a row manual, see installForecastOwnership —, any bucket
 * overlapping the month) is left alone: planners' figures win. A report row of an earlier
 * generation is updated in place, so generating again never doubles a month.
 *
 * Why not a saved report per item: report paths cannot reach an order line's
 * parent (its date), and one report run per item would be a query per item;
 * the history is one grouped query, the model is the report engine's own.
 */
export async function generateForecasts(ctx: RecordsCtx, body: unknown) {
  const q = parseOrThrow(ZGenerateForecast, body);
  const from = `${(q.from ? dateOrThrow(q.from, 'from') : todayFor(ctx)).slice(0, 7)}-01`;
  const items = [...new Set(q.items)];
  return mfgTx(ctx, [['sales_order', 'read'], ['item', 'read'], ['demand_forecast', 'create'], ['demand_forecast', 'edit']], async (tx, objects) => {
    const I = tableOf(objects, 'item');
    const known = new Set((await sql<{ id: string }>`SELECT id FROM ${I.t} WHERE id = ANY(${items}::uuid[])`.execute(tx)).rows.map((r) => r.id));
    const missing = items.find((i) => !known.has(i));
    if (missing) throw new AppError('FIELD_INVALID', `items: no item ${missing}`, { field: 'items' });

    const sales: MonthlySales[] = (await orderedByDue(tx, objects, { items, per: 'month', from: addMonths(from, -HISTORY_MONTHS), before: from }))
      .map((o) => ({ item: o.item, month: o.date, qty: o.qty }));

    const F = tableOf(objects, 'demand_forecast');
    // Two runs for one item at once would both find its months empty and both add them
    // (MRP would then plan the month twice): one run per item at a time, locked in id order.
    await sql`SELECT pg_advisory_xact_lock(hashtext('demand_forecast:generate'), hashtext(i)) FROM unnest(${[...items].sort()}::text[]) AS i`.execute(tx);
    const existing = (await sql<ExistingForecast>`SELECT id, version, ${F.c('item')} AS item, ${F.c('period_start')}::text AS start,
        coalesce(${F.c('bucket')}, 'month') AS bucket, coalesce(${F.c('source')}, 'manual') AS source
      FROM ${F.t} WHERE ${F.c('item')} = ANY(${items}::uuid[]) AND ${F.c('period_start')} < ${addMonths(from, q.months)}::date
        AND ${F.c('period_start')} > ${addMonths(from, -3)}::date`.execute(tx)).rows;

    const plan = monthlyForecastRows({ items, from, months: q.months, sales, existing, forecast: forecastSeries });
    // Written under the generator's flag, so the rows stay 'report' (installForecastOwnership: any other write makes a row manual).
    await sql`SELECT set_config(${FORECAST_GENERATION_FLAG}, 'on', true)`.execute(tx);
    const created = plan.create.length
      ? await createRecords(ctx, 'demand_forecast', plan.create.map((r) => ({ item: r.item, period_start: r.month, bucket: 'month', qty: r.qty, source: 'report' })), { tx })
      : [];
    if (plan.update.length) await updateRecords(ctx, 'demand_forecast', plan.update.map((r) => ({ id: r.id, version: r.version, values: { qty: r.qty } })), { tx });
    await sql`SELECT set_config(${FORECAST_GENERATION_FLAG}, 'off', true)`.execute(tx);
    return {
      from, months: q.months,
      written: [...plan.create.map((r, i) => ({ ...r, id: created[i].id, updated: false })), ...plan.update.map(({ version: _v, ...r }) => ({ ...r, updated: true }))]
        .sort((a, b) => a.item.localeCompare(b.item) || a.month.localeCompare(b.month)),
      kept: plan.kept,
      skipped: plan.skipped,
    };
  });
}
