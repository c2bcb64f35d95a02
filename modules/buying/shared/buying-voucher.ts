import { sql, type Tx } from '@mosaic/db';
import { AppError, Decimal, todayIn } from '@mosaic/kernel';
import { createPostedVoucher, type JournalLine } from '@mosaic/finance';
import type { RecordsCtx } from '@mosaic/records';
import { objectsOf, tableOf } from './buying-sql.ts';

/**
 * The accounts procure-to-pay posts to (小企业会计准则):
 *   1405     库存商品       stock, at the net (VAT-exclusive) purchase cost
 *   220202   暂估应付账款   GR/IR clearing: goods received, not yet invoiced — a
 *                           sub-account of 2202 this module adds to each company
 *   2202     应付账款       the payable, per supplier (party) and invoice (against)
 *   22210101 进项税额       deductible input VAT
 *   5401     主营业务成本   invoice-vs-receipt price differences (see purchase-invoice.hooks.ts)
 *   5602     管理费用       services and non-stock items, expensed when invoiced
 */
export const BUYING_ACCOUNTS = { inventory: '1405', clearing: '220202', payable: '2202', inputVat: '22210101', priceDifference: '5401', nonStockExpense: '5602' } as const;
export const CLEARING_ACCOUNT = { code: '220202', name: '暂估应付账款', parent: '2202' } as const;

export interface BuyingLine {
  code: string;
  /** Signed amount: positive on its side, negative moves it to the other side. */
  debit?: Decimal;
  credit?: Decimal;
  description: string;
  party?: JournalLine['party'];
  against?: JournalLine['against'];
}

/**
 * Posts a document's voucher in its transaction, dated the document's posting
 * date. Zero lines are dropped; a negative amount (a price difference in the
 * supplier's favour) moves to the other side. Cancels use reverseBuyingVoucher.
 */
export async function postBuyingVoucher(tx: Tx, ctx: RecordsCtx, v: {
  voucherType: '记' | '转'; sourceType: string; sourceId: string; postingDate: string; description: string; lines: BuyingLine[];
}): Promise<void> {
  const zero = new Decimal(0);
  const normal = v.lines
    .map((l) => {
      const amount = (l.debit ?? zero).minus(l.credit ?? zero).toDecimalPlaces(2, Decimal.ROUND_HALF_UP); // > 0: debit
      return { ...l, amount };
    })
    .filter((l) => !l.amount.isZero());
  if (!normal.length) return;
  const ids = await accountIds(tx, ctx, [...new Set(normal.map((l) => l.code))]);
  const lines: JournalLine[] = normal.map((l) => {
    const side = l.amount.abs();
    return { account: ids.get(l.code)!, debit: l.amount.gt(0) ? side : zero, credit: l.amount.gt(0) ? zero : side, description: l.description, party: l.party, against: l.against };
  });
  await createPostedVoucher(tx, ctx, { voucherType: v.voucherType, postingDate: v.postingDate, description: v.description, sourceType: v.sourceType, sourceId: v.sourceId, lines });
}

/**
 * Account code → id for the caller's company. The GR/IR clearing account is
 * added under 2202 the first time a company needs it (installed companies get
 * it at install; companies created later get it here).
 */
async function accountIds(tx: Tx, ctx: RecordsCtx, codes: string[]): Promise<Map<string, string>> {
  const company = ctx.guard.actor.companyId;
  if (!company) throw new AppError('CONFLICT', 'The user belongs to no company; postings need one.');
  const objects = await objectsOf(ctx);
  const a = tableOf(objects, 'gl_account');
  const find = async () => new Map((await sql<{ id: string; code: string }>`SELECT id, ${sql.ref(a.col('code'))} AS code FROM ${sql.id(a.name)}
    WHERE company_id = ${company} AND ${sql.ref(a.col('code'))} = ANY(${codes})`.execute(tx)).rows.map((r) => [r.code, r.id]));
  let found = await find();
  if (codes.includes(CLEARING_ACCOUNT.code) && !found.has(CLEARING_ACCOUNT.code)) {
    await ensureClearingAccount(tx, objects, ctx.guard.actor.tenantId, company);
    found = await find();
  }
  for (const c of codes) if (!found.has(c)) throw new AppError('CONFLICT', `The company has no account ${c}; add it to the chart of accounts.`);
  return found;
}

