import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import { inTenantTx, type Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { requireRight, type RecordsCtx } from '@mosaic/records';
import { physical } from '../gl/physical.ts';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import type { JournalLine, PartyType } from '../journal-entry/journal-entry.rules.ts';
import { openItems } from '../receivables/open-items.service.ts';
import { ACCOUNTS, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { txOf } from '../receivables/receivables.report.ts';
import { exchangeRateOrThrow } from './exchange-rate.service.ts';
import { periodBounds } from '../gl/period.ts';

/** A foreign balance to revalue: an open item, or a bank account's balance in a currency. */
interface ForeignBalance {
  account: string;
  currency: string;
  /** debit − credit, company currency and original currency */
  balance: Decimal;
  fcBalance: Decimal;
  party?: { type: PartyType; id: string };
  against?: { type: string; id: string };
}

export const REVALUATION = 'revaluation';

/**
 * 期末汇兑损益调整: every open foreign item and foreign bank balance is restated
 * at the period-end rate; the difference goes to 财务费用—汇兑损益. The voucher
 * is dated the period's last day and reversed (red ink) on the next period's
 * first day, so settlement later realises the difference from the original rate.
 * Once per company and period.
 */
export async function revaluePeriod(ctx: RecordsCtx, companyId: string, period: string): Promise<{ voucher: string | null; reversal: string | null; lines: number }> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  requireRight(ctx, objects.get('journal_entry')!, 'create'); // it posts vouchers
  const { last, nextFirst } = periodBounds(period);
  return inTenantTx(ctx.db.app, txOf(ctx), async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`revaluation:${companyId}:${period}`}))`.execute(tx);
    if (await revaluedAlready(tx, objects, companyId, period)) throw new AppError('CONFLICT', `period ${period} has already been revalued`, { field: 'period' });
    const ids = await accountIdsOrThrow(tx, objects, companyId, [ACCOUNTS.financeExpense]);
    const lines: JournalLine[] = [];
    let total = new Decimal(0);
    for (const b of await foreignBalances(tx, objects, companyId, last)) {
      const rate = await exchangeRateOrThrow(tx, objects, b.currency, last);
      const diff = b.fcBalance.times(rate).toDecimalPlaces(2).minus(b.balance);
      if (diff.isZero()) continue;
      total = total.plus(diff);
      const zero = new Decimal(0);
      lines.push({ account: b.account, debit: diff.gt(0) ? diff : zero, credit: diff.lt(0) ? diff.neg() : zero, description: `期末汇兑调整 ${b.currency} @${rate.toString()}`,
        party: b.party, against: b.against, foreign: { currency: b.currency, debit: zero, credit: zero } });
    }
    if (!lines.length) return { voucher: null, reversal: null, lines: 0 };
    const zero = new Decimal(0);
    lines.push({ account: ids[ACCOUNTS.financeExpense], debit: total.lt(0) ? total.neg() : zero, credit: total.gt(0) ? total : zero, description: '汇兑损益' });
    const source = { sourceType: REVALUATION, sourceId: period };
    const voucher = await createPostedVoucher(tx, ctx, { voucherType: '转', postingDate: last, description: `期末汇兑损益调整 ${period}`, ...source, lines });
    const reversal = await createPostedVoucher(tx, ctx, {
      voucherType: '转', postingDate: nextFirst, description: `红字冲销 期末汇兑损益调整 ${period}`, ...source,
      lines: lines.map((l) => ({ ...l, debit: l.debit.neg(), credit: l.credit.neg(), description: `红字冲销 ${l.description ?? ''}` })),
    });
    return { voucher, reversal, lines: lines.length };
  });
}

export async function revaluedAlready(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, period: string): Promise<boolean> {
  const j = physical(objects, 'journal_entry');
  const r = await sql`SELECT 1 FROM ${j.t} WHERE company_id = ${companyId} AND ${j.c('source_type')} = ${REVALUATION} AND ${j.c('source_id')} = ${period} LIMIT 1`.execute(tx);
  return r.rows.length > 0;
}

async function foreignBalances(tx: Tx, objects: Map<string, ObjectMeta>, companyId: string, asOf: string): Promise<ForeignBalance[]> {
  const items = (await openItems(tx, objects, { companyId, asOf, openOnly: true })).filter((i) => i.currency);
  const out: ForeignBalance[] = items.map((i) => {
    const sign = i.balanceSide === 'debit' ? 1 : -1;
    return { account: i.account, currency: i.currency!, balance: new Decimal(i.outstanding).times(sign), fcBalance: new Decimal(i.fcOutstanding).times(sign),
      party: { type: i.partyType as PartyType, id: i.party }, against: { type: i.againstType, id: i.againstId } };
  });
  const g = physical(objects, 'gl_entry');
  const bank = await sql<{ account: string; currency: string; bal: string; fc: string }>`
    SELECT ${g.c('account')} AS account, ${g.c('currency')} AS currency, sum(${g.c('debit')} - ${g.c('credit')})::text AS bal,
      sum(COALESCE(${g.c('fc_debit')}, 0) - COALESCE(${g.c('fc_credit')}, 0))::text AS fc
    FROM ${g.t} WHERE company_id = ${companyId} AND ${g.c('party')} IS NULL AND ${g.c('currency')} IS NOT NULL AND ${g.c('posting_date')} <= ${asOf}::date
    GROUP BY 1, 2 HAVING sum(COALESCE(${g.c('fc_debit')}, 0) - COALESCE(${g.c('fc_credit')}, 0)) <> 0`.execute(tx);
  for (const b of bank.rows) out.push({ account: b.account, currency: b.currency, balance: new Decimal(b.bal), fcBalance: new Decimal(b.fc) });
  return out;
}
