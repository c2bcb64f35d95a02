import { sql } from 'kysely';
import { AppError, Decimal } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { registerDocumentHooks } from '@mosaic/process';
import { columns, type StockMove } from '../stock-ledger/stock-ledger.service.ts';
import { toStockLines } from '../stock-ledger/stock-lines.service.ts';
import { postDocumentMoves, reverseDocumentMoves, voucherOf } from '../stock-ledger/stock-document.service.ts';

/**
 * 盘点: each line says what was counted; submitting posts counted − on hand
 * (per batch for batch lines) as a gain (in at the line's rate, else the
 * current average, else the item's standard price) or a loss (out at the
 * valuation rate). The balance rows are locked before reading on hand, so a
 * posting racing the count can't slip between reading and posting.
 */
export function registerStockCountHooks(): void {
  registerDocumentHooks('stock_count', {
    async validate({ record }) {
      const lines = (record.lines ?? []) as Record<string, any>[];
      if (!lines.length) throw new AppError('FIELD_REQUIRED', 'lines: needs at least one row', { field: 'lines' });
      const seen = new Set<string>();
      lines.forEach((l, i) => {
        const key = `${l.item}|${l.batch ?? ''}`;
        if (seen.has(key)) throw new AppError('FIELD_INVALID', `lines.${i}.item: counted twice in this document`, { field: `lines.${i}.item` });
        seen.add(key);
      });
    },
    async onSubmit({ tx, ctx, record }) {
      const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
      const warehouse = record.warehouse as string;
      const lines = await toStockLines(tx, objects, (record.lines as Record<string, any>[]).map((l) => ({ ...l, item: l.item as string, qty: l.counted_qty })));
      const held = await lockAndRead(tx, objects, warehouse, lines.map((l) => ({ item: l.item, batch: l.batch })));
      const moves: StockMove[] = [];
      for (const l of lines) {
        const h = held.get(`${l.item}|${l.batch ?? ''}`)!;
        const diff = l.qty.minus(h.qty);
        if (diff.isZero()) continue;
        const rate = l.rate ?? (h.avgRate.gt(0) ? h.avgRate : h.standardPrice);
        moves.push({ item: l.item, warehouse, qty: diff, rate: diff.gt(0) ? rate : undefined, batch: l.batch });
      }
      await postDocumentMoves(tx, ctx, voucherOf('stock_count', record), moves, record);
    },
    async onCancel({ tx, ctx, record }) {
      await reverseDocumentMoves(tx, ctx, voucherOf('stock_count', record), record);
    },
  });
}

interface Held {
  qty: Decimal;
  avgRate: Decimal;
  standardPrice: Decimal;
}

async function lockAndRead(tx: Tx, objects: Map<string, ObjectMeta>, warehouse: string, lines: { item: string; batch: string | null }[]): Promise<Map<string, Held>> {
  const balance = objects.get('stock_balance')!;
  const ledger = objects.get('stock_ledger_entry')!;
  const item = objects.get('item')!;
  const B = columns(balance);
  const L = columns(ledger);
  const I = columns(item);
  const items = [...new Set(lines.map((l) => l.item))].sort();
  // Lock first (an outer join can't lock its nullable side); a key never stocked has no row to race on.
  await sql`SELECT id FROM ${sql.id(balance.tableName)} WHERE ${sql.ref(B.item)} = ANY(${items}::uuid[]) AND ${sql.ref(B.warehouse)} = ${warehouse}
    ORDER BY ${sql.ref(B.item)}, ${sql.ref(B.warehouse)} FOR UPDATE`.execute(tx);
  const rows = await sql<Record<string, any>>`SELECT i.id AS item, COALESCE(b.${sql.ref(B.on_hand)}, 0)::text AS qty, COALESCE(b.${sql.ref(B.value)}, 0)::text AS value,
      COALESCE(i.${sql.ref(I.standard_price)}, 0)::text AS standard_price
    FROM ${sql.id(item.tableName)} i LEFT JOIN ${sql.id(balance.tableName)} b ON b.${sql.ref(B.item)} = i.id AND b.${sql.ref(B.warehouse)} = ${warehouse}
    WHERE i.id = ANY(${items}::uuid[])`.execute(tx);
  const byItem = new Map(rows.rows.map((r) => [r.item, r]));
  const out = new Map<string, Held>();
  for (const l of lines) {
    const r = byItem.get(l.item);
    if (!r) throw new AppError('LINK_NOT_FOUND', `item: ${l.item} does not exist`, { field: 'lines' });
    const qty = new Decimal(r.qty);
    const avgRate = qty.gt(0) ? new Decimal(r.value).div(qty) : new Decimal(0);
    let counted = qty;
    if (l.batch) {
      const b = await sql<{ qty: string }>`SELECT COALESCE(sum(${sql.ref(L.qty)}), 0)::text AS qty FROM ${sql.id(ledger.tableName)}
        WHERE ${sql.ref(L.item)} = ${l.item} AND ${sql.ref(L.warehouse)} = ${warehouse} AND ${sql.ref(L.batch)} = ${l.batch}`.execute(tx);
      counted = new Decimal(b.rows[0].qty);
    }
    out.set(`${l.item}|${l.batch ?? ''}`, { qty: counted, avgRate, standardPrice: new Decimal(r.standard_price) });
  }
  return out;
}
