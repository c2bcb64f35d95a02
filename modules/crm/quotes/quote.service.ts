import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, clock, parseOrThrow, todayIn } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { approvalRunning } from '@mosaic/approval';
import { createRecords, getRecord, lockRow, type RecordsCtx } from '@mosaic/records';
import { setSystemFields } from '../shared/system-write.ts';
import { txOf } from '../shared/system-ctx.ts';
import { callerCurrency } from '../shared/currency.ts';

export const ZWon = z.object({
  /** The order's warehouse when the quote names none. */
  warehouse: z.uuid().optional(),
  delivery_date: z.string().optional(),
}).strict();

export const ZLost = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

/**
 * 赢单 — a quote the customer accepted becomes a sales order in one action,
 * through the selling module's public path (the records service: its checks,
 * numbering and totals), in one transaction with: the quote marked won and
 * linked to the order, and its opportunity moved to the won stage. The quote
 * must be in effect: submitted with no approval still running (a discount above
 * the limit waits for the approver), or approved. The order stays a draft for
 * the rep to confirm — submitting it is what reserves stock.
 */
export async function quoteWon(ctx: RecordsCtx, quoteId: string, body: unknown): Promise<{ quote: string; salesOrder: string; opportunity: string | null }> {
  const input = parseOrThrow(ZWon, body ?? {});
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const quoteObj = objects.get('quote')!;
  return txOf(ctx, async (tx) => {
    await lockRow(ctx, tx, objects, quoteObj, quoteId, 'edit');
    const q = await getRecord(ctx, 'quote', quoteId, { tx });
    await assertInEffect(ctx, tx, q);
    const warehouse = idOf(q.warehouse) ?? input.warehouse;
    if (!warehouse) throw new AppError('FIELD_REQUIRED', 'warehouse: the quote names no warehouse; give the one to ship from', { field: 'warehouse' });
    const lines = (q.lines as Record<string, unknown>[]).map((l, i) => {
      if (!idOf(l.item)) throw new AppError('FIELD_REQUIRED', `lines.${i}.item: a line without a product cannot be ordered`, { field: `lines.${i}.item` });
      return { item: idOf(l.item), qty: l.qty, rate: l.rate, tax_rate: l.tax_rate };
    });
    const [so] = await createRecords(ctx, 'sales_order', [{ customer: idOf(q.customer), warehouse, delivery_date: input.delivery_date ?? null, lines }], { tx });
    await setSystemFields(tx, ctx.guard.actor, quoteObj, quoteId, { outcome: 'won', sales_order: so.id }, 'won');
    const opportunity = idOf(q.opportunity);
    // The won amount is the quote's, in the quote's currency (blank: the company's).
    const won = q.net_total ? { amount: q.net_total as string, currency: (q.currency as string | null) || (await callerCurrency(ctx, tx)) } : null;
    if (opportunity) await closeOpportunity(ctx, tx, opportunity, 'won', `报价单 ${String(q.number)} 赢单`, won);
    return { quote: quoteId, salesOrder: so.id, opportunity };
  });
}

/** 输单 — the quote is lost (reason required); its opportunity moves to the lost stage with the reason. */
export async function quoteLost(ctx: RecordsCtx, quoteId: string, body: unknown): Promise<{ quote: string }> {
  const input = parseOrThrow(ZLost, body ?? {});
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const quoteObj = objects.get('quote')!;
  return txOf(ctx, async (tx) => {
    await lockRow(ctx, tx, objects, quoteObj, quoteId, 'edit');
    const q = await getRecord(ctx, 'quote', quoteId, { tx });
    if (q.outcome && q.outcome !== 'open') throw new AppError('CONFLICT', `This quote is ${String(q.outcome)} already.`);
    await setSystemFields(tx, ctx.guard.actor, quoteObj, quoteId, { outcome: 'lost' }, 'lost');
    const opportunity = idOf(q.opportunity);
    if (opportunity) await closeOpportunity(ctx, tx, opportunity, 'lost', input.reason, null);
    return { quote: quoteId };
  });
}

/**
 * A quote can be won (and become an order) while it is in effect: submitted or
 * approved, no approval running, still valid today (valid_until, the tenant's
 * date), and its latest version — an older one was replaced by a revision.
 */
async function assertInEffect(ctx: RecordsCtx, tx: Tx, q: Record<string, unknown>): Promise<void> {
  if (q.outcome && q.outcome !== 'open') throw new AppError('CONFLICT', `This quote is ${String(q.outcome)} already.`);
  if (q.status !== 'submitted' && q.status !== 'approved') throw new AppError('CONFLICT', `A ${String(q.status)} quote cannot be won; submit it first.`);
  if (await approvalRunning(tx, 'quote', String(q.id))) throw new AppError('CONFLICT', 'The quote is waiting for discount approval; it can be won once approved.');
  const today = todayIn(ctx.guard.actor.timeZone);
  if (q.valid_until && String(q.valid_until).slice(0, 10) < today) {
    throw new AppError('CONFLICT', `valid_until: this quote expired on ${String(q.valid_until).slice(0, 10)}; revise it for a new validity`, { field: 'valid_until' });
  }
  const newer = await laterRevision(ctx, tx, String(q.id));
  if (newer) throw new AppError('CONFLICT', `This version was replaced by revision ${newer.revision} (${newer.number}); win that one.`, { field: 'revision' });
}

