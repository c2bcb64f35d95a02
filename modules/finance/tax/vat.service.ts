import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { periodBounds } from '../gl/period.ts';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import { ACCOUNTS, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { ledgerReadOrThrow, txOf } from '../receivables/receivables.report.ts';

export const VAT_TRANSFER = 'vat_transfer';
const VAT_PAYABLE = '222101'; // 应交增值税, with its sub-accounts
const TRANSFER_OUT = '22210103'; // 转出未交增值税

export interface VatSummary {
  period: string;
  /** 销项税额 of the period (credit − debit on 22210102). */
  output: string;
  /** 进项税额 of the period (debit − credit on 22210101). */
  input: string;
  /** 上期留抵: input carried from earlier periods (what 应交增值税 had on the debit side). */
  carriedCredit: string;
  /** 本期应纳税额: output − input − carried credit, when positive; else 0 and the rest is carried on. */
  payable: string;
  transferred: boolean;
}

/** VAT for a period, from the period balances of 应交增值税 and its sub-accounts. */
export async function vatSummary(ctx: RecordsCtx, companyId: string, period: string): Promise<VatSummary> {
  periodBounds(period);
  const objects = await ledgerReadOrThrow(ctx);
  return inTenantTx(ctx.db.app, txOf(ctx), (tx) => vatOf(tx, objects, companyId, period));
}

async function vatOf(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, period: string): Promise<VatSummary> {
  const a = physical(objects, 'gl_account');
  const code = a.a('a', 'code');
  const r = await sql<Record<string, string>>`SELECT
      COALESCE(sum(b.credit - b.debit) FILTER (WHERE b.period = ${period} AND ${code} = ${ACCOUNTS.outputVat}), 0)::text AS output,
      COALESCE(sum(b.debit - b.credit) FILTER (WHERE b.period = ${period} AND ${code} = ${ACCOUNTS.inputVat}), 0)::text AS input,
      COALESCE(sum(b.credit - b.debit) FILTER (WHERE b.period < ${period}), 0)::text AS before,
      COALESCE(sum(b.credit - b.debit) FILTER (WHERE b.period = ${period} AND ${code} = ${TRANSFER_OUT}), 0)::text AS transferred
    FROM gl_period_balance b JOIN ${a.t} a ON a.tenant_id = b.tenant_id AND a.id = b.account_id
    WHERE b.company_id = ${companyId} AND ${code} LIKE ${`${VAT_PAYABLE}%`} AND b.period <= ${period}`.execute(tx);
  const { output, input, before, transferred } = r.rows[0];
  const carried = Decimal.max(new Decimal(before).neg(), 0); // a debit balance brought forward is 留抵
  const net = new Decimal(output).minus(input).minus(carried);
  const j = physical(objects, 'journal_entry');
  const done = await sql`SELECT 1 FROM ${j.t} WHERE company_id = ${companyId} AND ${j.c('source_type')} = ${VAT_TRANSFER} AND ${j.c('source_id')} = ${period} LIMIT 1`.execute(tx);
  return {
    period, output: new Decimal(output).toFixed(2), input: new Decimal(input).toFixed(2), carriedCredit: carried.toFixed(2),
    payable: (done.rows.length ? new Decimal(transferred).neg() : Decimal.max(net, 0)).toFixed(2), transferred: done.rows.length > 0,
  };
}

/**
 * 月末转出未交增值税: Dr 22210103 转出未交增值税 / Cr 222102 未交增值税 for what
 * the period owes, dated its last day; nothing when input exceeds output
 * (the rest stays on 应交增值税 as 留抵). Once per company and period.
 */
export async function transferVat(ctx: RecordsCtx, companyId: string, period: string): Promise<{ voucher: string | null; summary: VatSummary }> {
  const { last } = periodBounds(period);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('journal_entry')!, 'create'); // the transfer posts a voucher
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`vat:${companyId}:${period}`}))`.execute(tx);
    const summary = await vatOf(tx, objects, companyId, period);
    if (summary.transferred) throw new AppError('CONFLICT', `VAT of ${period} has already been transferred`, { field: 'period' });
    const amount = new Decimal(summary.payable);
    if (amount.isZero()) return { voucher: null, summary };
    const ids = await accountIdsOrThrow(tx, objects, companyId, [TRANSFER_OUT, ACCOUNTS.unpaidVat]);
    const zero = new Decimal(0);
    const voucher = await createPostedVoucher(tx, ctx, {
      voucherType: '转', postingDate: last, description: `转出未交增值税 ${period}`, sourceType: VAT_TRANSFER, sourceId: period,
      lines: [
        { account: ids[TRANSFER_OUT], debit: amount, credit: zero, description: '转出未交增值税' },
        { account: ids[ACCOUNTS.unpaidVat], debit: zero, credit: amount, description: '未交增值税' },
      ],
    });
    return { voucher, summary: { ...summary, transferred: true } };
  });
}
