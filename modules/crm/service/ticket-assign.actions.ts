import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import { ActionFailure, registerAction, type ActionContext } from '@mosaic/automation';
import { assignInTeam } from '../shared/team-assign.ts';
import { setSystemFields } from '../shared/system-write.ts';

/**
 * crm_assign_ticket — a ticket that came in without an assignee (处理人) goes
 * to a service group by the routing table (crm_ticket_route: the first active
 * route, by sequence, whose category and product match — blank matches any)
 * and, within the group, to the next person in turn or to whoever has the
 * fewest open tickets (the route's strategy). The person becomes the ticket's
 * assignee and owner (the SLA warns the owner; "own" record scopes follow it).
 * The same mechanism as lead assignment: shared/team-assign.ts.
 */
const ZAssignTicket = z.object({ type: z.literal('crm_assign_ticket'), fallbackDepartmentId: z.uuid().optional() }).strict();

/** A ticket counts as open for least_load until resolved or closed. */
export const OPEN_TICKET = 'AND(state <> "resolved", state <> "closed")';

registerAction('crm_assign_ticket', {
  schema: ZAssignTicket,
  mode: 'tx',
  validate(_a, v) {
    if (v.obj?.apiName !== 'ticket') throw new AppError('VALIDATION_FAILED', `${v.at}: crm_assign_ticket assigns tickets only`, { field: v.at });
  },
  async run(ctx, a) {
    if (!ctx.record) throw new ActionFailure('this rule has no ticket to assign');
    const hasProduct = ctx.record.object.fields.some((f) => f.apiName === 'product');
    await ctx.record.load(['assignee', 'category', ...(hasProduct ? ['product'] : [])], ctx.tx);
    // Someone assigned it meanwhile (by hand or an earlier rule): theirs stays.
    if (ctx.record.values.get('assignee')) return { skipped: 'already assigned' };
    const category = (ctx.record.values.get('category') as string | null) ?? null;
    const product = hasProduct ? idOf(ctx.record.values.get('product')) : null;
    const route = await routeFor(ctx, category, product);
    const departmentId = route?.team ?? a.fallbackDepartmentId;
    // No route for it (a new tenant has none): the ticket stays with whoever entered it.
    if (!departmentId) return { skipped: `no ticket route matches category ${category ?? '(none)'}` };
    const strategy = route?.strategy === 'least_load' ? 'least_load' : 'round_robin';
    const result = await assignInTeam(ctx, { departmentId, slot: route?.id ?? departmentId, strategy, openCondition: strategy === 'least_load' ? OPEN_TICKET : undefined });
    await setSystemFields(ctx.tx, ctx.rctx.guard.actor, ctx.record.object, ctx.record.id, { assignee: result.ownerId }, 'assign');
    return { ...result, route: route?.id ?? null, departmentId, strategy };
  },
});

const idOf = (v: unknown): string | null => (v && typeof v === 'object' ? ((v as { id?: string }).id ?? null) : ((v as string | null) ?? null));

async function routeFor(ctx: ActionContext, category: string | null, product: string | null): Promise<{ id: string; team: string; strategy: string | null } | null> {
  const r = ctx.objects.get('crm_ticket_route');
  if (!r) return null;
  const col = (f: string) => sql.ref(r.fields.find((x) => x.apiName === f)!.columnName!);
  const productMatch = r.fields.some((f) => f.apiName === 'product') ? sql`AND (${col('product')} IS NULL OR ${col('product')} = ${product}::uuid)` : sql``;
  return (await sql<{ id: string; team: string; strategy: string | null }>`SELECT id, ${col('team')} AS team, ${col('strategy')} AS strategy FROM ${sql.id(r.tableName)}
    WHERE COALESCE(${col('active')}, true) AND (NULLIF(${col('category')}, '') IS NULL OR ${col('category')} = ${category}) ${productMatch}
    ORDER BY ${col('sequence')} NULLS LAST, created_at LIMIT 1`.execute(ctx.tx)).rows[0] ?? null;
}
