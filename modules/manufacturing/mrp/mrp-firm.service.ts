import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, parseOrThrow } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { createRecords, type RecordsCtx } from '@mosaic/records';
import { mfgTx, uuidOrThrow } from '../mfg-context.ts';
import { tableOf } from '../mfg-tables.ts';
import { loadBoms } from '../bom/bom.store.ts';
import { pickBom } from '../bom/bom.rules.ts';
import type { Bom } from '../bom/bom.types.ts';

export const ZFirm = z.object({
  ids: z.array(z.string().uuid()).min(1).max(5000),
  source_warehouse: z.string().uuid(),
  fg_warehouse: z.string().uuid(),
}).strict();

interface SuggestionRow {
  id: string;
  item: string;
  kind: 'work_order' | 'purchase';
  qty: string;
  start_date: string;
  due_date: string;
  sales_order: string | null;
  firmed: boolean;
}

/**
 * POST /api/v1/manufacturing/mrp-suggestions/firm — the planner firms
 * suggestions in bulk, in one transaction: planned work orders become draft
 * work orders (the BOM version in effect on their start date, as a work
 * order picks it on its planned start, pegged sales order carried over);
 * purchase suggestions become one purchase requisition when the tenant has
 * that object (buying module), else they are returned as `notFirmed`.
 */
export async function firmSuggestions(ctx: RecordsCtx, body: unknown) {
  const input = parseOrThrow(ZFirm, body);
  return mfgTx(ctx, [['mrp_suggestion', 'edit'], ['work_order', 'create']], async (tx, objects) => {
    const S = tableOf(objects, 'mrp_suggestion');
    const rows = (await sql<SuggestionRow>`SELECT id, ${S.c('item')} AS item, ${S.c('kind')} AS kind, ${S.c('qty')}::text AS qty, ${S.c('start_date')}::text AS start_date,
        ${S.c('due_date')}::text AS due_date, ${S.c('sales_order')} AS sales_order, coalesce(${S.c('firmed')}, false) AS firmed
      FROM ${S.t} WHERE id = ANY(${input.ids}::uuid[]) ORDER BY ${S.c('level')}, ${S.c('due_date')} FOR UPDATE`.execute(tx)).rows;
    if (rows.length !== new Set(input.ids).size) throw new AppError('RECORD_NOT_FOUND', 'ids: some suggestions do not exist (a later MRP run replaced them?)', { field: 'ids' });
    const done = rows.find((r) => r.firmed);
    if (done) throw new AppError('CONFLICT', `Suggestion ${done.id} is already firmed.`, { field: 'ids' });
    // Every version per item: a default that takes effect only later must not be fixed on an order starting before.
    const versions = new Map<string, Bom[]>();
    for (const b of (await loadBoms(tx, objects)).values()) versions.set(b.item, [...(versions.get(b.item) ?? []), b]);
    const makes = rows.filter((r) => r.kind === 'work_order');
    const created = await createRecords(ctx, 'work_order', makes.map((r) => ({
      item: r.item, qty: r.qty, bom: pickBom(versions.get(r.item) ?? [], r.start_date)?.id ?? null, planned_start: r.start_date, due_date: r.due_date,
      source_warehouse: input.source_warehouse, fg_warehouse: input.fg_warehouse, sales_order: r.sales_order, mrp_suggestion: r.id,
    })), { tx });
    const firmed = new Map(makes.map((r, i) => [r.id, `work_order:${created[i].id}`]));
    const buys = rows.filter((r) => r.kind === 'purchase');
    const requisition = buys.length ? await createRequisition(ctx, tx, objects, buys, input.source_warehouse) : null;
    if (requisition) for (const r of buys) firmed.set(r.id, `purchase_requisition:${requisition}`);
    for (const [id, doc] of firmed) {
      await sql`UPDATE ${S.t} SET ${S.c('firmed')} = true, ${S.c('firmed_doc')} = ${doc}, version = version + 1, updated_at = now() WHERE id = ${id}`.execute(tx);
    }
    return {
      workOrders: created.map((c) => c.id),
      purchaseRequisition: requisition,
      notFirmed: requisition ? [] : buys.map((r) => ({ id: r.id, reason: 'purchase_requisition is not installed (buying module)' })),
    };
  });
}

