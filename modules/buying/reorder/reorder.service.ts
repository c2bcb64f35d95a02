import { sql } from '@mosaic/db';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import type { ObjectMeta } from '@mosaic/meta';
import { objectsOf, tableOf, userTx } from '../shared/buying-sql.ts';

/** Where the replenishment suggestion keeps the quantity to order (the stock module owns the object). */
const QTY_FIELDS = ['suggested_qty', 'reorder_qty', 'qty', 'quantity'];
/** Suggestion states that no longer want ordering, when the object has a state/status field (anything else counts as open). */
const CLOSED_STATES = ['closed', 'done', 'ordered', 'cancelled', 'dismissed', 'resolved', 'cleared', 'converted', 'requisitioned'];

export interface ReorderResult {
  requisitions: string[];
  lines: number;
  /** Why nothing was done, when nothing could be. */
  skipped?: string;
}

/**
 * 补货 → 请购: turns open replenishment suggestions (the stock module's
 * `replenishment_suggestion`: item, warehouse, suggested_qty, state open/cleared) into draft purchase
 * requisitions, one per warehouse, source "reorder". Each requisition line
 * keeps the suggestion's id (source_ref), so a suggestion becomes a
 * requisition once: suggestions already on a live or draft requisition are
 * skipped. Without the object (stock module older than issue 8's
 * replenishment) it does nothing and says so. Runs with the caller's create
 * right on requisitions; reading suggestions is the system's (a buyer need not
 * see stock settings).
 */
export async function requisitionsFromSuggestions(ctx: RecordsCtx): Promise<ReorderResult> {
  const objects = await objectsOf(ctx);
  const sug = objects.get('replenishment_suggestion');
  if (!sug) return { requisitions: [], lines: 0, skipped: 'no replenishment_suggestion object' };
  const has = (f: string) => sug.fields.some((x) => x.apiName === f && x.columnName && !x.archived);
  const qtyField = QTY_FIELDS.find(has);
  if (!has('item') || !has('warehouse') || !qtyField) return { requisitions: [], lines: 0, skipped: 'replenishment_suggestion lacks item, warehouse or a quantity' };
  return userTx(ctx, async (tx) => {
    const open = await openSuggestions(tx, objects, sug, qtyField, ['state', 'status'].find(has));
    const byWarehouse = new Map<string, typeof open>();
    for (const s of open) byWarehouse.set(s.warehouse, [...(byWarehouse.get(s.warehouse) ?? []), s]);
    const requisitions: string[] = [];
    for (const [warehouse, rows] of byWarehouse) {
      const [{ id }] = await createRecords(ctx, 'purchase_requisition', [{
        warehouse, source: 'reorder', reason: '补货建议 / replenishment',
        lines: rows.map((r) => ({ item: r.item, qty: r.qty, source_ref: r.id })),
      }], { tx });
      requisitions.push(id);
    }
    return { requisitions, lines: open.length };
  });
}

async function openSuggestions(tx: Parameters<Parameters<typeof userTx>[1]>[0], objects: Map<string, ObjectMeta>, sug: ObjectMeta, qtyField: string, stateField?: string) {
  const s = tableOf(objects, 'replenishment_suggestion');
  const prl = tableOf(objects, 'purchase_requisition_line');
  const pr = tableOf(objects, 'purchase_requisition');
  const status = stateField ? sql`AND (s.${sql.ref(s.col(stateField))} IS NULL OR s.${sql.ref(s.col(stateField))} <> ALL(${CLOSED_STATES}))` : sql``;
  const rows = await sql<{ id: string; item: string; warehouse: string; qty: string }>`SELECT s.id, s.${sql.ref(s.col('item'))} AS item,
      s.${sql.ref(s.col('warehouse'))} AS warehouse, s.${sql.ref(s.col(qtyField))}::text AS qty
    FROM ${sql.id(sug.tableName)} s
    WHERE s.${sql.ref(s.col(qtyField))} > 0 ${status}
      AND NOT EXISTS (SELECT 1 FROM ${sql.id(prl.name)} l JOIN ${sql.id(pr.name)} r ON r.id = l.parent_id
        WHERE l.${sql.ref(prl.col('source_ref'))} = s.id::text AND r.status <> 'cancelled')
    ORDER BY s.${sql.ref(s.col('warehouse'))}, s.created_at, s.id`.execute(tx);
  return rows.rows;
}
