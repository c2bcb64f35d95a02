import { sql, type RawBuilder } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { exchangeRatesFound } from '@mosaic/finance';
import { companyCurrency } from '@mosaic/identity';
import type { ObjectMeta } from '@mosaic/meta';
import { getRecord, lockRow, type RecordsCtx } from '@mosaic/records';
import { columns, systemCtx, txOf } from '../shared/system-ctx.ts';
import { setSystemFields } from '../shared/system-write.ts';
import { tierOf, type TierSettings } from './tier.rules.ts';

export interface TierChange {
  customer: string;
  revenue: string;
  from: string | null;
  to: 'A' | 'B' | 'C';
}

/**
 * 客户等级自动计算: for customers whose tier_mode is `auto`, the tier from
 * the invoiced revenue (Σ net_total of submitted sales invoices, less credit
 * notes and sales returns — revenueSources) with a
 * posting date in the last `tier_months` months up to `now`'s day in the
 * tenant's zone — (today − N months, today]. Customers set by hand
 * (`manual`) are never touched. A changed tier is a normal change (version,
 * event, audit). Run by the scheduled rule (crm_tier_recompute) for all
 * customers, and for one by the API.
 */
export async function recomputeTiers(ctx: RecordsCtx, now: Date, customerId?: string): Promise<{ checked: number; changed: TierChange[]; revenue?: string }> {
  const cust = await columns(ctx, 'customer');
  const st = await columns(ctx, 'crm_settings');
  const customer = (await ctx.store.object(ctx.guard.actor.tenantId, 'customer'))!;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const sources = await revenueSources(ctx);
  return txOf(ctx, async (tx) => {
    const s = await settingsOf(tx, st);
    const window = sql`today AS (SELECT (${now}::timestamptz AT TIME ZONE (SELECT time_zone FROM tenant))::date AS d),
      window_ AS (SELECT (today.d - make_interval(months => ${s.months}))::date AS after, today.d AS upto FROM today)`;
    const revenue = await inCompanyCurrency(tx, objects, sources, window);
    const rows = (await sql<{ id: string; tier: string | null; revenue: string }>`
      WITH ${window}
      SELECT c.id, c.${sql.ref(cust.c('tier'))} AS tier, COALESCE(r.revenue, 0)::text AS revenue
      FROM ${sql.id(cust.table)} c
      LEFT JOIN (
        SELECT m.customer, sum(m.amount) AS revenue
        FROM (${sql.join(revenue.map((x) => sql`SELECT ${x.customer} AS customer, ${x.sign}::numeric * ${x.amount} AS amount
          FROM ${sql.id(x.table)} x, window_ w WHERE x.status = 'submitted' AND ${x.date} > w.after AND ${x.date} <= w.upto`), sql` UNION ALL `)}) m
        GROUP BY 1
      ) r ON r.customer = c.id
      WHERE c.${sql.ref(cust.c('tier_mode'))} = 'auto' AND (${customerId ?? null}::uuid IS NULL OR c.id = ${customerId ?? null}::uuid)
      ORDER BY c.id`.execute(tx)).rows;
    const changed: TierChange[] = [];
    for (const r of rows) {
      const to = tierOf(new Decimal(r.revenue), s);
      if (to === r.tier) continue;
      await setSystemFields(tx, ctx.guard.actor, customer, r.id, { tier: to });
      changed.push({ customer: r.id, revenue: new Decimal(r.revenue).toFixed(2), from: r.tier, to });
    }
    return { checked: rows.length, changed, revenue: customerId && rows[0] ? new Decimal(rows[0].revenue).toFixed(2) : undefined };
  });
}

interface RevenueSource {
  table: string;
  customer: RawBuilder<unknown>;
  amount: RawBuilder<unknown>;
  date: RawBuilder<unknown>;
  sign: number;
  /** The document's currency and own exchange rate (none: in the company currency). */
  currency: RawBuilder<unknown> | null;
  rate: RawBuilder<unknown>;
}

/**
 * What counts as a customer's revenue: submitted sales invoices' net total,
 * less submitted credit notes (红字发票, finance: net_amount; their customer
 * is a text id) and submitted sales returns (退货: net_total, the priced part
 * books the credit) over the same window.
 */
