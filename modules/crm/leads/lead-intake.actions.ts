import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '@mosaic/kernel';
import { actionDef, ActionFailure, registerAction, type ActionContext } from '@mosaic/automation';
import { calendarOf, addWorkingDays } from '../shared/business-time.ts';
import { crmHolidays } from '../shared/holidays.ts';
import { recordPoolMove } from '../pool/pool-move.ts';

/**
 * The CRM's two rule actions, built on the rules engine's own:
 *
 * crm_assign_territory — the record's region (address.province) names a team
 * through crm_territory; the record goes round-robin to that team's people,
 * through the built-in assign_owner (its per-rule counter, one slot per team).
 * A region without a team falls back to `fallbackDepartmentId`, if given.
 *
 * crm_followup_task — the built-in create_task, due `workingDays` working days
 * from now (weekends and the holiday table skipped): "首次联系 due in 1 working day".
 */
const ZAssignTerritory = z.object({ type: z.literal('crm_assign_territory'), fallbackDepartmentId: z.uuid().optional() }).strict();
const ZFollowupTask = z.object({
  type: z.literal('crm_followup_task'),
  subject: z.string().min(1).max(500),
  description: z.string().max(5000).optional(),
  workingDays: z.number().int().min(0).max(60).default(1),
}).strict();

registerAction('crm_assign_territory', {
  schema: ZAssignTerritory,
  mode: 'tx',
  validate(_a, v) {
    if (!v.obj || !v.obj.fields.some((f) => f.apiName === 'address')) throw new AppError('VALIDATION_FAILED', `${v.at}: the rule's object has no address (region) field`, { field: v.at });
  },
  async run(ctx, a) {
    if (!ctx.record) throw new ActionFailure('this rule has no record to assign');
    await ctx.record.load(['address'], ctx.tx);
    const province = (ctx.record.values.get('address') as { province?: string } | null)?.province ?? null;
    const team = province ? await teamOf(ctx, province) : null;
    const departmentId = team ?? a.fallbackDepartmentId;
    if (!departmentId) throw new ActionFailure(`no sales team covers region ${province ?? '(none)'} and there is no fallback team`);
    const userIds = await sellersOf(ctx, departmentId);
    if (!userIds.length) throw new ActionFailure(`team ${departmentId} has no active salespeople`);
    const assign = actionDef('assign_owner')!;
    // One round-robin counter per team: the built-in action keys its counter by action index.
    const result = (await assign.run({ ...ctx, index: `${ctx.index}:${departmentId}` as unknown as number }, assign.schema.parse({ type: 'assign_owner', strategy: 'round_robin', userIds }))) as { ownerId: string; previous: string | null };
    await recordPoolMove(ctx.tx, ctx.rctx.guard.actor.tenantId, { object: ctx.record.object.apiName, id: ctx.record.id, action: 'assign', from: result.previous, to: result.ownerId, reason: `区域分配 ${province ?? ''}`.trim(), at: ctx.ev.now });
    return { ...result, province, departmentId };
  },
});

/** The team's people who sell: active users of the department and those below it, its manager left out (managers oversee, they are not in the rotation). */
async function sellersOf(ctx: ActionContext, departmentId: string): Promise<string[]> {
  return (await sql<{ id: string }>`SELECT u.id FROM app_user u JOIN department d ON d.tenant_id = u.tenant_id AND d.id = u.department_id
    WHERE u.active AND d.path @> ARRAY[${departmentId}]::uuid[]
      AND u.id IS DISTINCT FROM (SELECT manager_id FROM department WHERE id = ${departmentId})
    ORDER BY u.created_at, u.id`.execute(ctx.tx)).rows.map((r) => r.id);
}

async function teamOf(ctx: ActionContext, province: string): Promise<string | null> {
  const t = ctx.objects.get('crm_territory');
  if (!t) return null;
  const col = (f: string) => t.fields.find((x) => x.apiName === f)!.columnName!;
  const r = await sql<{ team: string }>`SELECT ${sql.ref(col('team'))} AS team FROM ${sql.id(t.tableName)} WHERE ${sql.ref(col('province'))} = ${province.slice(0, 2)} LIMIT 1`.execute(ctx.tx);
  return r.rows[0]?.team ?? null;
}

registerAction('crm_followup_task', {
  schema: ZFollowupTask,
  mode: 'tx',
  validate(a, v) {
    actionDef('create_task')!.validate?.({ type: 'create_task', subject: a.subject, description: a.description, assignee: '$owner' }, v);
  },
  async run(ctx, a) {
    const holidays = await holidaysOf(ctx);
    const due = addWorkingDays(calendarOf(ctx.ev.timeZone, holidays), ctx.ev.now, a.workingDays);
    const minutes = Math.round((due.getTime() - ctx.ev.now.getTime()) / 60_000);
    const create = actionDef('create_task')!;
    return create.run(ctx, create.schema.parse({ type: 'create_task', subject: a.subject, description: a.description, dueIn: { minutes } }));
  },
});

const holidaysOf = (ctx: ActionContext) => crmHolidays(ctx.tx, ctx.objects);

