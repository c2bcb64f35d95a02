import { sql } from 'kysely';
import { AppError, clock } from '@mosaic/kernel';
import type { Tx } from '@mosaic/db';
import type { ObjectMeta } from '@mosaic/meta';
import { logChanges, type RecordsCtx, requireRight } from '@mosaic/records';
import { txOf } from '../shared/system-ctx.ts';
import { recordPoolMove, recordPoolMoves } from './pool-move.ts';

type PoolObject = 'lead' | 'customer';

interface PoolRule {
  id: string;
  name: string;
  target: PoolObject;
  idle_days: number;
  claim_limit: number | null;
  tier: string | null;
}

function poolObject(object: string): PoolObject {
  if (object !== 'lead' && object !== 'customer') throw new AppError('NOT_FOUND', 'The public pool holds leads and customers only.');
  return object;
}

const colOf = (o: ObjectMeta) => (f: string) => sql.ref(o.fields.find((x) => x.apiName === f)!.columnName!);

async function rulesOf(tx: Tx, objects: Map<string, ObjectMeta>, target?: PoolObject): Promise<PoolRule[]> {
  const r = objects.get('crm_pool_rule')!;
  const c = colOf(r);
  return (await sql<PoolRule>`SELECT id, ${c('name')} AS name, ${c('target')} AS target, ${c('idle_days')} AS idle_days, ${c('claim_limit')} AS claim_limit, ${c('tier')} AS tier
    FROM ${sql.id(r.tableName)} WHERE COALESCE(${c('active')}, true) AND (${target ?? null}::text IS NULL OR ${c('target')} = ${target ?? null}) ORDER BY created_at`.execute(tx)).rows;
}

/**
 * 公海回收 — the scheduled job: every owned lead or customer whose last
 * follow-up (or creation, if never followed up) is older than its rule's idle
 * days goes back to the pool: no owner, in_pool, one pool_move and one change
 * event each. `now` is the clock's (tests move it); converted, disqualified
 * and merged-away records stay where they are.
 */
export async function recyclePool(ctx: RecordsCtx, now: Date = clock.now()): Promise<{ released: number; byRule: Record<string, number> }> {
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  return txOf(ctx, async (tx) => {
    const byRule: Record<string, number> = {};
    let released = 0;
    for (const rule of await rulesOf(tx, objects)) {
      const obj = objects.get(rule.target)!;
      const c = colOf(obj);
      const cutoff = new Date(now.getTime() - rule.idle_days * 86_400_000);
      const extra = rule.target === 'lead' ? sql`AND COALESCE(${c('state')}, 'new') NOT IN ('converted', 'disqualified')` : rule.tier ? sql`AND ${c('tier')} = ${rule.tier}` : sql``;
      const rows = (await sql<{ id: string; owner_id: string }>`UPDATE ${sql.id(obj.tableName)} t SET ${c('in_pool')} = true, owner_id = NULL, version = version + 1, updated_at = now()
        FROM (SELECT id, owner_id FROM ${sql.id(obj.tableName)}
               WHERE owner_id IS NOT NULL AND NOT COALESCE(${c('in_pool')}, false) AND ${c('merged_into')} IS NULL
                 AND COALESCE(${c('last_followup_at')}, created_at) < ${cutoff} ${extra}
               FOR UPDATE SKIP LOCKED) old
        WHERE t.id = old.id RETURNING t.id, old.owner_id`.execute(tx)).rows;
      byRule[rule.name] = rows.length;
      released += rows.length;
      await logChanges(tx, ctx.guard.actor, rows.map((r) => ({ object: rule.target, recordId: r.id, op: 'update', changes: { owner_id: [r.owner_id, null], in_pool: [false, true] } })));
      await recordPoolMoves(tx, ctx.guard.actor.tenantId, rows.map((r) => ({ object: rule.target, id: r.id, action: 'release' as const, from: r.owner_id, to: null, reason: `${rule.idle_days} 天未跟进（${rule.name}）`, at: now })));
    }
    return { released, byRule };
  });
}

/**
 * 领取 — a rep takes a record from the pool. Claims are serialised per rep
 * (advisory lock), so the limit holds under concurrent clicks: a rep may hold
 * at most `claim_limit` records of the object that came from the pool.
 * Two reps clicking the same record: the second gets 409.
 */