/** The revision made from this quote, if any (versions form a chain through `previous`). */
async function laterRevision(ctx: RecordsCtx, tx: Tx, quoteId: string): Promise<{ number: string; revision: number } | null> {
  const qo = (await ctx.store.objects(ctx.guard.actor.tenantId)).get('quote')!;
  const c = (f: string) => sql.ref(qo.fields.find((x) => x.apiName === f)!.columnName!);
  return (await sql<{ number: string; revision: number }>`SELECT ${c('number')} AS number, ${c('revision')} AS revision FROM ${sql.id(qo.tableName)}
    WHERE ${c('previous')} = ${quoteId} AND status <> 'cancelled' LIMIT 1`.execute(tx)).rows[0] ?? null;
}

/** Moves the opportunity to its pipeline's won (or lost) stage, logging the move like the kanban does. */
async function closeOpportunity(ctx: RecordsCtx, tx: Tx, id: string, outcome: 'won' | 'lost', reason: string, amount: { amount: string; currency: string } | null): Promise<void> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const opp = objects.get('opportunity')!;
  const stage = objects.get('crm_stage')!;
  const oc = (f: string) => opp.fields.find((x) => x.apiName === f)!.columnName!;
  const sc = (f: string) => sql.ref(`s.${stage.fields.find((x) => x.apiName === f)!.columnName!}`);
  const cur = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.id(opp.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx)).rows[0];
  if (!cur) return;
  const target = (await sql<{ id: string; probability: string }>`SELECT s.id, ${sc('probability')}::text AS probability FROM ${sql.id(stage.tableName)} s
    WHERE ${sc('pipeline')} = ${cur[oc('pipeline')] as string} AND ${sc('outcome')} = ${outcome} ORDER BY ${sc('sequence')} LIMIT 1`.execute(tx)).rows[0];
  if (!target || target.id === cur[oc('stage')]) return;
  const at = clock.now();
  await setSystemFields(tx, ctx.guard.actor, opp, id, {
    stage: target.id, probability: target.probability, stage_entered_at: at, close_reason: reason,
    ...(outcome === 'won' ? { won_at: at, ...(amount && !cur[oc('amount')] ? { amount } : {}) } : { lost_at: at }),
  });
  const entered = cur[oc('stage_entered_at')] as Date | null;
  await createRecords(ctx, 'opportunity_stage_log', [{
    opportunity: id, from_stage: cur[oc('stage')], to_stage: target.id, moved_at: at.toISOString(),
    days_in_from: entered ? ((at.getTime() - new Date(entered).getTime()) / 86_400_000).toFixed(2) : null,
  }], { tx });
}

/**
 * 新版本 — a new draft revision of a submitted quote (revision + 1, linked to
 * the one it replaces, lines and prices copied). The old version stays as it
 * was: submitted documents are immutable, and once replaced it can no longer
 * be won. Only the latest version is revised; a draft is edited, not revised.
 */
export async function reviseQuote(ctx: RecordsCtx, quoteId: string): Promise<Record<string, unknown>> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const id = await txOf(ctx, async (tx) => {
    // Locked: two people revising at once make one revision, not two.
    await lockRow(ctx, tx, objects, objects.get('quote')!, quoteId, 'read');
    const q = await getRecord(ctx, 'quote', quoteId, { tx });
    if (q.status !== 'submitted' && q.status !== 'approved') throw new AppError('CONFLICT', `A ${String(q.status)} quote is edited, not revised.`, { field: 'status' });
    if (q.outcome && q.outcome !== 'open') throw new AppError('CONFLICT', `This quote is ${String(q.outcome)} already.`, { field: 'outcome' });
    const newer = await laterRevision(ctx, tx, quoteId);
    if (newer) throw new AppError('CONFLICT', `Revision ${newer.revision} (${newer.number}) replaced this version already; revise that one.`, { field: 'revision' });
    const lines = (q.lines as Record<string, unknown>[]).map((l) => ({ item: idOf(l.item), description: l.description, qty: l.qty, list_price: l.list_price, discount: l.discount, tax_rate: l.tax_rate, price_list: idOf(l.price_list) }));
    const [r] = await createRecords(ctx, 'quote', [{
      customer: idOf(q.customer), opportunity: idOf(q.opportunity), contact: idOf(q.contact), valid_until: q.valid_until ?? null, warehouse: idOf(q.warehouse),
      price_list: idOf(q.price_list), currency: q.currency ?? null, revision: Number(q.revision ?? 1) + 1, previous: quoteId, lines,
    }], { tx });
    return r.id;
  });
  return getRecord(ctx, 'quote', id);
}
