import { sql } from 'kysely';
import { Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import type { RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { openItems } from '../receivables/open-items.service.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';
import { DEPRECIATION, postedFor } from '../fixed-asset/fixed-asset.service.ts';
import { revaluedAlready } from '../currency/revaluation.service.ts';
import { VAT_TRANSFER } from '../tax/vat.service.ts';

export interface ChecklistItem { key: string; label: string; ok: boolean; detail: string }

// The document date fields a draft is dated by, in the order they are looked for.
const DATE_FIELDS = ['posting_date', 'acquisition_date', 'order_date'];

/**
 * 月末结账检查: what must be done before a period closes — no draft documents
 * dated in it, depreciation run (when assets are in use), foreign items
 * revalued (when there are any), VAT transferred (when payable), the trial
 * balance balanced — and, as information, whether the previous period is closed.
 */
export async function closingChecklist(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, period: string): Promise<{ period: string; items: ChecklistItem[]; ready: boolean }> {
  const { first, last, previous } = periodBounds(period);
  const items: ChecklistItem[] = [];
  const drafts: string[] = [];
  for (const o of objects.values()) {
    const dateField = o.isDocument ? DATE_FIELDS.map((f) => o.fields.find((x) => x.apiName === f)).find(Boolean) : undefined;
    if (!dateField?.columnName) continue;
    const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.id(o.tableName)} WHERE company_id = ${companyId} AND status = 'draft'
      AND ${sql.id(dateField.columnName)} BETWEEN ${first}::date AND ${last}::date`.execute(tx);
    if (r.rows[0].n) drafts.push(`${o.apiName} ×${r.rows[0].n}`);
  }
  items.push({ key: 'drafts', label: '本期单据均已过账', ok: !drafts.length, detail: drafts.join(', ') });

  const f = physical(objects, 'fixed_asset');
  const assets = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${f.t} WHERE company_id = ${companyId} AND status = 'submitted' AND ${f.c('acquisition_date')} < ${first}::date`.execute(tx);
  const depreciated = await postedFor(tx, objects, companyId, DEPRECIATION, period);
  items.push({ key: 'depreciation', label: '已计提折旧', ok: depreciated || assets.rows[0].n === 0, detail: `${assets.rows[0].n} assets` });

  const foreign = (await openItems(tx, objects, { companyId, asOf: last, openOnly: true })).filter((i) => i.currency).length;
  items.push({ key: 'revaluation', label: '已做期末汇兑调整', ok: foreign === 0 || (await revaluedAlready(tx, objects, companyId, period)), detail: `${foreign} open foreign items` });

  const a = physical(objects, 'gl_account');
  const vat = await sql<{ bal: string }>`SELECT COALESCE(sum(b.credit - b.debit), 0)::text AS bal FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${companyId} AND b.period <= ${period} AND ${a.a('a', 'code')} LIKE '222101%'`.execute(tx);
  const vatTransferred = await postedFor(tx, objects, companyId, VAT_TRANSFER, period);
  items.push({ key: 'vat', label: '已转出未交增值税', ok: vatTransferred || new Decimal(vat.rows[0].bal).lte(0), detail: `应交增值税 ${new Decimal(vat.rows[0].bal).toFixed(2)}` });

  const tb = await sql<{ d: string; c: string }>`SELECT COALESCE(sum(debit), 0)::text AS d, COALESCE(sum(credit), 0)::text AS c FROM gl_period_balance WHERE company_id = ${companyId} AND period <= ${period}`.execute(tx);
  items.push({ key: 'trial_balance', label: '试算平衡', ok: new Decimal(tb.rows[0].d).eq(tb.rows[0].c), detail: `${tb.rows[0].d} / ${tb.rows[0].c}` });

  const fp = physical(objects, 'fiscal_period');
  const prev = await sql<{ closed: boolean | null; before: number }>`SELECT (SELECT ${fp.c('is_closed')} FROM ${fp.t} WHERE company_id = ${companyId} AND ${fp.c('period')} = ${previous}) AS closed,
    (SELECT count(*)::int FROM gl_period_balance WHERE company_id = ${companyId} AND period <= ${previous}) AS before`.execute(tx);
  items.push({ key: 'previous_closed', label: '上期已结账', ok: prev.rows[0].closed === true || prev.rows[0].before === 0, detail: previous });
  // The previous period is information only: the rest must hold to close.
  return { period, items, ready: items.filter((i) => i.key !== 'previous_closed').every((i) => i.ok) };
}

export async function closingChecklistReport(ctx: RecordsCtx, companyId: string, period: string) {
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), (tx) => closingChecklist(tx, objects, companyId, period));
}