export async function claimFromPool(ctx: RecordsCtx, object: string, id: string): Promise<{ id: string; ownerId: string; holding: number; limit: number | null }> {
  const target = poolObject(object);
  const actor = ctx.guard.actor;
  const objects = await ctx.store.objects(actor.tenantId);
  const obj = objects.get(target)!;
  requireRight(ctx, obj, 'edit');
  const c = colOf(obj);
  return txOf(ctx, async (tx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`crm-claim:${actor.userId}:${target}`}))`.execute(tx);
    const row = (await sql<{ in_pool: boolean }>`SELECT ${c('in_pool')} AS in_pool FROM ${sql.id(obj.tableName)} WHERE id = ${id} FOR UPDATE`.execute(tx)).rows[0];
    if (!row) throw new AppError('RECORD_NOT_FOUND', `No ${target} with id ${id}.`);
    if (!row.in_pool) throw new AppError('CONFLICT', 'This record is not in the public pool (someone claimed it first).');
    const limit = (await rulesOf(tx, objects, target)).map((r) => r.claim_limit).filter((n): n is number => n !== null).sort((a, b) => a - b)[0] ?? null;
    const holding = await heldFromPool(tx, objects, target, actor.userId);
    if (limit !== null && holding >= limit) throw new AppError('CONFLICT', `You hold ${holding} ${target === 'lead' ? '线索' : '客户'} from the pool already; the limit is ${limit}. Release or convert some first.`, { details: { holding, limit } });
    const dept = (await sql<{ department_id: string | null }>`SELECT department_id FROM app_user WHERE id = ${actor.userId}`.execute(tx)).rows[0]?.department_id ?? null;
    const now = clock.now();
    await sql`UPDATE ${sql.id(obj.tableName)} SET owner_id = ${actor.userId}, department_id = COALESCE(${dept}::uuid, department_id), ${c('in_pool')} = false,
      ${c('last_followup_at')} = ${now}, version = version + 1, updated_at = now(), updated_by = ${actor.userId} WHERE id = ${id}`.execute(tx);
    await logChanges(tx, actor, [{ object: target, recordId: id, op: 'update', changes: { owner_id: [null, actor.userId], in_pool: [true, false] } }]);
    await recordPoolMove(tx, actor.tenantId, { object: target, id, action: 'claim', from: null, to: actor.userId, reason: '从公海领取', at: now });
    return { id, ownerId: actor.userId, holding: holding + 1, limit };
  });
}

/** Records of the object the user owns now that they last got by claiming from the pool. */
async function heldFromPool(tx: Tx, objects: Map<string, ObjectMeta>, target: PoolObject, userId: string): Promise<number> {
  const obj = objects.get(target)!;
  const m = objects.get('pool_move')!;
  const mc = colOf(m);
  const r = await sql<{ n: number }>`SELECT count(DISTINCT t.id)::int AS n FROM ${sql.id(m.tableName)} pm JOIN ${sql.id(obj.tableName)} t ON t.id::text = ${mc('target_id')}
    WHERE ${mc('target_object')} = ${target} AND ${mc('action')} = 'claim' AND ${mc('to_owner')} = ${userId} AND t.owner_id = ${userId}`.execute(tx);
  return r.rows[0].n;
}

/** 退回公海 — the owner (or anyone who may edit it) gives a record back. */
export async function releaseToPool(ctx: RecordsCtx, object: string, id: string, reason: string | undefined): Promise<{ id: string }> {
  const target = poolObject(object);
  const actor = ctx.guard.actor;
  const objects = await ctx.store.objects(actor.tenantId);
  const obj = objects.get(target)!;
  const c = colOf(obj);
  const { lockRow } = await import('@mosaic/records');
  return txOf(ctx, async (tx) => {
    const cur = await lockRow(ctx, tx, objects, obj, id, 'edit');
    if (cur[obj.fields.find((f) => f.apiName === 'in_pool')!.columnName!]) throw new AppError('CONFLICT', 'This record is in the pool already.');
    await sql`UPDATE ${sql.id(obj.tableName)} SET owner_id = NULL, ${c('in_pool')} = true, version = version + 1, updated_at = now(), updated_by = ${actor.userId} WHERE id = ${id}`.execute(tx);
    await logChanges(tx, actor, [{ object: target, recordId: id, op: 'update', changes: { owner_id: [cur.owner_id, null], in_pool: [false, true] } }]);
    await recordPoolMove(tx, actor.tenantId, { object: target, id, action: 'release', from: cur.owner_id as string, to: null, reason: reason?.slice(0, 500) || '主动退回', at: clock.now() });
    return { id };
  });
}

/** What the pool holds: every rep may browse it (a few fields only), newest first. */
export async function listPool(ctx: RecordsCtx, object: string, q: { page?: number; pageSize?: number }): Promise<{ data: unknown[]; total: number }> {
  const target = poolObject(object);
  const objects = await ctx.store.objects(ctx.guard.actor.tenantId);
  const obj = objects.get(target)!;
  requireRight(ctx, obj, 'edit');
  const c = colOf(obj);
  const pageSize = Math.min(Math.max(Number(q.pageSize ?? 50) || 50, 1), 200);
  const page = Math.max(Number(q.page ?? 1) || 1, 1);
  const name = target === 'lead' ? c('company') : c('name');
  return txOf(ctx, async (tx) => {
    const rows = (await sql<Record<string, unknown>>`SELECT id, ${name} AS name, ${c('industry')} AS industry, ${c('address')} AS address, ${c('last_followup_at')} AS last_followup_at, count(*) OVER ()::int AS total
      FROM ${sql.id(obj.tableName)} WHERE ${c('in_pool')} ORDER BY updated_at DESC, id LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`.execute(tx)).rows;
    return { data: rows.map(({ total: _t, ...r }) => r), total: Number(rows[0]?.total ?? 0) };
  });
}