async function revenueSources(ctx: RecordsCtx): Promise<RevenueSource[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const out: RevenueSource[] = [];
  for (const [object, customer, amount, sign, cast] of [
    ['sales_invoice', 'customer', 'net_total', 1, false], ['credit_note', 'customer', 'net_amount', -1, true], ['sales_return', 'customer', 'net_total', -1, false],
  ] as const) {
    if (!objects.get(object)) continue;
    const c = await columns(ctx, object);
    const has = (f: string) => objects.get(object)!.fields.some((x) => x.apiName === f && x.columnName);
    const who = sql.ref(`x.${c.c(customer)}`);
    out.push({
      table: c.table, sign,
      // A text customer id that is not a uuid belongs to no customer: NULL, not a cast error.
      customer: cast ? sql`CASE WHEN ${who} ~* '^[0-9a-f-]{36}$' THEN ${who}::uuid END` : sql`${who}`,
      amount: sql`COALESCE(${sql.ref(`x.${c.c(amount)}`)}, 0)`, date: sql.ref(`x.${c.c('posting_date')}`),
      currency: has('currency') ? sql`NULLIF(trim(${sql.ref(`x.${c.c('currency')}`)}), '')` : null,
      rate: has('exchange_rate') ? sql.ref(`x.${c.c('exchange_rate')}`) : sql`NULL::numeric`,
    });
  }
  return out;
}

/**
 * The sources' amounts in their company's currency (identity's companyCurrency
 * for a document without a company): a foreign document at its own exchange
 * rate, else at finance's rate for its posting date (exchangeRatesFound, the
 * rate it was booked at), looked up once per currency and day in the window.
 * A foreign document with no rate at all counts nothing rather than counting
 * yuan for dollars.
 */
async function inCompanyCurrency(tx: Tx, objects: Map<string, ObjectMeta>, sources: RevenueSource[], window: RawBuilder<unknown>): Promise<RevenueSource[]> {
  const fallback = await companyCurrency(tx, null);
  const base = sql`COALESCE((SELECT trim(co.currency) FROM company co WHERE co.id = x.company_id), ${fallback})`;
  const foreign = (x: RevenueSource) => sql`${x.currency} IS NOT NULL AND ${x.currency} <> ${base}`;
  const days = sources.filter((x) => x.currency && objects.get('currency_rate')).map((x) => sql`SELECT DISTINCT ${x.currency} AS ccy, ${x.date}::text AS d
    FROM ${sql.id(x.table)} x, window_ w WHERE x.status = 'submitted' AND ${x.date} > w.after AND ${x.date} <= w.upto AND ${x.rate} IS NULL AND ${foreign(x)}`);
  const wanted = days.length ? (await sql<{ ccy: string; d: string }>`WITH ${window} ${sql.join(days, sql` UNION `)}`.execute(tx)).rows : [];
  // every (currency, day) in one query; no rate: the document counts nothing
  const rates = wanted.length ? await exchangeRatesFound(tx, objects, wanted.map(({ ccy, d }) => ({ currency: ccy, date: d }))) : [];
  const fx = wanted.flatMap(({ ccy, d }, i) => (rates[i] ? [{ ccy, d, rate: rates[i]!.toFixed() }] : []));
  const dayRate = (x: RevenueSource) => sql`(SELECT f.rate FROM unnest(${fx.map((f) => f.ccy)}::text[], ${fx.map((f) => f.d)}::date[], ${fx.map((f) => f.rate)}::numeric[]) AS f(ccy, d, rate)
    WHERE f.ccy = ${x.currency} AND f.d = ${x.date})`;
  return sources.map((x) => (x.currency
    ? { ...x, amount: sql`${x.amount} * (CASE WHEN ${foreign(x)} THEN COALESCE(${x.rate}, ${dayRate(x)}, 0) ELSE 1 END)` }
    : x));
}

async function settingsOf(tx: import('@mosaic/db').Tx, st: Awaited<ReturnType<typeof columns>>): Promise<TierSettings> {
  const row = (await sql<{ a: string; b: string; m: number }>`SELECT ${sql.ref(st.c('tier_a_min'))}::text AS a, ${sql.ref(st.c('tier_b_min'))}::text AS b, ${sql.ref(st.c('tier_months'))} AS m
    FROM ${sql.id(st.table)} ORDER BY created_at, id LIMIT 1`.execute(tx)).rows[0];
  // No settings row (deleted by hand): the shipped defaults.
  return { aMin: new Decimal(row?.a ?? '1000000'), bMin: new Decimal(row?.b ?? '200000'), months: Number(row?.m ?? 12) };
}

/**
 * One customer, on demand (the caller must be able to edit it — a tier is its
 * data): recomputes as the system, then answers the customer's tier and revenue.
 */
export async function recomputeCustomerTier(ctx: RecordsCtx, customerId: string, now: Date): Promise<Record<string, unknown>> {
  // Outside the caller's edit scope the customer looks missing (404), as an edit would.
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  await txOf(ctx, (tx) => lockRow(ctx, tx, objects, objects.get('customer')!, customerId, 'edit'));
  const sys = await systemCtx(ctx.db, ctx.store, ctx.guard.actor.tenantId);
  const r = await recomputeTiers(sys, now, customerId);
  const after = await getRecord(ctx, 'customer', customerId);
  return { customer: customerId, tierMode: after.tier_mode, tier: after.tier, changed: r.changed.length > 0, revenue: r.revenue ?? null };
}
