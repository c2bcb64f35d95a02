import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { createPostedVoucher } from '@mosaic/finance';
import { onStockPosted } from '@mosaic/stock';
import { stockJournalLines } from './stock-to-ledger.rules.ts';

/**
 * 业财一体化 for stock: every stock posting becomes a journal entry in the same
 * transaction, linked both ways (the voucher's source_type/source_id name the
 * stock document). If the books refuse (closed period), the stock posting is
 * refused with them — stock and ledger never disagree.
 */
export function registerStockToLedger(): void {
  onStockPosted(async (event) => {
    const { tx, ctx } = event;
    const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
    const accounts = objects.get('gl_account');
    if (!accounts) return; // finance not installed
    const codeCol = accounts.fields.find((f) => f.apiName === 'code')!.columnName!;
    const rows = await sql<{ id: string; code: string }>`SELECT id, ${sql.ref(codeCol)} AS code FROM ${sql.id(accounts.tableName)} WHERE company_id = ${ctx.guard.actor.companyId}`.execute(tx);
    const byCode = new Map(rows.rows.map((r) => [r.code, r.id]));
    const account = (code: string) => {
      const id = byCode.get(code);
      if (!id) throw new AppError('CONFLICT', `The company has no account ${code}; add it to the chart of accounts.`);
      return id;
    };
    const lines = stockJournalLines(event, account);
    if (!lines.length) return;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
    await createPostedVoucher(tx, ctx, {
      voucherType: '转',
      postingDate: event.kind === 'post' ? event.voucher.postingDate : today,
      description: `${event.kind === 'post' ? '' : '冲销 '}${event.voucher.type === 'delivery_note' ? '发货单' : '库存单据'} ${String(event.source.number ?? '')}`.trim(),
      sourceType: event.voucher.type, sourceId: event.voucher.id,
      // a reversal's moves carry negated values already, so its lines come out on the other sides
      lines,
    });
  });
}
