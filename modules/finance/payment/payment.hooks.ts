import { sql } from 'kysely';
import { Decimal, todayIn } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { registerDocumentHooks, type DocumentHookArgs } from '@mosaic/process';
import { createPostedVoucher } from '../journal-entry/posted-voucher.service.ts';
import { reverseVouchersOf } from '../journal-entry/reverse-voucher.service.ts';
import type { PartyType } from '../journal-entry/journal-entry.rules.ts';
import { ACCOUNTS, PARTY_ACCOUNT, accountIdsOrThrow } from '../receivables/party-accounts.ts';
import { openItems } from '../receivables/open-items.service.ts';
import { exchangeRateOrThrow } from '../currency/exchange-rate.service.ts';
import { paymentVoucherLines, type PaymentToPost } from './payment.rules.ts';

/**
 * Submitting a payment posts its 收款/付款 voucher, allocating it to open items;
 * cancelling posts the red-ink reversal, which re-opens them.
 */
export function registerPaymentHooks(): void {
  registerDocumentHooks('payment', {
    async onSubmit(args) {
      const p = await paymentToPost(args);
      await createPostedVoucher(args.tx, args.ctx, {
        voucherType: p.direction === 'receive' ? '收' : '付', postingDate: args.record.posting_date as string,
        description: `${p.direction === 'receive' ? '收款' : '付款'} ${String(args.record.number)}${args.record.remarks ? ` ${String(args.record.remarks)}` : ''}`,
        sourceType: 'payment', sourceId: p.id, lines: paymentVoucherLines(p),
      });
    },
    async onCancel({ tx, ctx, record }) {
      await reverseVouchersOf(tx, ctx, { type: 'payment', id: record.id as string, label: `收付款单 ${String(record.number)}` }, todayIn(ctx.guard.actor.timeZone));
    },
  });
}

async function paymentToPost({ tx, ctx, record }: DocumentHookArgs): Promise<PaymentToPost> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const companyId = (record.company_id as string | null) ?? ctx.guard.actor.companyId!;
  const direction = record.payment_type as 'receive' | 'pay';
  const party = { type: record.party_type as PartyType, id: record.party as string };
  const partyCode = PARTY_ACCOUNT[party.type];
  const writeOffCode = direction === 'receive' ? ACCOUNTS.nonOperatingExpense : ACCOUNTS.nonOperatingIncome;
  const ids = await accountIdsOrThrow(tx, objects, companyId, [partyCode, ACCOUNTS.financeExpense, writeOffCode]);
  const raw = (record.allocations ?? []) as Record<string, unknown>[];
  const againstIds = raw.map((a) => a.against_id as string);
  await lockOpenItems(tx, againstIds);
  const items = new Map((await openItems(tx, objects, { companyId, partyType: party.type, party: party.id, againstIds }))
    .filter((i) => i.accountCode === partyCode).map((i) => [i.againstId, i]));
  // openItems reports in the account's direction; the rules want debit − credit.
  const sign = partyCode === PARTY_ACCOUNT.supplier ? -1 : 1;
  return {
    id: record.id as string, direction, party, amount: new Decimal(record.amount as string), currency: (record.currency as string | null) || null,
    rate: record.currency ? await exchangeRateOrThrow(tx, objects, record.currency as string, record.posting_date as string, record.exchange_rate as string | null) : new Decimal(1),
    accounts: { bank: record.account as string, party: ids[partyCode], finance: ids[ACCOUNTS.financeExpense], writeOff: ids[writeOffCode] },
    allocations: raw.map((a) => {
      const item = items.get(a.against_id as string);
      return {
        // The ledger knows what the document is; the row's own type is only a hint.
        againstType: item?.againstType ?? (a.against_type as string), againstId: a.against_id as string, allocated: new Decimal((a.allocated as string | null) ?? 0),
        discount: new Decimal((a.discount as string | null) ?? 0), writeOff: new Decimal((a.write_off as string | null) ?? 0),
        item: item ? { balance: new Decimal(item.outstanding).times(sign), fcBalance: new Decimal(item.fcOutstanding).times(sign), currency: item.currency } : null,
      };
    }),
  };
}

/** Two payments settling the same invoice at once take turns, so neither over-allocates it. Locks in key order: no deadlock. */
export async function lockOpenItems(tx: Tx, againstIds: string[]): Promise<void> {
  for (const id of [...new Set(againstIds)].sort()) await sql`SELECT pg_advisory_xact_lock(hashtext(${`open-item:${id}`}))`.execute(tx);
}
