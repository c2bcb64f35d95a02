import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import type { JournalLine } from '../journal-entry/journal-entry.rules.ts';
import { ACCOUNTS, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { txOf } from '../receivables/receivables.report.ts';
import { depreciationSchedule, lifeMonthIndex, type AssetTerms, type DepreciationMethod } from './depreciation.rules.ts';

export const DEPRECIATION = 'depreciation';
export const DISPOSAL = 'fixed_asset_disposal';
const zero = new Decimal(0);

interface AssetRow { id: string; name: string; acquired: string; cost: string; method: string; life: number; residual: string; expense: string | null; cost_center: string | null; disposed: string | null; status: string }

/** An asset with its category's defaults filled in. */
async function assetsOf(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, ids?: string[]): Promise<AssetRow[]> {
  const f = physical(objects, 'fixed_asset');
  const c = physical(objects, 'asset_category');
  const j = physical(objects, 'journal_entry');
  const r = await sql<AssetRow>`SELECT f.id, ${f.a('f', 'name')} AS name, to_char(${f.a('f', 'acquisition_date')}, 'YYYY-MM-DD') AS acquired, ${f.a('f', 'cost')}::text AS cost,
      COALESCE(${f.a('f', 'method')}, ${c.a('c', 'method')}) AS method, COALESCE(${f.a('f', 'life_months')}, ${c.a('c', 'life_months')})::int AS life,
      COALESCE(${f.a('f', 'residual_rate')}, ${c.a('c', 'residual_rate')}, 0)::text AS residual, ${c.a('c', 'expense_account')} AS expense,
      ${f.a('f', 'cost_center')} AS cost_center, to_char(${j.a('j', 'posting_date')}, 'YYYY-MM-DD') AS disposed, f.status
    FROM ${f.t} f JOIN ${c.t} c ON c.tenant_id = f.tenant_id AND c.id = ${f.a('f', 'category')}
      LEFT JOIN ${j.t} j ON j.tenant_id = f.tenant_id AND ${j.a('j', 'source_type')} = ${DISPOSAL} AND ${j.a('j', 'source_id')} = f.id::text
    WHERE f.company_id = ${companyId} ${ids ? sql`AND f.id = ANY(${ids})` : sql`AND f.status = 'submitted'`}
    ORDER BY ${f.a('f', 'acquisition_date')}, f.id`.execute(tx);
  return r.rows;
}

export const termsOf = (a: AssetRow): AssetTerms => ({ cost: new Decimal(a.cost), residualRate: new Decimal(a.residual), lifeMonths: a.life, method: a.method as DepreciationMethod });

/** Checks at submit: the asset's terms give a schedule (whole years for the accelerated methods). */
export async function checkAssetTerms(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, id: string): Promise<void> {
  const [a] = await assetsOf(tx, objects, companyId, [id]);
  if (!a) throw new AppError('FIELD_INVALID', 'category: not found', { field: 'category' });
  depreciationSchedule(termsOf(a));
}

/**
 * 月度折旧: for every asset in use, this month's amount of its schedule —
 * Dr its category's expense account (default 5602 管理费用, with the asset's cost
 * center) / Cr 1602 累计折旧 against the asset — in one voucher dated the
 * period's last day. Once per company and period; an asset disposed of stops
 * depreciating from the month of disposal.
 */
export async function runDepreciationInTx(tx: Tx, ctx: RecordsCtx, companyId: string, period: string): Promise<{ voucher: string | null; assets: number; total: string }> {
  const { last } = periodBounds(period);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`depreciation:${companyId}:${period}`}))`.execute(tx);
  if (await postedFor(tx, objects, companyId, DEPRECIATION, period)) throw new AppError('CONFLICT', `depreciation for ${period} has already been run`, { field: 'period' });
  const ids = await accountIdsOrThrow(tx, objects, companyId, [ACCOUNTS.depreciation, ACCOUNTS.adminExpense]);
  const lines: JournalLine[] = [];
  let total = zero;
  for (const a of await assetsOf(tx, objects, companyId)) {
    if (a.disposed && a.disposed.slice(0, 7) <= period) continue;
    const i = lifeMonthIndex(a.acquired, period, a.life);
    if (i < 0) continue;
    const amount = depreciationSchedule(termsOf(a))[i];
    if (amount.isZero()) continue;
    total = total.plus(amount);
    lines.push({ account: a.expense ?? ids[ACCOUNTS.adminExpense], debit: amount, credit: zero, description: `折旧 ${a.name}`, costCenter: a.cost_center ?? undefined });
    lines.push({ account: ids[ACCOUNTS.depreciation], debit: zero, credit: amount, description: `累计折旧 ${a.name}`, against: { type: 'fixed_asset', id: a.id } });
  }
  if (!lines.length) return { voucher: null, assets: 0, total: '0.00' };
  const voucher = await createPostedVoucher(tx, ctx, { voucherType: '转', postingDate: last, description: `计提折旧 ${period}`, sourceType: DEPRECIATION, sourceId: period, lines });
  return { voucher, assets: lines.length / 2, total: total.toFixed(2) };
}

export async function runDepreciation(ctx: RecordsCtx, companyId: string, period: string) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('journal_entry')!, 'create'); // depreciation posts vouchers
  return inTenantTx(ctx.db.app, txOf(ctx), (tx) => runDepreciationInTx(tx, ctx, companyId, period));
}

export async function postedFor(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, sourceType: string, sourceId: string): Promise<boolean> {
  const j = physical(objects, 'journal_entry');
  const r = await sql`SELECT 1 FROM ${j.t} WHERE company_id = ${companyId} AND ${j.c('source_type')} = ${sourceType} AND ${j.c('source_id')} = ${sourceId} LIMIT 1`.execute(tx);
  return r.rows.length > 0;
}

/** Cost and accumulated depreciation of an asset, from its lines on 1601 and 1602. */
export async function bookValueOf(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, assetId: string): Promise<{ cost: Decimal; accumulated: Decimal }> {
  const g = physical(objects, 'gl_entry');
  const a = physical(objects, 'gl_account');
  const r = await sql<{ code: string; bal: string }>`SELECT ${a.a('a', 'code')} AS code, sum(${g.a('g', 'debit')} - ${g.a('g', 'credit')})::text AS bal
    FROM ${g.t} g JOIN ${a.t} a ON a.tenant_id = g.tenant_id AND a.id = ${g.a('g', 'account')}
    WHERE g.company_id = ${companyId} AND ${g.a('g', 'against_type')} = 'fixed_asset' AND ${g.a('g', 'against_id')} = ${assetId} GROUP BY 1`.execute(tx);
  const bal = (code: string) => new Decimal(r.rows.find((x) => x.code === code)?.bal ?? 0);
  return { cost: bal(ACCOUNTS.fixedAssets), accumulated: bal(ACCOUNTS.depreciation).neg() };
}

/**
 * 固定资产处置: takes the asset off the books — Dr 1602 its accumulated
 * depreciation, Dr the account the proceeds went to, Cr 1601 its cost — and
 * the difference to 营业外收入 (gain) or 营业外支出 (loss), 小企业会计准则 第三十七条.
 */
export async function disposeAsset(ctx: RecordsCtx, assetId: string, input: { date?: string; proceeds?: string | number; account?: string }) {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const fa = objects.get('fixed_asset')!;
  requireRight(ctx, fa, 'cancel'); // disposing of an asset
  if (!/^[0-9a-f-]{36}$/i.test(assetId)) throw new AppError('RECORD_NOT_FOUND', 'No such fixed asset.');
  if (!input.date || !/^\d{4}-\d{2}-\d{2}$/.test(input.date)) throw new AppError('FIELD_INVALID', 'date: YYYY-MM-DD', { field: 'date' });
  const proceeds = new Decimal(input.proceeds ?? 0);
  if (proceeds.lt(0)) throw new AppError('FIELD_INVALID', 'proceeds: not negative', { field: 'proceeds' });
  if (proceeds.gt(0) && !input.account) throw new AppError('FIELD_REQUIRED', 'account: where the proceeds went', { field: 'account' });
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    const f = physical(objects, 'fixed_asset');
    const row = (await sql<{ company_id: string; status: string; name: string }>`SELECT company_id, status, ${f.c('name')} AS name FROM ${f.t} WHERE id = ${assetId} FOR UPDATE`.execute(tx)).rows[0];
    if (!row || row.company_id !== ctx.guard.actor.companyId) throw new AppError('RECORD_NOT_FOUND', 'No such fixed asset.');
    if (row.status !== 'submitted' || (await postedFor(tx, objects, row.company_id, DISPOSAL, assetId))) throw new AppError('CONFLICT', 'Only an asset in use can be disposed of.');
    const ids = await accountIdsOrThrow(tx, objects, row.company_id, [ACCOUNTS.fixedAssets, ACCOUNTS.depreciation, ACCOUNTS.nonOperatingIncome, ACCOUNTS.nonOperatingExpense]);
    const { cost, accumulated } = await bookValueOf(tx, objects, row.company_id, assetId);
    const gain = proceeds.minus(cost.minus(accumulated));
    const against = { type: 'fixed_asset', id: assetId };
    const lines: JournalLine[] = [
      ...(accumulated.isZero() ? [] : [{ account: ids[ACCOUNTS.depreciation], debit: accumulated, credit: zero, description: '转销累计折旧', against }]),
      ...(proceeds.isZero() ? [] : [{ account: input.account!, debit: proceeds, credit: zero, description: '处置收入' }]),
      { account: ids[ACCOUNTS.fixedAssets], debit: zero, credit: cost, description: '转销原值', against },
      ...(gain.gt(0) ? [{ account: ids[ACCOUNTS.nonOperatingIncome], debit: zero, credit: gain, description: '处置净收益' }] : []),
      ...(gain.lt(0) ? [{ account: ids[ACCOUNTS.nonOperatingExpense], debit: gain.neg(), credit: zero, description: '处置净损失' }] : []),
    ];
    const voucher = await createPostedVoucher(tx, ctx, { voucherType: '转', postingDate: input.date!, description: `固定资产处置 ${row.name}`, sourceType: DISPOSAL, sourceId: assetId, lines });
    return { voucher, cost: cost.toFixed(2), accumulated: accumulated.toFixed(2), proceeds: proceeds.toFixed(2), gain: gain.toFixed(2) };
  });
}
