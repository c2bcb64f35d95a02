import { sql } from 'kysely';
import { AppError } from '@mosaic/kernel';
import { createPostedVoucher } from '@mosaic/finance';
import { columns, onStockPosted, type StockPosted } from '@mosaic/stock';
import { STOCK_ACCOUNTS, stockJournalLines, type AccountLookup } from './stock-to-ledger.rules.ts';

const TITLES: Record<string, string> = {
  stock_entry: '库存单据', delivery_note: '发货单', sales_return: '销售退货', stock_transfer: '调拨单', stock_count: '盘点单',
};

/**
 * 业财一体化 for stock: every stock posting becomes a journal entry in the same
 * transaction, linked both ways (the voucher's source_type/source_id name the
 * stock document). If the books refuse (closed period), the stock posting is
 * refused with them — stock and ledger never disagree. A re-valuation (a
 * back-dated posting changed later issues' cost) becomes one difference voucher
 * sourced on the back-dated document, dated at the latest corrected entry.
 */
export function registerStockToLedger(): void {
  onStockPosted(async (event) => {
    const { tx, ctx } = event;
    const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
    if (!objects.get('gl_account')) return; // finance not installed
    const lookup = await lookupFor(event);
    const lines = stockJournalLines(event, lookup);
    if (!lines.length) return;
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: ctx.guard.actor.timeZone }).format(new Date());
    const title = `${TITLES[event.voucher.type] ?? event.voucher.type} ${String(event.source.number ?? '')}`.trim();
    await createPostedVoucher(tx, ctx, {
      voucherType: '转',
      postingDate: event.kind === 'post' ? event.voucher.postingDate : event.kind === 'reverse' ? today : latest(event),
      description: event.kind === 'post' ? title : event.kind === 'reverse' ? `冲销 ${title}` : `库存重估差异 ${title}`,
      sourceType: event.voucher.type, sourceId: event.voucher.id,
      lines,
    });
  });
}

function latest(event: StockPosted): string {
  return event.moves.reduce((d, m) => (m.revalues && m.revalues.postingDate > d ? m.revalues.postingDate : d), event.voucher.postingDate);
}

async function lookupFor(event: StockPosted): Promise<AccountLookup> {
  const { tx, ctx } = event;
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const wh = objects.get('warehouse')!;
  const W = columns(wh);
  const whIds = [...new Set(event.moves.map((m) => m.warehouse))];
  const accounts = objects.get('gl_account')!;
  const codeCol = accounts.fields.find((f) => f.apiName === 'code')!.columnName!;
  // The warehouses' inventory accounts and the company's accounts a stock voucher can touch
  // (the fixed ones and the warehouses' own), in one statement.
  const rows = await sql<{ kind: 'w' | 'a'; id: string; code: string | null }>`WITH w AS (
      SELECT id, ${sql.ref(W.inventory_account)} AS account FROM ${sql.id(wh.tableName)} WHERE id = ANY(${whIds}::uuid[]))
    SELECT 'w' AS kind, id, account AS code FROM w
    UNION ALL
    SELECT 'a', a.id, a.${sql.ref(codeCol)} FROM ${sql.id(accounts.tableName)} a
     WHERE a.company_id = ${ctx.guard.actor.companyId} AND a.${sql.ref(codeCol)} IN (SELECT unnest(${Object.values(STOCK_ACCOUNTS)}::text[]) UNION SELECT account FROM w)`.execute(tx);
  const whAccount = new Map(rows.rows.filter((r) => r.kind === 'w').map((r) => [r.id, r.code]));
  const byCode = new Map(rows.rows.filter((r) => r.kind === 'a').map((r) => [r.code!, r.id]));
  const entryIds = [...new Set(event.moves.filter((m) => m.revalues?.type === 'stock_entry').map((m) => m.revalues!.id))];
  const entryTypes = new Map<string, string>();
  if (entryIds.length) {
    const se = objects.get('stock_entry')!;
    const r = await sql<{ id: string; t: string }>`SELECT id::text, ${sql.ref(columns(se).entry_type)} AS t FROM ${sql.id(se.tableName)} WHERE id = ANY(${entryIds}::uuid[])`.execute(tx);
    for (const x of r.rows) entryTypes.set(x.id, x.t);
  }
  return {
    inventoryOf: (w) => whAccount.get(w) ?? null,
    entryTypeOf: (_type, id) => entryTypes.get(id) ?? null,
    account(code) {
      const id = byCode.get(code);
      if (!id) throw new AppError('CONFLICT', `The company has no account ${code}; add it to the chart of accounts.`);
      return id;
    },
  };
}
