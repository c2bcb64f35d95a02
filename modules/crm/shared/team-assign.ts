import { sql } from 'kysely';
import { actionDef, ActionFailure, type ActionContext } from '@mosaic/automation';

/**
 * The CRM's one assignment mechanism (leads by territory, tickets by route):
 * the rule's record goes to one of a team's people through the built-in
 * assign_owner action — round robin on its per-rule counter (one slot per
 * team or route, advanced under the counter's row lock in the assigning
 * transaction, so concurrent records alternate exactly) or to whoever holds
 * the fewest open records (serialised by an advisory lock per slot).
 * The team is the department and those below it; its manager oversees and is
 * not in the rotation.
 */
export interface TeamAssignment {
  departmentId: string;
  /** Which counter: records routed by the same key share a rotation. */
  slot: string;
  strategy?: 'round_robin' | 'least_load';
  /** least_load: which of a person's records count as open (a formula over the object). */
  openCondition?: string;
}

export async function assignInTeam(ctx: ActionContext, a: TeamAssignment): Promise<{ ownerId: string; previous: string | null }> {
  const userIds = await teamPeople(ctx, a.departmentId);
  if (!userIds.length) throw new ActionFailure(`team ${a.departmentId} has no active members to assign to`);
  const assign = actionDef('assign_owner')!;
  const input = assign.schema.parse({ type: 'assign_owner', strategy: a.strategy ?? 'round_robin', userIds, ...(a.openCondition ? { openCondition: a.openCondition } : {}) });
  // The built-in action keys its counter by the action's index: one slot per team/route.
  return (await assign.run({ ...ctx, index: `${ctx.index}:${a.slot}` as unknown as number }, input)) as { ownerId: string; previous: string | null };
}

/** Active users of the department and those below it, its manager left out, in join order. */
async function teamPeople(ctx: ActionContext, departmentId: string): Promise<string[]> {
  return (await sql<{ id: string }>`SELECT u.id FROM app_user u JOIN department d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
    WHERE u.active AND d.path @> ARRAY[${departmentId}]::uuid[]
      AND u.id IS DISTINCT FROM (SELECT manager_id FROM department WHERE id = ${departmentId})
    ORDER BY u.created_at, u.id`.execute(ctx.tx)).rows.map((r) => r.id);
}
