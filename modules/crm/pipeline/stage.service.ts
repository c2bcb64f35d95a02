import { sql } from 'kysely';
import { z } from 'zod';
import { AppError, clock, Decimal, parseOrThrow } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import { aggregateRecords, getRecord, listRecordsTogether, lockRow, updateRecords, type RecordsCtx } from '@mosaic/records';
import { createRecords } from '@mosaic/records';
import { setSystemFields } from '../shared/system-write.ts';
import { txOf } from '../shared/system-ctx.ts';

export interface StageRow {
  id: string;
  pipeline: string;
  name: string;
  sequence: number;
  probability: string;
  required_fields: string | null;
  outcome: 'open' | 'won' | 'lost';
}

async function stagesOf(ctx: RecordsCtx, tx: Tx, where: { pipeline?: string; id?: string; isDefault?: boolean }): Promise<StageRow[]> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const s = objects.get('crm_stage')!;
  const p = objects.get('crm_pipeline')!;
  const c = (o: typeof s, f: string) => sql.ref(`${o === s ? 's' : 'p'}.${o.fields.find((x) => x.apiName === f)!.columnName!}`);
  const conds = [sql`true`];
  if (where.pipeline) conds.push(sql`s.${sql.id(s.fields.find((x) => x.apiName === 'pipeline')!.columnName!)} = ${where.pipeline}`);
  if (where.id) conds.push(sql`s.id = ${where.id}`);
  if (where.isDefault) conds.push(sql`${c(p, 'is_default')}`);
  return (await sql<StageRow>`SELECT s.id, ${c(s, 'pipeline')} AS pipeline, ${c(s, 'name')} AS name, ${c(s, 'sequence')} AS sequence, ${c(s, 'probability')}::text AS probability,
      ${c(s, 'required_fields')} AS required_fields, COALESCE(${c(s, 'outcome')}, 'open') AS outcome
    FROM ${sql.id(s.tableName)} s JOIN ${sql.id(p.tableName)} p ON p.id = ${c(s, 'pipeline')}
    WHERE ${sql.join(conds, sql` AND `)} ORDER BY p.created_at, ${c(s, 'sequence')}`.execute(tx)).rows;
}

/** The first stage of a pipeline (the default pipeline when none is named): where new opportunities start. */
export async function firstStage(ctx: RecordsCtx, tx: Tx, pipeline?: string): Promise<StageRow> {
  const rows = await stagesOf(ctx, tx, pipeline ? { pipeline } : { isDefault: true });
  if (!rows.length) throw new AppError('FIELD_INVALID', pipeline ? 'pipeline: has no stages' : 'pipeline: there is no default pipeline; name one', { field: 'pipeline' });
  return rows[0];
}

export const ZMoveStage = z.object({
  stage: z.uuid(),
  version: z.number().int(),
  /** Field values entered with the move (the kanban's "fill the required fields" dialog). */
  values: z.record(z.string(), z.unknown()).optional(),
}).strict();

/**
 * Moves an opportunity to a stage (the kanban drag): the stage must belong to
 * its pipeline; values sent with the move are saved first (the normal edit,
 * optimistic lock and field checks); then every field the target stage
 * requires must be filled (a boolean must be true) or the move is refused with
 * 422 naming the field. The stage's probability is copied, the time in the
 * previous stage logged (opportunity_stage_log: the funnel's days per stage)
 * and a won or lost stage stamps won_at / lost_at.
 */