/** Adds 220202 暂估应付账款 under the company's 2202 if it is missing. Idempotent. */
export async function ensureClearingAccount(tx: Tx, objects: Parameters<typeof tableOf>[0], tenantId: string, companyId: string): Promise<void> {
  const a = tableOf(objects, 'gl_account');
  const code = sql.ref(a.col('code'));
  await sql`INSERT INTO ${sql.id(a.name)} (tenant_id, id, company_id, ${sql.id(a.col('code'))}, ${sql.id(a.col('name'))}, ${sql.id(a.col('account_type'))},
      ${sql.id(a.col('balance_side'))}, ${sql.id(a.col('parent'))}, ${sql.id(a.col('is_group'))})
    SELECT ${tenantId}, gen_random_uuid(), ${companyId}, ${CLEARING_ACCOUNT.code}, ${CLEARING_ACCOUNT.name}, 'liability', 'credit', p.id, false
    FROM ${sql.id(a.name)} p WHERE p.company_id = ${companyId} AND p.${code} = ${CLEARING_ACCOUNT.parent}
      AND NOT EXISTS (SELECT 1 FROM ${sql.id(a.name)} x WHERE x.company_id = ${companyId} AND x.${code} = ${CLEARING_ACCOUNT.code})`.execute(tx);
}

/**
 * Cancelling a document posts the red-ink reversal of exactly the voucher its
 * submit posted (same accounts, sides, parties; amounts negated; dated today) —
 * not a recomputation, so later receipts at other rates cannot skew it.
 */
export async function reverseBuyingVoucher(tx: Tx, ctx: RecordsCtx, sourceType: string, sourceId: string, description: string): Promise<void> {
  const objects = await objectsOf(ctx);
  const je = tableOf(objects, 'journal_entry');
  const gl = tableOf(objects, 'gl_entry');
  const first = (await sql<{ id: string; type: '记' | '转' }>`SELECT id, ${sql.ref(je.col('voucher_type'))} AS type FROM ${sql.id(je.name)} WHERE ${sql.ref(je.col('source_type'))} = ${sourceType}
    AND ${sql.ref(je.col('source_id'))} = ${sourceId} ORDER BY created_at, id LIMIT 1`.execute(tx)).rows[0];
  if (!first) return; // nothing was posted (no stock value, no amount)
  const rows = (await sql<Record<string, string | null>>`SELECT ${sql.ref(gl.col('account'))} AS account, ${sql.ref(gl.col('debit'))}::text AS debit,
      ${sql.ref(gl.col('credit'))}::text AS credit, ${sql.ref(gl.col('description'))} AS description, ${sql.ref(gl.col('party_type'))} AS party_type,
      ${sql.ref(gl.col('party'))} AS party, ${sql.ref(gl.col('against_type'))} AS against_type, ${sql.ref(gl.col('against_id'))} AS against_id
    FROM ${sql.id(gl.name)} WHERE ${sql.ref(gl.col('journal_entry'))} = ${first.id} ORDER BY id`.execute(tx)).rows;
  const zero = new Decimal(0);
  const lines: JournalLine[] = rows.map((r) => ({
    account: r.account!, debit: new Decimal(r.debit ?? 0).neg().plus(zero), credit: new Decimal(r.credit ?? 0).neg().plus(zero),
    description: `红字冲销 ${r.description ?? ''}`.trim(),
    party: r.party_type && r.party ? { type: r.party_type as 'supplier', id: r.party } : undefined,
    against: r.against_type && r.against_id ? { type: r.against_type, id: r.against_id } : undefined,
  }));
  await createPostedVoucher(tx, ctx, { voucherType: first.type, postingDate: todayIn(ctx.guard.actor.timeZone), description: `红字冲销 ${description}`, sourceType, sourceId, lines });
}