/**
 * One requisition for the purchase suggestions, if the buying module's
 * purchase_requisition exists: filled with the fields it has (lines: item,
 * qty and the first date field found), so it follows that module's schema.
 */
async function createRequisition(ctx: RecordsCtx, tx: Tx, objects: Map<string, ObjectMeta>, rows: SuggestionRow[], warehouse: string): Promise<string | null> {
  const head = objects.get('purchase_requisition');
  const linesField = head?.fields.find((f) => f.type === 'child_table');
  const line = linesField ? objects.get(String((linesField.config as { target?: string }).target)) : undefined;
  if (!head || !linesField || !line || !['item', 'qty'].every((f) => line.fields.some((x) => x.apiName === f))) return null;
  const dateField = ['required_date', 'schedule_date', 'required_by', 'delivery_date'].find((f) => line.fields.some((x) => x.apiName === f));
  const has = (f: string) => head.fields.some((x) => x.apiName === f);
  const [{ id }] = await createRecords(ctx, 'purchase_requisition', [{
    // The materials are bought into the warehouse the work orders draw them from.
    ...(has('warehouse') ? { warehouse } : {}),
    ...(has('source') ? { source: 'mrp' } : {}),
    ...(has('required_date') ? { required_date: rows.map((r) => r.due_date).sort()[0] } : {}),
    [linesField.apiName]: rows.map((r) => ({ item: r.item, qty: r.qty, ...(dateField ? { [dateField]: r.due_date } : {}) })),
  }], { tx });
  return id;
}

/**
 * GET /api/v1/manufacturing/mrp-suggestions/:id/pegging — the chain of
 * planned orders up to the independent demands that caused this suggestion
 * (parents are named by their seq in the same run).
 */
export async function suggestionPegging(ctx: RecordsCtx, id: string) {
  uuidOrThrow(id, 'id');
  return mfgTx(ctx, [['mrp_suggestion', 'read']], async (tx, objects) => {
    const S = tableOf(objects, 'mrp_suggestion');
    type Row = { id: string; seq: number; run: string; item: string; kind: string; qty: string; due_date: string; pegs: { o?: number; t?: string; id?: string; l?: string; q: number }[] };
    const select = sql`SELECT id, ${S.c('seq')} AS seq, ${S.c('mrp_run')} AS run, ${S.c('item')} AS item, ${S.c('kind')} AS kind, ${S.c('qty')}::text AS qty,
      ${S.c('due_date')}::text AS due_date, ${S.c('pegs')} AS pegs FROM ${S.t}`;
    const parse = (r: Record<string, any>): Row => ({ ...(r as Row), pegs: JSON.parse(r.pegs ?? '[]') });
    const first = (await sql<Record<string, any>>`${select} WHERE id = ${id}`.execute(tx)).rows[0];
    if (!first) throw new AppError('RECORD_NOT_FOUND', `No MRP suggestion ${id}.`);
    const bySeq = new Map<number, Row>([[first.seq, parse(first)]]);
    let frontier = parse(first).pegs.filter((p) => p.o !== undefined).map((p) => p.o!);
    while (frontier.length) {
      const rows = (await sql<Record<string, any>>`${select} WHERE ${S.c('mrp_run')} = ${first.run} AND ${S.c('seq')} = ANY(${frontier}::int[])`.execute(tx)).rows.map(parse);
      frontier = [];
      for (const r of rows) {
        bySeq.set(r.seq, r);
        for (const p of r.pegs) if (p.o !== undefined && !bySeq.has(p.o)) frontier.push(p.o);
      }
    }
    const roots = new Map<string, { type: string; id: string; line?: string }>();
    for (const r of bySeq.values()) for (const p of r.pegs) if (p.t) roots.set(`${p.t}:${p.id}:${p.l ?? ''}`, { type: p.t, id: p.id!, line: p.l });
    const chain = [...bySeq.values()].map(({ run: _r, ...r }) => r);
    return { suggestion: chain[0], chain, roots: [...roots.values()] };
  });
}