export async function moveStage(ctx: RecordsCtx, opportunityId: string, body: unknown): Promise<Record<string, unknown>> {
  const input = parseOrThrow(ZMoveStage, body);
  const tenantId = ctx.guard.actor.tenantId;
  const objects = await ctx.store.objects(tenantId);
  const opp = objects.get('opportunity')!;
  await txOf(ctx, async (tx) => {
    const cur = await lockRow(ctx, tx, objects, opp, opportunityId, 'edit');
    if (cur.version !== input.version) throw new AppError('VERSION_CONFLICT', `version: the record is at version ${cur.version}, you sent ${input.version}; reload it`, { field: 'version', details: { current: cur.version } });
    if (input.values && Object.keys(input.values).length) await updateRecords(ctx, 'opportunity', [{ id: opportunityId, version: input.version, values: input.values }], { tx });
    const col = (f: string) => opp.fields.find((x) => x.apiName === f)!.columnName!;
    const [target] = await stagesOf(ctx, tx, { id: input.stage });
    if (!target) throw new AppError('FIELD_INVALID', 'stage: no such stage', { field: 'stage' });
    const pipeline = cur[col('pipeline')] as string | null;
    if (pipeline && target.pipeline !== pipeline) throw new AppError('FIELD_INVALID', 'stage: belongs to another pipeline', { field: 'stage' });
    const from = cur[col('stage')] as string | null;
    if (from === target.id) throw new AppError('CONFLICT', `The opportunity is in stage ${target.name} already.`);
    const now = await getRecord(ctx, 'opportunity', opportunityId, { tx });
    for (const f of (target.required_fields ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
      const v = now[f];
      if (v === null || v === undefined || v === '' || v === false) throw new AppError('FIELD_REQUIRED', `${f}: required to enter stage ${target.name}`, { field: f });
    }
    const at = clock.now();
    const entered = cur[col('stage_entered_at')] as Date | null;
    await setSystemFields(tx, ctx.guard.actor, opp, opportunityId, {
      stage: target.id, pipeline: target.pipeline, probability: target.probability, stage_entered_at: at,
      ...(target.outcome === 'won' ? { won_at: at, lost_at: null } : target.outcome === 'lost' ? { lost_at: at, won_at: null } : { won_at: null, lost_at: null }),
    });
    const days = entered ? new Decimal(at.getTime() - new Date(entered).getTime()).div(86_400_000).toFixed(2) : null;
    await createRecords(ctx, 'opportunity_stage_log', [{ opportunity: opportunityId, from_stage: from, to_stage: target.id, moved_at: at.toISOString(), days_in_from: days }], { tx });
  });
  return getRecord(ctx, 'opportunity', opportunityId);
}

/**
 * The kanban of a pipeline: its stages in order, each with its opportunities
 * (those the caller may read, newest first, up to `perStage`; amount is money,
 * { amount, currency }), their count, weighted amount, and the stage's `amount`:
 * the sum of every card's amount per currency ({ CNY: "…", USD: "…" } —
 * "sum:amount@currency", never ¥ and US$ added), absent for a caller who may not read amount.
 */
export async function kanban(ctx: RecordsCtx, pipelineId: string, perStage = 50): Promise<{ pipeline: string; stages: unknown[] }> {
  // One read-only transaction and two statements: the stages, then every stage's page of cards and
  // its count in one (each compiled through the caller's guard as its own list would be), each an
  // index range on (stage, updated_at). A transaction per stage took a pooled connection and four
  // round trips each (bench/crm).
  return txOf(ctx, async (tx) => {
    const stages = await stagesOf(ctx, tx, { pipeline: pipelineId });
    if (!stages.length) throw new AppError('RECORD_NOT_FOUND', `No pipeline ${pipelineId} with stages.`);
    const fields = ['name', 'customer', 'amount', 'weighted_amount', 'expected_close_date', 'owner_id', 'version'];
    const lists = await listRecordsTogether(ctx, 'opportunity', stages.map((s) => ({ filter: { stage: s.id }, sort: '-updated_at', pageSize: perStage, fields, titles: true })), { tx });
    const sums = await amountPerStage(ctx, tx, stages.map((s) => s.id));
    const out = stages.map((s, i) => ({
      id: s.id, name: s.name, probability: s.probability, outcome: s.outcome, requiredFields: (s.required_fields ?? '').split(',').filter(Boolean), total: lists[i].total,
      ...(sums ? { amount: sums.get(s.id) ?? {} } : {}), cards: lists[i].data,
    }));
    return { pipeline: pipelineId, stages: out };
  }, { readOnly: true });
}

/** Each stage's amounts per currency over every opportunity the caller may read in it (not only the page of cards); null when they may not read amount. */
async function amountPerStage(ctx: RecordsCtx, tx: Tx, stageIds: string[]): Promise<Map<string, Record<string, string>> | null> {
  const opp = (await ctx.store.objects(ctx.guard.actor.tenantId)).get('opportunity');
  const amount = opp?.fields.find((f) => f.apiName === 'amount' && f.type === 'money' && !f.archived);
  if (!opp || !amount || !ctx.guard.canReadField(opp, amount)) return null;
  const measure = 'sum:amount@currency';
  const { data } = await aggregateRecords(ctx, 'opportunity', { filter: { stage: { in: stageIds } }, groupBy: ['stage'], measures: [measure] }, { tx });
  return new Map(data.map((r) => [r.stage as string, (r[measure] ?? {}) as Record<string, string>]));
}
