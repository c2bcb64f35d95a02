import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import { activeUsers } from '@mosaic/identity';
import { compileFormulaToSql, correlatedScope } from '@mosaic/meta';
import type { ActionContext } from '../automation.types.ts';
import { evaluate, formulaAst as compileCached } from '../engine/values.ts';
import { setOwner } from './owner.ts';
import { ActionFailure, registerAction } from './registry.ts';

/**
 * assign_owner: give the record an owner from a pool of people — named users
 * or a department (and the departments below it) — in turn (round_robin) or to
 * whoever has the fewest open records (least_load). Branches route by
 * territory or industry first: the first branch whose `when` holds gives the pool.
 *
 *   { "type": "assign_owner", "strategy": "round_robin",
 *     "branches": [{ "when": "province = \"广东\"", "departmentId": "<华南销售部>" }],
 *     "userIds": ["<fallback>"] }
 *
 * The round-robin pointer (automation_counter) advances in the assigning
 * transaction under its row lock, so 30 leads over 3 people give exactly 10
 * each, however many workers run them; a rolled-back run gives its turn back.
 */
const ZPool = { userIds: z.array(z.uuid()).min(1).max(200).optional(), departmentId: z.uuid().optional() };
export const ZAssignOwner = z.object({
  type: z.literal('assign_owner'),
  strategy: z.enum(['round_robin', 'least_load']).default('round_robin'),
  ...ZPool,
  branches: z.array(z.object({ when: z.string().min(1).max(4000), ...ZPool }).strict()).max(50).optional(),
  /** least_load: which of a person's records count as open (a formula over the object), e.g. status <> "closed". */
  openCondition: z.string().min(1).max(4000).optional(),
}).strict();
type TAssign = z.infer<typeof ZAssignOwner>;

registerAction('assign_owner', {
  schema: ZAssignOwner,
  mode: 'tx',
  validate(a, v) {
    if (!v.obj) throw new AppError('VALIDATION_FAILED', `${v.at}: this rule has no record to assign`, { field: v.at });
    if (!a.userIds && !a.departmentId && !a.branches?.length) throw new AppError('VALIDATION_FAILED', `${v.at}: name userIds, a departmentId or branches`, { field: v.at });
    a.branches?.forEach((b, i) => {
      v.checkFormula(b.when, `${v.at}.branches.${i}.when`);
      if (!b.userIds && !b.departmentId) throw new AppError('VALIDATION_FAILED', `${v.at}.branches.${i}: name userIds or a departmentId`, { field: `${v.at}.branches.${i}` });
    });
    if (a.openCondition) v.checkFormula(a.openCondition, `${v.at}.openCondition`);
  },
  async run(ctx, a) {
    const { pool, slot, branch } = await choosePool(ctx, a);
    const r = await assignOwnerFrom(ctx, { pool, slot, strategy: a.strategy, openCondition: a.openCondition }, branch === null ? 'pool' : `branch ${branch} pool`);
    return { ...r, strategy: a.strategy, branch };
  },
});

export interface OwnerPool {
  pool: { userIds?: string[]; departmentId?: string; exceptManager?: boolean };
  /** The counter (round robin) and lock (least load) key within the rule: one rotation per slot. */
  slot: string;
  strategy: 'round_robin' | 'least_load';
  openCondition?: string;
}

/**
 * assign_owner's work for a module action that picks the pool itself (the
 * CRM's team assignment: a team per territory or ticket route, each with its
 * own counter slot): the rule's record goes to the pool's next person in turn
 * or to whoever holds the fewest open records.
 */
export async function assignOwnerFrom(ctx: ActionContext, p: OwnerPool, what = 'pool'): Promise<{ ownerId: string; previous: string | null }> {
  if (!ctx.record) throw new ActionFailure('this rule has no record to assign');
  const users = await activeUsers(ctx.tx, p.pool);
  if (!users.length) throw new ActionFailure(`nobody to assign to: the ${what} has no active users`);
  const userId = p.strategy === 'least_load' ? await leastLoaded(ctx, p.openCondition, users, p.slot) : await nextInTurn(ctx, users, p.slot);
  const r = await setOwner(ctx.tx, ctx.rctx, ctx.record.object, ctx.record.id, userId);
  ctx.record.values.set('owner_id', userId);
  return { ownerId: userId, previous: r.from };
}

async function choosePool(ctx: ActionContext, a: TAssign): Promise<{ pool: { userIds?: string[]; departmentId?: string }; slot: string; branch: number | null }> {
  for (const [i, b] of (a.branches ?? []).entries()) {
    if ((await evaluate(ctx, b.when)) === true) return { pool: b, slot: `${ctx.index}.${i}`, branch: i };
  }
  if (!a.userIds && !a.departmentId) throw new ActionFailure('no branch matched and there is no fallback pool');
  return { pool: a, slot: String(ctx.index), branch: null };
}

/**
 *   INSERT INTO automation_counter … VALUES (…, 1) ON CONFLICT … DO UPDATE SET position = position + 1 RETURNING position
 */
async function nextInTurn(ctx: ActionContext, users: string[], slot: string): Promise<string> {
  const r = await sql<{ position: number }>`INSERT INTO automation_counter (tenant_id, rule_id, slot, position) VALUES (${ctx.rctx.guard.actor.tenantId}, ${ctx.rule.id}, ${slot}, 1)
    ON CONFLICT (tenant_id, rule_id, slot) DO UPDATE SET position = automation_counter.position + 1 RETURNING position`.execute(ctx.tx);
  return users[(Number(r.rows[0].position) - 1) % users.length];
}

/** Fewest open records of the object; ties go to the earlier person in the pool. Serialised per rule so two runs see each other's choice. */
async function leastLoaded(ctx: ActionContext, openCondition: string | undefined, users: string[], slot: string): Promise<string> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`${ctx.rule.id}:${slot}`}))`.execute(ctx.tx);
  const obj = ctx.record!.object;
  const open = openCondition ? sql`AND COALESCE((${compileFormulaToSql(compileCached(openCondition), correlatedScope(ctx.objects, obj, 't'), ctx.ev)})::boolean, false)` : sql``;
  const counts = await sql<{ owner_id: string; n: number }>`SELECT t.owner_id, count(*)::int AS n FROM ${sql.id(obj.tableName)} AS t
    WHERE t.owner_id = ANY(${users}::uuid[]) AND t.id <> ${ctx.record!.id} ${open} GROUP BY t.owner_id`.execute(ctx.tx);
  const load = new Map(counts.rows.map((r) => [r.owner_id, r.n]));
  return users.reduce((best, u) => ((load.get(u) ?? 0) < (load.get(best) ?? 0) ? u : best), users[0]);
}
