import { sql } from 'kysely';
import { Decimal, newId } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { emptyState, issue, receive, type StockState, type ValuationMethod } from './valuation.rules.ts';
import type { Cols, PostedMove, Voucher } from './stock-ledger.service.ts';

const r6 = (d: Decimal) => d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP);
const EPSILON = new Decimal('0.000001');

interface Entry {
  id: string;
  date: string;
  qty: Decimal;
  /** What the entry is worth now: its value change plus re-valuations written against it. */
  value: Decimal;
  rate: Decimal;
  fixed: boolean;
  voucherType: string;
  voucherId: string;
}

/**
 * Re-values one item × warehouse forward from a back-dated voucher's date, in
 * one pass, under the balance row's lock (the caller holds it):
 *
 *   moving average: start from the ledger's sums before that date (one aggregate
 *   over the index), walk the entries from that date on;
 *   FIFO: layers are not stored per entry, so walk the key's history from its
 *   start — quantities and receipt rates only, in memory.
 *
 * Receipts keep their value; issues are re-priced at the rate the walk gives;
 * moves marked rate_fixed (reversals, transfers out) keep theirs, so the walk
 * never spills into another warehouse — no repost storm. The ledger stays
 * append-only: each issue whose value changed gets a qty-0 entry dated like it,
 * carrying the difference (so sums by date give the valuation as of any date),
 * and the differences go to finance as one difference voucher.
 */
export async function revalueForward(tx: Tx, ledger: ObjectMeta, L: Cols, tenantId: string, voucher: Voucher, item: string, warehouse: string,
  method: ValuationMethod): Promise<{ state: StockState; moves: PostedMove[] }> {
  const from = voucher.postingDate;
  let state = emptyState();
  if (method === 'moving_average') {
    const before = (await sql<{ qty: string; value: string }>`SELECT COALESCE(sum(${sql.ref(L.qty)}), 0)::text AS qty, COALESCE(sum(${sql.ref(L.value_change)}), 0)::text AS value
      FROM ${sql.id(ledger.tableName)} WHERE ${sql.ref(L.item)} = ${item} AND ${sql.ref(L.warehouse)} = ${warehouse} AND ${sql.ref(L.posting_date)} < ${from}::date`.execute(tx)).rows[0];
    state = { qty: new Decimal(before.qty), value: new Decimal(before.value), layers: [] };
  }
  const entries = await entriesToWalk(tx, ledger, L, item, warehouse, method === 'moving_average' ? from : null);
  const corrections: { entry: Entry; delta: Decimal; after: StockState }[] = [];
  let lastRate = new Decimal(0);
  for (const e of entries) {
    const { next, value } = step(state, e, method, lastRate);
    if (e.qty.gt(0)) lastRate = e.value.div(e.qty);
    else if (next.qty.gt(0)) lastRate = next.value.div(next.qty);
    state = next;
    const delta = value.minus(e.value);
    if (e.date >= from && delta.abs().gte(EPSILON)) corrections.push({ entry: e, delta, after: state });
  }
  if (corrections.length) {
    const rows = corrections.map((c) => sql`(${tenantId}, ${newId()}, ${item}, ${warehouse}, ${c.entry.date}::date, 0, 0, ${c.delta.toFixed(6)},
      ${c.after.qty.toFixed()}, ${c.after.value.toFixed(6)}, 'stock_revaluation', ${voucher.id}, true, ${c.entry.id}, mosaic_user())`);
    const cols = ['item', 'warehouse', 'posting_date', 'qty', 'rate', 'value_change', 'qty_after', 'value_after', 'voucher_type', 'voucher_id', 'rate_fixed', 'revalues_entry'];
    await sql`INSERT INTO ${sql.id(ledger.tableName)} (tenant_id, id, ${sql.join(cols.map((f) => sql.id(L[f])))}, created_by) VALUES ${sql.join(rows)}`.execute(tx);
  }
  const moves: PostedMove[] = corrections.map((c) => ({
    item, warehouse, qty: new Decimal(0), rate: new Decimal(0), valueChange: c.delta, qtyAfter: c.after.qty, valueAfter: c.after.value,
    revalues: { type: c.entry.voucherType, id: c.entry.voucherId, postingDate: c.entry.date },
  }));
  return { state, moves };
}

/** One entry of the walk: the state after it and the value it should carry. */
function step(state: StockState, e: Entry, method: ValuationMethod, lastRate: Decimal): { next: StockState; value: Decimal } {
  if (e.qty.gt(0)) {
    if (method === 'fifo') {
      const r = receive(state, e.qty, e.value.div(e.qty), 'fifo');
      return { next: r.state, value: e.value };
    }
    return { next: { qty: state.qty.plus(e.qty), value: r6(state.value.plus(e.value)), layers: [] }, value: e.value };
  }
  if (e.fixed && method === 'moving_average') {
    return { next: { qty: state.qty.plus(e.qty), value: r6(state.value.plus(e.value)), layers: [] }, value: e.value };
  }
  const r = issue(state, e.qty.neg(), method, lastRate.isZero() ? e.rate : lastRate);
  return { next: r.state, value: r.valueChange };
}

async function entriesToWalk(tx: Tx, ledger: ObjectMeta, L: Cols, item: string, warehouse: string, from: string | null): Promise<Entry[]> {
  const rows = await sql<Record<string, any>>`SELECT e.id, e.${sql.ref(L.posting_date)}::text AS date, e.${sql.ref(L.qty)}::text AS qty, e.${sql.ref(L.rate)}::text AS rate,
      (e.${sql.ref(L.value_change)} + COALESCE(r.delta, 0))::text AS value, COALESCE(e.${sql.ref(L.rate_fixed)}, false) AS fixed,
      e.${sql.ref(L.voucher_type)} AS voucher_type, e.${sql.ref(L.voucher_id)} AS voucher_id
    FROM ${sql.id(ledger.tableName)} e
    LEFT JOIN (SELECT ${sql.ref(L.revalues_entry)} AS entry, sum(${sql.ref(L.value_change)}) AS delta FROM ${sql.id(ledger.tableName)}
               WHERE ${sql.ref(L.item)} = ${item} AND ${sql.ref(L.warehouse)} = ${warehouse} AND ${sql.ref(L.revalues_entry)} IS NOT NULL GROUP BY 1) r ON r.entry = e.id::text
    WHERE e.${sql.ref(L.item)} = ${item} AND e.${sql.ref(L.warehouse)} = ${warehouse} AND e.${sql.ref(L.revalues_entry)} IS NULL AND e.${sql.ref(L.qty)} <> 0
      AND (${from}::date IS NULL OR e.${sql.ref(L.posting_date)} >= ${from}::date)
    ORDER BY e.${sql.ref(L.posting_date)}, e.id`.execute(tx);
  return rows.rows.map((r) => ({
    id: r.id, date: r.date, qty: new Decimal(r.qty), value: new Decimal(r.value), rate: new Decimal(r.rate ?? 0), fixed: !!r.fixed,
    voucherType: r.voucher_type, voucherId: r.voucher_id,
  }));
}
