import { sql } from 'kysely';
import type { Tx } from '@mosaic/db';
import { AppError } from '@mosaic/kernel';
import { createPostedVoucher } from '@mosaic/finance';
import { registerDocumentHooks } from '@mosaic/process';
import { registerRecordHooks, type RecordsCtx } from '@mosaic/records';
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
  registerStockEntryOffsetCheck();
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
  const entries = new Map<string, { t: string; offset: string | null }>();
  if (entryIds.length) {
    const se = objects.get('stock_entry')!;
    const c = columns(se);
    const r = await sql<{ id: string; t: string; offset: string | null }>`SELECT id::text, ${sql.ref(c.entry_type)} AS t, ${sql.ref(c.offset_account)} AS offset
      FROM ${sql.id(se.tableName)} WHERE id = ANY(${entryIds}::uuid[])`.execute(tx);
    for (const x of r.rows) entries.set(x.id, x);
  }
  // The offset accounts users chose on stock entries: checked as posting accounts of the chart.
  const offsets = [event.source.offset_account, ...[...entries.values()].map((e) => e.offset)].filter((x): x is string => !!x);
  for (const code of new Set(offsets)) byCode.set(code, await postingAccountOrThrow(tx, ctx, code));
  return {
    inventoryOf: (w) => whAccount.get(w) ?? null,
    entryTypeOf: (_type, id) => entries.get(id)?.t ?? null,
    offsetOf: (_type, id) => entries.get(id)?.offset ?? null,
    account(code) {
      const id = byCode.get(code);
      if (!id) throw new AppError('CONFLICT', `The company has no account ${code}; add it to the chart of accounts.`);
      return id;
    },
  };
}

/**
 * The id of a posting account (not a group: vouchers post to leaves) of the
 * company's chart, or a 422 naming offset_account — the field a user typed it in.
 */
async function postingAccountOrThrow(tx: Tx, ctx: RecordsCtx, code: string): Promise<string> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const accounts = objects.get('gl_account')!;
  const c = columns(accounts);
  const row = (await sql<{ id: string; group: boolean | null }>`SELECT id, ${sql.ref(c.is_group)} AS "group" FROM ${sql.id(accounts.tableName)}
    WHERE company_id = ${ctx.guard.actor.companyId} AND ${sql.ref(c.code)} = ${code}`.execute(tx)).rows[0];
  if (!row) throw new AppError('FIELD_INVALID', `offset_account: the company's chart has no account ${code}`, { field: 'offset_account' });
  if (row.group) throw new AppError('FIELD_INVALID', `offset_account: ${code} is a group account; choose one of its sub-accounts`, { field: 'offset_account' });
  return row.id;
}

/** A stock entry's offset account is refused when it is saved (and again on submit: the chart may have changed since). */
function registerStockEntryOffsetCheck(): void {
  const check = async (tx: Tx, ctx: RecordsCtx, code: unknown) => {
    if (!code) return;
    const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
    if (objects.get('gl_account')) await postingAccountOrThrow(tx, ctx, String(code));
  };
  registerRecordHooks('stock_entry', {
    async afterWrite({ tx, ctx, obj, ids }) {
      const rows = await sql<{ offset: string | null }>`SELECT DISTINCT ${sql.ref(columns(obj).offset_account)} AS offset FROM ${sql.id(obj.tableName)}
        WHERE id = ANY(${ids}::uuid[]) AND ${sql.ref(columns(obj).offset_account)} IS NOT NULL`.execute(tx);
      for (const r of rows.rows) await check(tx, ctx, r.offset);
    },
  });
  registerDocumentHooks('stock_entry', { validate: async ({ tx, ctx, record }) => check(tx, ctx, record.offset_account) });
}
