import { assignOwnerFrom, type ActionContext } from '@mosaic/automation';

/**
 * The CRM's one assignment mechanism (leads by territory, tickets by route):
 * the rule's record goes to one of a team's people through the built-in
 * assign_owner's work (assignOwnerFrom) — round robin on the rule's counter
 * with one slot per team or route (advanced under the counter's row lock in
 * the assigning transaction, so concurrent records alternate exactly) or to
 * whoever holds the fewest open records (serialised by an advisory lock per
 * slot). The team is the department and those below it (identity's
 * activeUsers); its manager oversees and is not in the rotation.
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
  return assignOwnerFrom(ctx, {
    pool: { departmentId: a.departmentId, exceptManager: true },
    // The same key the counter rows of earlier versions have: `<action index>:<team or route>`.
    slot: `${ctx.index}:${a.slot}`,
    strategy: a.strategy ?? 'round_robin',
    openCondition: a.openCondition,
  }, `team ${a.departmentId}`);
}
